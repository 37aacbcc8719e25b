"""Interviewer voice on the real engines: complete WAVs kept in the session, pauses between paragraphs, clear errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.io import load_audio, resample
from voicecoach.build import build_speaker
from voicecoach.config import SttOptions, TtsOptions
from voicecoach.errors import ConfigError, DeviceError
from voicecoach.ports import AudioArray, Spoken
from voicecoach.speech.espeak_voice import EspeakVoice
from voicecoach.speech.stt import WhisperTranscriber
from voicecoach.speech.tts import (
    SilentSpeaker,
    SounddeviceSpeaker,
    WavDirSpeaker,
    list_voices,
    render_line,
    resolve_voice,
    synthesize,
    wav_duration_s,
)
from voicecoach.speech.voices import available_voices, load_voice

QUESTION = (
    "You're the product manager for a photo-sharing app. Last week, weekly photo uploads dropped by twelve "
    "percent. Walk me through how you'd figure out what happened, and what you'd do about it."
)
FEEDBACK = (
    "Overall 3.0 out of 5: some good moments.\n\nYour strongest area was data, 4 out of 5.\n\n"
    "Work on edge cases next time."
)
REPO = Path(__file__).resolve().parents[1]


def _rms(path: Path) -> float:
    return float(np.sqrt(np.mean(load_audio(path) ** 2)))


def silences(audio: AudioArray, rate: int, min_s: float, floor: float = 0.01) -> list[float]:
    """Lengths of the quiet stretches (10 ms windows all under floor) of at least min_s inside the audio."""
    win = int(0.01 * rate)
    quiet = (np.abs(audio[: audio.size // win * win]) <= floor).reshape(-1, win).all(axis=1)
    found, start = [], None
    for i, q in enumerate(quiet):
        if q and start is None:
            start = i
        elif not q and start is not None:
            if start > 0 and (i - start) * 0.01 >= min_s:
                found.append((i - start) * 0.01)
            start = None
    return found


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


def test_espeak_default_is_american_english_not_plain_en() -> None:
    assert EspeakVoice().voice_id == "gmw/en-us"
    assert EspeakVoice(None, 160).name == "espeak en-us"


def test_voices_and_unknown_voice_error(tmp_path: Path) -> None:
    voices = list_voices()
    assert len(voices) > 5
    assert voices[0][1].lower().startswith("english")
    assert resolve_voice("en-us") == "gmw/en-us"
    assert resolve_voice("English (America)") == "gmw/en-us"
    assert resolve_voice(None) is None
    with pytest.raises(ConfigError) as e:
        resolve_voice("klingon-warrior")
    msg = str(e.value)
    assert "klingon-warrior" in msg and "gmw/en" in msg and "--voice joe" in msg and "voicecoach doctor" in msg
    for out in ("none", str(tmp_path / "out"), "speaker"):  # every mode refuses it before saying anything
        with pytest.raises(ConfigError):
            build_speaker(TtsOptions(voice_out=out, voice="klingon-warrior"), tmp_path / "session")
    assert not (tmp_path / "session").exists() and not (tmp_path / "out").exists()


def test_a_missing_voice_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_voice(str(tmp_path / "nowhere.onnx"), 160)
    assert "nowhere.onnx" in str(e.value) and "--voice en-us" in str(e.value)
    (tmp_path / "half.onnx").write_bytes(b"not a model")
    with pytest.raises(ConfigError) as e:
        load_voice(str(tmp_path / "half.onnx"), 160)
    assert "half.onnx.json" in str(e.value)


def test_paragraphs_are_voiced_with_a_pause_between(tmp_path: Path) -> None:
    voice = EspeakVoice("en-us", 160)
    audio, rate = render_line(voice, FEEDBACK, 0.7)
    long_quiet = silences(audio, rate, min_s=0.6)
    assert len(long_quiet) == 2 and all(0.7 <= s <= 0.9 for s in long_quiet), long_quiet
    together, rate = render_line(voice, FEEDBACK.replace("\n\n", " "), 0.7)
    assert silences(together, rate, min_s=0.6) == []  # the pauses come from the paragraphs, not the voice


def test_folder_mode_keeps_each_line_in_the_session_and_a_copy_in_the_folder(tmp_path: Path) -> None:
    options = TtsOptions(voice_out=str(tmp_path / "out"), voice="en-us", rate_wpm=200)
    speaker = build_speaker(options, tmp_path / "session")
    assert isinstance(speaker, WavDirSpeaker)
    spoken = [speaker.say(text) for text in ("Hello.", QUESTION, FEEDBACK)]
    voice_dir = tmp_path / "session" / "voice"
    assert [s.wav for s in spoken] == [voice_dir / f"line-0{i}.wav" for i in (1, 2, 3)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"00{i}-interviewer.wav" for i in (1, 2, 3)]
    assert (tmp_path / "out" / "002-interviewer.wav").read_bytes() == spoken[1].wav.read_bytes()  # type: ignore[union-attr]
    assert all(stat.S_IMODE(s.wav.stat().st_mode) == 0o600 for s in spoken if s.wav)
    assert spoken[1].duration_s > spoken[0].duration_s > 0.2
    assert all(s.wav and abs(wav_duration_s(s.wav) - s.duration_s) < 1e-6 for s in spoken)
    assert spoken[2].text == FEEDBACK  # the transcript keeps the written form
    assert speaker.say("**  **") == Spoken("**  **", None, 0.0)  # nothing to say is not an error mid-session
    # a resumed session numbers on after the lines already kept
    again = build_speaker(options, tmp_path / "session").say("Welcome back.")
    assert again.wav == voice_dir / "line-04.wav"


def test_silent_speaker_writes_nothing_and_estimates_duration(tmp_path: Path) -> None:
    speaker = build_speaker(TtsOptions(voice_out="none", rate_wpm=150), tmp_path / "session")
    assert isinstance(speaker, SilentSpeaker)
    spoken = speaker.say("one two three four five")
    assert spoken.wav is None and spoken.duration_s == pytest.approx(2.0)
    assert not (tmp_path / "session").exists()


def test_speaker_without_output_device_says_how_to_continue(tmp_path: Path) -> None:
    import sounddevice as sd

    try:
        sd.query_devices(kind="output")
        has_output = True
    except (sd.PortAudioError, ValueError):
        has_output = False
    speaker = SounddeviceSpeaker(TtsOptions(), tmp_path / "voice", voice=EspeakVoice())
    if has_output:  # a machine with a sound card: playback must block for the line's length, the WAV is kept
        t0 = time.perf_counter()
        spoken = speaker.say("One, two, three.")
        assert time.perf_counter() - t0 >= spoken.duration_s * 0.9
        assert spoken.wav == tmp_path / "voice" / "line-01.wav"
        return
    with pytest.raises(DeviceError) as e:
        speaker.say("Hello there.")
    assert "--voice-out none" in str(e.value) and "--voice-out DIR" in str(e.value)


def test_doctor_lists_the_voices_it_points_to() -> None:
    infos = {v.name: v for v in available_voices()}
    assert infos["joe"].installed and infos["joe"].note == "the default"
    assert infos["en-us"].installed and "always works" in infos["en-us"].note
    assert infos["en-gb"].installed and infos["en-us+f3"].installed


def test_first_question_wav_is_ready_quickly(tmp_path: Path) -> None:
    """From a fresh interpreter: import, engine start and the first question's espeak WAV well inside 1.5 s."""
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


PLAY = """
import json, sys, time
from pathlib import Path
from voicecoach.build import build_speaker
from voicecoach.config import TtsOptions
import onnxruntime
onnxruntime.set_seed(1)  # one fixed draw of the natural voice's sampled durations (see test_neural_voice.py)
speaker = build_speaker(TtsOptions(voice_out="speaker", voice=sys.argv[2]), Path(sys.argv[1]))
t0 = time.perf_counter()
spoken = speaker.say(sys.argv[3])
print(json.dumps({"wav": str(spoken.wav), "duration_s": spoken.duration_s, "first_s": spoken.first_sample_latency_s,
                  "took_s": time.perf_counter() - t0}))
"""


def test_lines_are_played_through_the_sound_card_and_kept(tmp_path: Path) -> None:
    """The real sounddevice path: ALSA's `file` PCM as the default output, in a subprocess with its own HOME."""
    home, raw = tmp_path / "home", tmp_path / "played.raw"
    home.mkdir()
    (home / ".asoundrc").write_text(
        f'pcm.voiceout {{ type file; slave.pcm "null"; file "{raw}"; format "raw" }}\n'
        'pcm.!default { type plug; slave { pcm "voiceout"; format S16_LE; rate 48000; channels 1 } }\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA", "XDG_CONFIG"))}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    line = "Overall 4 out of 5.\n\nIt is worse for existing users in large cities. Thanks for walking me through it."
    proc = subprocess.run(
        [sys.executable, "-c", PLAY, str(tmp_path / "session"), "joe", line],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    kept = Path(out["wav"])
    assert kept == tmp_path / "session" / "voice" / "line-01.wav"
    assert abs(wav_duration_s(kept) - out["duration_s"]) < 1e-6
    assert out["first_s"] < out["took_s"]  # playback began before the whole line was synthesised
    # ALSA's null PCM takes audio faster than real time, so waits for the next sentence reach the file as
    # exact zeros: drop all-zero 10 ms windows on both sides and compare what was heard with what was kept.
    played = np.frombuffer(raw.read_bytes(), dtype="<i2").astype(np.float32) / 32768.0

    def voiced(audio: np.ndarray, rate: int) -> np.ndarray:
        win = rate // 100
        frames = audio[: audio.size // win * win].reshape(-1, win)
        return frames[np.any(frames != 0.0, axis=1)].reshape(-1)

    heard = voiced(played, 48000)
    kept_audio = load_audio(kept)  # 16 kHz
    assert abs(heard.size / 48000 - voiced(kept_audio, 16000).size / 16000) < 0.1 * out["duration_s"]
    text = WhisperTranscriber(SttOptions()).transcribe(resample(heard, 48000, 16000)).text.lower()
    assert "four out of five" in text.replace("4", "four").replace("5", "five") and "large cities" in text, text
