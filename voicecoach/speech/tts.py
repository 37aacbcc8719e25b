"""Interviewer voice: each line in spoken form, paragraphs apart, kept as <session>/voice/line-NN.wav; played or not."""

from __future__ import annotations

import os
import re
import shutil
import time
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
    "LineWriter", "SilentSpeaker", "SounddeviceSpeaker", "WavDirSpeaker", "estimate_duration_s", "list_voices",
    "render_line", "resolve_voice", "synthesize", "wav_duration_s",
]  # fmt: skip


def render_line(voice: Voice, text: str, paragraph_pause_s: float) -> tuple[AudioArray, int]:
    """text as spoken by voice: each paragraph rendered, paragraph_pause_s of silence between them."""
    paragraphs = spoken_paragraphs(text)
    if not paragraphs:
        raise ValueError("nothing to say: the text is empty")
    chunks: list[AudioArray] = []
    rate = 0
    for paragraph in paragraphs:
        audio, rate = voice.render(paragraph)
        if chunks:
            chunks.append(np.zeros(round(paragraph_pause_s * rate), dtype=np.float32))
        chunks.append(_trim(audio, rate))
    return np.concatenate(chunks).astype(np.float32), rate


def _trim(audio: AudioArray, rate: int, floor: float = 0.01, keep_s: float = 0.05) -> AudioArray:
    """Drop leading and trailing silence (keeping a few ms) so the pause between paragraphs is the one we set."""
    loud = np.flatnonzero(np.abs(audio) > floor)
    if loud.size == 0:
        return audio
    keep = int(keep_s * rate)
    return audio[max(0, loud[0] - keep) : loud[-1] + keep + 1]


class LineWriter:
    """Writes line-01.wav, line-02.wav ... into a folder, numbering on after lines already there (resume)."""

    def __init__(self, voice: Voice, folder: Path, paragraph_pause_s: float) -> None:
        self.voice = voice
        self.folder = Path(folder)
        self.paragraph_pause_s = paragraph_pause_s
        numbers = [int(m.group(1)) for p in _listing(self.folder) if (m := re.fullmatch(r"line-(\d+)\.wav", p))]
        self._count = max(numbers, default=0)

    def write(self, text: str) -> tuple[Path, AudioArray, int]:
        """Render text and write it atomically (mode 0o600); returns the path, the samples and their rate."""
        audio, rate = render_line(self.voice, text, self.paragraph_pause_s)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        path = self.folder / f"line-{self._count:02d}.wav"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        write_wav(tmp, audio, rate)
        os.replace(tmp, path)
        return path, audio, rate


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
    """ports.Speaker: write each line's WAV into the session's voice folder, play it, return when playback ends."""

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
        wav, samples, rate = self.lines.write(text)
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
    """ports.Speaker: each line's WAV in the session's voice folder, and a numbered copy (001-interviewer.wav) in out_dir."""

    def __init__(self, options: TtsOptions, out_dir: Path, voice_dir: Path, voice: Voice | None = None) -> None:
        self.options = options
        self.out_dir = Path(out_dir)
        self.lines = LineWriter(voice or load_voice(options.voice, options.rate_wpm), voice_dir, options.paragraph_pause_s)
        self._count = 0

    def say(self, text: str) -> Spoken:
        """Write the line's WAVs and return once both are complete; Spoken.wav is the session's copy."""
        t0 = time.perf_counter()
        wav, samples, rate = self.lines.write(text)
        self.out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        copy = self.out_dir / f"{self._count:03d}-interviewer.wav"
        if copy.resolve() != wav.resolve():
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
