"""Votes (网络微投票) and the volunteer register (活地图) in the statistics: per poll its ballots by channel
(online, kiosk, helper, paper) and its turnout, the same as the poll's own results; per grid the volunteers
and their skills, and the call-outs with the answers they got; the same tables in the monthly report; and
on the public page small counts are "fewer than 5"."""

from portal.extensions import db
from portal.models import CallOutReply, Poll, Volunteer
from portal.polls.seed import CLOSED_QUESTION, OPEN_QUESTION
from portal.services.polls import count_results
from portal.services.volunteers import SKILLS, skills_of

from tests.support.signin import sign_in
from tests.support.stats import cell, read_charts, read_tables

STAFF_PAGE = "/communities/1/stats?period=this_year&lang=en"
PUBLIC_PAGE = "/stats/communities/1?period=this_year&lang=en"


def poll_figures(question):
    poll = db.session.scalars(db.select(Poll).where(Poll.question == question)).one()
    results = count_results(db.session, poll)
    return {**{k: str(v) for k, v in results.by_group.items()}, "total": str(results.ballots),
            "eligible": str(results.eligible)}  # fmt: skip


def test_each_poll_has_its_ballots_by_channel_and_turnout_as_on_its_results(app, client, auth):
    with app.app_context():
        expected = {q: poll_figures(q) for q in (OPEN_QUESTION, CLOSED_QUESTION)}
    sign_in(auth, "staff")
    html = client.get(STAFF_PAGE).get_data(as_text=True)
    tables = read_tables(html)
    assert tables["votes"]["parts"] == ["web", "kiosk", "helper", "paper"]
    for question, figures in expected.items():
        for column, value in figures.items():
            assert cell(tables, "votes", question, column) == value, (question, column)
        share = round(100 * int(figures["total"]) / int(figures["eligible"]))
        assert cell(tables, "votes", question, "turnout") == f"{share}%"
    assert expected[CLOSED_QUESTION]["paper"] != "0" and expected[OPEN_QUESTION]["helper"] != "0"
    assert "Ballots and turnout in each vote" in html and "With a helper" in html
    # The chart draws the same polls as the table.
    drawn = "".join(read_charts(html)["votes"].itertext())
    assert OPEN_QUESTION in drawn and CLOSED_QUESTION in drawn
    # A grid's page: only the polls its residents could vote in, counting its own residents.
    grid_2 = read_tables(client.get("/grids/2/stats?period=this_year&lang=en").get_data(as_text=True))
    assert [r["label"] for r in grid_2["votes"]["rows"]] == [OPEN_QUESTION]
    chinese = client.get(STAFF_PAGE.replace("lang=en", "lang=zh")).get_data(as_text=True)
    assert "各次投票的票数和参与率" in chinese and "帮办人员帮忙" in chinese


def test_volunteers_by_skill_and_callout_answers_per_grid(app, client, auth):
    with app.app_context():
        volunteers = db.session.scalars(db.select(Volunteer).where(Volunteer.community_id == 1)).all()
        of_grid_1 = [v for v in volunteers if v.grid_id == 1]
        skills = {code: sum(code in skills_of(v.skills) for v in of_grid_1) for code in SKILLS}
        replies = db.session.scalars(db.select(CallOutReply)).all()
        answers = {a: sum(r.answer == a for r in replies) for a in ("yes", "no", None)}
        grid_1_name = of_grid_1[0].grid.name_en or of_grid_1[0].grid.name
    assert answers["yes"] and answers["no"] and answers[None]
    sign_in(auth, "staff")
    tables = read_tables(client.get(STAFF_PAGE).get_data(as_text=True))
    assert cell(tables, "volunteers", grid_1_name, "volunteers") == str(len(of_grid_1))
    assert cell(tables, "volunteers", "All grids", "volunteers") == str(len(volunteers))
    for code, number in skills.items():
        assert cell(tables, "volunteers", grid_1_name, code) == str(number), code
    assert tables["volunteers"]["labels"]["first_aid"] == "First aid"
    row = {k: cell(tables, "volunteer_callouts", grid_1_name, k) for k in ("callouts", "yes", "no", "none", "total")}
    assert row == {"callouts": "1", "yes": str(answers["yes"]), "no": str(answers["no"]),
                   "none": str(answers[None]), "total": str(len(replies))}  # fmt: skip
    report = client.get("/communities/1/stats/report?lang=en").get_data(as_text=True)
    assert "Call-outs and how volunteers answered" in report and "Volunteers and their skills" in report
    assert "Ballots and turnout in each vote" in report


def test_the_public_page_shows_small_counts_as_fewer_than_five(client):
    tables = read_tables(client.get(PUBLIC_PAGE).get_data(as_text=True))
    callouts = [r for r in tables["volunteer_callouts"]["rows"] if r["cells"]["total"]["text"] != "0"]
    assert callouts and all(r["cells"]["yes"]["text"] == "fewer than 5" for r in callouts)
    grid_rows = [r for r in tables["volunteers"]["rows"] if not r["total"]]
    assert any(r["cells"]["volunteers"]["text"] == "fewer than 5" for r in grid_rows)
    helper = [r["cells"]["helper"]["text"] for r in tables["votes"]["rows"]]
    assert "fewer than 5" in helper or "not shown" in helper
