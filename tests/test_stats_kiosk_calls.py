"""Calls for a staff member from kiosks in the statistics (issue 13): per kiosk, answered within the five
minutes, later, or not at all; and per hour of the day, in the portal's time zone."""

from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import Kiosk, StaffCall
from portal.services.staff_calls import hour_of

from tests.support.kiosk import DEMO_KIOSK
from tests.support.signin import Auth, sign_in
from tests.support.stats import cell, read_tables

# 24 November 2026 (the test session's month), UTC: 02:xx is 10:xx in Shanghai, 06:xx is 14:xx.
DAY = datetime(2026, 11, 24)


def add_call(kiosk, raised, answered_after=None):
    db.session.add(
        StaffCall(
            kiosk_id=kiosk.id,
            community_id=kiosk.community_id,
            raised_at=raised,
            hour=hour_of(raised),
            state="waiting" if answered_after is None else "done",
            answered_at=None if answered_after is None else raised + answered_after,
            done_at=None if answered_after is None else raised + answered_after,
        )
    )


def test_calls_are_counted_per_kiosk_and_per_hour(app):
    with app.app_context():
        kiosk = db.session.scalars(db.select(Kiosk).filter_by(name=DEMO_KIOSK)).one()
        for minute in (5, 20, 40):
            add_call(kiosk, DAY.replace(hour=2, minute=minute), timedelta(minutes=2))
        add_call(kiosk, DAY.replace(hour=2, minute=50), timedelta(minutes=11))
        add_call(kiosk, DAY.replace(hour=6, minute=10))
        add_call(kiosk, DAY.replace(month=10, hour=6), timedelta(minutes=1))  # October: another period
        db.session.commit()
        community_id, name = kiosk.community_id, kiosk.name_en or kiosk.name
    client = app.test_client()
    sign_in(Auth(client), "staff")
    html = client.get(f"/communities/{community_id}/stats?period=this_month&lang=en").get_data(as_text=True)
    tables = read_tables(html)
    assert [cell(tables, "kiosk_calls", name, k) for k in ("in_time", "late", "unanswered", "total")] == [
        "3",
        "1",
        "1",
        "5",
    ]
    assert cell(tables, "kiosk_calls_hours", "10:00–11:00", "calls") == "4"
    assert cell(tables, "kiosk_calls_hours", "14:00–15:00", "calls") == "1"
    assert cell(tables, "kiosk_calls_hours", "All hours", "calls") == "5"
    # A grid has no kiosks of its own: its page has no such figures.
    grid_html = client.get("/grids/1/stats?period=this_month&lang=en").get_data(as_text=True)
    assert "kiosk_calls" not in str(read_tables(grid_html).keys())
