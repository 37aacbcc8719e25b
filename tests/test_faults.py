"""Faults on purpose: SIGKILL mid-answer and a full disk (no network at all for the demo: test_demo.py)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np

from tests.fakes import write_answers
from voicecoach.audio.io import load_audio, write_wav

BIN = str(Path(sys.executable).with_name("voicecoach"))


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "VOICECOACH_HOME": str(home)}


def _long_answer(corpus_dir: Path, out: Path) -> Path:
    """About 40 s of real speech: several LJ Speech rows joined with short pauses."""
    rows = [r.split("\t") for r in (corpus_dir / "manifest.tsv").read_text().splitlines()[1:]]
    files = [corpus_dir / r[0] for r in rows if r[5] == "ljspeech"][:6]
    gap = np.zeros(8000, dtype=np.float32)
    audio = np.concatenate([np.concatenate([load_audio(f), gap]) for f in files])
    return write_wav(out, audio)


def test_sigkill_mid_answer_keeps_everything_and_resumes(tmp_path: Path, corpus_dir: Path) -> None:
    answer = _long_answer(corpus_dir, tmp_path / "long.wav")
    proc = subprocess.Popen(
        [BIN, "practice", "--case", "uploads-drop", "--voice-out", "none", "--input-device", f"file:{answer}"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sessions = tmp_path / "sessions"
    deadline = time.monotonic() + 120
    partial: Path | None = None
    while time.monotonic() < deadline:  # wait until the answer has been recording for a while
        found = list(sessions.glob("*/turn-01.wav")) if sessions.exists() else []
        if found and found[0].stat().st_size > 16000 * 2 * 6:
            partial = found[0]
            break
        time.sleep(0.2)
    assert partial is not None, "the answer never started recording"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    folder = partial.parent
    data = json.loads((folder / "session.json").read_text())  # valid JSON after a SIGKILL
    assert data["turns"][0]["kind"] == "question"
    with wave.open(str(partial)) as w:  # a valid WAV holding what was said up to the kill
        assert w.getframerate() == 16000 and w.getnframes() >= 16000 * 5

    answers = write_answers(tmp_path / "rest.txt", ["I'd segment the drop by platform and release first."])
    r = subprocess.run(
        [BIN, "resume", folder.name, "--answers-text", str(answers), "--voice-out", "none"],
        env=_env(tmp_path),
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    done = json.loads((folder / "session.json").read_text())
    assert done["status"] == "completed"
    assert any(e["type"] == "interrupted_answer" for e in done["events"])
    assert (folder / "turn-01-interrupted.wav").exists()
    assert done["question"] in done["turns"][1]["text"]  # resumed at the interrupted question
    assert done["turns"][2]["text"] == "I'd segment the drop by platform and release first."


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))  # writes beyond 200 kB fail: a full disk


def test_full_disk_refuses_to_start_before_the_first_question(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ["An answer."])
    r = subprocess.run(
        [BIN, "practice", "--answers-text", str(answers), "--voice-out", "none"],
        env=_env(tmp_path),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size,
    )
    assert r.returncode == 6, r.stderr
    assert "Free some disk space" in r.stderr
    assert "Interviewer:" not in r.stdout and "Traceback" not in r.stderr
