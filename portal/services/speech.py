"""Read-aloud audio: a page's text spoken by eSpeak NG (speech_engine.py), cached on disk by a hash of
(text, language, speed) so the same page asked for again costs nothing. Only pages without anyone's
personal data are cached: the caller says which (`personal`), and personal audio never touches the disk.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .speech_engine import engine

SPEEDS = ("normal", "slow")
# Part of every cache key: a new engine or new number rules make new files instead of reusing old ones.
VOICE_VERSION = "espeak-ng-1.52/1"


@dataclass(frozen=True)
class Spoken:
    wav: bytes
    key: str
    cache: str  # "hit", "miss" (made and kept), "off" (personal: made and not kept)


def speech_key(text: str, lang: str, speed: str) -> str:
    return hashlib.sha256("\0".join((VOICE_VERSION, lang, speed, text)).encode("utf-8")).hexdigest()


def speak(text: str, lang: str, speed: str, *, personal: bool, cache_dir: Path | None) -> Spoken:
    """`text` (already speakable) as WAV audio, from the cache when it may be and is there."""
    speed = speed if speed in SPEEDS else "normal"
    key = speech_key(text, lang, speed)
    if personal or cache_dir is None:
        return Spoken(engine.wav(text, lang, speed), key, "off")
    path = cache_dir / f"{key}.wav"
    if path.exists():
        return Spoken(path.read_bytes(), key, "hit")
    wav = engine.wav(text, lang, speed)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written whole and then renamed, so a second worker never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(wav)
    os.replace(temporary, path)
    return Spoken(wav, key, "miss")
