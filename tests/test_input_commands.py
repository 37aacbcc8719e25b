"""Spoken commands work in every input mode, and scripted answers the interview never reached are reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import write_answers

BIN = str(Path(sys.executable).with_name("voicecoach"))
REPO = Path(__file__).resolve().parents[1]
STRONG_WAV = REPO / "audio_fixtures" / "demo-03-strong.wav"
WEAK_WAV = REPO / "audio_fixtures" / "demo-02-weak.wav"


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with its own data directory."""
    return subprocess.run(
        [BIN, *args], capture_output=True, check=False, text=True, timeout=600,
        env={**os.environ, "VOICECOACH_HOME": str(home)},
    )


def _saved(stdout: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(stdout.strip().splitlines()[-1]) / "session.json").read_text())
    return data


def _commands(data: dict[str, Any]) -> list[str]:
    events = data["events"]
    assert isinstance(events, list)
    return [e["command"] for e in events if e["type"] == "command"]


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Commands said out loud by espeak-ng, recorded as WAV files.

    "Stop." rather than "Stop the interview.": tiny.en hears espeak's "interview" as "intermute".
    """
    folder = tmp_path_factory.mktemp("commands")
    out = {}
    for name, text in {"repeat": "Could you repeat the question, please?", "stop": "Stop."}.items():
        wav = folder / f"{name}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True)
        out[name] = wav
    return out


def test_commands_in_answer_files_and_unused_files_reported(tmp_path: Path, spoken: dict[str, Path]) -> None:
    files = [spoken["repeat"], STRONG_WAV, spoken["stop"], WEAK_WAV, WEAK_WAV]
    r = run(["practice", "--case", "uploads-drop", "--voice-out", "none", "--answers", *map(str, files)], tmp_path)
    assert r.returncode == 0, r.stderr
    data = _saved(r.stdout)
    assert _commands(data) == ["repeat", "stop"]
    turns = data["turns"]
    assert isinstance(turns, list)
    question = turns[0]["text"]
    assert turns[1]["role"] == "interviewer" and turns[1]["text"] == question  # asked again, word for word
    answers = [t["text"] for t in turns if t["role"] == "candidate"]
    assert len(answers) == 1 and "kill switch" in answers[0].lower()  # the commands are not answers
    assert "2 of your scripted answers were not used" in r.stdout
    assert {"type": "unused_answers", "count": 2, "at_turn": 4} in data["events"]
    assert data["status"] == "completed"


def test_commands_in_typed_answers(tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path / "a.txt",
        [
            "Pause, please.",
            "Sorry, the delivery man is at the door.",  # said while paused: not an answer
            "Okay, resume.",
            "I'd compare upload success by app version and roll back whatever release broke it.",
            "Skip this one.",
            "An answer the interview never reaches.",
        ],
    )
    r = run(["practice", "--case", "uploads-drop", "--voice-out", "none", "--answers-text", str(answers)], tmp_path)
    assert r.returncode == 0, r.stderr
    data = _saved(r.stdout)
    assert _commands(data) == ["pause", "resume", "skip"]
    texts = [t["text"] for t in data["turns"] if t["role"] == "candidate"]
    assert texts == ["I'd compare upload success by app version and roll back whatever release broke it."]
    assert "1 of your scripted answers was not used" in r.stdout
    assert "Paused" in r.stdout and "Welcome back" in r.stdout
