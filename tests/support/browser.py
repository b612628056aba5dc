"""Browser fixtures: the app served on a free port, and Debian's Chromium driven by Playwright.

Chromium is never downloaded. If /usr/bin/chromium is missing, these tests fail with one line that
says how to install it (`make test` installs it with apt when run as root).
"""

import os
import re
import threading

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from portal.models import Kiosk, Resident
from portal.services.cards import card_token

from .app import restore_snapshot, test_config
from .kiosk import DEMO_KIOSK, new_code

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
# A folder: the browser tests save what they show there, to look at (`LINLI_SCREENSHOTS=/tmp/shots make test`).
SHOTS = os.environ.get("LINLI_SCREENSHOTS")


def shot(page, name: str) -> None:
    """The whole page as SHOTS/name.png, when a screenshots folder is named; nothing otherwise."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
KIOSK = {"width": 1080, "height": 1920}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
KIOSK_HOME = re.compile(r"^[^?]*/kiosk(\?.*)?$")  # the kiosk's home screen, with or without ?lang=


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_app(database_url, snapshot):
    return create_app(test_config(database_url))


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app).start()
    yield server
    server.stop()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def live(live_server, live_app, snapshot):
    """A live server whose database and rate limits start fresh for this test."""
    with live_app.app_context():
        restore_snapshot(snapshot)
        limiter.reset()  # the counters live in the database (or Redis, if a run names it)
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `sudo apt-get install -y chromium` "
            "(or `make test` as root, which installs it).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(viewport=DESKTOP, javascript=True, **kwargs):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript, locale="zh-CN", **kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    return context_factory().new_page()


def sign_in(page, base_url, username, password="linli-demo"):
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/me")


def issue_code(live) -> str:
    """A fresh activation code for the demo kiosk, to type on the live server's activation page."""
    return new_code(live.app)


def open_kiosk(
    live, context_factory, javascript=True, clock=False, lang="", has_touch=False, init_script=None, tap=False
):
    """A new browser at kiosk size, activated as the demo kiosk the way its installer does it, on the
    kiosk's home screen. `clock` installs Playwright's fake clock; `init_script` runs before each page;
    `tap` activates with a touch (a touch screen, no mouse)."""
    context = context_factory(viewport=KIOSK, javascript=javascript, has_touch=has_touch or tap)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    if clock:
        page.clock.install()
    page.goto(f"{live.url}/kiosk/activate{'?lang=' + lang if lang else ''}")
    page.fill("#code", issue_code(live))
    submit = page.locator("main button[type=submit]")
    submit.tap() if tap else submit.click()
    page.wait_for_url(KIOSK_HOME)
    return page


def sms_code(page, base_url, phone):
    """The newest code the SMS adapter would have sent to `phone`, read on /admin/outbox by a member of
    staff in a browser context of their own (development servers show it; production has no such page)."""
    import re

    context = page.context.browser.new_context(viewport=DESKTOP)
    try:
        staff = context.new_page()
        sign_in(staff, base_url, "staff")
        staff.goto(f"{base_url}/admin/outbox")
        item = staff.locator("li.outbox-message", has_text=f"{phone[:3]}****{phone[-4:]}").first
        return re.search(r"\b(\d{6})\b", item.inner_text()).group(1)
    finally:
        context.close()


def identify_with_code(page, base_url, phone):
    """On /identify/code: type the code from the text message and continue."""
    page.wait_for_url("**/identify/code")
    settle(page)
    page.fill("#code", sms_code(page, base_url, phone))
    page.locator("main form button[type=submit]").first.click()


@pytest.fixture
def live_senior(live):
    """A resident of the demo kiosk's community who has a phone: their masked name as the kiosk shows it,
    phone, birth year and card token, and the demo kiosk's id."""
    with live.app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        return {
            "id": resident.id,
            "masked": resident.name[0] + "*" * (len(resident.name) - 2) + resident.name[-1],
            "phone": resident.phone,
            "birth_year": str(resident.birth_year),
            "token": card_token(resident, live.app.config["SECRET_KEY"]),
            "kiosk_id": db.session.scalars(db.select(Kiosk.id).filter_by(name=DEMO_KIOSK)).one(),
        }


def settle(page) -> None:
    """The page has loaded and htmx has finished with it (JavaScript off: plain page loads).

    htmx changes the address and shows the new page before it settles it, and settling ends by
    focusing the page's [autofocus] field: text typed into another field just before can land in that
    one instead (a phone number typed 14 ms after the identify page appeared went into the card field)."""
    page.wait_for_load_state()
    if getattr(page.context, "linli_javascript", True):
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


class TapJourney:
    """A tap-only kiosk journey at kiosk size: the kiosk is opened, the Neighbours tile tapped, then the hub's
    link to one section. `check(screen)` looks at each screen on the way (axe, target sizes, 320 px reflow)
    and keeps what it found in `problems`; with LINLI_SCREENSHOTS it saves NAME-kiosk-tap-SCREEN.png."""

    def __init__(self, live, context_factory, section: str, name: str):
        from .browser_checks import page_problems

        self.page_problems = page_problems
        self.name = name
        self.problems = {}
        self.page = open_kiosk(live, context_factory, tap=True)
        self.page.get_by_role("link", name=re.compile("邻里")).first.tap()
        self.page.wait_for_url("**/neighbours")
        self.page.get_by_role("link", name=re.compile(section)).tap()

    def check(self, screen: str) -> None:
        settle(self.page)
        found = self.page_problems(self.page, reflow=True)
        if found:
            self.problems[screen] = found
        shot(self.page, f"{self.name}-kiosk-tap-{screen}")
