"""Per-request time of each bench page inside one process (Flask test client, no gunicorn, no wrk),
with the bench's cookies against the bench database. The CPU time (this process's own) depends less
on how busy the machine is than the wall-clock time. Optionally a cProfile of one page.

    .venv/bin/python -m bench.profile [--only roster] [--repeat 30] [--profile roster]
"""

import argparse
import cProfile
import pstats
import time

from . import prepare
from .run import ROOT, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'data' / 'city.sqlite3'}")
    parser.add_argument("--only")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", help="cProfile the page whose name contains this")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    app = prepare.make_app(args.database_url)
    rows, _mix = pages(app, 4 * args.repeat)
    client = app.test_client(use_cookies=False)

    def send(request):
        headers = {"Cookie": request.cookie} if request.cookie else {}
        kwargs = {"headers": headers}
        if request.body:
            kwargs.update(data=request.body, content_type="application/x-www-form-urlencoded")
        return client.open(request.path, method=request.method, **kwargs)

    for row in rows:
        if args.only and args.only not in row["name"]:
            continue
        todo = list(row["requests"])
        posting = row["kind"] == "booking POST"
        if not posting:
            todo = todo * (args.repeat + 3)
        send(todo.pop())  # warm-up (templates compiled, caches filled)
        send(todo.pop())
        if args.profile and args.profile in row["name"]:
            profiler = cProfile.Profile()
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        done = 0
        for request in todo[: args.repeat]:
            answer = send(request)
            assert answer.status_code in (200, 303), (row["name"], answer.status_code)
            done += 1
        spent = (time.perf_counter() - started) / max(done, 1) * 1000
        cpu = (time.process_time() - cpu) / max(done, 1) * 1000
        if args.profile and args.profile in row["name"]:
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        print(f"{row['name']:45} {spent:7.1f} ms a request, {cpu:7.1f} ms of CPU ({done} requests)", flush=True)


if __name__ == "__main__":
    main()
