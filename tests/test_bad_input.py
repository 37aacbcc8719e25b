"""Bad input gets a clear error that says the fix, or a sensible outcome: never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

from tests.fakes import write_answers
from voicecoach.audio.io import load_audio

BIN = str(Path(sys.executable).with_name("voicecoach"))
REPO = Path(__file__).resolve().parents[1]


def run(args: list[str], home: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The CLI with its own data directory."""
    env = {**os.environ, "VOICECOACH_HOME": str(home)}
    return subprocess.run([BIN, *args], capture_output=True, check=False, text=True, env=env, timeout=timeout)


def test_answers_text_without_separators_is_one_answer(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("I'd segment the drop by platform.\nThen I'd look at the upload funnel.\n")
    r = run(["practice", "--answers-text", str(f), "--voice-out", "none", "--case", "uploads-drop"], tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    answers = [t["text"] for t in data["turns"] if t["role"] == "candidate"]
    assert answers == ["I'd segment the drop by platform. Then I'd look at the upload funnel."]


def test_a_fifty_thousand_word_answer_is_graded(tmp_path: Path) -> None:
    sentence = "I would segment the drop by platform and release and watch upload success with a crash guardrail. "
    words = (sentence * (50_000 // len(sentence.split()) + 1)).split()[:50_000]
    answers = write_answers(tmp_path / "a.txt", [" ".join(words)])
    r = run(["practice", "--answers-text", str(answers), "--voice-out", "none", "--case", "uploads-drop"], tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    assert data["status"] == "completed" and len(data["scores"]) == 7
    assert len(data["turns"][1]["text"].split()) == 50_000  # nothing cut from what was said


def test_malformed_config_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[turn]\nend_silence_s = 2.5\n[stt\nmodel = "base.en"\n')
    r = run(["packs"], tmp_path)
    assert r.returncode == 2
    assert "config.toml" in r.stderr and "line 3" in r.stderr and "Traceback" not in r.stderr


def test_unknown_config_key_names_it_and_the_valid_ones(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[turn]\nend_silence_seconds = 2.5\n")
    r = run(["packs"], tmp_path)
    assert r.returncode == 2
    assert "end_silence_seconds" in r.stderr and "end_silence_s" in r.stderr


def test_config_file_is_applied(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[interview]\nmax_follow_ups = 0\n")
    answers = write_answers(tmp_path / "a.txt", ["I'd add stickers.", "And filters."])
    r = run(["practice", "--answers-text", str(answers), "--voice-out", "none", "--case", "uploads-drop"], tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    assert not [t for t in data["turns"] if t["kind"] == "follow_up"]  # no follow-ups allowed by the config


def test_two_hour_file_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """Two hours of audio (mostly silence, one spoken answer at the end) transcribe without loading it whole."""
    speech = load_audio(REPO / "audio_fixtures" / "demo-01-clarify.wav")
    path = tmp_path / "two-hours.wav"
    second = np.zeros(16000, dtype="<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        minute = second * 60
        for _ in range(120):
            w.writeframes(minute)
        w.writeframes((speech * 32767).astype("<i2").tobytes())
    # The peak is the child's own (VmHWM): its ru_maxrss would start at the size of the process that spawned it
    # (Linux keeps the old memory's peak across exec), so the test's answer hung on what ran before it.
    probe = (
        "import json, sys; from pathlib import Path; "
        "from voicecoach.speech.stt import WhisperTranscriber; from voicecoach.config import SttOptions; "
        "t = WhisperTranscriber(SttOptions()).transcribe_file(Path(sys.argv[1])); "
        "hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:')); "
        "print(json.dumps({'text': t.text, 'dur': t.duration_s, 'rss_mb': int(hwm.split()[1]) / 1024}))"
    )
    r = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, check=False, text=True, timeout=900
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["dur"] > 7200
    assert "platforms" in out["text"].lower()  # the answer at the very end is still heard
    assert out["rss_mb"] < 600, out  # a whole 2-hour file as float32 alone would be 460 MB


def test_config_that_is_not_utf8_names_the_file_line_and_fix(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_bytes(b'[tts]\nrate_wpm = 150\nvoice = "fran\xe7ais"\n')  # Latin-1
    r = run(["packs"], tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "config.toml: line 3 is not UTF-8" in r.stderr and "save the file as UTF-8" in r.stderr


def test_negative_or_zero_config_values_name_the_key_and_the_range(tmp_path: Path) -> None:
    for body, says in (
        ("[turn]\nend_silence_s = -1.5\n", "end_silence_s = -1.5 is out of range; it must be above 0"),
        ("[tts]\nrate_wpm = 0\n", "rate_wpm = 0 is out of range; it must be above 0"),
        ("[interview]\nmax_follow_ups = -2\n", "max_follow_ups = -2 is out of range; it must be 0 or more"),
        ("[llm]\ntimeout_s = nan\n", "timeout_s = nan is out of range"),
    ):
        (tmp_path / "config.toml").write_text(body)
        r = run(["packs"], tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        assert says in r.stderr and "config.toml" in r.stderr and "the default is" in r.stderr
    (tmp_path / "config.toml").write_text("[interview]\nmax_follow_ups = 0\n[stt]\nsecond_pass_s = 0\n")
    assert run(["packs"], tmp_path).returncode == 0  # zero is a meaningful setting for these


def test_bad_environment_values_name_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "VOICECOACH_HOME": str(tmp_path)}
    for name, value, says in (
        ("VOICECOACH_TURN_MAX_ANSWER_S", "-30", "VOICECOACH_TURN_MAX_ANSWER_S: max_answer_s = '-30' is out of range"),
        ("VOICECOACH_TTS_RATE_WPM", "fast", "VOICECOACH_TTS_RATE_WPM: rate_wpm = 'fast' is not a whole number"),
    ):
        r = subprocess.run([BIN, "packs"], capture_output=True, text=True, env={**env, name: value}, check=False)
        assert r.returncode == 2 and says in r.stderr, r.stderr
    raw = {k.encode(): v.encode() for k, v in env.items()}
    raw[b"VOICECOACH_TTS_VOICE"] = b"fran\xe7ais"  # Latin-1 bytes in a UTF-8 locale
    r = subprocess.run([BIN, "packs"], capture_output=True, text=True, env=raw, check=False)
    assert r.returncode == 2 and "VOICECOACH_TTS_VOICE is not UTF-8 text" in r.stderr, r.stderr


def test_negative_flags_are_usage_errors(tmp_path: Path) -> None:
    for flag, value in (("--rate-wpm", "-120"), ("--max-follow-ups", "-1"), ("--rate-wpm", "0")):
        r = run(["practice", flag, value, "--voice-out", "none", "--type"], tmp_path)
        assert r.returncode == 2 and "too small" in r.stderr and flag in r.stderr, r.stderr
        assert not (tmp_path / "sessions").exists()
