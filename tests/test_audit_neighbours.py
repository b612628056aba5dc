"""The audit log says in words what the neighbours' events were about: a helper's vote (the poll's
question), a helper's mutual-aid post, a volunteer's contact shown to staff, a call-out (grid, skill, time,
how many asked) and a volunteer's answer from the link, in Chinese and English, with no raw codes."""

import re

from flask import current_app
from flask_babel import force_locale

from portal.extensions import db
from portal.models import Ballot, CallOutReply, Poll, Resident, Volunteer
from portal.polls.seed import OPEN_QUESTION
from portal.services.audit_actions import ACTION_LABELS
from portal.services.volunteers import answer_token

from tests.support.flows import main_text, post_aid_through_the_steps, start_assisting
from tests.support.signin import sign_in

# What a detail's raw code looks like: "volunteer=7", "answer: yes" (a key the log has no words for).
RAW_CODE = re.compile(r"[a-z_]+=|\b[a-z_]+: ")
NEIGHBOURS = ("poll.", "volunteer.", "aid.", "topic.", "activity.")


def detail_hints(html: str, lang: str) -> list[str]:
    """The detail next to each neighbours' (and activities') event's action in the log's table."""
    with current_app.test_request_context(), force_locale("en" if lang == "en" else "zh_Hans_CN"):
        actions = [str(words) for code, words in ACTION_LABELS.items() if code.startswith(NEIGHBOURS)]
    found = []
    for action, hint in re.findall(r'<td>([^<]*) <span class="hint">([^<]*)</span></td>', html):
        if action.strip() in actions:
            found.append(hint)
    return found


def test_the_audit_log_tells_the_neighbours_events_in_words(app, client, auth):
    with app.app_context():
        poll = db.session.scalars(db.select(Poll).where(Poll.question == OPEN_QUESTION)).one()
        voted = db.select(Ballot.resident_id).where(Ballot.poll_id == poll.id)
        resident = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == 1, Resident.id.not_in(voted)).order_by(Resident.id)
        ).first()
        number, poll_id, option = resident.number, poll.id, poll.options[0].id
        entry = db.session.scalars(
            db.select(Volunteer)
            .where(Volunteer.grid_id == 1, Volunteer.resident_id.is_not(None))
            .order_by(Volunteer.id)
        ).first()
        volunteer_id = entry.id
    # A helper votes and posts a need for a resident.
    sign_in(auth, "volunteer")
    assert start_assisting(client, number, reason="她看不清屏幕").status_code == 303
    assert client.submit(f"/polls/{poll_id}/vote", {"answer": str(option)}).status_code == 303
    assert post_aid_through_the_steps(client, "need", "errand", "帮我取一下快递", "grid").status_code == 303
    auth.logout()
    # Staff see a volunteer's contact and call out first-aiders free on Monday mornings; one answers no.
    sign_in(auth, "staff")
    assert client.submit(f"/volunteers/{volunteer_id}/contact", {"back": "/volunteers"}).status_code == 200
    sent = client.submit("/volunteers/callouts", {"grid": "1", "skill": "first_aid", "day": "0", "part": "morning",
                                                  "message": "周一上午有人摔倒，请会急救的来帮忙"})  # fmt: skip
    assert sent.status_code == 303
    callout_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        replies = db.session.scalars(db.select(CallOutReply).where(CallOutReply.callout_id == callout_id)).all()
        token = answer_token(replies[0], current_app.config["SECRET_KEY"])
        asked = len(replies)
    volunteer = app.test_client()
    volunteer.get(f"/v/{token}")
    assert volunteer.submit(f"/v/{token}", {"answer": "no"}).status_code == 303
    english_html = client.get("/audit?lang=en").get_data(as_text=True)
    english = main_text(english_html)
    for words in (
        f"Poll: {OPEN_QUESTION}",
        "Need or offer number",
        f"Volunteer entry number {volunteer_id}",
        f"Call-out number {callout_id}",
        "Skill: First aid",
        "Monday morning",
        f"{asked} volunteer asked" if asked == 1 else f"{asked} volunteers asked",
        "Answer: cannot come",
    ):
        assert words in english, words
    with app.app_context():
        hints = detail_hints(english_html, "en")
    assert len(hints) >= 5 and not [h for h in hints if RAW_CODE.search(h)], hints
    chinese_html = client.get("/audit?lang=zh").get_data(as_text=True)
    chinese = main_text(chinese_html)
    for words in (f"投票：{OPEN_QUESTION}", "互助信息第", f"第 {volunteer_id} 号志愿者登记", "特长：急救", "星期一上午",
                  "答复：来不了"):  # fmt: skip
        assert words in chinese, words
    with app.app_context():
        assert not [h for h in detail_hints(chinese_html, "zh") if RAW_CODE.search(h)]
