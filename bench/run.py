"""`make bench`: the app under gunicorn against a city-size database, each main page, a booking POST
and a weighted mix measured with wrk, and a bare-Flask ceiling in the same run. Writes
bench/results/latest.md (the table) and latest.svg (the chart), and a dated copy of each.

    .venv/bin/python -m bench.run [--residents 100000] [--seconds 8] [--database-url URL]

The database defaults to bench/data/city.sqlite3, made (migrations, seed-demo, seed-scale) when
missing and topped up otherwise (both seeds are idempotent). A SQLite database is measured on a copy
(bench/data/run.sqlite3), since the booking POST books thousands of places a run."""

import argparse
import dataclasses
import os
import platform
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from . import load, prepare, report
from .load import Request

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
OK, MOVED = {200}, {303}


def pages(app, booking_people: int) -> tuple[list[dict], list[tuple[Request, int]]]:
    """The measured pages, each with the cookie its visitor would have, and the mix's weights."""
    staff, grid, nurse = (prepare.signed_in(app, name) for name in ("staff", "gridworker", "nurse"))
    kiosk = prepare.kiosk_cookies(app)
    choices = prepare.booking_choices(app, booking_people)
    station, service, day = choices["station"], choices["service"], choices["day"]
    resident = prepare.demo_resident(app)
    visitor, at_day, at_time, me = (
        cookie
        for cookie, _token in prepare.stored_sessions(
            app,
            [
                prepare.flow(station),
                prepare.flow(station, service=service),
                prepare.flow(station, service=service, day=day.isoformat()),
                prepare.identified(resident),
            ],
        )
    )
    bookers = prepare.stored_sessions(
        app,
        [
            {**prepare.flow(at, service=s, day=d.isoformat(), time=slot), **prepare.identified(r)}
            for r, at, s, slot, d in choices["bookings"]
        ],
    )
    ticket = prepare.demo_ticket(app)
    poll = prepare.busiest_open_poll(app, community_id=1)

    def row(name, who, kind, request, expect=OK):
        return {"name": name, "who": who, "kind": kind, "requests": [request], "expect": expect}

    rows = [
        row("home /", "anyone", "anonymous", Request("GET", "/")),
        row("stations /health/", "anyone", "anonymous", Request("GET", "/health/")),
        row(f"station /health/stations/{station}", "anyone", "anonymous", Request("GET", f"/health/stations/{station}", visitor)),
        row("day picker /health/book/day", "anyone", "anonymous", Request("GET", "/health/book/day", at_day)),
        row("time picker /health/book/time", "anyone", "anonymous", Request("GET", "/health/book/time", at_time)),
        row("status form /requests/status", "anyone", "anonymous", Request("GET", "/requests/status")),
        row("status lookup /requests/status/<ticket>", "anyone", "anonymous", Request("GET", f"/requests/status/{ticket}")),
        row("kiosk home /kiosk", "kiosk", "anonymous", Request("GET", "/kiosk", kiosk)),
        row("my appointments /health/my", "resident", "signed in", Request("GET", "/health/my", me)),
        row("my requests /requests/status", "resident", "signed in", Request("GET", "/requests/status", me)),
        row("my work /me", "grid worker", "signed in", Request("GET", "/me", grid)),
        row("queue /requests/queue", "grid worker", "signed in", Request("GET", "/requests/queue", grid)),
        row("call list /health/calls", "grid worker", "signed in", Request("GET", "/health/calls", grid)),
        row(f"roster /health/roster/{station}", "nurse", "signed in", Request("GET", f"/health/roster/{station}", nurse)),
        row("overdue /requests/overdue", "staff", "signed in", Request("GET", "/requests/overdue", staff)),
        row("posters /communities/1/posters", "staff", "signed in", Request("GET", "/communities/1/posters", staff)),
        row("audit log /audit", "staff", "signed in", Request("GET", "/audit", staff)),
        row("statistics /communities/1/stats", "staff", "signed in", Request("GET", "/communities/1/stats?period=this_year", staff)),
        row("public figures /stats/communities/1", "anyone", "anonymous", Request("GET", "/stats/communities/1?period=this_year")),
        row("grid page /grids/1", "anyone", "anonymous", Request("GET", "/grids/1")),
        row("grid notices /grids/1/notices", "anyone", "anonymous", Request("GET", "/grids/1/notices")),
        row("activities /activities/", "anyone", "anonymous", Request("GET", "/activities/")),
        row("neighbours /neighbours", "anyone", "anonymous", Request("GET", "/neighbours")),
        # Mutual aid (邻里互助), votes (网络微投票), the volunteer register (活地图)
        row("mutual aid /aid?grid=1", "anyone", "anonymous", Request("GET", "/aid?grid=1")),
        row("aid queue /aid/queue", "grid worker", "signed in", Request("GET", "/aid/queue", grid)),
        row("polls /polls?community=1", "anyone", "anonymous", Request("GET", "/polls?community=1")),
        row(f"poll results /polls/{poll}", "staff", "signed in", Request("GET", f"/polls/{poll}", staff)),
        row("volunteers /volunteers", "staff", "signed in", Request("GET", "/volunteers", staff)),
        row("volunteer plan /volunteers/plan", "staff", "signed in", Request("GET", "/volunteers/plan", staff)),
    ]  # fmt: skip
    by_path = {r["requests"][0].path: r["requests"][0] for r in rows}
    weights = [
        ("/", 20), ("/kiosk", 10), (f"/health/stations/{station}", 8), ("/health/book/day", 8), ("/health/book/time", 8),
        (f"/requests/status/{ticket}", 10), ("/health/my", 8), ("/requests/status", 6), ("/requests/queue", 6),
        ("/health/calls", 4), (f"/health/roster/{station}", 6), ("/me", 6),
        ("/grids/1", 6), ("/activities/", 4), ("/stats/communities/1?period=this_year", 2),
        ("/aid?grid=1", 2), ("/polls?community=1", 2),  # mutual aid, votes
    ]  # fmt: skip
    mix = [(by_path[path], weight) for path, weight in weights]
    booking = [Request("POST", "/health/book/confirm", cookie, f"csrf_token={token}") for cookie, token in bookers]
    rows.append(
        {
            "name": "book an appointment (POST)",
            "who": "resident",
            "kind": "booking POST",
            "requests": booking,
            "expect": MOVED,
        }
    )
    return rows, mix


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'data' / 'city.sqlite3'}")
    parser.add_argument("--residents", type=int, default=100_000, help="seed-scale size; 0 keeps the demo's 42")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="serve the app from another checkout (e.g. a worktree of an older commit)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (scripts/system-deps.sh), or apt-get install wrk")
    (ROOT / "bench" / "data").mkdir(exist_ok=True)
    prepare.prepare_database(args.database_url, args.residents)
    # Each run books thousands of places: it measures a copy, and the seeded database stays as it was.
    args.database_url = prepare.scratch_copy(args.database_url)
    app = prepare.make_app(args.database_url)
    people = int(args.connections * 400 * (args.seconds + args.warmup) / 8)
    rows, mix = pages(app, people)
    rows.append(
        {"name": "weighted mix", "who": "everyone", "kind": "mix", "requests": [r for r, w in mix for _ in range(w)], "expect": None}
    )  # fmt: skip
    if args.only:
        rows = [r for r in rows if args.only in r["name"]]
    env = prepare.app_env(args.database_url)
    measure = dict(seconds=args.seconds, connections=args.connections)

    def ceiling() -> float:
        with load.gunicorn("bench.hello:app", env, args.workers) as base:
            load.wrk(base, [Request("GET", "/")], seconds=args.warmup, connections=args.connections)
            return load.wrk(base, [Request("GET", "/")], **measure).rate

    facts_notes = []
    before = ceiling()
    print(f"bare Flask: {before:.0f} req/s", flush=True)
    with load.gunicorn("portal:create_app()", env, args.workers, args.app_root.resolve()) as base:
        for row in rows:
            if row["expect"]:
                try:
                    load.check(base, row["requests"][-1], row["expect"])
                except (OSError, SystemExit) as failure:
                    # A page that does not answer in 30 s (or answers wrongly) is reported, not measured.
                    print(f"{row['name']:45} not measured: {failure}", flush=True)
                    row["result"] = load.Result(0.0, 0.0, 0.0, 1, 0)
                    facts_notes.append(f"{row['name']}: not measured, the first request failed ({failure}).")
                    continue
            warm = (
                row["requests"][: max(1, len(row["requests"]) // 5)]
                if row["kind"] == "booking POST"
                else row["requests"]
            )
            once = row["kind"] == "booking POST"
            load.wrk(base, warm, seconds=args.warmup, connections=args.connections, split=once)
            load.settle(base)
            todo = row["requests"][len(warm) :] if once else row["requests"]
            made_before = bookings_made(app) if once else 0
            row["result"] = load.wrk(base, todo, **measure, split=once)
            load.settle(base)
            if once:
                row["result"] = only_real_bookings(row["result"], bookings_made(app) - made_before)
                facts_notes.append(
                    f"The booking POST: {row['result'].requests - row['result'].errors:,} bookings made by "
                    f"{row['result'].requests:,} requests ({len(todo):,} prepared)."
                )
            r = row["result"]
            print(
                f"{row['name']:45} {r.rate:8.0f} req/s  p50 {r.p50:6.1f} ms  p99 {r.p99:6.1f} ms  errors {r.errors}",
                flush=True,
            )
    after = ceiling()
    print(f"bare Flask: {after:.0f} req/s", flush=True)
    ceilings = {"before": before, "after": after, "mean": (before + after) / 2}
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    facts = {
        "when": stamp,
        "data": data_summary(app),
        "database": stores(args.database_url),
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "machine": machine(),
        "app": app_version(args.app_root.resolve()),
        "notes": facts_notes
        + [
            "The booking POST sends each prepared request once, for a different resident and a time with room "
            "(it runs a fifth of them as warm-up first). Its req/s counts only the bookings the database gained "
            "while it ran; a request that made none (wrk starting the list again, say) counts as an error.",
        ],
    }
    RESULTS.mkdir(exist_ok=True)
    name = datetime.now().strftime("%Y%m%d-%H%M")
    text = report.table(rows, ceilings, facts)
    svg = report.chart(rows, ceilings["mean"], f"Linli, {facts['data']}: share of the bare-Flask ceiling")
    for stem in ("latest", name):
        (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
        (RESULTS / f"{stem}.svg").write_text(svg, encoding="utf-8")
    print(text)


def stores(database_url: str) -> str:
    """The database, and where sessions and rate limits are kept (the app's own settings)."""
    sessions = "Redis" if os.environ.get("SESSION_REDIS_URL") else "the database"
    limits = os.environ.get("RATELIMIT_STORAGE_URI", "database://").split("://")[0]
    limits = "Redis" if limits.startswith("redis") else "the database" if limits == "database" else limits
    return f"{database_url.split('://')[0].split('+')[0]} (sessions in {sessions}, rate limits in {limits})"


def app_version(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return (done.stdout.strip() or str(root))[:100]


def bookings_made(app) -> int:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Booking

    with app.app_context():
        made = db.session.scalar(select(func.count()).select_from(Booking))
        db.session.remove()
    return made


def only_real_bookings(result: load.Result, made: int) -> load.Result:
    """wrk's figures for the booking POST with its rate scaled to the bookings really made, and every
    answer that made none counted as an error."""
    made = max(0, min(made, result.requests))
    rate = result.rate * made / result.requests if result.requests else 0.0
    return dataclasses.replace(result, rate=rate, errors=max(result.errors, result.requests - made))


def data_summary(app) -> str:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import AuditEvent, Booking, Grid, Request, Resident

    with app.app_context():
        count = {
            m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Resident, Grid, Booking, Request, AuditEvent)
        }
    return (
        f"{count['Resident']:,} residents in {count['Grid']:,} grids, {count['Booking']:,} bookings, "
        f"{count['Request']:,} requests, {count['AuditEvent']:,} audit events"
    )


if __name__ == "__main__":
    sys.exit(main())
