"""What the tests share: fixtures (loaded by tests/conftest.py through `pytest_plugins`) and plain helpers.

- app.py: the database (SQLite or a throwaway PostgreSQL, pg.py), the app, the page-checking client
  (pagecheck.py checks every HTML page it receives).
- signin.py: the `auth` fixture and `sign_in`.
- health.py, kiosk.py: the fixed-clock test station and its booking helpers, the activated kiosk and
  its resident; health_workers.py: one booking attempt, run in threads or processes.
- factories.py, records.py: rows for service-level tests; residents and what the database recorded
  (audit events, the last request) for HTTP tests.
- flows.py: walking a resident through a flow page by page.
- outbox_senders.py: `send-outbox` processes forked together, with a recording gateway (the outbox tests).
- browser.py, browser_checks.py: the live server, Chromium, and the one accessibility check of a page
  (`page_problems`, `PageChecks`, `IN_BOTH_LANGUAGES`).

A test module imports from here, never from another test module (tests/test_suite_layout.py checks it).
"""
