"""Every route of the app, tried with every kind of visitor.

The table below names each rule of the URL map, a real address for it (demo ids of 南湖社区, the
community of the demo accounts) and what each kind of visitor gets. A route that is not in the table
fails the test, so a new route has to say who may reach it. GET rows are tried for every visitor;
POST rows only where the visitor must be refused (a refusal changes nothing), "-" is not tried.
The rows run in order with one browser per visitor, so a flow started on one row goes on in the next.

L: the sign-in page (and back). R: a redirect somewhere else than sign-in. 403: this kind of account
cannot do it at all. 404: not found (or not in this visitor's scope, so the page does not say it exists).
"""

import pytest

from portal.extensions import db
from portal.models import (
    Activity,
    Booking,
    DataRequest,
    Kiosk,
    Notice,
    Poll,
    Resident,
    Service,
    Slot,
    Station,
    Topic,
    utcnow,
)
from portal.services.cards import card_token
from portal.services.posters import active_grid_poster

from tests.support.flows import HTMX
from tests.support.kiosk import activate, new_code

ROLES = ("anonymous", "admin", "staff", "gridworker", "volunteer", "nurse", "kiosk", "resident")
L, R, S = "L", "R", "-"
# rule, method, address, then one expectation per visitor in ROLES order.
# {station} and {service} are 南湖's health station and blood pressure check, {booking} an upcoming
# booking of {booker} (the identified resident), {number} a resident of 南湖 grid 1 (the demo grid
# worker's), {kiosk} the demo kiosk, {poster} grid 1's poster, {ticket} a request in grid 1, {notice} a
# notice for grid 1 only.
# A table, one row per route and one column per visitor: the formatter leaves it as written.
# fmt: off
MATRIX = [
    # rule                                              method  address
    ("/", "GET", "/", 200, 200, 200, 200, 200, 200, R, 200),
    ("/healthz", "GET", "/healthz", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/privacy", "GET", "/privacy", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/preferences", "GET", "/preferences?textsize=2&next=/privacy", R, R, R, R, R, R, R, R),
    ("/preferences", "POST", "/preferences", S, S, S, S, S, S, S, S),
    # Read aloud: the page given by ?path=, as this visitor may see it.
    ("/speech", "GET", "/speech?path=/privacy", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/me", "GET", "/me", L, 200, 200, 200, 200, 200, L, L),
    ("/communities/<int:community_id>", "GET", "/communities/1", L, 200, 200, 403, 403, 403, L, L),
    # A grid's own page and its notices are public; the residents list and the work phone form are not.
    ("/grids/<int:grid_id>", "GET", "/grids/1", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/grids/<int:grid_id>/residents", "GET", "/grids/1/residents", L, 200, 200, 200, 403, 403, L, L),
    ("/grids/<int:grid_id>/work-phone", "GET", "/grids/1/work-phone", L, 200, 200, 403, 403, 403, L, L),
    ("/grids/<int:grid_id>/notices", "GET", "/grids/1/notices", 200, 200, 200, 200, 200, 200, 200, 200),
    # My grid: the identified resident's own grid page; anyone else is asked who they are first.
    ("/my/grid", "GET", "/my/grid", R, R, R, R, R, R, R, R),
    ("/notices", "GET", "/notices", 200, 200, 200, 200, 200, 200, 200, R),
    # The neighbours' hub: for everyone; each part behind it says who may do what.
    ("/neighbours", "GET", "/neighbours", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/notices/<int:notice_id>", "GET", "/notices/{notice}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/notices/<int:notice_id>/print", "GET", "/notices/{notice}/print", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/notices/new", "GET", "/notices/new?grid=1", L, 200, 200, 200, 403, 403, L, L),
    ("/notices/<int:notice_id>/edit", "GET", "/notices/{notice}/edit", L, 200, 200, 200, 403, 403, L, L),
    ("/notices/<int:notice_id>/withdraw", "GET", "/notices/{notice}/withdraw", L, 200, 200, 200, 403, 403, L, L),
    ("/communities/<int:community_id>/stats", "GET", "/communities/1/stats", L, 200, 200, 403, 403, 403, L, L),
    ("/communities/<int:community_id>/stats/<key>.csv", "GET", "/communities/1/stats/residents.csv",
     L, 200, 200, 403, 403, 403, L, L),
    ("/communities/<int:community_id>/stats/report", "GET", "/communities/1/stats/report",
     L, 200, 200, 403, 403, 403, L, L),
    ("/grids/<int:grid_id>/stats", "GET", "/grids/1/stats", L, 200, 200, 200, 403, 403, L, L),
    ("/grids/<int:grid_id>/stats/<key>.csv", "GET", "/grids/1/stats/channels_requests.csv",
     L, 200, 200, 200, 403, 403, L, L),
    # The public, de-identified figures: anyone, at a kiosk too.
    ("/stats", "GET", "/stats", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/stats/communities/<int:community_id>", "GET", "/stats/communities/1", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/stats/grids/<int:grid_id>", "GET", "/stats/grids/1", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/login", "GET", "/login", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/identify", "GET", "/identify", 200, 200, 200, 200, 200, 200, R, 200),
    # No code was asked for: back to /identify.
    ("/identify/code", "GET", "/identify/code", R, R, R, R, R, R, R, R),
    ("/identify/community", "GET", "/identify/community", R, R, R, R, R, R, R, R),
    ("/kiosk", "GET", "/kiosk", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/kiosk/activate", "GET", "/kiosk/activate", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/kiosk/join", "GET", "/kiosk/join", R, R, R, R, R, R, 200, R),
    ("/kiosk/me", "GET", "/kiosk/me", R, R, R, R, R, R, R, R),
    ("/kiosk/identify", "GET", "/kiosk/identify", R, R, R, R, R, R, 200, R),
    ("/kiosk/identify/phone", "GET", "/kiosk/identify/phone", R, R, R, R, R, R, 200, R),
    ("/kiosk/identify/year", "GET", "/kiosk/identify/year", R, R, R, R, R, R, R, R),
    ("/kiosk/still-here", "POST", "/kiosk/still-here", S, S, S, S, S, S, S, S),
    ("/kiosk/call", "GET", "/kiosk/call", R, R, R, R, R, R, 200, R),
    ("/kiosk/call/share", "POST", "/kiosk/call/share", S, S, S, S, S, S, S, S),
    ("/admin/kiosks", "GET", "/admin/kiosks", L, 200, 200, 403, 403, 403, L, L),
    ("/admin/outbox", "GET", "/admin/outbox", L, 200, 200, 403, 403, 403, L, L),  # development only
    ("/admin/kiosks/new", "GET", "/admin/kiosks/new", L, 200, 200, 403, 403, 403, L, L),
    ("/admin/kiosks/<int:kiosk_id>", "GET", "/admin/kiosks/{kiosk}", L, 200, 200, 403, 403, 403, L, L),
    ("/admin/kiosks/<int:kiosk_id>/code", "POST", "/admin/kiosks/{kiosk}/code", L, S, S, 403, 403, 403, L, L),
    ("/admin/kiosks/<int:kiosk_id>/switch", "POST", "/admin/kiosks/{kiosk}/switch", L, S, S, 403, 403, 403, L, L),
    ("/admin/kiosks/<int:kiosk_id>/paper", "POST", "/admin/kiosks/{kiosk}/paper", L, S, S, 403, 403, 403, L, L),
    ("/admin/kiosks/calls", "GET", "/admin/kiosks/calls", L, 200, 200, 403, 403, 403, L, L),
    ("/admin/kiosks/calls/<int:call_id>/<any('coming', 'done'):step>", "POST", "/admin/kiosks/calls/999999/done",
     L, 404, 404, 403, 403, 403, L, L),
    ("/j", "GET", "/j", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/j/<code>", "GET", "/j/{poster}", R, R, R, R, R, R, R, R),
    ("/posters", "GET", "/posters", L, 200, R, 403, 403, 403, L, L),
    ("/communities/<int:community_id>/posters", "GET", "/communities/1/posters", L, 200, 200, 403, 403, 403, L, L),
    ("/communities/<int:community_id>/posters/print", "GET", "/communities/1/posters/print",
     L, 200, 200, 403, 403, 403, L, L),
    ("/posters/<code>", "GET", "/posters/{poster}", L, 200, 200, 403, 403, 403, L, L),
    ("/posters/<code>/replace", "GET", "/posters/{poster}/replace", L, 200, 200, 403, 403, 403, L, L),
    ("/join/<code>", "GET", "/join/{poster}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/signup/<step>", "GET", "/signup/name", R, R, R, R, R, R, R, R),
    ("/signup/check-answers", "GET", "/signup/check-answers", R, R, R, R, R, R, R, R),
    ("/signup/phone-code", "GET", "/signup/phone-code", R, R, R, R, R, R, R, R),
    ("/signup/done", "GET", "/signup/done", R, R, R, R, R, R, R, R),
    ("/signup/already-registered", "GET", "/signup/already-registered", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/residents/register", "GET", "/residents/register", L, 403, 403, 200, 200, 403, L, L),
    ("/residents/register/<step>", "GET", "/residents/register/name", L, 403, 403, R, R, 403, L, L),
    ("/residents/register/check-answers", "GET", "/residents/register/check-answers",
     L, 403, 403, R, R, 403, L, L),
    ("/residents/register/done", "GET", "/residents/register/done", L, 403, 403, R, R, 403, L, L),
    ("/residents/register/already-registered", "GET", "/residents/register/already-registered",
     L, 403, 403, 200, 200, 403, L, L),
    ("/cards/<number>", "GET", "/cards/{number}", 403, 200, 200, 200, 403, 403, 403, 403),
    ("/cards/<number>/reissue", "GET", "/cards/{number}/reissue", L, 200, 200, 200, 403, 403, L, L),
    ("/assist", "GET", "/assist", L, 403, 403, 200, 200, 403, L, L),
    ("/assist/card", "POST", "/assist/card", L, 403, 403, S, S, 403, L, L),
    ("/assist/residents/<number>", "GET", "/assist/residents/{number}", L, 403, 403, 200, 200, 403, L, L),
    ("/assist/now", "GET", "/assist/now", L, 403, 403, R, R, 403, L, L),
    ("/assist/extend", "POST", "/assist/extend", L, 403, 403, S, S, 403, L, L),
    ("/audit", "GET", "/audit", L, 200, 200, 403, 403, 403, L, L),
    ("/audit.csv", "GET", "/audit.csv", L, 200, 200, 403, 403, 403, L, L),
    ("/health/", "GET", "/health/", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/health/stations/<int:station_id>", "GET", "/health/stations/{station}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/health/book/<step>", "GET", "/health/book/day", R, R, R, R, R, R, R, R),
    ("/health/book/confirm", "GET", "/health/book/confirm", R, R, R, R, R, R, R, R),
    ("/health/bookings/<reference>", "GET", "/health/bookings/{booking}", R, 200, 200, 200, 200, 200, R, 200),
    ("/health/my", "GET", "/health/my", R, R, R, R, R, R, R, 200),
    # My information: the identified resident's own data (helpers reach it through an assisted session).
    ("/my-information", "GET", "/my-information", R, R, R, R, R, R, R, 200),
    ("/my-information/phone", "POST", "/my-information/phone", S, S, S, S, S, S, S, S),
    ("/my-information/records/<key>", "GET", "/my-information/records/bookings", R, R, R, R, R, R, R, 200),
    ("/my-information/print", "GET", "/my-information/print", R, R, R, R, R, R, R, 200),
    ("/my-information/download.json", "GET", "/my-information/download.json", R, R, R, R, R, R, R, 200),
    ("/my-information/correct", "GET", "/my-information/correct", R, R, R, R, R, R, R, 200),
    ("/my-information/remove", "GET", "/my-information/remove", R, R, R, R, R, R, R, 200),
    # The staff queue of those asks ({ask}: the demo correction asked in 南湖).
    ("/data-requests", "GET", "/data-requests", L, 200, 200, 403, 403, 403, L, L),
    ("/data-requests/<int:ask_id>", "GET", "/data-requests/{ask}", L, 200, 200, 403, 403, 403, L, L),
    ("/data-requests/<int:ask_id>", "POST", "/data-requests/{ask}", L, S, S, 403, 403, 403, L, L),
    ("/health/my/<reference>/cancel", "GET", "/health/my/{booking}/cancel", R, R, R, R, R, R, R, 200),
    ("/health/my/<reference>/change", "GET", "/health/my/{booking}/change", R, R, R, R, R, R, R, 200),
    ("/health/my/<reference>/change/<day>", "GET", "/health/my/{booking}/change/{day}",
     R, R, R, R, R, R, R, 200),
    ("/health/roster", "GET", "/health/roster", L, 200, R, 403, 403, R, L, L),
    ("/health/roster/<int:station_id>", "GET", "/health/roster/{station}", L, 200, 200, 403, 403, 200, L, L),
    ("/health/roster/<int:station_id>/scan", "POST", "/health/roster/{station}/scan", L, S, S, 403, 403, S, L, L),
    ("/health/roster/<int:station_id>/walk-in", "GET", "/health/roster/{station}/walk-in",
     L, 200, 200, 403, 403, 200, L, L),
    ("/health/roster/<int:station_id>/bookings/<reference>/<any('check-in', 'no-show'):action>", "POST",
     "/health/roster/{station}/bookings/{booking}/no-show", L, S, S, 403, 403, S, L, L),
    ("/health/roster/<int:station_id>/bookings/<reference>/cancel", "GET",
     "/health/roster/{station}/bookings/{booking}/cancel", L, 200, 200, 403, 403, 200, L, L),
    ("/health/calls", "GET", "/health/calls", L, 200, 200, 200, 403, 403, L, L),
    ("/health/calls/<reference>", "POST", "/health/calls/{booking}", L, S, S, S, 403, 403, L, L),
    ("/health/manage", "GET", "/health/manage", L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/stations/new", "GET", "/health/manage/stations/new", L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/stations/<int:station_id>", "GET", "/health/manage/stations/{station}",
     L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/stations/<int:station_id>/edit", "GET", "/health/manage/stations/{station}/edit",
     L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/stations/<int:station_id>/generate", "POST", "/health/manage/stations/{station}/generate",
     L, S, S, 403, 403, 403, L, L),
    ("/health/manage/stations/<int:station_id>/services/new", "GET",
     "/health/manage/stations/{station}/services/new", L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/services/<int:service_id>/edit", "GET", "/health/manage/services/{service}/edit",
     L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/services/<int:service_id>/schedule", "GET", "/health/manage/services/{service}/schedule",
     L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/schedules/<int:row_id>/delete", "POST", "/health/manage/schedules/{schedule}/delete",
     L, S, S, 403, 403, 403, L, L),
    ("/health/manage/stations/<int:station_id>/closures/new", "GET",
     "/health/manage/stations/{station}/closures/new", L, 200, 200, 403, 403, 403, L, L),
    ("/health/manage/closures/<int:closure_id>/delete", "POST", "/health/manage/closures/999999/delete",
     L, 404, 404, 403, 403, 403, L, L),
    ("/requests/new", "GET", "/requests/new", R, R, R, R, R, R, R, R),
    ("/requests/new/resident", "GET", "/requests/new/resident", L, 403, 403, 200, 403, 403, L, L),
    ("/requests/new/for/<number>", "GET", "/requests/new/for/{number}", L, 403, 403, R, 403, 403, L, L),
    # The rows above started a request for {number} (grid worker) and for the identified resident.
    ("/requests/new/<step>", "GET", "/requests/new/category", R, R, R, 200, R, R, R, 200),
    ("/requests/new/check", "GET", "/requests/new/check", R, R, R, R, R, R, R, R),
    ("/requests/<ticket>/receipt", "GET", "/requests/{ticket}/receipt", 404, 200, 200, 200, 404, 404, 404, 404),
    ("/requests/queue", "GET", "/requests/queue", L, 200, 200, 200, 403, 403, L, L),
    ("/requests/overdue", "GET", "/requests/overdue", L, 200, 200, 403, 403, 403, L, L),
    ("/requests/<ticket>", "GET", "/requests/{ticket}", L, 200, 200, 200, 403, 403, L, L),
    ("/requests/<ticket>/transition", "POST", "/requests/{ticket}/transition", L, S, S, S, 403, 403, L, L),
    ("/requests/<ticket>/reassign", "POST", "/requests/{ticket}/reassign", L, S, S, S, 403, 403, L, L),
    ("/requests/<ticket>/phone", "POST", "/requests/{ticket}/phone", L, S, S, S, 403, 403, L, L),
    ("/requests/<ticket>/photo", "GET", "/requests/{ticket}/photo", L, 404, 404, 404, 403, 403, L, L),
    ("/requests/status", "GET", "/requests/status", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/requests/status/<ticket>", "GET", "/requests/status/{ticket}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/requests/status/<ticket>/cancel", "GET", "/requests/status/{ticket}/cancel",
     404, 404, 404, 404, 404, 404, 404, 404),
    # Open311 GeoReport v2: open data for everyone; filing needs a partner's key, not an account (403 without).
    ("/open311/v2/services.<any(json, xml):fmt>", "GET", "/open311/v2/services.xml",
     200, 200, 200, 200, 200, 200, 200, 200),
    ("/open311/v2/services/<code>.<any(json, xml):fmt>", "GET", "/open311/v2/services/repairs.json",
     200, 200, 200, 200, 200, 200, 200, 200),
    ("/open311/v2/requests.<any(json, xml):fmt>", "GET", "/open311/v2/requests.json",
     200, 200, 200, 200, 200, 200, 200, 200),
    ("/open311/v2/requests.<any(json, xml):fmt>", "POST", "/open311/v2/requests.json",
     403, 403, 403, 403, 403, 403, 403, 403),
    ("/open311/v2/requests/<ticket>.<any(json, xml):fmt>", "GET", "/open311/v2/requests/{ticket}.json",
     200, 200, 200, 200, 200, 200, 200, 200),
    ("/open311/v2/media/<ticket>", "GET", "/open311/v2/media/{ticket}", 404, 404, 404, 404, 404, 404, 404, 404),
    ("/admin/open311", "GET", "/admin/open311", L, 200, 403, 403, 403, 403, L, L),
    ("/admin/open311/keys", "POST", "/admin/open311/keys", L, S, 403, 403, 403, 403, L, L),
    ("/admin/open311/keys/<int:key_id>/revoke", "POST", "/admin/open311/keys/999999/revoke",
     L, 404, 403, 403, 403, 403, L, L),
    ("/requests/<ticket>/publish", "POST", "/requests/{ticket}/publish", L, S, S, 403, 403, 403, L, L),
    ("/requests/categories", "GET", "/requests/categories", L, 200, 403, 403, 403, 403, L, L),
    ("/requests/categories/new", "GET", "/requests/categories/new", L, 200, 403, 403, 403, 403, L, L),
    ("/requests/categories/<int:category_id>", "GET", "/requests/categories/1", L, 200, 403, 403, 403, 403, L, L),
    # {activity} is a 南湖 activity open to the whole community, {signup} the identified resident's sign-up
    # for it, and {other_activity} one they have not signed up for.
    ("/activities/", "GET", "/activities/", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/activities/<int:activity_id>", "GET", "/activities/{activity}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/activities/<int:activity_id>/sign-up", "GET", "/activities/{other_activity}/sign-up",
     R, R, R, R, R, R, R, 200),
    ("/activities/my", "GET", "/activities/my", R, R, R, R, R, R, R, 200),
    ("/activities/my/<code>/cancel", "GET", "/activities/my/{signup}/cancel", R, R, R, R, R, R, R, 200),
    ("/activities/tickets/<code>", "GET", "/activities/tickets/{signup}", R, 200, 200, R, R, R, R, 200),
    ("/activities/manage", "GET", "/activities/manage", L, 200, 200, 200, 403, 403, L, L),
    ("/activities/manage/new", "GET", "/activities/manage/new", L, R, 200, 200, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>", "GET", "/activities/manage/{activity}",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/edit", "GET", "/activities/manage/{activity}/edit",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/desk", "GET", "/activities/manage/{activity}/desk",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/door", "GET", "/activities/manage/{activity}/door",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/sheet", "GET", "/activities/manage/{activity}/sheet",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/poster", "GET", "/activities/manage/{activity}/poster",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/signups/<code>/remove", "GET",
     "/activities/manage/{activity}/signups/{signup}/remove", L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/signups/<code>/attended", "POST",
     "/activities/manage/{activity}/signups/{signup}/attended", L, S, S, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/cancel", "GET", "/activities/manage/{activity}/cancel",
     L, 200, 200, 404, 403, 403, L, L),
    ("/activities/manage/<int:activity_id>/close", "POST", "/activities/manage/{activity}/close",
     L, S, S, 404, 403, 403, L, L),
    ("/activities/calls", "GET", "/activities/calls", L, 200, 200, 200, 403, 403, L, L),
    ("/activities/calls/<code>", "POST", "/activities/calls/{signup}", L, S, S, S, 403, 403, L, L),
    # Topics and meetings (议事会): {topic} is 南湖 grid 1's open demo topic. Anyone reads; a resident proposes
    # and supports (helpers only in an assisted session); staff and grid 1's grid worker look after it.
    ("/topics", "GET", "/topics", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/topics/<int:topic_id>", "GET", "/topics/{topic}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/topics/new", "GET", "/topics/new", R, R, 200, 200, R, R, R, 200),
    ("/topics/<int:topic_id>/support", "GET", "/topics/{topic}/support", R, R, R, R, R, R, R, 200),
    ("/topics/<int:topic_id>/withdraw", "GET", "/topics/{topic}/withdraw", R, R, R, R, R, R, R, R),
    ("/topics/<int:topic_id>/edit", "GET", "/topics/{topic}/edit", L, 200, 200, 200, 403, 403, L, L),
    ("/topics/<int:topic_id>/moderate", "GET", "/topics/{topic}/moderate", L, 200, 200, 200, 403, 403, L, L),
    ("/topics/<int:topic_id>/outcome", "GET", "/topics/{topic}/outcome", L, 200, 200, 200, 403, 403, L, L),
    ("/topics/<int:topic_id>/meeting", "GET", "/topics/{topic}/meeting", L, 200, 200, 200, 403, 403, L, L),
    # Votes (网络微投票): {poll} is 南湖's open demo poll for everyone, {closed_poll} grid 1's closed one. Anyone
    # reads a poll; a resident votes (helpers only in an assisted session); the community's staff manage it.
    ("/polls", "GET", "/polls", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/polls/<int:poll_id>", "GET", "/polls/{poll}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/polls/<int:poll_id>/vote", "GET", "/polls/{poll}/vote", R, R, R, R, R, R, R, 200),
    ("/polls/<int:poll_id>/print", "GET", "/polls/{closed_poll}/print", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/polls/manage", "GET", "/polls/manage", L, 200, 200, 403, 403, 403, L, L),
    ("/polls/manage/new", "GET", "/polls/manage/new", L, R, 200, 403, 403, 403, L, L),
    ("/polls/manage/<int:poll_id>", "GET", "/polls/manage/{poll}", L, 200, 200, 403, 403, 403, L, L),
    ("/polls/manage/<int:poll_id>/paper", "GET", "/polls/manage/{poll}/paper", L, 200, 200, 403, 403, 403, L, L),
    ("/polls/manage/<int:poll_id>/paper", "POST", "/polls/manage/{poll}/paper", L, S, S, 403, 403, 403, L, L),
    # Volunteer register (活地图): {volunteer} is a demo volunteer of 南湖 grid 1, {callout} the demo call-out to
    # grid 1 and {reply} one of its replies, {answer_token} that reply's answer link. A resident or a volunteer
    # account keeps their own entry (staff go to the list); the answer link needs no sign-in.
    ("/volunteers/me", "GET", "/volunteers/me", R, R, R, R, 200, R, R, 200),
    ("/volunteers/me/leave", "GET", "/volunteers/me/leave", R, R, R, R, 200, R, R, R),
    ("/volunteers", "GET", "/volunteers", L, 200, 200, 200, 403, 403, L, L),
    ("/volunteers/plan", "GET", "/volunteers/plan", L, 200, 200, 200, 403, 403, L, L),
    ("/volunteers/<int:volunteer_id>/contact", "POST", "/volunteers/{volunteer}/contact",
     L, 200, 200, 200, 403, 403, L, L),
    ("/volunteers/callouts", "GET", "/volunteers/callouts", L, 200, 200, 200, 403, 403, L, L),
    ("/volunteers/callouts/<int:callout_id>", "GET", "/volunteers/callouts/{callout}",
     L, 200, 200, 200, 403, 403, L, L),
    ("/volunteers/callouts/<int:callout_id>/replies/<int:reply_id>", "POST",
     "/volunteers/callouts/{callout}/replies/{reply}", L, 200, 200, 200, 403, 403, L, L),
    ("/v/<token>", "GET", "/v/{answer_token}", 200, 200, 200, 200, 200, 200, 200, 200),
    # Mutual aid (邻里互助): {aid_post} is 南湖 grid 1's open demo need, {aid_match} the answer to it waiting in the
    # grid worker's queue. Anyone reads; a resident (or a helper for them) posts and answers; the queue is staff's.
    ("/aid", "GET", "/aid", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/aid/<int:post_id>", "GET", "/aid/{aid_post}", 200, 200, 200, 200, 200, 200, 200, 200),
    ("/aid/new", "GET", "/aid/new", R, R, R, R, R, R, R, R),
    ("/aid/new/<step>", "GET", "/aid/new/kind", R, R, R, R, R, R, R, 200),
    ("/aid/new/check", "GET", "/aid/new/check", R, R, R, R, R, R, R, R),
    ("/aid/<int:post_id>/respond", "GET", "/aid/{aid_post}/respond", R, R, R, R, R, R, R, 200),
    ("/aid/<int:post_id>/close", "GET", "/aid/{aid_post}/close", R, R, R, R, R, R, R, 200),
    ("/aid/<int:post_id>/renew", "GET", "/aid/{aid_post}/renew", R, R, R, R, R, R, R, 200),
    ("/aid/<int:post_id>/done", "GET", "/aid/{aid_post}/done", R, R, R, R, R, R, R, 200),
    ("/aid/<int:post_id>/report", "GET", "/aid/{aid_post}/report", R, R, R, R, R, R, R, 200),
    ("/aid/queue", "GET", "/aid/queue", L, 200, 200, 200, 403, 403, L, L),
    ("/aid/matches/<int:match_id>/confirm", "GET", "/aid/matches/{aid_match}/confirm", L, 200, 200, 200, 403, 403, L, L),
    ("/aid/matches/<int:match_id>/decline", "GET", "/aid/matches/{aid_match}/decline", L, 200, 200, 200, 403, 403, L, L),
    ("/aid/<int:post_id>/moderate", "GET", "/aid/{aid_post}/moderate", L, 200, 200, 200, 403, 403, L, L),
    ("/aid/<int:post_id>/staff-done", "GET", "/aid/{aid_post}/staff-done", L, 200, 200, 200, 403, 403, L, L),
    ("/aid/calls/<int:call_id>/done", "POST", "/aid/calls/999999/done", L, 404, 404, 404, 403, 403, L, L),
    # Last: these end what the visitor had (signed in, identified, helping, the kiosk visit).
    ("/assist/end", "POST", "/assist/end", L, 403, 403, S, S, 403, L, L),
    ("/identify/forget", "POST", "/identify/forget", S, S, S, S, S, S, S, S),
    ("/kiosk/reset", "POST", "/kiosk/reset", S, S, S, S, S, S, S, S),
    ("/logout", "POST", "/logout", S, S, S, S, S, S, S, S),
]
# fmt: on
NOT_ROUTES = {"/static/<path:filename>"}


@pytest.fixture
def demo_ids(app):
    with app.app_context():
        station = db.session.scalars(db.select(Station).where(Station.community_id == 1).order_by(Station.id)).first()
        service = db.session.scalars(
            db.select(Service).where(Service.station_id == station.id).order_by(Service.id)
        ).first()
        booking = db.session.scalars(
            db.select(Booking)
            .join(Slot, Booking.slot_id == Slot.id)
            .where(Booking.service_id.in_([s.id for s in station.services]), Booking.status == "booked")
            .order_by(Slot.starts_at.desc())
        ).first()
        resident = db.session.scalars(db.select(Resident).where(Resident.grid_id == 1).order_by(Resident.id)).first()
        kiosk = db.session.scalars(db.select(Kiosk).where(Kiosk.community_id == 1).order_by(Kiosk.id)).first()
        schedule = service.schedules[0]
        activity, other_activity, signup = activity_ids(booking.resident)
        notice = db.session.scalars(db.select(Notice).where(Notice.title == "1幢楼道灯更换")).one()
        from portal.topics.seed import OPEN_TITLE  # topics and meetings (议事会)

        topic = db.session.scalars(db.select(Topic.id).where(Topic.title == OPEN_TITLE)).one()
        from portal.polls.seed import CLOSED_QUESTION, OPEN_QUESTION  # votes (网络微投票)

        poll = db.session.scalars(db.select(Poll.id).where(Poll.question == OPEN_QUESTION)).one()
        closed_poll = db.session.scalars(db.select(Poll.id).where(Poll.question == CLOSED_QUESTION)).one()
        volunteers = demo_volunteer_ids(app)  # volunteer register (活地图)
        from portal.aid.seed import OPEN_NEED  # mutual aid (邻里互助)
        from portal.models import AidMatch, AidPost

        aid_post = db.session.scalars(db.select(AidPost.id).where(AidPost.text == OPEN_NEED)).one()
        aid_match = db.session.scalars(db.select(AidMatch.id).where(AidMatch.post_id == aid_post)).one()
        return {
            "poll": poll,
            "closed_poll": closed_poll,
            **volunteers,
            "aid_post": aid_post,
            "aid_match": aid_match,
            "topic": topic,
            "notice": notice.id,
            "activity": activity,
            "other_activity": other_activity,
            "signup": signup,
            "station": station.id,
            "service": service.id,
            "booking": booking.reference,
            "day": booking.day.isoformat(),
            "number": resident.number,
            "kiosk": kiosk.id,
            "poster": active_grid_poster(db.session, 1).code,
            "ticket": "K7MX3PQA",
            "schedule": schedule.id,
            "booker_token": card_token(booking.resident, app.config["SECRET_KEY"]),
            "ask": db.session.scalar(db.select(DataRequest.id).where(DataRequest.community_id == 1)),
        }


def demo_volunteer_ids(app) -> dict:
    """Volunteer register (活地图): a demo volunteer of grid 1, the demo call-out, one reply and its link."""
    from portal.models import CallOut, CallOutReply, Volunteer
    from portal.services.volunteers import answer_token

    volunteer = db.session.scalars(db.select(Volunteer.id).where(Volunteer.grid_id == 1).order_by(Volunteer.id)).first()
    callout = db.session.scalars(db.select(CallOut.id).order_by(CallOut.id)).first()
    reply = db.session.scalars(db.select(CallOutReply).where(CallOutReply.callout_id == callout)).first()
    token = answer_token(reply, app.config["SECRET_KEY"])
    return {"volunteer": volunteer, "callout": callout, "reply": reply.id, "answer_token": token}


def activity_ids(resident) -> tuple[int, int, str]:
    """A 南湖 activity open to everyone with `resident` signed up for it, another one they are not on, and
    the code of their sign-up."""
    from portal.services.activities import active_signup, sign_up

    activities = db.session.scalars(
        db.select(Activity).where(Activity.community_id == 1, Activity.whole_community.is_(True)).order_by(Activity.id)
    ).all()
    mine = next((a for a in activities if active_signup(db.session, a.id, resident.id)), None)
    if mine is None:
        mine = activities[-1]
        sign_up(db.session, activity_id=mine.id, resident=resident, now=utcnow(), wait_if_full=True, announce=False)
    other = next(a for a in activities if a.id != mine.id and active_signup(db.session, a.id, resident.id) is None)
    return mine.id, other.id, active_signup(db.session, mine.id, resident.id).code


def become(role, app, client, auth, ids):
    if role == "kiosk":
        assert activate(client, new_code(app)).status_code == 303
        client.get("/kiosk")
    elif role == "resident":
        client.get("/identify")
        assert client.submit("/identify", {"token": ids["booker_token"]}).status_code == 303
    elif role != "anonymous":
        assert auth.login(role).status_code == 303


def outcome(response) -> object:
    if response.status_code in (302, 303):
        return L if response.headers["Location"].startswith("/login") else R
    return response.status_code


def test_every_route_is_in_the_matrix(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()} - NOT_ROUTES
    listed = {row[0] for row in MATRIX}
    assert not rules - listed, f"add these routes to MATRIX, saying who may reach them: {sorted(rules - listed)}"
    assert not listed - rules, f"these MATRIX rows name routes that no longer exist: {sorted(listed - rules)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_route_with_each_kind_of_visitor(app, client, auth, demo_ids, role):
    become(role, app, client, auth, demo_ids)
    column = ROLES.index(role) + 3
    wrong = []
    for row in MATRIX:
        _rule, method, address, expected = row[0], row[1], row[2].format(**demo_ids), row[column]
        if expected == S or (method == "POST" and expected not in (L, 403, 404)):
            continue
        response = client.submit(address, {}) if method == "POST" else client.get(address)
        got = outcome(response)
        if got != expected:
            wrong.append(f"{method} {address}: expected {expected}, got {got} {response.headers.get('Location', '')}")
        if method == "GET" and got == 200:
            # htmx asking for the page's fragment (not boosted navigation) renders a block on its own.
            fragment = client.get(address, headers=HTMX).status_code
            if fragment >= 500:
                wrong.append(f"GET {address} from htmx: {fragment}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
