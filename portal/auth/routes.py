from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _

from ..extensions import db, limiter
from ..models import Account
from ..pages import render_page
from ..redirects import safe_next
from ..services.accounts import authenticate
from ..services.inputs import column_length, text_problem
from ..sessions import end_session
from . import bp


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    errors, username = {}, ""
    next_url = safe_next(request.values.get("next"), "")
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username:
            errors["username"] = _("Enter your username")
        elif text_problem(username, column_length(Account, "username")):
            errors["username"] = str(text_problem(username, column_length(Account, "username")))
        if not password:
            errors["password"] = _("Enter your password")
        if not errors:
            account = authenticate(db.session, username, password)
            if account is None:
                errors["username"] = _("The username or password is not right. Check them and try again.")
            else:
                end_session()  # a new session id for the signed-in account (no session fixation)
                session["account_id"] = account.id
                session.permanent = False
                return redirect(next_url or url_for("main.me"), code=303)
    return render_page("auth/login.html", form_errors=errors, username=username, next_url=next_url)


@bp.route("/logout", methods=["POST"])
def logout():
    # Keep the display preferences (they live in cookies); end the session on the server, so the old
    # cookie is worth nothing in any browser.
    end_session()
    g.account = None
    return redirect(url_for("main.home", signed_out=1), code=303)
