"""gunicorn settings for the two-host test (tests/support/hosts.py): each worker, right after it is
forked and before it loads the app, travels to the test run's clock (time-machine, ticking), so the
hosts live at the same moment as the test that made their data, sessions and kiosk codes.

LINLI_HOST_CLOCK_OFFSET is the test clock minus the real clock, in seconds. gunicorn's own timeouts
use time.monotonic(), which time-machine leaves alone.
"""

import os
import time

import time_machine

travellers = []


def post_fork(server, worker):
    offset = float(os.environ.get("LINLI_HOST_CLOCK_OFFSET", "0"))
    traveller = time_machine.travel(time.time() + offset, tick=True)
    traveller.start()
    travellers.append(traveller)
