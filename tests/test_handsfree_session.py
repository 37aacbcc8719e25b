"""A whole hands-free session: the demo answers spoken into the simulated microphone (file:PATH)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.io import load_audio, write_wav

BIN = str(Path(sys.executable).with_name("voicecoach"))
REPO = Path(__file__).resolve().parents[1]
ANSWERS = ("demo-01-clarify.wav", "demo-02-weak.wav", "demo-03-strong.wav")


@pytest.fixture(scope="module")
def spoken_session(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """The three demo answers as one recording, each followed by 4 s of silence (the turn ends after ~2 s)."""
    gap = np.zeros(4 * 16000, dtype=np.float32)
    return np.concatenate([np.concatenate([load_audio(REPO / "audio_fixtures" / a), gap]) for a in ANSWERS])


def _check_session(stdout: str) -> dict[str, object]:
    folder = Path(stdout.strip().splitlines()[-1])
    data: dict[str, object] = json.loads((folder / "session.json").read_text())
    turns = data["turns"]
    assert isinstance(turns, list)
    assert data["status"] == "completed"
    candidate = [t for t in turns if t["role"] == "candidate"]
    assert [t["kind"] for t in candidate][:2] == ["clarification", "answer"]
    assert "Android" in turns[2]["text"]
    for t in candidate:  # every answer's audio is on disk
        assert (folder / t["audio"]).stat().st_size > 16000
    replies = [t for t in turns if t["role"] == "interviewer" and t["kind"] in ("follow_up", "clarification_answer")]
    for r in replies:
        assert 1.5 < r["timings"]["end_of_turn_wait_s"] < 4.5  # silence waited for, counted in samples
        assert r["timings"]["reply_latency_s"] >= r["timings"]["end_of_turn_wait_s"] - 0.1
    assert turns[-1]["kind"] == "feedback"
    return data


def test_whole_session_through_the_simulated_microphone(tmp_path: Path, spoken_session: np.ndarray) -> None:
    mic = write_wav(tmp_path / "mic.wav", spoken_session)
    r = subprocess.run(
        [BIN, "practice", "--case", "uploads-drop", "--voice-out", "none", "--input-device", f"file:{mic}", "--fast"],
        env={**os.environ, "VOICECOACH_HOME": str(tmp_path)},
        capture_output=True,
        check=False,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    data = _check_session(r.stdout)
    texts = " ".join(t["text"] for t in data["turns"] if t["role"] == "candidate")  # type: ignore[union-attr]
    assert "stickers" in texts and "kill switch" in texts
    # The strong answer whole on the live path too: no "stage rollout. 1% 10%" loop, no lost sentence.
    strong = [t for t in data["turns"] if t["role"] == "candidate"][-1]["text"]  # type: ignore[index]
    words = set(strong.lower().replace(",", " ").replace(".", " ").split())
    assert strong.count("rollout") == 1 and {"crash", "edge", "videos", "networks"} <= words, strong
