"""espeak-ng through pyttsx3: the voice that always works (WAVs, working around pyttsx3's Linux traps) and IPA phonemes."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import tempfile
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.errors import ConfigError, DeviceError
from voicecoach.ports import AudioArray
from voicecoach.speech.trim import trim_silence

DEFAULT_ESPEAK_VOICE = "en-us"  # espeak's plain "en" is British-Received and was misheard more (issue 14)
SYNTH_TIMEOUT_S = 30.0
_STABLE_POLLS = 2  # the WAV must parse with the same size this many polls in a row
_POLL_S = 0.01
_STABLE_POLLS_WITHOUT_EVENT = 300  # 3 s unchanged
_synth_lock = threading.RLock()  # espeak has one global synthesizer per process (pyttsx3 and the phonemizer share it)


def _engine() -> Any:
    """The process's pyttsx3 engine (pyttsx3 caches it; espeak can only be initialised once)."""
    try:
        import pyttsx3

        return pyttsx3.init()
    except (ImportError, RuntimeError, OSError) as e:
        raise DeviceError(
            f"text-to-speech is unavailable ({e}); on Debian/Ubuntu `apt install libespeak-ng1`, "
            "or use `--voice-out none`"
        ) from e


def list_voices() -> list[tuple[str, str]]:
    """The installed espeak voices as (id, name), English ones first."""
    return [(vid, name) for vid, name, _langs in _voices()]


def _voices() -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, name, language codes) of every installed voice, English ones first."""
    with _synth_lock:
        voices = [
            (str(v.id), str(v.name), tuple(str(x).lower() for x in (v.languages or ())))
            for v in _engine().getProperty("voices")
        ]
    return sorted(voices, key=lambda v: (not _is_english((v[0], v[1])), v[0]))


def _is_english(voice: tuple[str, str]) -> bool:
    return voice[0].split("/")[-1].startswith("en") or voice[1].lower().startswith("english")


def resolve_voice(voice: str | None) -> str | None:
    """An espeak voice id for a --voice value (id, id without family, or name; '+f3'-style variants kept)."""
    if not voice:
        return None
    base, plus, variant = voice.partition("+")
    voices = _voices()
    wanted = base.strip().lower()
    for vid, name, _langs in voices:
        if wanted in (vid.lower(), vid.lower().split("/")[-1], name.lower()):
            return vid + plus + variant
    for vid, _name, langs in voices:  # a language code such as en-gb
        if wanted in langs:
            return vid + plus + variant
    examples = ", ".join(f"{vid} ({name})" for vid, name, _langs in voices[:6])
    raise ConfigError(
        f"unknown voice {voice!r}; try `--voice joe` (the natural voice) or an espeak voice: {examples}; "
        "run `voicecoach doctor` to list every installed voice"
    )


def _complete_wav(path: Path) -> int | None:
    """The frame count if path is a WAV whose header matches its size, else None."""
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as w:
            frames = w.getnframes()
            expected = 44 + frames * w.getsampwidth() * w.getnchannels()
    except (OSError, EOFError, wave.Error):
        return None
    return frames if frames > 0 and size >= expected else None


def synthesize(text: str, wav_path: Path, voice: str | None, rate_wpm: int) -> Path:
    """Write text (as given) as speech to wav_path (mode 0o600) and return only when the WAV is complete."""
    wav_path = Path(wav_path)
    if not text.strip():
        raise ValueError("nothing to say: the text is empty")
    voice_id = resolve_voice(voice or DEFAULT_ESPEAK_VOICE)
    tmp = wav_path.with_name(f".{wav_path.name}.{os.getpid()}.part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    finished = threading.Event()
    with _synth_lock:
        engine = _engine()
        token = engine.connect("finished-utterance", lambda name=None, completed=True: finished.set())
        try:
            # Re-set every property each time: on Linux a change made between utterances can be ignored.
            engine.setProperty("rate", int(rate_wpm))
            engine.setProperty("volume", 1.0)
            engine.setProperty("voice", voice_id)
            # The espeak driver prints "Audio saved to ..." on stdout; keep the interview screen clean.
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(re.sub(r"[*_`#>]+", " ", text).strip(), str(tmp))
                engine.runAndWait()  # may return before the file exists: wait below
                _wait_for_wav(tmp, finished, wav_path)
        finally:
            engine.disconnect(token)
    os.chmod(tmp, 0o600)
    os.replace(tmp, wav_path)
    return wav_path


def _wait_for_wav(tmp: Path, finished: threading.Event, final: Path) -> None:
    """Poll until the utterance finished and the WAV parses with a stable size, or time out."""
    deadline = time.monotonic() + SYNTH_TIMEOUT_S
    last, stable = -1, 0
    while time.monotonic() < deadline:
        frames = _complete_wav(tmp) if tmp.exists() else None
        if frames is not None:
            stable = stable + 1 if frames == last else 0
            last = frames
            # Before the finished-utterance event a stable size proves nothing: under CPU load espeak
            # pauses mid-utterance and a 20 ms check cut a 15 s line to 9 s. Without the event, only a
            # long silence from the writer counts as done (for drivers that never send it).
            if stable >= (_STABLE_POLLS if finished.is_set() else _STABLE_POLLS_WITHOUT_EVENT):
                return
        time.sleep(_POLL_S)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    raise DeviceError(
        f"text-to-speech did not finish writing {final} within {SYNTH_TIMEOUT_S:.0f} s; check that espeak-ng works "
        "(`espeak-ng hello`), or use `--voice-out none`"
    )


def read_wav(path: Path) -> tuple[AudioArray, int]:
    """A 16-bit mono WAV as float32 samples and its sample rate."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return (pcm.astype(np.float32) / 32768.0), rate


class EspeakVoice:
    """A Voice: espeak-ng (en-us unless told otherwise) at rate_wpm words per minute."""

    engine = "espeak-ng"

    def __init__(self, voice: str | None = None, rate_wpm: int = 160) -> None:
        self.voice_id = resolve_voice(voice or DEFAULT_ESPEAK_VOICE)  # an unknown voice fails here, early
        self.name = f"espeak {(voice or DEFAULT_ESPEAK_VOICE)}"
        self.rate_wpm = rate_wpm

    def stream(self, text: str) -> Iterator[tuple[AudioArray, int]]:
        """One paragraph in one piece (espeak is fast enough), edge silence trimmed."""
        with tempfile.TemporaryDirectory(prefix="voicecoach-tts-") as tmp:
            audio, rate = read_wav(synthesize(text, Path(tmp) / "p.wav", self.voice_id, self.rate_wpm))
        yield trim_silence(audio, rate), rate


_PHONEMES_IPA = 0x02  # espeakPHONEMES_IPA
_CHARS_UTF8 = 1  # espeakCHARS_UTF8


_library: Any = None


def _espeak_library() -> Any:
    """libespeak-ng as pyttsx3 loaded and initialised it (one synthesizer per process: share, never re-initialise)."""
    global _library  # one per process, like the synthesizer itself
    _engine()
    if _library is not None:
        return _library
    try:
        from pyttsx3.drivers import _espeak

        lib = _espeak.dll
    except (ImportError, AttributeError):
        lib = None
    lib = lib or ctypes.CDLL("libespeak-ng.so.1")  # same handle: dlopen returns the loaded library
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    _library = lib
    return lib


def phonemize(text: str, voice: str = DEFAULT_ESPEAK_VOICE) -> str:
    """espeak-ng's IPA for one clause of text (words separated by spaces, no punctuation)."""
    with _synth_lock:
        lib = _espeak_library()
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ConfigError(f"espeak-ng has no voice {voice!r} for phonemes; install espeak-ng-data")
        buf = ctypes.create_string_buffer(text.encode("utf-8"))
        pointer = ctypes.c_void_p(ctypes.addressof(buf))
        parts: list[str] = []
        while pointer.value:  # espeak returns one of its own clauses per call and advances the pointer
            out = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
            if out:
                parts.append(out.decode("utf-8", "replace").strip())
    # "(fr)" style flags surround words espeak switched language for; the voice model has no such symbols.
    return re.sub(r"\([^)]*\)", "", " ".join(p for p in parts if p)).strip()
