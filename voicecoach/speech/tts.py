"""Interviewer voice: pyttsx3 to a WAV (working around its Linux traps), played with sounddevice or kept on disk."""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import time
import wave
from pathlib import Path
from typing import Any

from voicecoach.audio.echo import PlaybackClock
from voicecoach.config import TtsOptions
from voicecoach.errors import ConfigError, DeviceError
from voicecoach.ports import Spoken

SYNTH_TIMEOUT_S = 30.0
_STABLE_POLLS = 2  # the WAV must parse with the same size this many polls in a row
_POLL_S = 0.01
_STABLE_POLLS_WITHOUT_EVENT = 300  # 3 s unchanged
_synth_lock = threading.Lock()  # espeak has one global synthesizer per process


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
    """The installed voices as (id, name), English ones first."""
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
    """A voice id for a --voice value (id, id without family, or name; '+f3'-style variants kept)."""
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
        f"unknown voice {voice!r}; try one of: {examples}; run `voicecoach doctor` to list every installed voice"
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
    """Write text as speech to wav_path (mode 0o600) and return only when the WAV is complete."""
    wav_path = Path(wav_path)
    if not text.strip():
        raise ValueError("nothing to say: the text is empty")
    voice_id = resolve_voice(voice)
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
            if voice_id:
                engine.setProperty("voice", voice_id)
            # The espeak driver prints "Audio saved to ..." on stdout; keep the interview screen clean.
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(_speakable(text), str(tmp))
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


def _speakable(text: str) -> str:
    """Text without markup characters espeak would read aloud."""
    return re.sub(r"[*_`#>]+", " ", text).strip()


def wav_duration_s(path: Path) -> float:
    """Length of a WAV in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def estimate_duration_s(text: str, rate_wpm: int) -> float:
    """How long text takes to say at rate_wpm."""
    return len(text.split()) * 60.0 / max(1, rate_wpm)


class Pyttsx3Speaker:
    """ports.Speaker: synthesize each line to a WAV in cache_dir, play it, return when playback ends."""

    def __init__(self, options: TtsOptions, cache_dir: Path, echo: PlaybackClock | None = None) -> None:
        self.options = options
        self.cache_dir = Path(cache_dir)
        self.echo = echo  # told when playback ends, so the microphone drops what it heard of it
        self._count = 0
        resolve_voice(options.voice)  # fail early on an unknown --voice

    def say(self, text: str) -> Spoken:
        """Speak text out loud; raises DeviceError when there is no output device."""
        t0 = time.perf_counter()
        sd = _output_device()
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        wav = synthesize(
            text, self.cache_dir / f"line-{self._count:03d}.wav", self.options.voice, self.options.rate_wpm
        )
        import numpy as np

        with wave.open(str(wav), "rb") as w:
            rate = w.getframerate()
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        try:
            started = time.perf_counter()
            sd.play(samples, rate)
            stream = sd.get_stream()
            latency = float(getattr(stream, "latency", 0.0) or 0.0)
            sd.wait()
        except (sd.PortAudioError, OSError) as e:
            raise DeviceError(f"playing the interviewer's voice failed ({e}); {_NO_OUTPUT_FIX}") from e
        finally:
            if self.echo is not None:
                self.echo.done()
        return Spoken(text, wav, samples.size / rate, first_sample_latency_s=started - t0 + latency)


_NO_OUTPUT_FIX = (
    "use `--voice-out none` to read the questions on screen, or `--voice-out DIR` to write each line as a WAV; "
    "`voicecoach devices` lists the sound devices"
)


def _output_device() -> Any:
    """The sounddevice module, once an output device is known to exist."""
    try:
        import sounddevice as sd
    except OSError as e:  # PortAudio missing
        raise DeviceError(
            f"no sound output: PortAudio is missing ({e}); install libportaudio2, or {_NO_OUTPUT_FIX}"
        ) from e
    try:
        sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError) as e:
        raise DeviceError(f"no sound output device found ({e}); {_NO_OUTPUT_FIX}") from e
    return sd


class WavDirSpeaker:
    """ports.Speaker: one numbered WAV per line (001-interviewer.wav ...) in out_dir, nothing played."""

    def __init__(self, options: TtsOptions, out_dir: Path) -> None:
        self.options = options
        self.out_dir = Path(out_dir)
        self._count = 0
        resolve_voice(options.voice)

    def say(self, text: str) -> Spoken:
        """Write the line's WAV and return once it is complete."""
        t0 = time.perf_counter()
        self.out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        path = self.out_dir / f"{self._count:03d}-interviewer.wav"
        synthesize(text, path, self.options.voice, self.options.rate_wpm)
        return Spoken(text, path, wav_duration_s(path), first_sample_latency_s=time.perf_counter() - t0)


class SilentSpeaker:
    """ports.Speaker that makes no sound (the interview loop prints the line); duration from word count."""

    def __init__(self, options: TtsOptions) -> None:
        self.options = options

    def say(self, text: str) -> Spoken:
        """Return at once with an estimated duration."""
        return Spoken(text, None, estimate_duration_s(text, self.options.rate_wpm))
