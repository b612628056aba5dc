"""Read aloud in Debian's Chromium, which has no voice at all: the button is there on the kiosk (1080x1920)
and on the web, and pressing it plays the server's audio for the page; with JavaScript off it is a link to
that audio. A browser that has a voice for the page's language uses it and asks the server for nothing."""

import pytest

from tests.support.browser import KIOSK_HOME, PHONE, open_kiosk
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks

pytestmark = pytest.mark.browser
NO_VOICES = "window.speechSynthesis && Object.defineProperty(window.speechSynthesis, 'getVoices', {value: () => []});"
A_VOICE = """
window.__spoken = [];
Object.defineProperty(window.speechSynthesis, 'getVoices', {value: () => [{lang: 'zh-CN', name: 'test'}]});
Object.defineProperty(window.speechSynthesis, 'speak', {value: (u) => { window.__spoken.push([u.lang, u.text.length]); }});
"""


def kiosk_page(live, context_factory, javascript=True):
    return open_kiosk(live, context_factory, javascript=javascript, has_touch=True, init_script=NO_VOICES)


def play_and_listen(page):
    """Press read aloud; the audio the page plays, as the browser received and decoded it."""
    with page.expect_response(lambda r: "/speech?" in r.url) as answer:
        page.locator(".read-aloud").click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "audio/wav"
    page.wait_for_function("window.linliReadAloudAudio && window.linliReadAloudAudio.readyState >= 2", timeout=15_000)
    return page.evaluate(
        "(() => { const a = window.linliReadAloudAudio; return {duration: a.duration, error: a.error && a.error.code}; })()"
    )


def test_a_kiosk_with_no_voice_plays_the_servers_audio(live, context_factory):
    page = kiosk_page(live, context_factory)
    assert page.evaluate("speechSynthesis.getVoices().length") == 0
    assert page.locator(".read-aloud").is_visible()
    heard = play_and_listen(page)
    assert heard["error"] is None and heard["duration"] > 3
    assert page.locator(".read-aloud").get_attribute("aria-pressed") == "true"
    assert page.locator(".read-aloud").inner_text() == "停止朗读"
    page.locator(".read-aloud").click()
    assert page.evaluate("window.linliReadAloudAudio.paused") is True
    assert page.locator(".read-aloud").inner_text() == "朗读本页"


def test_on_the_web_too_and_in_english(live, context_factory):
    context = context_factory(viewport=PHONE)
    context.add_init_script(NO_VOICES)
    page = context.new_page()
    page.goto(f"{live.url}/health/?lang=en")
    heard = play_and_listen(page)
    assert heard["error"] is None and heard["duration"] > 1


def test_a_browser_with_a_voice_uses_it(live, context_factory):
    context = context_factory(viewport=PHONE)
    context.add_init_script(A_VOICE)
    page = context.new_page()
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/speech?" in r.url else None)
    page.goto(f"{live.url}/health/")
    page.locator(".read-aloud").click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0][0] == "zh-CN" and spoken[0][1] > 20
    assert asked == []


def test_with_javascript_off_the_button_is_a_link_to_the_audio(live, context_factory):
    page = kiosk_page(live, context_factory, javascript=False)
    link = page.locator("a.read-aloud")
    assert link.is_visible() and link.inner_text() == "朗读本页"
    response = page.request.get(live.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "audio/wav" and len(response.body()) > 50_000


@IN_BOTH_LANGUAGES
def test_the_read_aloud_and_speed_controls_pass_axe(live, context_factory, lang):
    page = kiosk_page(live, context_factory)
    page.goto(f"{live.url}/kiosk?lang={lang}")
    checks = PageChecks(lang=lang, reflow=True)
    checks.check(page, "kiosk home")
    assert page.locator(".kiosk-read-aloud").bounding_box()["height"] >= 60
    page.locator("button[name=speech]").click()
    page.wait_for_url(KIOSK_HOME)
    assert page.locator("button[name=speech]").get_attribute("aria-pressed") == "true"
    assert page.locator(".read-aloud").get_attribute("data-speech-rate") == "slow"
    checks.check(page, "kiosk home, slow reading")
    assert not checks, checks
