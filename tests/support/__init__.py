"""What the tests share: fixtures (loaded by tests/conftest.py through `pytest_plugins`) and plain helpers.

- app.py: the database (SQLite or a throwaway PostgreSQL, pg.py), the app, the page-checking client.
- signin.py: the `auth` fixture and `sign_in`.
- health.py, kiosk.py: the fixed-clock test station, the activated kiosk and its resident.
- records.py: residents and what the database recorded (audit events, the last request).
- flows.py: walking a resident through a flow page by page.
- browser.py, browser_checks.py: the live server, Chromium, and the one accessibility check of a page.

A test module imports from here, never from another test module (tests/test_layout.py checks it).
"""
