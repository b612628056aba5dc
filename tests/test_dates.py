"""Dates and times are shown in the portal's time zone (Asia/Shanghai, UTC+8) in the reader's language,
whatever the server's clock zone: the database keeps naive UTC."""

from datetime import date, datetime, time

import pytest
from flask_babel import force_locale

from portal import display
from portal.extensions import db
from portal.models import Poster

# 17:30 UTC on New Year's Eve is already 01:30 on New Year's Day in Shanghai.
NEW_YEAR_UTC = datetime(2026, 12, 31, 17, 30)


@pytest.mark.parametrize(
    "locale, expected, new_years_eve",
    [
        (
            "zh_Hans_CN",
            {
                "when": "2027年1月1日 01:30",
                "full_date": "2027年1月1日星期五",
                "long_date": "2027年1月1日",
                "short_date": "1月1日",
                "weekday": "星期五",
            },
            "2026年12月31日星期四",
        ),
        (
            "en",
            {
                "when": "Jan 1, 2027 1:30\u202fAM",
                "full_date": "Friday, January 1, 2027",
                "long_date": "January 1, 2027",
                "short_date": "Jan 1",
                "weekday": "Friday",
            },
            "Thursday, December 31, 2026",
        ),
    ],
)
def test_a_timestamp_is_shown_on_its_local_day_in_each_language(app, locale, expected, new_years_eve):
    with app.test_request_context("/"), force_locale(locale):
        shown = {name: getattr(display, name)(NEW_YEAR_UTC) for name in expected}
        assert shown == expected
        assert display.clock(NEW_YEAR_UTC) == "01:30" and display.iso_date(NEW_YEAR_UTC) == "2027-01-01"
        # A local date or a schedule's local opening time is shown as it is.
        assert display.full_date(date(2026, 12, 31)) == new_years_eve
        assert display.clock(time(8, 0)) == "08:00"


def test_a_poster_prints_the_local_day_it_was_made(app, client, auth):
    with app.app_context():
        poster = db.session.scalars(db.select(Poster).filter_by(kind="grid", grid_id=1)).first()
        poster.created_at = NEW_YEAR_UTC
        db.session.commit()
        code = poster.code
    auth.login("staff")
    html = client.get(f"/posters/{code}").get_data(as_text=True)
    assert "2027-01-01" in html and "2026-12-31" not in html


def test_each_day_in_words_is_the_same_as_babel_writes_it_in_both_languages_all_year():
    # The words of a day are worked out once per process (dates.day_words): every day of a leap year and of
    # the year after, in each form and language, must read as Babel writes it, however often it is asked.
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from babel.dates import format_date, format_skeleton

    from portal.services import dates

    tz = ZoneInfo("Asia/Shanghai")
    for locale in ("zh_Hans_CN", "en", "zh_Hans_CN"):
        for offset in range(0, 731, 3):
            day = date(2028, 1, 1) + timedelta(days=offset)
            for _ in range(2):
                assert dates.full_date(day, locale, tz) == format_date(day, "full", locale=locale)
                assert dates.long_date(day, locale, tz) == format_date(day, "long", locale=locale)
                assert dates.weekday_name(day, locale, tz) == format_date(day, "EEEE", locale=locale)
                assert dates.short_date(day, locale, tz) == format_skeleton("MMMd", day, locale=locale)
    # A stored timestamp late on New Year's Eve (UTC) is New Year's Day there, in words too.
    assert dates.short_date(NEW_YEAR_UTC, "en", tz) == "Jan 1"
    assert dates.date_and_time(NEW_YEAR_UTC, "en", tz) == "Jan 1, 2027 1:30\u202fAM"
