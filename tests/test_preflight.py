"""Checks before asking: bad answers, devices, voice and speech model fail before any session exists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.fakes import write_answers
from voicecoach.audio.io import write_wav

BIN = str(Path(sys.executable).with_name("voicecoach"))
REPO = Path(__file__).resolve().parents[1]
CLARIFY_WAV = REPO / "audio_fixtures" / "demo-01-clarify.wav"


def alsa_home(tmp_path: Path, asoundrc: str) -> Path:
    """A HOME whose ALSA config PortAudio reads: `type hw; card 99` is no sound card, `type null` one that exists."""
    home = tmp_path / "alsa-home"
    home.mkdir(exist_ok=True)
    (home / ".asoundrc").write_text(asoundrc + "\n", encoding="utf-8")
    return home


NO_CARD = "pcm.!default { type hw; card 99 }"
NULL_CARD = "pcm.!default { type null }"


def run(args: list[str], data: Path, home: Path | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI with its own data directory (and, when given, its own HOME for ALSA's config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA")}
    env["VOICECOACH_HOME"] = str(data)
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(
        [BIN, *args], capture_output=True, check=False, text=True, env=env, timeout=300, input=stdin
    )


def assert_refused_before_the_question(r: subprocess.CompletedProcess[str], data: Path, code: int, *says: str) -> None:
    """One clear error that says the fix; no question asked, no session folder left behind."""
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.count("error:") == 1
    for text in says:
        assert text in r.stderr, r.stderr
    assert "Interviewer:" not in r.stdout and "Session " not in r.stdout
    sessions = data / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir()), list(sessions.iterdir())


def test_missing_answer_file(tmp_path: Path) -> None:
    r = run(["practice", "--answers", str(CLARIFY_WAV), str(tmp_path / "nope.wav"), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "nope.wav", "Check the paths")


def test_an_answer_file_that_is_not_audio(tmp_path: Path) -> None:
    fake = tmp_path / "answer.wav"
    fake.write_text("I'd segment the drop by platform.")  # a text file with an audio name
    r = run(["practice", "--answers", str(CLARIFY_WAV), str(fake), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 3, "answer.wav", "pass a WAV/FLAC/MP3/OGG file")


def test_an_answer_file_too_short_to_hold_an_answer(tmp_path: Path) -> None:
    blip = write_wav(tmp_path / "blip.wav", np.zeros(800, dtype=np.float32))  # 50 ms
    r = run(["practice", "--answers", str(blip), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 3, "blip.wav", "too short")


def test_an_unreadable_answer_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    locked = tmp_path / "locked.wav"
    locked.write_bytes(CLARIFY_WAV.read_bytes())
    locked.chmod(0)
    r = run(["practice", "--answers", str(locked), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "locked.wav", "permissions")


def test_answers_text_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "answers.txt"
    f.write_bytes("I'd look at the funnel first.\n---\nThen r\u00e9sum\u00e9 uploads.\n".encode("latin-1"))
    r = run(["practice", "--answers-text", str(f), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "answers.txt", "not UTF-8", "save it as UTF-8")


def test_unknown_voice(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ["I'd look at the funnel."])
    r = run(["practice", "--answers-text", str(answers), "--voice", "no-such-voice"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "no-such-voice", "voicecoach doctor")


def test_missing_speech_model(tmp_path: Path) -> None:
    r = run(["practice", "--answers", str(CLARIFY_WAV), "--stt-model", "huge-nonexistent.en", "--voice-out", "none"],
            tmp_path)
    assert_refused_before_the_question(r, tmp_path, 4, "huge-nonexistent.en")


def test_no_microphone_says_how_to_practise_without_one(tmp_path: Path) -> None:
    home = alsa_home(tmp_path, NO_CARD)
    r = run(["practice", "--voice-out", "none"], tmp_path, home=home)
    assert_refused_before_the_question(r, tmp_path, 5, "microphone", "voicecoach devices", "--type")


def test_an_input_device_file_that_is_not_audio(tmp_path: Path) -> None:
    fake = tmp_path / "mic.wav"
    fake.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    r = run(["practice", "--input-device", f"file:{fake}", "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 3, "mic.wav")


def test_two_ways_of_answering_at_once(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ["An answer."])
    r = run(["practice", "--type", "--answers-text", str(answers), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "--answers-text and --type")


def test_no_speaker_falls_back_to_wavs_in_the_session_folder_and_says_so(tmp_path: Path) -> None:
    home = alsa_home(tmp_path, NO_CARD)
    answers = write_answers(tmp_path / "a.txt", ["Is the drop on one platform or all of them?", "I'd compare versions."])
    r = run(["practice", "--case", "uploads-drop", "--answers-text", str(answers)], tmp_path, home=home)
    assert r.returncode == 0, r.stderr
    folder = Path(r.stdout.strip().splitlines()[-1])
    assert f"No speaker found: the interviewer's lines are printed here and written as WAVs to {folder}" in r.stdout
    assert "Interviewer:" in r.stdout  # printed as well
    data = json.loads((folder / "session.json").read_text())
    lines = [t for t in data["turns"] if t["role"] == "interviewer"]
    assert lines and all(t["audio"] for t in lines)  # every interviewer line has its WAV, in the session folder
    for t in lines:
        wav = folder / t["audio"]
        assert wav.parent == folder / "voice" and wav.stat().st_size > 10_000
    assert not [p for p in (folder / "voice").iterdir() if p.name.endswith("-interviewer.wav")]  # no second copy
    assert not (tmp_path / "sessions" / "voice").exists()


def test_with_a_speaker_there_is_no_fallback(tmp_path: Path) -> None:
    home = alsa_home(tmp_path, NULL_CARD)  # an output device that plays into nothing
    answers = write_answers(tmp_path / "a.txt", ["I'd compare app versions."])
    r = run(["practice", "--case", "uploads-drop", "--answers-text", str(answers)], tmp_path, home=home)
    assert r.returncode == 0, r.stderr
    assert "No speaker found" not in r.stdout


def test_a_resumed_session_keeps_the_first_runs_interviewer_wavs(tmp_path: Path) -> None:
    from voicecoach.model import Session, Turn
    from voicecoach.store import SessionStore

    home = alsa_home(tmp_path, NO_CARD)
    store = SessionStore(tmp_path / "sessions")
    question = "Weekly uploads dropped twelve percent. What would you do?"
    session = Session(id=store.new_id(), pack="pm-execution", case="uploads-drop", question=question,
                      status="aborted", turns=[Turn(role="interviewer", kind="question", text=question,
                                                    audio="voice/line-01.wav")])
    folder = store.create(session)
    first = folder / "voice" / "line-01.wav"
    first.parent.mkdir()
    first.write_bytes(b"the first run's recording")
    answers = write_answers(tmp_path / "a.txt", ["I'd compare the Android releases."])
    r = run(["resume", "last", "--answers-text", str(answers)], tmp_path, home=home)
    assert r.returncode == 0, r.stderr
    assert first.read_bytes() == b"the first run's recording"
    data = json.loads((folder / "session.json").read_text())
    later = [t["audio"] for t in data["turns"][1:] if t["role"] == "interviewer"]
    assert later and all(a.startswith("voice/line-") and a != "voice/line-01.wav" and (folder / a).exists() for a in later)


def test_a_folder_of_answers_is_read_in_name_order(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not an answer")
    r = run(["practice", "--answers", str(empty), "--voice-out", "none"], tmp_path)
    assert_refused_before_the_question(r, tmp_path, 2, "holds no audio files")

    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "2-answer.wav").write_bytes((REPO / "audio_fixtures" / "demo-03-strong.wav").read_bytes())
    (folder / "1-clarify.wav").write_bytes(CLARIFY_WAV.read_bytes())
    (folder / "readme.txt").write_text("skipped: not audio")
    r = run(["practice", "--case", "uploads-drop", "--answers", str(folder), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    kinds = [t["kind"] for t in data["turns"] if t["role"] == "candidate"]
    assert kinds[:2] == ["clarification", "answer"]  # 1-clarify.wav first, then 2-answer.wav
