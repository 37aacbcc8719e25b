"""Interviewer voice on the real pyttsx3/espeak-ng engine: complete WAVs, rates that stick, clear errors."""

from __future__ import annotations

import stat
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.io import load_audio
from voicecoach.config import TtsOptions
from voicecoach.errors import ConfigError, DeviceError
from voicecoach.speech.tts import (
    Pyttsx3Speaker,
    SilentSpeaker,
    WavDirSpeaker,
    list_voices,
    resolve_voice,
    synthesize,
    wav_duration_s,
)

QUESTION = (
    "You're the product manager for a photo-sharing app. Last week, weekly photo uploads dropped by twelve "
    "percent. Walk me through how you'd figure out what happened, and what you'd do about it."
)
REPO = Path(__file__).resolve().parents[1]


def _rms(path: Path) -> float:
    return float(np.sqrt(np.mean(load_audio(path) ** 2)))


def test_synthesize_writes_a_complete_audible_user_only_wav(tmp_path: Path) -> None:
    path = synthesize(QUESTION, tmp_path / "q.wav", None, 175)
    assert path == tmp_path / "q.wav"
    with wave.open(str(path)) as w:  # the header matches the data: the file is complete when we return
        assert w.getnframes() * w.getsampwidth() + 44 == path.stat().st_size
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    words = len(QUESTION.split())
    expected = words * 60 / 175
    assert 0.6 * expected < wav_duration_s(path) < 1.6 * expected
    assert _rms(path) > 0.02
    assert not list(tmp_path.glob(".*part"))  # no temporary file left behind


def test_rate_changes_between_utterances_are_applied(tmp_path: Path) -> None:
    durations = {}
    for i, rate in enumerate((120, 240, 120)):
        durations[i] = wav_duration_s(synthesize(QUESTION, tmp_path / f"{i}.wav", "en-us", rate))
    assert durations[0] > 1.6 * durations[1]  # twice the rate, about half the length
    assert abs(durations[2] - durations[0]) < 0.3  # and back again


def test_voice_variants_change_the_sound(tmp_path: Path) -> None:
    line = "Before I dive in, is the drop on all platforms?"
    plain = load_audio(synthesize(line, tmp_path / "a.wav", "en-gb", 175))
    female = load_audio(synthesize(line, tmp_path / "b.wav", "en-gb+f3", 175))

    def crossings(x: np.ndarray) -> float:
        return float(np.mean(np.abs(np.diff(np.sign(x))) > 0))

    assert crossings(female) > 1.15 * crossings(plain)  # higher voice


def test_voices_and_unknown_voice_error() -> None:
    voices = list_voices()
    assert len(voices) > 5
    assert voices[0][1].lower().startswith("english")
    assert resolve_voice("en-us") == "gmw/en-us"
    assert resolve_voice("English (America)") == "gmw/en-us"
    assert resolve_voice(None) is None
    with pytest.raises(ConfigError) as e:
        resolve_voice("klingon-warrior")
    msg = str(e.value)
    assert "klingon-warrior" in msg and "gmw/en" in msg and "voicecoach doctor" in msg
    with pytest.raises(ConfigError):
        WavDirSpeaker(TtsOptions(voice="klingon-warrior"), Path("/nonexistent"))


def test_wav_dir_speaker_numbers_lines(tmp_path: Path) -> None:
    speaker = WavDirSpeaker(TtsOptions(voice_out=str(tmp_path), rate_wpm=200), tmp_path / "lines")
    spoken = [speaker.say(text) for text in ("Hello.", QUESTION, "Thanks, that is all.")]
    names = [s.wav.name for s in spoken if s.wav]
    assert names == ["001-interviewer.wav", "002-interviewer.wav", "003-interviewer.wav"]
    assert sorted(p.name for p in (tmp_path / "lines").iterdir()) == names
    assert spoken[1].duration_s > spoken[0].duration_s > 0.2
    assert all(s.wav and abs(wav_duration_s(s.wav) - s.duration_s) < 1e-6 for s in spoken)
    assert spoken[1].text == QUESTION


def test_silent_speaker_estimates_duration() -> None:
    spoken = SilentSpeaker(TtsOptions(rate_wpm=150)).say("one two three four five")
    assert spoken.wav is None and spoken.duration_s == pytest.approx(2.0)


def test_speaker_without_output_device_says_how_to_continue(tmp_path: Path) -> None:
    import sounddevice as sd

    try:
        sd.query_devices(kind="output")
        has_output = True
    except (sd.PortAudioError, ValueError):
        has_output = False
    speaker = Pyttsx3Speaker(TtsOptions(), tmp_path)
    if has_output:  # a machine with a sound card: playback must block for the line's length
        t0 = time.perf_counter()
        spoken = speaker.say("One, two, three.")
        assert time.perf_counter() - t0 >= spoken.duration_s * 0.9
        return
    with pytest.raises(DeviceError) as e:
        speaker.say("Hello there.")
    assert "--voice-out none" in str(e.value) and "--voice-out DIR" in str(e.value)


def test_first_question_wav_is_ready_quickly(tmp_path: Path) -> None:
    """From a fresh interpreter: import, engine start and the first question's WAV well inside 1.5 s."""
    code = (
        "import sys, time; t0 = time.perf_counter(); sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path; from voicecoach.speech.tts import synthesize;"
        "synthesize(sys.argv[2], Path(sys.argv[3]), None, 175); print(time.perf_counter() - t0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPO), QUESTION, str(tmp_path / "q.wav")],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = float(out.stdout.strip().splitlines()[-1])
    assert elapsed < 1.5, f"first question took {elapsed:.2f} s to synthesize"
