"""Interviewer voice: each line in spoken form, paragraphs apart, kept as <session>/voice/line-NN.wav; played or not."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.audio.echo import PlaybackClock
from voicecoach.audio.io import write_wav
from voicecoach.config import TtsOptions
from voicecoach.errors import DeviceError
from voicecoach.ports import AudioArray, Spoken
from voicecoach.speech.espeak_voice import list_voices, resolve_voice, synthesize
from voicecoach.speech.spoken import spoken_paragraphs
from voicecoach.speech.voices import Voice, check_voice, load_voice

__all__ = [
    "LineWriter", "SilentSpeaker", "SounddeviceSpeaker", "WavDirSpeaker", "estimate_duration_s", "iter_line",
    "list_voices", "render_line", "resolve_voice", "synthesize", "wav_duration_s",
]  # fmt: skip


def iter_line(voice: Voice, text: str, paragraph_pause_s: float) -> Iterator[tuple[AudioArray, int]]:
    """text as spoken by voice, piece by piece: each paragraph's speech, paragraph_pause_s of silence between.

    Yields nothing when there is nothing to voice (markup or punctuation only).
    """
    said = False
    for paragraph in spoken_paragraphs(text):
        for j, (audio, rate) in enumerate(voice.stream(paragraph)):
            if said and not j:
                yield np.zeros(round(paragraph_pause_s * rate), dtype=np.float32), rate
            said = True
            yield audio, rate


def render_line(voice: Voice, text: str, paragraph_pause_s: float) -> tuple[AudioArray, int]:
    """The whole of iter_line as one array and its sample rate (empty, rate 0, when there is nothing to voice)."""
    pieces = list(iter_line(voice, text, paragraph_pause_s))
    if not pieces:
        return np.zeros(0, dtype=np.float32), 0
    return np.concatenate([audio for audio, _ in pieces]).astype(np.float32), pieces[0][1]


class LineWriter:
    """Writes line-01.wav, line-02.wav ... into a folder, numbering on after lines already there (resume)."""

    def __init__(self, voice: Voice, folder: Path, paragraph_pause_s: float) -> None:
        self.voice = voice
        self.folder = Path(folder)
        self.paragraph_pause_s = paragraph_pause_s
        numbers = [int(m.group(1)) for p in _listing(self.folder) if (m := re.fullmatch(r"line-(\d+)\.wav", p))]
        self._count = max(numbers, default=0)

    def write(self, text: str) -> tuple[Path | None, AudioArray, int]:
        """Render text and keep it; returns the path (None: nothing to voice), the samples and their rate."""
        audio, rate = render_line(self.voice, text, self.paragraph_pause_s)
        return (self.keep(audio, rate) if audio.size else None), audio, rate

    def keep(self, audio: AudioArray, rate: int) -> Path:
        """Write the next line's WAV atomically (mode 0o600)."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        path = self.folder / f"line-{self._count:02d}.wav"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        write_wav(tmp, audio, rate)
        os.replace(tmp, path)
        return path


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def wav_duration_s(path: Path) -> float:
    """Length of a WAV in seconds."""
    import wave

    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def estimate_duration_s(text: str, rate_wpm: int) -> float:
    """How long text takes to say at rate_wpm."""
    return len(text.split()) * 60.0 / max(1, rate_wpm)


class SounddeviceSpeaker:
    """ports.Speaker: play each line as it is synthesised (from its first sentence), keep it as a WAV, return at the end."""

    def __init__(
        self, options: TtsOptions, voice_dir: Path, echo: PlaybackClock | None = None, voice: Voice | None = None
    ) -> None:
        self.options = options
        self.echo = echo  # told when playback ends, so the microphone drops what it heard of it
        self.lines = LineWriter(voice or load_voice(options.voice, options.rate_wpm), voice_dir, options.paragraph_pause_s)

    def say(self, text: str) -> Spoken:
        """Speak text out loud; raises DeviceError when there is no output device."""
        t0 = time.perf_counter()
        sd = _output_device()
        pieces = iter_line(self.lines.voice, text, self.options.paragraph_pause_s)
        first, rate = next(pieces, (None, 0))
        if first is None:  # nothing to voice (markup only): a session must not fail on it
            return Spoken(text, None, 0.0)
        feed = _Feed(first)
        kept = [first]
        try:
            stream = sd.OutputStream(
                samplerate=rate, channels=1, dtype="float32", callback=feed.callback, finished_callback=feed.ended.set
            )
            with stream:
                started = time.perf_counter()
                for audio, _ in pieces:  # synthesis runs ahead of playback; the callback reads what is ready
                    feed.put(audio)
                    kept.append(audio)
                feed.close()
                total_s = sum(a.size for a in kept) / rate
                feed.ended.wait(timeout=total_s + 10.0)
                latency = float(getattr(stream, "latency", 0.0) or 0.0)
        except (sd.PortAudioError, OSError) as e:
            raise DeviceError(f"playing the interviewer's voice failed ({e}); {_NO_OUTPUT_FIX}") from e
        finally:
            if self.echo is not None:
                self.echo.done()
        samples = np.concatenate(kept)
        wav = self.lines.keep(samples, rate)
        return Spoken(text, wav, samples.size / rate, first_sample_latency_s=started - t0 + latency)


class _Feed:
    """Audio handed from the synthesising thread to PortAudio's callback; silence while the next piece is not ready."""

    def __init__(self, first: AudioArray) -> None:
        self._pieces: deque[AudioArray] = deque([first])
        self._pos = 0
        self._closed = False
        self._lock = threading.Lock()
        self.ended = threading.Event()

    def put(self, audio: AudioArray) -> None:
        """Queue the next piece."""
        with self._lock:
            self._pieces.append(audio)

    def close(self) -> None:
        """No more pieces: the stream stops once the queue is played."""
        with self._lock:
            self._closed = True

    def callback(self, outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's callback: fill outdata from the queue."""
        out = outdata[:, 0]
        filled = 0
        with self._lock:
            while filled < frames and self._pieces:
                piece = self._pieces[0]
                take = min(frames - filled, piece.size - self._pos)
                out[filled : filled + take] = piece[self._pos : self._pos + take]
                filled += take
                self._pos += take
                if self._pos >= piece.size:
                    self._pieces.popleft()
                    self._pos = 0
            done = self._closed and not self._pieces
        out[filled:] = 0.0
        if done:
            import sounddevice as sd

            raise sd.CallbackStop


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
    """ports.Speaker: each line's WAV in the session's voice folder, and a numbered copy (001-interviewer.wav) in out_dir
    when out_dir is another folder."""

    def __init__(self, options: TtsOptions, out_dir: Path, voice_dir: Path, voice: Voice | None = None) -> None:
        self.options = options
        self.out_dir = Path(out_dir)
        self.lines = LineWriter(voice or load_voice(options.voice, options.rate_wpm), voice_dir, options.paragraph_pause_s)
        self._count = 0

    def say(self, text: str) -> Spoken:
        """Write the line's WAVs and return once both are complete; Spoken.wav is the session's copy."""
        t0 = time.perf_counter()
        wav, samples, rate = self.lines.write(text)
        if wav is None:  # nothing to voice (markup only): a session must not fail on it
            return Spoken(text, None, 0.0)
        if self.out_dir.resolve() != wav.parent.resolve():  # a folder of the user's: a numbered copy there too
            self.out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._count += 1
            copy = self.out_dir / f"{self._count:03d}-interviewer.wav"
            shutil.copyfile(wav, copy)
            os.chmod(copy, 0o600)
        return Spoken(text, wav, samples.size / rate, first_sample_latency_s=time.perf_counter() - t0)


class SilentSpeaker:
    """ports.Speaker that makes no sound and writes nothing (the loop prints the line); duration from word count."""

    def __init__(self, options: TtsOptions) -> None:
        self.options = options
        check_voice(options.voice)  # a wrong --voice is still a mistake worth hearing about before the session

    def say(self, text: str) -> Spoken:
        """Return at once with an estimated duration."""
        return Spoken(text, None, estimate_duration_s(text, self.options.rate_wpm))
