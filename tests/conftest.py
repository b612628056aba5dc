"""The shared fixtures live in tests/support/; pytest loads them here, from the top conftest, the only
place where pytest accepts `pytest_plugins`."""

pytest_plugins = [
    "tests.support.app",
    "tests.support.signin",
    "tests.support.health",
    "tests.support.kiosk",
    "tests.support.factories",
    "tests.support.browser",
    "tests.support.hosts",
    "tests.support.stats",
]
