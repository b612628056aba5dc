"""Votes (网络微投票): the rules in services/polls.py (one ballot per resident, a web ballot changed in place,
a helper's and a paper ballot final, who may vote, when), and the pages over HTTP in both languages:
voting with JavaScript off (plain forms and redirects), a helper's vote in words in the audit log, staff
creating a poll with plain-language errors, a batch of paper ballots checked against the register and
every other channel, the results chart agreeing with its table, and the A4 print."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Ballot, BallotChoice, PaperBatch, Poll, Resident
from portal.polls.seed import CLOSED_QUESTION, OPEN_QUESTION, PAPER_PLACE
from portal.services.cards import card_token
from portal.services.clock import now_utc
from portal.services.polls import PollRefused, cast_ballot, count_results

from tests.support.factories import account
from tests.support.flows import main_text, start_assisting
from tests.support.signin import sign_in

WEB = {"channel": "online", "entered_by_id": None, "kiosk_id": None}
SVG = "{http://www.w3.org/2000/svg}"


def demo_poll(question) -> Poll:
    return db.session.scalars(db.select(Poll).where(Poll.question == question)).one()


@pytest.fixture
def polls(app):
    """The demo's open and closed polls, and residents of grid 1 who have not voted in the open one."""
    with app.app_context():
        opened, closed = demo_poll(OPEN_QUESTION), demo_poll(CLOSED_QUESTION)
        voted = set(db.session.scalars(db.select(Ballot.resident_id).where(Ballot.poll_id == opened.id)))
        free = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == 1, Resident.id.not_in(voted)).order_by(Resident.id)
        ).all()
        other_grid = db.session.scalars(
            db.select(Resident).where(Resident.grid_id != 1, Resident.community_id == 1).order_by(Resident.id)
        ).first()
        return {
            "open": opened.id,
            "closed": closed.id,
            "options": [o.id for o in opened.options],
            "free": [(r.id, r.number, r.name, card_token(r, app.config["SECRET_KEY"])) for r in free],
            "other": other_grid.number,
        }


def identify(client, token):
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


def ballots_of(resident_id, poll_id):
    db.session.expire_all()
    return db.session.scalars(
        db.select(Ballot).where(Ballot.resident_id == resident_id, Ballot.poll_id == poll_id)
    ).all()


# -- services -----------------------------------------------------------------------------------
def test_a_web_ballot_changes_in_place_and_a_helpers_ballot_is_final(app, polls):
    first, second = polls["options"][:2]
    with app.app_context():
        resident = db.session.get(Resident, polls["free"][0][0])
        assert cast_ballot(db.session, poll_id=polls["open"], resident=resident, option_ids=[first], origin=WEB,
                           now=now_utc()) == "recorded"  # fmt: skip
        assert cast_ballot(db.session, poll_id=polls["open"], resident=resident, option_ids=[second], origin=WEB,
                           now=now_utc()) == "changed"  # fmt: skip
        [ballot] = ballots_of(resident.id, polls["open"])
        assert [c.option_id for c in ballot.choices] == [second] and ballot.changed_at is not None
        helper = {"channel": "volunteer", "entered_by_id": account("volunteer").id, "kiosk_id": None}
        with pytest.raises(PollRefused) as refused:
            cast_ballot(db.session, poll_id=polls["open"], resident=resident, option_ids=[first], origin=helper,
                        now=now_utc())  # fmt: skip
        assert refused.value.reason == "already_voted"
        # A helper's ballot for someone else is final: that resident cannot change it online.
        other = db.session.get(Resident, polls["free"][1][0])
        cast_ballot(db.session, poll_id=polls["open"], resident=other, option_ids=[first], origin=helper, now=now_utc())
        with pytest.raises(PollRefused) as final:
            cast_ballot(db.session, poll_id=polls["open"], resident=other, option_ids=[second], origin=WEB,
                        now=now_utc())  # fmt: skip
        assert final.value.reason == "already_voted"
        assert [c.option_id for c in ballots_of(other.id, polls["open"])[0].choices] == [first]


def test_choices_timing_and_scope_are_checked(app, polls):
    with app.app_context():
        resident = db.session.get(Resident, polls["free"][0][0])
        for wrong in ([], polls["options"][:2], [999999]):
            with pytest.raises(PollRefused) as refused:
                cast_ballot(db.session, poll_id=polls["open"], resident=resident, option_ids=wrong, origin=WEB,
                            now=now_utc())  # fmt: skip
            assert refused.value.reason == "bad_choice"
        closed = demo_poll(CLOSED_QUESTION)
        with pytest.raises(PollRefused) as late:
            cast_ballot(db.session, poll_id=closed.id, resident=resident, option_ids=[closed.options[0].id],
                        origin=WEB, now=now_utc())  # fmt: skip
        assert late.value.reason == "not_open"
        outsider = db.session.scalars(db.select(Resident).where(Resident.number == polls["other"])).one()
        with pytest.raises(PollRefused) as elsewhere:
            cast_ballot(db.session, poll_id=closed.id, resident=outsider, option_ids=[closed.options[0].id],
                        origin=WEB, now=closed.opens_at + timedelta(hours=1))  # fmt: skip
        assert elsewhere.value.reason == "not_for_you"
        assert ballots_of(resident.id, polls["open"]) == []


# -- pages --------------------------------------------------------------------------------------
def test_a_resident_votes_and_changes_the_vote_with_plain_forms(app, client, polls):
    rid, _number, _name, token = polls["free"][0]
    identify(client, token)
    listing = main_text(client.get("/polls?lang=en").get_data(as_text=True))
    assert OPEN_QUESTION in listing and CLOSED_QUESTION in listing  # grid 1's closed poll too
    page = main_text(client.get(f"/polls/{polls['open']}?lang=en").get_data(as_text=True))
    assert "The results are shown when the poll closes" in page and "Votes for each answer" not in page
    form = client.get(f"/polls/{polls['open']}/vote?lang=en").get_data(as_text=True)
    assert 'type="radio"' in form and "每月15号" in form
    empty = client.submit(f"/polls/{polls['open']}/vote?lang=en", {})
    assert empty.status_code == 200 and "Choose an answer" in empty.get_data(as_text=True)
    junk = client.submit(f"/polls/{polls['open']}/vote?lang=en", {"answer": "abc"})
    assert junk.status_code == 200
    done = client.submit(f"/polls/{polls['open']}/vote", {"answer": str(polls["options"][0])})
    assert done.status_code == 303
    shown = main_text(client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True))
    assert "Your vote is counted" in shown and "You can change your vote" in shown
    changed = client.submit(f"/polls/{polls['open']}/vote", {"answer": str(polls["options"][2])})
    assert "done=changed" in changed.headers["Location"]
    with app.app_context():
        [ballot] = ballots_of(rid, polls["open"])
        assert [c.option_id for c in ballot.choices] == [polls["options"][2]] and ballot.channel == "online"
    assert "您的投票已修改" in main_text(client.get(changed.headers["Location"] + "&lang=zh").get_data(as_text=True))


def test_a_helper_votes_for_a_resident_and_the_audit_log_says_so_in_words(app, client, auth, polls):
    rid, number, _name, _token = polls["free"][1]
    sign_in(auth, "volunteer")
    assert "/assist" in client.get(f"/polls/{polls['open']}/vote").headers["Location"]
    assert start_assisting(client, number, reason="她看不清屏幕").status_code == 303
    form = main_text(client.get(f"/polls/{polls['open']}/vote?lang=en").get_data(as_text=True))
    assert "A vote made with a helper is final" in form
    assert client.submit(f"/polls/{polls['open']}/vote", {"answer": str(polls["options"][1])}).status_code == 303
    again = main_text(client.get(f"/polls/{polls['open']}/vote?lang=en").get_data(as_text=True))
    assert "already voted" in again
    with app.app_context():
        [ballot] = ballots_of(rid, polls["open"])
        assert ballot.channel == "volunteer" and ballot.entered_by_id == account("volunteer").id
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "poll.vote", AuditEvent.resident_id == rid)
        ).one()
        assert event.reason == "她看不清屏幕" and event.channel == "volunteer"
    auth.logout()
    sign_in(auth, "staff")
    audit = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "Voted in a poll" in audit and "她看不清屏幕" in audit
    assert "在投票中投了票" in main_text(client.get("/audit?lang=zh").get_data(as_text=True))


def test_staff_create_a_poll_and_bad_input_is_explained_and_kept(app, client, auth):
    sign_in(auth, "staff")
    bad = client.submit("/polls/manage/new?lang=en", {"question": "", "option1": "只有一个", "kind": "many",
                                                      "opens_day": "2020-01-01", "who": "grids"})  # fmt: skip
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200
    for message in ("Enter the question", "Enter at least two answers", "Choose whether residents pick",
                    "Enter the opening day", "Choose at least one grid"):  # fmt: skip
        assert message in text, message
    assert 'value="只有一个"' in text
    today = (now_utc() + timedelta(hours=8)).date()
    data = {"question": "周末的广场舞几点开始？", "option1": "早上七点", "option2": "早上八点", "option3": "晚上七点",
            "kind": "multiple", "opens_day": today.isoformat(), "opens": "00:00",
            "closes_day": (today + timedelta(days=5)).isoformat(), "closes": "20:00", "who": "grids",
            "grids": "1", "early": "1"}  # fmt: skip
    backwards = client.submit("/polls/manage/new?lang=en", data | {"closes_day": today.isoformat(), "closes": "00:00"})
    assert "must close after it opens" in backwards.get_data(as_text=True)
    made = client.submit("/polls/manage/new", data)
    assert made.status_code == 303
    with app.app_context():
        poll = demo_poll("周末的广场舞几点开始？")
        assert [o.label for o in poll.options] == ["早上七点", "早上八点", "晚上七点"]
        assert poll.multiple and poll.results_before_close and [g.id for g in poll.grids] == [1]
    assert "周末的广场舞几点开始？" in client.get(made.headers["Location"]).get_data(as_text=True)


def test_paper_ballots_are_checked_against_the_register_and_other_channels(app, client, auth, polls):
    sign_in(auth, "staff")
    with app.app_context():
        web_voter = db.session.scalars(
            db.select(Resident).join(Ballot, Ballot.resident_id == Resident.id).where(Ballot.poll_id == polls["open"])
        ).first()
        fresh = [n for _r, n, _m, _t in polls["free"][:2]]
    url = f"/polls/manage/{polls['open']}/paper"
    mismatch = client.submit(url + "?lang=en", {"place": PAPER_PLACE, "declared": "5",
                                                "ballots": f"{fresh[0]} 1\n{fresh[1]}: 2"})  # fmt: skip
    assert mismatch.status_code == 200 and "You counted 5 ballots but entered 2" in mismatch.get_data(as_text=True)
    malformed = client.submit(url + "?lang=en", {"place": PAPER_PLACE, "declared": "1", "ballots": "hello 9"})
    assert "Lines 1 are not" in malformed.get_data(as_text=True)
    batch = "\n".join([f"{fresh[0][:4]} {fresh[0][4:]}: 1", f"{fresh[1]} 3", f"{web_voter.number} 2",
                       f"{fresh[0]} 2", "99999999 1"])  # fmt: skip
    entered = client.submit(url + "?lang=en", {"place": PAPER_PLACE, "declared": "5", "ballots": batch})
    text = main_text(entered.get_data(as_text=True))
    assert entered.status_code == 200 and "2 ballots of this batch are counted" in text
    assert "3 were not counted" in text and "No resident with this number" in text
    with app.app_context():
        assert len(ballots_of(web_voter.id, polls["open"])) == 1
        assert ballots_of(web_voter.id, polls["open"])[0].channel != "paper"
        stored = db.session.scalars(db.select(PaperBatch).where(PaperBatch.poll_id == polls["open"])).one()
        assert (stored.declared, stored.counted, stored.refused) == (5, 2, 3)
    staff_page = main_text(client.get(f"/polls/manage/{polls['open']}?lang=en").get_data(as_text=True))
    assert PAPER_PLACE in staff_page and "Subtotal of each polling place" in staff_page


def chart_and_table(html: str, key: str) -> tuple[dict, dict]:
    """{label: count} from the SVG chart of table `key`, and from the table's count column."""
    figure = re.search(rf'<div class="stats-figure poll-figure" id="figure-{key}">(.*?)</table>', html, re.S).group(1)
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.S).group(0))
    chart = {
        g.get("data-label"): int(g.find(f"{SVG}text[@class='chart-value']").text)
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "chart-row"
    }
    table = {
        label: int(count)
        for label, count in re.findall(
            r'<tr data-row="[^"]+"[^>]*>\s*<th scope="row">([^<]+)</th><td data-column="count">(\d+)</td>', figure
        )
    }
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text  # the text alternative
    return chart, table


def test_the_results_chart_agrees_with_its_table_and_the_counts(app, client, polls):
    html = client.get(f"/polls/{polls['closed']}?lang=en").get_data(as_text=True)
    assert "Votes for each answer" in html and "Turnout by channel" in html
    with app.app_context():
        poll = db.session.get(Poll, polls["closed"])
        results = count_results(db.session, poll)
        expected = {o.label: results.counts.get(o.id, 0) for o in poll.options}
        choices = db.session.scalar(
            db.select(db.func.count()).select_from(BallotChoice).join(Ballot).where(Ballot.poll_id == poll.id)
        )
        assert sum(expected.values()) == choices and results.by_group["paper"] >= 1
    chart, table = chart_and_table(html, f"poll-{polls['closed']}-options")
    assert chart == table == expected
    chart, table = chart_and_table(html, f"poll-{polls['closed']}-turnout")
    assert chart == {k: v for k, v in table.items() if k != "All ballots"}
    assert table["All ballots"] == results.ballots == sum(chart.values())
    assert table["Paper ballot"] == results.by_group["paper"]


def test_results_wait_for_the_close_unless_staff_allowed_them(app, client, auth, polls):
    assert client.get(f"/polls/{polls['open']}/print").status_code == 404
    assert client.get(f"/polls/{polls['closed']}/print").status_code == 200
    sign_in(auth, "staff")
    assert client.get(f"/polls/{polls['open']}/print").status_code == 200
    assert "Votes for each answer" in client.get(f"/polls/{polls['open']}?lang=en").get_data(as_text=True)


def test_no_input_gives_an_error_page(client, auth, polls):
    sign_in(auth, "staff")
    for url, data in [
        ("/polls/manage/new", {"question": "x" * 500, "option1": "\x00", "opens_day": "9999-99-99", "who": "z"}),
        ("/polls/manage/new", {"grids": ["abc", "-1"], "kind": "single", "opens": "25:99"}),
        (f"/polls/manage/{polls['open']}/paper", {"declared": "-3", "ballots": "１２３４５６７８：１\n" * 3}),
        (f"/polls/manage/{polls['open']}/paper", {"place": "x" * 200, "declared": "99999999999999999999"}),
    ]:
        assert client.submit(url, data).status_code == 200, url
    assert client.get("/polls?grid=abc&community=-5&page=x").status_code == 200
    assert client.get("/polls/999999").status_code == 404


def test_the_tables_come_from_migration_0023(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "poll" in repr(d) or "ballot" in repr(d) or "paper" in repr(d)] == []


def test_the_neighbours_hub_leads_to_the_votes(client):
    hub = client.get("/neighbours?lang=en").get_data(as_text=True)
    assert "Votes" in hub and 'href="/polls"' in hub
