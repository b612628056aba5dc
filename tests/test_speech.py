"""Read-aloud spoken by the server: numbers and times said the way people say them, real audio in Chinese
and English (longer text, longer audio; never silence), the cache for pages without personal data and
none for pages with it, the visitor's own session rules, and odd addresses answered without a 500."""

import array
import io
import time
import wave

import pytest

from portal.services.speech_engine import engine
from portal.services.speech_text import speakable

from tests.support.kiosk import activate, new_code
from tests.support.signin import sign_in


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("10:30", "十点半"),
        ("08:00", "八点"),
        ("02:00", "两点"),
        ("14:05", "十四点零五分"),
        ("时间 08:30–09:00", "时间 八点半到九点"),
        ("2026年11月26日", "二零二六年十一月二十六日"),
        ("排队号 12", "排队号 十二"),
        ("105 人", "一百零五 人"),
        ("电话 139****0000", "电话 一三九零零零零"),
        ("居民号 12345678", "居民号 一二三四五六七八"),
        ("王*明", "王明"),
    ],
)
def test_chinese_numbers_and_times_are_said_as_people_say_them(text, said):
    assert speakable(text, "zh") == said


def test_english_keeps_its_numbers_and_reads_ranges():
    assert speakable("08:30–09:00, queue number 3", "en") == "8:30 to 9:00, queue number 3"


def audio(wav: bytes) -> tuple[float, float]:
    """(seconds, loudness as the root mean square of the samples, 0 to 32767)."""
    with wave.open(io.BytesIO(wav)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
        frames = sound.readframes(sound.getnframes())
        seconds = sound.getnframes() / sound.getframerate()
    samples = array.array("h", frames)
    return seconds, (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


@pytest.mark.parametrize(
    ("lang", "short", "long"),
    [
        ("zh", "您好。", "您好。您的预约是十一月二十六日八点半，在南湖社区智慧健康站，排队号十二。请带上社保卡。"),
        ("en", "Hello.", "Hello. Your appointment is on Thursday at half past eight, queue number twelve."),
    ],
)
def test_the_engine_speaks_both_languages_longer_for_longer_text(lang, short, long):
    short_seconds, short_loudness = audio(engine.wav(short, lang))
    long_seconds, long_loudness = audio(engine.wav(long, lang))
    assert 0.3 < short_seconds < long_seconds
    assert long_seconds > 3 * short_seconds
    assert short_loudness > 300 and long_loudness > 300  # speech, not silence
    slow_seconds, _ = audio(engine.wav(long, lang, "slow"))
    assert slow_seconds > 1.2 * long_seconds


@pytest.fixture
def cache(app, tmp_path):
    app.config["PORTAL_SPEECH_CACHE"] = str(tmp_path / "speech")
    return tmp_path / "speech"


def files(folder):
    return sorted(p.name for p in folder.glob("*.wav")) if folder.exists() else []


def test_a_page_without_personal_data_is_cached_and_the_second_request_is_a_hit(client, cache):
    first = client.get("/speech?path=/health/")
    assert first.status_code == 200 and first.mimetype == "audio/wav"
    assert first.headers["X-Speech-Cache"] == "miss" and len(files(cache)) == 1
    started = time.perf_counter()
    second = client.get("/speech?path=/health/")
    assert second.headers["X-Speech-Cache"] == "hit" and second.data == first.data
    assert time.perf_counter() - started < 0.5
    english = client.get("/speech", query_string={"path": "/health/?lang=en"})
    assert english.headers["X-Speech-Cache"] == "miss" and english.data != first.data and len(files(cache)) == 2
    seconds, loudness = audio(first.data)
    assert seconds > 2 and loudness > 300


def test_the_kiosk_home_is_cached_until_someone_is_identified(app, client, cache, senior):
    assert activate(client, new_code(app)).status_code == 303
    client.get("/kiosk")
    at_kiosk = client.get("/speech?path=/kiosk")
    assert at_kiosk.headers["X-Speech-Cache"] == "miss"
    assert client.get("/speech?path=/kiosk").headers["X-Speech-Cache"] == "hit"
    # The page is read as this browser sees it: a browser that is not the kiosk hears "not a kiosk".
    elsewhere = app.test_client().get("/speech?path=/kiosk")
    assert elsewhere.data != at_kiosk.data and len(files(cache)) == 2
    client.submit("/kiosk/identify", {"token": senior["token"], "next": ""})
    personal = client.get("/speech?path=/kiosk")
    assert personal.status_code == 200 and personal.headers["X-Speech-Cache"] == "off"
    assert personal.data != at_kiosk.data  # it says whom the kiosk has identified
    assert personal.headers["Cache-Control"] == "no-store" and len(files(cache)) == 2


def test_speech_follows_the_session_rules_of_the_page(client, auth, cache):
    assert client.get("/speech?path=/me").status_code == 404  # the page would ask for a sign-in
    sign_in(auth, "staff")
    staff = client.get("/speech?path=/me")
    assert staff.status_code == 200 and staff.headers["Cache-Control"] == "no-store"
    assert staff.headers["X-Speech-Cache"] == "off" and files(cache) == []


def test_a_named_part_is_read_alone(client, cache):
    whole = client.get("/speech?path=/privacy")
    part = client.get("/speech?path=/privacy&part=main")
    assert audio(part.data)[0] == pytest.approx(audio(whole.data)[0], rel=0.01)
    assert client.get("/speech?path=/privacy&part=no-such-part").status_code == 404


def test_the_slow_preference_reads_slower(client, cache):
    normal = audio(client.get("/speech?path=/privacy").data)[0]
    client.submit("/preferences", {"speech": "slow", "next": "/privacy"})
    assert 'name="speech" value="normal" class="pref-button" aria-pressed="true"' in client.get("/privacy").get_data(
        as_text=True
    )
    assert audio(client.get("/speech?path=/privacy").data)[0] > 1.2 * normal


@pytest.mark.parametrize(
    "path",
    [
        "",
        "//evil.example/x",
        "http://evil.example/",
        "/speech?path=/",
        "/static/css/site.css",
        "/\x00",
        "/nope",
        "/" + "a" * 3000,
        "\\\\evil",
        "/health/bookings/NOPE1234",
    ],
)
def test_odd_addresses_get_nothing_to_read_and_never_a_500(client, cache, path):
    assert client.get("/speech", query_string={"path": path}).status_code == 404


def test_a_typical_page_is_spoken_in_well_under_a_second(client, cache):
    started = time.perf_counter()
    response = client.get("/speech?path=/")
    took = time.perf_counter() - started
    assert response.headers["X-Speech-Cache"] == "miss"
    assert took < 1.5, f"{took:.2f} s"  # about 0.25 s when the machine is quiet
