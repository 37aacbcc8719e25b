"""No answer, no grade: a session in which nothing was said ends as no_answer and says what to check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.fakes import FakeSpeaker
from voicecoach import build
from voicecoach.audio.io import write_wav
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.config import Config, TurnOptions
from voicecoach.interview import Parts, new_session, run_session
from voicecoach.packs import load_pack
from voicecoach.store import SessionStore

BIN = str(Path(sys.executable).with_name("voicecoach"))
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def silence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five seconds of digital silence, as a muted microphone records it."""
    return write_wav(tmp_path_factory.mktemp("silence") / "silence.wav", np.zeros(5 * 16000, dtype=np.float32))


def run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI with its own data directory."""
    return subprocess.run(
        [BIN, *args], capture_output=True, check=False, text=True, timeout=300,
        env={**os.environ, "VOICECOACH_HOME": str(home), **env},
    )


def _saved(stdout: str) -> tuple[Path, dict[str, Any]]:
    folder = Path(stdout.strip().splitlines()[-1])
    data: dict[str, Any] = json.loads((folder / "session.json").read_text())
    return folder, data


def test_five_seconds_of_silence_is_not_graded(tmp_path: Path, silence: Path) -> None:
    r = run(["practice", "--case", "uploads-drop", "--answers", str(silence), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    folder, data = _saved(r.stdout)
    assert data["status"] == "no_answer"
    assert data["scores"] == {} and data["overall"] is None and data["feedback"] == ""
    said = data["turns"][-1]
    assert said["role"] == "interviewer" and "not scored" in said["text"]
    for check in ("muted", "input device", "voicecoach devices"):
        assert check in r.stdout
    assert "Not scored" in r.stdout and "overall" not in r.stdout
    assert "Report:" not in r.stdout and not list(folder.glob("*.html"))  # nothing to review
    resumed = run(["resume", folder.name, "--answers-text", str(silence)], tmp_path)
    assert resumed.returncode == 2 and "--retake" in resumed.stderr  # it has ended; a retake asks it again


def test_silence_through_the_live_path_is_not_graded(tmp_path: Path, silence: Path) -> None:
    r = run(
        ["practice", "--case", "uploads-drop", "--input-device", f"file:{silence}", "--fast", "--voice-out", "none"],
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    _, data = _saved(r.stdout)
    assert data["status"] == "no_answer" and data["scores"] == {}
    assert "voicecoach devices" in r.stdout


def test_an_answer_then_silence_is_still_graded(tmp_path: Path, silence: Path) -> None:
    answer = REPO / "audio_fixtures" / "demo-03-strong.wav"
    r = run(["practice", "--case", "uploads-drop", "--answers", str(answer), str(silence), "--voice-out", "none"],
            tmp_path, VOICECOACH_INTERVIEW_MAX_FOLLOW_UPS="1")
    assert r.returncode == 0, r.stderr
    _, data = _saved(r.stdout)
    assert data["status"] == "completed" and len(data["scores"]) == 7


def test_the_live_microphone_running_out_of_speech_says_what_to_check(tmp_path: Path) -> None:
    """The live listener ends a turn with no_speech after its nudges; the loop then ends without a grade."""
    quiet = write_wav(tmp_path / "quiet.wav", np.zeros(12 * 16000, dtype=np.float32))
    turn = TurnOptions(nudge_after_s=1.0, no_speech_factor=3.0)
    cfg = replace(Config(home=tmp_path), turn=turn, input_device=f"file:{quiet}")
    stt = replace(cfg.stt, second_pass_s=0.0)
    cfg = replace(cfg, stt=stt)
    nudges: list[str] = []
    listener = build.build_listener(cfg, build.build_transcriber(stt), nudge=nudges.append, fast=True)
    pack = load_pack("pm-execution")
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store, pack, pack.case("uploads-drop"), "offline", {"input": "microphone"})
    speaker = FakeSpeaker()
    parts = Parts(speaker=speaker, listener=listener, interviewer=OfflineInterviewer(), store=store, pack=pack,
                  case=pack.case("uploads-drop"))
    try:
        run_session(parts, session)
    finally:
        getattr(listener, "close")()  # noqa: B009 - the live listener owns threads; not part of the port
    assert nudges  # it did nudge before giving up
    assert session.status == "no_answer" and not session.scores
    assert {"type": "no_speech", "at_turn": 1} in session.events
    last = speaker.lines[-1]
    assert "microphone is not muted" in last and "right input device" in last and "voicecoach devices" in last
    on_disk = json.loads((store.dir(session.id) / "session.json").read_text())
    assert on_disk["status"] == "no_answer"
