"""The activities and notices of the small statistics community (tests/support/stats.py), every figure known.

Activities (sign-ups made on 10 November):
- 测试太极 / "Test tai chi", whole community, 20 November, closed, 10 places: came 3 (grid 1: online 2,
  kiosk 1), did not come 1 (grid 2, volunteer), cancelled 1 (grid 2, community staff);
- 测试剪纸 / "Test paper cutting", grid 2 only, 24 November, not closed yet, 2 places: signed up 2 (online, grid
  worker), waiting 1 (online);
- one on 5 December, outside this month, with one online sign-up from grid 1 (it counts in the channel
  mix, made in November, but not among the activities of November).
Notices: one to the whole community (1-30 November), one to grid 2 (10-20 November), one to grid 1 in
October (not current); opened in November by 2 residents of grid 1 (2 openings) and 2 of grid 2 (3 openings).
"""

import secrets
from datetime import date, datetime, timedelta

from portal.extensions import db
from portal.models import Account, Activity, ActivitySignup, Notice, NoticeRead

TAI_CHI, PAPER = "Nov 20 · 测试太极", "Nov 24 · 测试剪纸"


def _activity(community_id, title, starts, capacity, state="open", grids=()):
    activity = Activity(
        community_id=community_id, title=title, place="测试活动室", starts_at=starts,
        ends_at=starts + timedelta(hours=2), signup_closes_at=starts, capacity=capacity, state=state,
        whole_community=not grids, grids=list(grids),
    )  # fmt: skip
    db.session.add(activity)
    db.session.flush()
    return activity


def _signup(activity, resident, state, channel, position=None):
    db.session.add(
        ActivitySignup(
            activity_id=activity.id, resident_id=resident.id, code=secrets.token_hex(6), state=state,
            position=position, channel=channel, created_at=datetime(2026, 11, 10, 2),
        )
    )  # fmt: skip


def add_activities_and_notices(community, one, two, residents) -> None:
    """residents: 0-6 grid 1 online, 7-11 grid 1 kiosk, 12-16 grid 2 online, 17-19 grid 2 grid worker."""
    tai_chi = _activity(community.id, "测试太极", datetime(2026, 11, 20, 2), 10, state="closed")
    tai_chi.attendance = 3
    for index, state, channel in [
        (0, "attended", "online"), (1, "attended", "online"), (7, "attended", "kiosk"),
        (12, "signed_up", "volunteer"), (13, "cancelled", "staff"),
    ]:  # fmt: skip
        _signup(tai_chi, residents[index], state, channel)
    paper = _activity(community.id, "测试剪纸", datetime(2026, 11, 24, 2), 2, grids=[two])
    paper.taken = 2
    _signup(paper, residents[14], "signed_up", "online")
    _signup(paper, residents[17], "signed_up", "gridworker")
    _signup(paper, residents[15], "waiting", "online", position=1)
    later = _activity(community.id, "测试十二月", datetime(2026, 12, 5, 2), 5)
    _signup(later, residents[2], "signed_up", "online")

    author = db.session.scalars(db.select(Account).order_by(Account.id)).first()
    notices = []
    for first, last, grids in [((11, 1), (11, 30), []), ((11, 10), (11, 20), [two]), ((10, 1), (10, 10), [one])]:
        notice = Notice(
            community_id=community.id, whole_community=not grids, grids=grids, title="测试通知", body="测试",
            starts_on=date(2026, *first), ends_on=date(2026, *last), author_id=author.id,
        )  # fmt: skip
        db.session.add(notice)
        notices.append(notice)
    db.session.flush()
    for notice, index in [(0, 0), (0, 1), (0, 12), (1, 12), (1, 13), (2, 3)]:
        db.session.add(
            NoticeRead(notice_id=notices[notice].id, resident_id=residents[index].id, read_at=datetime(2026, 11, 15, 2))
        )
