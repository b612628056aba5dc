"""The question pages and the check-your-answers page, shared by the resident's own sign-up and the
helper's "Register a resident". Only the voice (your / the resident's) and the flow differ."""

from flask import current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..channels import record_origin
from ..display import place_name
from ..extensions import client_ip, db
from ..flow import Flow
from ..i18n import current_lang_code
from ..identify import year_now
from ..models import utcnow
from ..pages import render_page
from ..services.identity import IdentifyError
from ..services.phone_codes import send_code
from ..services.signup import NEEDS, AlreadyRegistered, InvalidAnswers, check_step, register_resident
from .questions import HINTS, NEED_LABELS, NO_PHONE, QUESTIONS, SUMMARY_LABELS, hint, messages


class SignupFlow(Flow):
    """The family-contact question is asked only of people with no mobile phone. With `code_endpoint`
    (the resident's own sign-up on the open web), a phone number is proved by a code sent by SMS
    right after the phone question; a helper registering someone in person is not asked for one."""

    def __init__(self, *args, code_endpoint: str | None = None):
        super().__init__(*args)
        self.code_endpoint = code_endpoint

    def phone_verified(self) -> bool:
        if self.code_endpoint is None or not self.has_phone():
            return True
        return self.context.get("verified_phone") == self.answer("phone")

    def code_url(self, changing=False) -> str:
        return url_for(self.code_endpoint, **({"change": 1} if changing else {}))

    def has_phone(self) -> bool:
        return bool(self.answer("phone"))

    def save_phone(self, number: str) -> None:
        """`number` is "" for "I have no mobile phone". An earlier family contact is kept either way."""
        self.save("phone", number)
        if number and "family" not in self.answers:
            self.save("family", "")

    def next_url(self, step, changing=False):
        if step == "phone":
            if not self.has_phone():
                return self.step_url("family", changing)
            if not self.phone_verified():
                return self.code_url(changing)
            return self.check_url() if changing else self.step_url("home")
        return super().next_url(step, changing)

    def back_url(self, step, changing=False, start_url=None):
        if step == "home" and not changing and self.has_phone():
            return self.step_url("phone")
        return super().back_url(step, changing, start_url)


def this_year() -> int:
    return year_now()


def format_phone(phone: str) -> str:
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}" if phone and len(phone) == 11 else (phone or "")


def posted_values(form) -> dict:
    return {
        "name": form.get("name", ""),
        "phone": form.get("phone", ""),
        "family_contact": form.get("family_contact", ""),
        "building": form.get("building", ""),
        "room": form.get("room", ""),
        "birth_year": form.get("birth_year", ""),
        "needs": form.getlist("needs"),
        "consent": form.get("consent", ""),
    }


def stored_values(flow) -> dict:
    """What the person answered before, to fill the fields again (Back never loses answers)."""
    home = flow.answer("home") or {}
    return {
        "name": flow.answer("name", ""),
        "phone": format_phone(flow.answer("phone", "")),
        "family_contact": flow.answer("family", ""),
        "building": str(home.get("building_id") or ""),
        "room": home.get("room", ""),
        "birth_year": str(flow.answer("birth_year", "")),
        "needs": flow.answer("needs", []),
        "consent": "yes" if flow.answer("consent") else "",
    }


def step_hint(voice: str, step: str, grid) -> str:
    if step == "home":
        return hint(voice, step, grid=place_name(grid))
    return hint(voice, step) if step in HINTS[voice] else ""


def question_page(flow: SignupFlow, step: str, *, grid, voice: str, start_url: str):
    """GET shows the question with the earlier answer; POST checks it, saves it and moves on."""
    changing = bool(request.args.get("change"))
    if not flow.may_visit(step):
        return redirect(flow.step_url(flow.first_unanswered() or flow.steps[0]), code=303)
    if flow.steps.index(step) > flow.steps.index("phone") and not flow.phone_verified():
        return redirect(flow.code_url(), code=303)
    errors = {}
    if request.method == "POST":
        values = posted_values(request.form)
        if step == "phone" and request.form.get("no_phone"):
            flow.save_phone("")
            return redirect(flow.next_url("phone", changing), code=303)
        answer, codes = check_step(step, values, building_ids=[b.id for b in grid.buildings], this_year=this_year())
        if not codes and step == "phone" and flow.code_endpoint and answer != flow.context.get("verified_phone"):
            codes = send_signup_code(flow, answer)
        if not codes:
            if step == "phone":
                flow.save_phone(answer)
            else:
                flow.save(step, answer)
            return redirect(flow.next_url(step, changing), code=303)
        errors = messages(codes, voice)
    else:
        values = stored_values(flow)
    return render_page(
        "join/question.html",
        step=step,
        voice=voice,
        question=str(QUESTIONS[voice][step]),
        values=values,
        hint=step_hint(voice, step, grid),
        no_phone_label=str(NO_PHONE[voice]),
        form_errors=errors,
        grid=grid,
        action=flow.step_url(step, changing),
        back_url=flow.back_url(step, changing, start_url=start_url),
        need_options=[(need, str(NEED_LABELS[voice][need])) for need in NEEDS],
        building_options=[(str(b.id), place_name(b)) for b in grid.buildings],
    )


def send_signup_code(flow: SignupFlow, phone: str) -> dict:
    """Send a code to the number just typed; {} when sent, else {"phone": why not}."""
    try:
        row = send_code(
            db.session,
            current_app.config["SECRET_KEY"],
            purpose="signup",
            phone=phone,
            locale=str(get_locale()),
            address=client_ip(),
        )
    except IdentifyError as refused:
        db.session.commit()
        return {"phone": refused.errors["phone"]}
    db.session.commit()
    flow.set_context(code_id=row.id)
    return {}


def summary_rows(flow: SignupFlow, grid, voice: str) -> list[dict]:
    """The check-your-answers rows: label, answer as shown, and where to change it."""
    answers = flow.answers
    home = answers.get("home") or {}
    building = next((b for b in grid.buildings if b.id == home.get("building_id")), None)
    rows = [("name", answers.get("name", "")), ("phone", format_phone(answers.get("phone")) or _("No mobile phone"))]
    if not answers.get("phone") or answers.get("family"):
        rows.append(("family", answers.get("family") or _("None given: the grid worker will visit instead")))
    separator = "、" if current_lang_code() == "zh" else ", "
    needs = separator.join(str(NEED_LABELS[voice][need]) for need in answers.get("needs", []))
    rows += [
        ("home", " ".join(filter(None, [building and place_name(building), home.get("room", "")]))),
        ("birth_year", str(answers.get("birth_year", ""))),
        ("needs", needs or _("None")),
        ("consent", _("Yes, agreed")),
    ]
    return [
        {
            "step": step,
            "label": str(SUMMARY_LABELS[step]),
            "value": value,
            "change_url": flow.step_url(step, changing=True),
        }
        for step, value in rows
    ]


def check_page(flow: SignupFlow, *, grid, voice: str, action: str):
    return render_page(
        "join/check.html",
        rows=summary_rows(flow, grid, voice),
        grid=grid,
        voice=voice,
        action=action,
        back_url=flow.step_url(flow.steps[-1]),
        form_errors={},
    )


def save_resident(flow, grid, default_channel: str, duplicate_endpoint: str):
    """Create the resident from a finished flow. Returns (resident, origin, None), or (None, origin, a
    redirect): back to the question whose answer no longer holds, or to the already-registered page."""
    origin = record_origin(default_channel)
    try:
        resident = register_resident(
            db.session, grid=grid, answers=flow.answers, origin=origin, this_year=this_year(), now=utcnow()
        )
    except InvalidAnswers as bad:
        return None, origin, redirect(flow.step_url(bad.step, changing=True), code=303)
    except AlreadyRegistered:
        db.session.rollback()
        flow.clear()
        return None, origin, redirect(url_for(duplicate_endpoint), code=303)
    return resident, origin, None
