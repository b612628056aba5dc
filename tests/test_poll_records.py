"""Votes (网络微投票) in My information: a resident sees their own ballots (the question, what they chose,
how and when they voted) and nobody else's."""

from portal.extensions import db
from portal.models import Ballot, PollOption
from portal.services.cards import card_token

from tests.support.flows import main_text


def demo_ballots(app):
    with app.app_context():
        ballots = db.session.scalars(db.select(Ballot).where(Ballot.resident_id.is_not(None)).order_by(Ballot.id)).all()
        mine, other = ballots[0], next(b for b in ballots if b.resident_id != ballots[0].resident_id)
        labels = {b.id: [db.session.get(PollOption, c.option_id).label for c in b.choices] for b in (mine, other)}
        return {
            "token": card_token(mine.resident, app.config["SECRET_KEY"]),
            "question": mine.poll.question,
            "chose": labels[mine.id],
            "other_resident": other.resident_id,
        }


def test_my_information_shows_my_ballots(app, client):
    ballot = demo_ballots(app)
    client.get("/identify")
    assert client.submit("/identify", {"token": ballot["token"]}).status_code == 303
    summary = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    assert "Your votes" in summary
    page = main_text(client.get("/my-information/records/ballots?lang=en").get_data(as_text=True))
    assert ballot["question"] in page and all(label in page for label in ballot["chose"])
    assert "How you voted" in page
    zh = main_text(client.get("/my-information/records/ballots?lang=zh").get_data(as_text=True))
    assert "我的投票" in zh and "您选的" in zh


def test_the_download_holds_my_ballots_and_no_one_elses(app, client):
    ballot = demo_ballots(app)
    client.get("/identify")
    client.submit("/identify", {"token": ballot["token"]})
    downloaded = client.get("/my-information/download.json").get_json()
    with app.app_context():
        resident = downloaded["resident"]["number"]
        mine = db.session.scalars(
            db.select(Ballot).join(Ballot.resident).where(Ballot.resident.has(number=resident))
        ).all()
        assert len(downloaded["ballots"]) == len(mine) >= 1
    assert ballot["question"] in {b["poll"] for b in downloaded["ballots"]}
    assert {b["chose"][0] for b in downloaded["ballots"]} and all(b["channel"] for b in downloaded["ballots"])
