"""eSpeak NG, from the espeakng-loader wheel (the library and its voice data, Mandarin included), driven
through ctypes: text in, a 16-bit mono WAV out. No network and no model download, ever.

eSpeak keeps one global state per process, so synthesis is serialised by a lock; one page takes well
under a second (tests/test_speech.py measures it).
"""

import ctypes
import io
import threading
import wave

AUDIO_OUTPUT_SYNCHRONOUS = 0x02
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
POS_CHARACTER = 1
VOICES = {"zh": b"cmn", "en": b"en-us"}
# Words per minute: eSpeak's own default is 175.
RATES = {"normal": 160, "slow": 115}

SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class SpeechUnavailable(RuntimeError):
    """eSpeak NG could not be loaded (the espeakng-loader wheel is missing or broken)."""


class Espeak:
    def __init__(self):
        self._lock = threading.Lock()
        self._lib = None
        self._rate = 22050
        self._chunks: list[bytes] = []
        self._callback = SYNTH_CALLBACK(self._collect)  # kept referenced: eSpeak calls it later

    def _collect(self, samples, count, _events):
        if count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def _load(self):
        if self._lib is not None:
            return self._lib
        try:
            import espeakng_loader

            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data = espeakng_loader.get_data_path().encode()
        except (ImportError, OSError, RuntimeError) as error:
            raise SpeechUnavailable(str(error)) from error
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [SYNTH_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if rate <= 0:
            raise SpeechUnavailable("espeak_Initialize failed")
        lib.espeak_SetSynthCallback(self._callback)
        self._rate, self._lib = rate, lib
        return lib

    def wav(self, text: str, lang: str, speed: str = "normal") -> bytes:
        """`text` spoken in `lang` ("zh" or "en") at `speed` ("normal" or "slow"), as WAV bytes."""
        with self._lock:
            lib = self._load()
            lib.espeak_SetVoiceByName(VOICES.get(lang, VOICES["zh"]))
            lib.espeak_SetParameter(ESPEAK_RATE, RATES.get(speed, RATES["normal"]), 0)
            self._chunks = []
            data = text.encode("utf-8") + b"\0"
            buffer = ctypes.create_string_buffer(data)
            lib.espeak_Synth(buffer, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            pcm = b"".join(self._chunks)
            self._chunks = []
        out = io.BytesIO()
        with wave.open(out, "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(self._rate)
            audio.writeframes(pcm)
        return out.getvalue()


engine = Espeak()
