"""Votes (网络微投票) on a grid's own page: the open polls its residents may vote in, closing soonest first,
each with its close date and a way to vote or see the results, and a link to all the grid's votes; a
closed poll, and a poll for other grids only, are not there."""

from datetime import timedelta

from portal.extensions import db
from portal.models import Grid, Poll
from portal.polls.seed import CLOSED_QUESTION, OPEN_QUESTION
from portal.services.clock import now_utc
from portal.services.dates import as_utc_naive
from portal.services.polls import create_poll

from tests.support.factories import account
from tests.support.flows import main_text


def grid_section(html: str) -> str:
    start = html.index('aria-labelledby="grid-polls-title"')
    return html[start : html.index("</section>", start)]


def add_poll(question, grids, whole=False, results_before_close=False):
    now = as_utc_naive(now_utc())
    create_poll(db.session, community_id=1, question=question, options=["好", "不好"], multiple=False,
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=3), whole_community=whole,
                grids=grids, results_before_close=results_before_close, actor=account("staff"),
                now=now - timedelta(days=1))  # fmt: skip
    db.session.commit()
    return db.session.scalars(db.select(Poll).where(Poll.question == question)).one().id


def test_the_grid_page_shows_its_open_polls_with_a_way_to_vote_in_both_languages(app, client):
    with app.app_context():
        grid_1, grid_2 = db.session.get(Grid, 1), db.session.get(Grid, 2)
        soon = add_poll("1网格的垃圾桶放哪里？", [grid_1], results_before_close=True)
        elsewhere = add_poll("2网格的自行车棚要不要扩建？", [grid_2])
        opened = db.session.scalars(db.select(Poll).where(Poll.question == OPEN_QUESTION)).one().id
    english = grid_section(client.get("/grids/1?lang=en").get_data(as_text=True))
    assert "Votes" in english and OPEN_QUESTION in english and "1网格的垃圾桶放哪里？" in english
    assert CLOSED_QUESTION not in english and "2网格的自行车棚要不要扩建？" not in english
    # Closing soonest first: the 3-day poll before the demo's 12-day one.
    assert english.index("1网格的垃圾桶放哪里？") < english.index(OPEN_QUESTION)
    assert "Closes" in english
    assert f'href="/polls/{soon}/vote"' in english and f'href="/polls/{opened}/vote"' in english
    # Results while open only where staff allowed it.
    assert f'href="/polls/{soon}#results-title"' in english and f'href="/polls/{opened}#results-title"' not in english
    assert 'href="/polls?grid=1"' in english and "All votes of this grid" in english
    chinese = main_text(grid_section(client.get("/grids/1?lang=zh").get_data(as_text=True)))
    assert "投票" in chinese and "截止" in chinese and "去投票" in chinese and "本网格的全部投票" in chinese
    other = grid_section(client.get("/grids/2?lang=en").get_data(as_text=True))
    assert "2网格的自行车棚要不要扩建？" in other and "1网格的垃圾桶放哪里？" not in other
    assert f'href="/polls/{elsewhere}/vote"' in other


def test_a_grid_with_no_open_poll_says_so(app, client):
    with app.app_context():
        db.session.execute(db.update(Poll).values(closes_at=as_utc_naive(now_utc()) - timedelta(hours=1)))
        db.session.commit()
    english = main_text(grid_section(client.get("/grids/1?lang=en").get_data(as_text=True)))
    assert "No open votes in this grid." in english and "All votes of this grid" in english
