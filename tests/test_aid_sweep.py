"""Mutual aid's sweep under a controlled clock (time-machine): `flask --app portal aid-sweep` sends the "still
needed?" reminder 2 days before a post's 14 days are up (a text to a resident with a mobile, a line on the
grid worker's calls list for one without), once however often it runs, and closes the post after 14 days.
"Still needed: keep it open" gives two more weeks."""

from portal.extensions import db
from portal.models import AidCall, AidPost, OutboxMessage, Resident
from portal.services.aid import post_aid, renew_own_post
from portal.services.clock import now_utc

from tests.support.health import make_residents

ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}
DAY = 24 * 3600


def new_posts() -> tuple[int, int]:
    """A need of a resident with a mobile and an offer of one without, posted now."""
    with_phone = make_residents(1, start=900)[0]
    without = make_residents(1, phone=False, start=901)[0]
    need = post_aid(db.session, resident=with_phone, kind="need", category="errand", text="帮忙买菜",
                    whole_community=False, origin=ORIGIN, now=now_utc())  # fmt: skip
    offer = post_aid(db.session, resident=without, kind="offer", category="item", text="借助行器",
                     whole_community=False, origin=ORIGIN, now=now_utc())  # fmt: skip
    return need.id, offer.id


def sweep(runner) -> str:
    result = runner.invoke(args=["aid-sweep"])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminder_two_days_before_then_expiry_after_fourteen_days(app, runner, clock):
    with app.app_context():
        # The demo's open posts are older: closed here, so the counts below are this test's posts alone.
        db.session.execute(db.update(AidPost).where(AidPost.state == "open").values(state="closed"))
        db.session.commit()
        need_id, offer_id = new_posts()
    clock.shift(11 * DAY)
    assert "0 reminders sent, 0 posts closed" in sweep(runner)
    clock.shift(1 * DAY + 60)  # 12 days and a minute: 2 days before the end
    assert "2 reminders sent, 0 posts closed" in sweep(runner)
    assert "0 reminders sent" in sweep(runner)  # once only
    with app.app_context():
        need = db.session.get(AidPost, need_id)
        text = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "aid.still_needed")).one()
        assert text.recipient == db.session.get(Resident, need.resident_id).phone and "帮忙买菜" in text.text
        call = db.session.scalars(db.select(AidCall).where(AidCall.reason == "still_needed")).one()
        assert call.post_id == offer_id and "还需要" in call.text
        # The resident with a mobile says "still needed": two more weeks from now.
        renew_own_post(db.session, need, resident=need.resident, origin=ORIGIN, now=now_utc())
    clock.shift(2 * DAY)
    assert "0 reminders sent, 1 posts closed" in sweep(runner)
    with app.app_context():
        assert db.session.get(AidPost, offer_id).state == "expired"
        assert db.session.get(AidPost, need_id).state == "open"
    clock.shift(10 * DAY)  # 12 days after "still needed"
    assert "1 reminders sent, 0 posts closed" in sweep(runner)
    clock.shift(2 * DAY)
    assert "1 posts closed" in sweep(runner)
    with app.app_context():
        assert db.session.get(AidPost, need_id).state == "expired"
