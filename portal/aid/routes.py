"""What neighbours see and residents do: the open posts of a grid and its community, a post's page,
"I can help" / "I would like this", closing or keeping one's own post, marking a matched post done, and
reporting a post. A neighbour sees a masked name, the building and the post's age: never a phone number,
a room or a full name (tests/test_privacy_crawl.py crawls for them)."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.loaders import aid_post_or_404
from ..channels import record_origin
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..page_cache import public_page
from ..pages import render_page
from ..services import permissions
from ..services.aid import (
    AidRefused,
    close_own_post,
    confirmed_match,
    mark_done,
    may_mark_done,
    my_match,
    open_to,
    posts_query,
    propose_match,
    renew_own_post,
    report_post,
)
from ..services.clock import now_utc
from ..services.inputs import text_errors
from ..services.paging import fetch_page, page_number
from ..topics.routes import list_place
from . import bp
from .common import (
    age_words,
    category_label,
    kind_label,
    poster_words,
    refusal_words,
    respond_label,
    state_label,
    where_for,
)

WORDS = {
    "kind_label": kind_label,
    "category_label": category_label,
    "state_label": state_label,
    "poster_words": poster_words,
    "where_for": where_for,
    "age_words": age_words,
    "respond_label": respond_label,
}


@bp.route("/aid")
@public_page
def index():
    community, grid = list_place()
    if community is None:
        return render_page("aid/index.html", community=None, grid=None, page=None, args={}, **WORDS)
    page = fetch_page(db.session, posts_query(community.id, grid.id if grid else None), page_number(request.args))
    args = {"grid": grid.id} if grid is not None else {"community": community.id}
    return render_page(
        "aid/index.html",
        block="post_list",
        community=community,
        grid=grid,
        page=page,
        posts=page.items,
        args=args,
        now=now_utc(),
        resident=current_resident(),
        **WORDS,
    )


@bp.route("/aid/<int:post_id>")
def show(post_id):
    post = aid_post_or_404(post_id)
    resident = current_resident()
    match = confirmed_match(db.session, post.id) if post.state in ("matched", "done") else None
    account = g.get("account")
    return render_page(
        "aid/show.html",
        post=post,
        resident=resident,
        own=resident is not None and post.resident_id == resident.id,
        mine=my_match(db.session, post.id, resident.id) if resident is not None else None,
        open_to_resident=open_to(post, resident) if resident is not None else None,
        may_done=may_mark_done(post, resident, match),
        manages=permissions.can_manage_aid(account, post) and g.get("assisted") is None,
        now=now_utc(),
        done=request.args.get("done", ""),
        **WORDS,
    )


def resident_step(post_id: int, step: str):
    """The one confirm page of a resident's step on a post: respond, close, keep open, done, report."""
    post = aid_post_or_404(post_id)
    resident = current_resident()
    values, errors = {"why": request.form.get("why", "").strip()}, {}
    if request.method == "POST":
        common = {"origin": record_origin("online"), "actor": g.get("account"), "reason": assisted_reason(),
                  "now": now_utc()}  # fmt: skip
        try:
            if step == "respond":
                propose_match(db.session, post_id=post.id, resident=resident, **common)
            elif step == "close":
                close_own_post(db.session, post, resident=resident, **common)
            elif step == "renew":
                renew_own_post(db.session, post, resident=resident, **common)
            elif step == "done":
                if not may_mark_done(post, resident, confirmed_match(db.session, post.id)):
                    raise AidRefused("not_matched" if post.state != "matched" else "not_yours", post)
                mark_done(db.session, post, resident=resident, **common)
            else:  # report
                errors = text_errors(values, lengths={"why": 300})
                if not values["why"] and "why" not in errors:
                    errors["why"] = _("Say in a few words what is wrong with it")
                if not errors:
                    report_post(db.session, post, resident=resident, why=values["why"], **common)
        except AidRefused as refused:
            errors["step"] = refusal_words(refused.reason)
            post = aid_post_or_404(post_id)
        if not errors:
            return redirect(url_for("aid.show", post_id=post.id, done=step), code=303)
    return render_page("aid/step_confirm.html", post=post, step=step, values=values, form_errors=errors, **WORDS)


@bp.route("/aid/<int:post_id>/respond", methods=["GET", "POST"])
@for_resident
def respond(post_id):
    return resident_step(post_id, "respond")


@bp.route("/aid/<int:post_id>/close", methods=["GET", "POST"])
@for_resident
def close(post_id):
    return resident_step(post_id, "close")


@bp.route("/aid/<int:post_id>/renew", methods=["GET", "POST"])
@for_resident
def renew(post_id):
    return resident_step(post_id, "renew")


@bp.route("/aid/<int:post_id>/done", methods=["GET", "POST"])
def done(post_id):
    """Either resident of a match, a helper for them, or the grid worker (who goes through the queue's page)."""
    if g.get("assisted") is None and permissions.has_role(g.get("account"), *permissions.AID_ROLES):
        return redirect(url_for("aid.staff_done", post_id=post_id), code=303)
    return for_resident(lambda: resident_step(post_id, "done"))()


@bp.route("/aid/<int:post_id>/report", methods=["GET", "POST"])
@for_resident
def report(post_id):
    return resident_step(post_id, "report")
