"""The `voicecoach` command end to end, as a user runs it: real packs, real brain, real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import write_answers

BIN = str(Path(sys.executable).with_name("voicecoach"))

WEAK = "Um, I think we should add more features like stickers and filters to get people uploading again."
STRONG = (
    "First I'd segment the drop by platform and app version, and look at the upload funnel from start to "
    "success. If Android 5.2 shows a higher error rate, I'd roll back or turn off the new upload service "
    "behind a kill switch, then ship the fix with a staged rollout while watching upload success rate as the "
    "goal and crash rate and battery use as guardrails."
)


def run(args: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its own data directory."""
    env = {**os.environ, "VOICECOACH_HOME": str(home)}
    return subprocess.run([BIN, *args], capture_output=True, check=False, text=True, env=env, timeout=timeout)


def test_practice_with_typed_answers_completes_and_saves(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ["Is the drop on all platforms?", WEAK, STRONG])
    r = run(["practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    folder = Path(r.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "sessions"
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "completed" and data["case"] == "uploads-drop"
    kinds = [t["kind"] for t in data["turns"]]
    assert kinds[:3] == ["question", "clarification", "clarification_answer"]
    assert "Android" in data["turns"][2]["text"]  # the hidden fact, revealed because it was asked for
    assert "follow_up" in kinds and kinds[-1] == "feedback"
    assert len(data["scores"]) == 7 and data["feedback"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "session.json").stat().st_mode & 0o777) == "0o600"
    assert "Interviewer:" in r.stdout and "You:" in r.stdout

    listing = run(["sessions"], tmp_path)
    assert listing.returncode == 0 and "uploads-drop" in listing.stdout

    md = tmp_path / "s.md"
    exp = run(["export", folder.name, "--format", "md", "-o", str(md)], tmp_path)
    assert exp.returncode == 0, exp.stderr
    assert "stickers and filters" in md.read_text()


def test_adhoc_question_is_graded_with_the_rubric(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", [STRONG])
    r = run(
        [
            "practice",
            "--question",
            "How would you launch dark mode?",
            "--answers-text",
            str(answers),
            "--voice-out",
            "none",
        ],
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    assert data["question"] == "How would you launch dark mode?" and data["case"] == "adhoc"
    assert len(data["scores"]) == 7


@pytest.mark.parametrize(
    ("content", "expected"),
    [("first\n---\n\n---\nthird\n", "turn 2 of 3 is empty"), ("\n\n", "has no answers")],
)
def test_bad_answers_text_is_a_clear_error(tmp_path: Path, content: str, expected: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text(content)
    r = run(["practice", "--answers-text", str(f), "--voice-out", "none"], tmp_path)
    assert r.returncode == 2
    assert expected in r.stderr and "Traceback" not in r.stderr


def test_unknown_case_lists_the_valid_ones(tmp_path: Path) -> None:
    r = run(["practice", "--case", "nope", "--answers-text", "x", "--voice-out", "none"], tmp_path)
    assert r.returncode == 2
    assert "uploads-drop" in r.stderr and "voicecoach packs" in r.stderr


def test_unknown_speech_model_is_a_clear_error(tmp_path: Path) -> None:
    audio = tmp_path / "x.wav"
    audio.write_bytes(b"")
    r = run(["transcribe", str(audio), "--stt-model", "huge-nonexistent.en"], tmp_path, timeout=60)
    assert r.returncode == 4
    assert "huge-nonexistent.en" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_data_dir_refuses_before_the_first_question(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    answers = write_answers(tmp_path / "a.txt", [STRONG])
    r = run(["practice", "--answers-text", str(answers), "--voice-out", "none", "--out", str(blocked / "s")], tmp_path)
    assert r.returncode == 6
    assert "Cannot write sessions" in r.stderr and "Interviewer:" not in r.stdout


def test_packs_and_doctor(tmp_path: Path) -> None:
    r = run(["packs"], tmp_path)
    assert r.returncode == 0 and "uploads-drop" in r.stdout and "pm-execution" in r.stdout
    d = run(["doctor"], tmp_path, timeout=120)
    assert "speech model: tiny.en" in d.stdout
    assert "microphone" in d.stdout and "text to speech" in d.stdout


def test_transcribe_json_gives_file_text_and_segments(tmp_path: Path, corpus_dir: Path) -> None:
    wav = corpus_dir / "librispeech_61-70968-0000.wav"
    r = run(["transcribe", str(wav), "--json"], tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert isinstance(out, list) and len(out) == 1
    item = out[0]
    assert item["file"] == str(wav)
    assert "wizard" in item["text"].lower() and "curtain" in item["text"].lower()
    assert item["segments"] and all(s["end_s"] > s["start_s"] for s in item["segments"])


def test_devices_lists_or_explains(tmp_path: Path) -> None:
    r = run(["devices"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()  # either the device list or how to do without one
