"""Every main page runs the same number of SQL statements with the demo's 42 residents and with ten
times as many people, requests, bookings and audit entries (seed-scale on top of the demo): lists
are paged and what a row shows is loaded with the list, never one SELECT per row.

Each page is opened once first, so what a first view does once (a call list's audit entries for the
cards it shows) is not counted; the second view is what every later visitor costs."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Activity, AuditEvent, Booking, Notice, Request, Resident, Topic
from portal.scale import seed_scale

from tests.support.app import DB_KIND
from tests.support.flows import values
from tests.support.identity import identify_on_web
from tests.support.kiosk import activate, new_code
from tests.support.signin import Auth, sign_in
from tests.support.statements import counted

# (visitor, page): SQL statements for one view, the same at both sizes.
EXPECTED = {
    ("anyone", "/"): 0,
    ("anyone", "/health/"): 1,
    ("anyone", "/requests/status"): 0,
    ("anyone", "/requests/status/{ticket}"): 5,
    ("anyone", "/open311/v2/requests.json?page_size=100"): 5,
    ("anyone", "/open311/v2/requests.xml?status=open&service_code=repairs&jurisdiction_id=1"): 6,
    ("anyone", "/open311/v2/requests/{ticket}.xml"): 5,
    ("anyone", "/open311/v2/services.json"): 4,
    ("booking", "/health/stations/{station}"): 3,
    ("booking", "/health/book/day"): 3,
    ("booking", "/health/book/time"): 3,
    ("resident", "/health/my"): 3,
    ("resident", "/requests/status"): 3,
    # + topics and meetings, volunteer register, mutual aid: 2 kinds each; votes: 1 kind (its ballots' choices
    # come in a second statement)
    ("resident", "/my-information"): 38,
    ("kiosk", "/kiosk"): 2,
    ("gridworker", "/me"): 5,
    ("gridworker", "/requests/queue"): 4,
    ("gridworker", "/health/calls"): 6,
    ("nurse", "/health/roster/{station}"): 5,
    ("staff", "/me"): 5,
    ("staff", "/requests/overdue"): 5,
    ("staff", "/requests/queue?whose=all"): 4,
    ("staff", "/communities/1/posters"): 10,
    ("staff", "/communities/1"): 7,
    ("staff", "/grids/1/residents"): 6,
    ("staff", "/audit"): 9,  # + the grids and polls the neighbours' events name
    ("staff", "/data-requests"): 3,
    ("anyone", "/grids/1"): 11,  # + the upcoming activities, + the open topics, + the open aid posts, + open polls
    ("anyone", "/grids/1/notices"): 4,
    ("anyone", "/notices/{notice}"): 3,
    ("resident", "/notices/{notice}"): 9,
    ("staff", "/grids/1"): 13,  # + the open topics, + the open aid posts, + the open polls
    ("staff", "/grids/1/notices"): 7,
    ("staff", "/notices/{notice}"): 6,
    ("staff", "/communities/1/stats?period=this_year"): 43,  # + topics 3, aid 4, votes 4, volunteers 3
    ("gridworker", "/grids/1/stats?period=this_year"): 41,  # + topics 3, aid 4, votes 4, volunteers 3
    ("anyone", "/stats/communities/1?period=this_year"): 41,  # + topics 3, aid 4, votes 4, volunteers 3
    ("anyone", "/stats/grids/1?period=this_year"): 38,  # + topics 3, aid 4, votes 4, volunteers 3
    ("anyone", "/activities/"): 1,
    ("anyone", "/activities/{activity}"): 4,  # + the topics of a meeting
    ("resident", "/activities/my"): 3,
    ("staff", "/activities/manage"): 3,
    ("staff", "/activities/manage/{activity}"): 5,
    # Topics and meetings (议事会)
    ("anyone", "/topics?grid=1"): 3,
    ("resident", "/topics"): 6,
    ("anyone", "/topics/{topic}"): 4,
    ("resident", "/topics/{topic}"): 7,
    ("staff", "/topics/{topic}"): 6,
    # Votes (网络微投票): poll 1 is the demo's open poll, poll 2 the closed one with its results.
    ("resident", "/polls"): 6,
    ("anyone", "/polls/2"): 6,
    ("resident", "/polls/1"): 6,
    ("staff", "/polls/manage"): 3,
    ("staff", "/polls/manage/1"): 9,
    # Volunteer register (活地图): call-out 1 is the demo's call-out to 南湖 grid 1.
    ("resident", "/volunteers/me"): 5,
    ("staff", "/volunteers"): 5,  # + the buildings, for their natural order
    ("gridworker", "/volunteers?skill=first_aid&day=0&part=morning"): 5,
    ("staff", "/volunteers/plan"): 5,
    ("staff", "/volunteers/callouts"): 5,
    ("staff", "/volunteers/callouts/1"): 5,
    # Mutual aid (邻里互助)
    ("anyone", "/aid?grid=1"): 3,
    ("resident", "/aid"): 5,
    ("anyone", "/aid/{aid_post}"): 4,
    ("resident", "/aid/{aid_post}"): 7,
    ("gridworker", "/aid/queue"): 6,
    # City size for the neighbours (seed-scale fills mutual aid, votes and the register): the community's polls
    # and the demo's open poll with its results, as staff see them
    ("anyone", "/polls?community=1"): 2,
    ("staff", "/polls/1"): 8,
}


# Tables that grow with the city: a page view must reach them through an index.
LARGE_TABLES = (
    "resident", "request", "request_event", "booking", "slot", "audit_event", "sessions", "outbox_message",
    "identify_failure", "one_time_code", "rate_limit_counter", "notice", "notice_grid", "notice_read",
    "activity", "activity_signup",
    "topic", "topic_support", "topic_meeting", "topic_edit",  # topics and meetings (议事会)
    "ballot", "ballot_choice",  # votes (网络微投票)
    "volunteer", "call_out", "call_out_reply",  # volunteer register (活地图)
    "aid_post", "aid_match", "aid_report", "aid_call", "paper_batch",  # at city size: mutual aid, paper ballots
)  # fmt: skip


def visitors(app, demo) -> dict:
    """A browser for each kind of visitor, each already where its pages are (signed in, identified,
    half-way through booking, activated as the kiosk)."""
    made = {"anyone": app.test_client()}
    for username in ("gridworker", "nurse", "staff"):
        made[username] = app.test_client()
        sign_in(Auth(made[username]), username)
    made["resident"] = app.test_client()
    identify_on_web(made["resident"], demo["phone"], demo["year"], "/health/my")
    booking = made["booking"] = app.test_client()
    booking.get(f"/health/stations/{demo['station']}")
    booking.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]})
    day = values(booking.get("/health/book/day").get_data(as_text=True), "day")[3]
    booking.submit("/health/book/day", {"day": day})
    made["kiosk"] = app.test_client()
    assert activate(made["kiosk"], new_code(app)).status_code == 303
    return made


def statements_per_page(app, clients, addresses, seen=None) -> dict:
    found = {}
    for (who, page), address in addresses.items():
        client = clients[who]
        assert client.get(address).status_code == 200, (who, address)
        with counted(app) as statements:
            response = client.get(address)
        assert response.status_code == 200, (who, address, response.status_code)
        found[(who, page)] = len(statements)
        if seen is not None:
            seen.extend((address, statement, parameters) for statement, parameters in statements)
    return found


def sequential_scans(app, seen) -> list:
    """Each SELECT a page ran, planned by PostgreSQL with sequential scans made as costly as they can be:
    a large table it still scans has no index the query can use."""
    found = []
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SET enable_seqscan = off")
            for address, statement, parameters in seen:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                found += [
                    (address, table, statement[:200]) for table in LARGE_TABLES if f"Seq Scan on {table} " in plan + " "
                ]
        finally:
            connection.rollback()
            connection.close()
    return found


def sizes(app) -> dict:
    with app.app_context():
        return {
            m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Resident, Request, Booking, AuditEvent)
        }


def test_main_pages_run_as_many_statements_at_ten_times_the_demo(app, demo):
    with app.app_context():
        ticket = db.session.scalar(select(Request.ticket).order_by(Request.id))
        notice = db.session.scalar(select(Notice.id).where(Notice.title == "1幢楼道灯更换"))
        activity = db.session.scalar(select(Activity.id).where(Activity.community_id == 1).order_by(Activity.id))
        topic = db.session.scalar(select(Topic.id).where(Topic.outcome != "").order_by(Topic.id))
        from portal.aid.seed import OPEN_OFFER  # mutual aid (邻里互助)
        from portal.models import AidPost

        aid_post = db.session.scalar(select(AidPost.id).where(AidPost.text == OPEN_OFFER))
    addresses = {
        key: key[1].format(
            ticket=ticket, station=demo["station"], notice=notice, activity=activity, topic=topic, aid_post=aid_post
        )
        for key in EXPECTED
    }
    clients = visitors(app, demo)
    small_data = sizes(app)
    small = statements_per_page(app, clients, addresses)
    with app.app_context():
        seed_scale(residents=10 * small_data["Resident"])
    big_data = sizes(app)
    assert all(big_data[name] >= 10 * small_data[name] for name in ("Resident", "Request")), (small_data, big_data)
    seen = []
    big = statements_per_page(app, clients, addresses, seen)
    assert small == big, "\n".join(f"{key}: {small[key]} -> {big[key]}" for key in small if small[key] != big[key])
    assert small == EXPECTED, "\n".join(f"{key}: {small[key]}" for key in small if small[key] != EXPECTED[key])
    if DB_KIND == "postgresql":
        assert sequential_scans(app, seen) == []
