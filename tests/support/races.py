"""Races for the invariants (one support, one ballot, one proposal, one entry, one answer): many attempts
released together by one barrier, some in threads of this process and the rest in worker processes, each
with its own database connection."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from portal.extensions import db

from .activity_workers import process_context


def release_together(app, database_url, jobs, processes, attempt, attempt_in_process) -> Counter:
    """Runs attempt(*job) for every job: the last `processes` jobs in worker processes (attempt_in_process(
    database_url, job, gate, results)), the rest in threads; returns how often each outcome came back."""
    ctx = process_context(database_url)
    gate, results = ctx.Barrier(len(jobs)), ctx.Queue()
    in_threads, in_processes = jobs[: len(jobs) - processes], jobs[len(jobs) - processes :]
    workers = [ctx.Process(target=attempt_in_process, args=(database_url, job, gate, results)) for job in in_processes]
    for worker in workers:
        worker.start()

    def one(job):
        with app.app_context():
            try:
                db.session.execute(text("SELECT 1"))  # connected before the gate opens
                db.session.rollback()
                gate.wait(timeout=60)
                return attempt(*job)
            except Exception as error:
                db.session.rollback()
                return f"error: {error!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=max(len(in_threads), 1)) as pool:
        outcomes = list(pool.map(one, in_threads))
    outcomes += [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return Counter(outcomes)
