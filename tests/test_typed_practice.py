"""`voicecoach practice --type`: a whole interview typed through a pipe, each follow-up seen before it is answered."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from voicecoach.audio.typed import TypedListener

BIN = str(Path(sys.executable).with_name("voicecoach"))
PROMPT = "\n> "

# One reply per probed dimension, in a candidate's own words; the driver picks the one the follow-up asks for.
REPLIES = {
    "clarify": (
        "Before digging in I'd confirm the dip is genuine: did the logging or the meaning of an upload change in "
        "last week's builds, and do the dashboards agree with the raw event counts?"
    ),
    "metrics": (
        "I'd call it recovered when uploads per weekly active user are back where they were before the Tuesday "
        "release for two weeks running, while keeping an eye on crash rate and battery drain so the fix doesn't "
        "quietly hurt something else."
    ),
    "technical": (
        "I'd sit with the Android engineers and trace one upload from the gallery picker through the new "
        "background service to our servers, checking the retry logic, the permissions it asks for, and whether "
        "the phone kills the job to save battery."
    ),
    "edge_cases": (
        "People with photos already stuck in the queue could end up with duplicates or lose them, so the patch "
        "should resume those uploads once and de-duplicate on the server; flaky networks and huge videos need "
        "their own retry limits."
    ),
    "tradeoffs": (
        "I'd take the hotfix behind a server-side flag rather than the week-long rollback, because we can switch "
        "it off within minutes if it misbehaves; what I would not do is run an engagement campaign before the "
        "bug is fixed."
    ),
    "data": (
        "First I'd pull upload attempts and failures by app version and by Android version; if failures are "
        "flat on 5.2, my theory is wrong and I'd look at the steps before the upload instead."
    ),
    "follow_up": (
        "In one sentence: release 5.2's new background uploader is failing on Android, so tomorrow morning I'd "
        "switch it off with a flag and confirm uploads come back."
    ),
}
OPENING = [
    "Is the drop on every platform, or only on one of them?",
    (
        "Then I'd line the start of the dip up with what shipped that week, split the numbers by app version, and "
        "walk the upload funnel from choosing a photo to a finished upload to see which step lost people."
    ),
]


class Terminal:
    """The practice command on a pipe: what it printed so far, and a way to type into it."""

    def __init__(self, home: Path, *args: str) -> None:
        env = {**os.environ, "VOICECOACH_HOME": str(home)}
        self.proc = subprocess.Popen(
            [BIN, "practice", "--type", "--voice-out", "none", *args],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.text = ""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while chunk := os.read(fd, 4096):
            with self._lock:
                self.text += chunk.decode("utf-8", "replace")

    def wait_for_prompt(self, n: int, timeout_s: float = 120.0) -> bool:
        """True once the n-th answer prompt is on screen; False if the program ended first."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if self.text.count(PROMPT) >= n:
                    return True
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the reader drain what was printed last
                with self._lock:
                    return self.text.count(PROMPT) >= n
            time.sleep(0.05)
        raise AssertionError(f"no prompt {n} within {timeout_s} s; output so far:\n{self.text}")

    def type(self, answer: str) -> None:
        """Type one turn and send it with an empty line."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(answer.encode() + b"\n\n")
        self.proc.stdin.flush()


def _session(home: Path) -> dict[str, Any]:
    [path] = list((home / "sessions").glob("*/session.json"))
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_typed_interview_answers_each_follow_up_as_it_comes(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "--case", "uploads-drop")
    sent: list[tuple[str, str]] = []  # (the interviewer line the answer was typed after, the answer)
    n = 0
    while term.wait_for_prompt(n + 1):
        n += 1
        turns = _session(tmp_path)["turns"]
        assert isinstance(turns, list)
        last = turns[-1]
        assert last["role"] == "interviewer"  # the prompt comes only after the interviewer's line is saved
        if n <= len(OPENING):
            answer = OPENING[n - 1]
        else:
            assert last["kind"] == "follow_up", last
            assert last["text"] in term.text  # the candidate saw the follow-up before answering it
            answer = REPLIES[last["targets"][0] if last["targets"] else "follow_up"]
        sent.append((last["text"], answer))
        term.type(answer)
        assert n < 12, "the interview never ended"
    assert term.proc.wait(timeout=60) == 0, term.proc.stderr.read() if term.proc.stderr else ""

    data = _session(tmp_path)
    turns = data["turns"]
    assert isinstance(turns, list)
    assert data["status"] == "completed"
    follow_ups = [i for i, t in enumerate(turns) if t["kind"] == "follow_up"]
    assert len(follow_ups) >= 2  # the default allows two, and both were answered
    for i in follow_ups:  # each follow-up is answered, in order, by the reply typed after seeing it
        reply = turns[i + 1]
        assert reply["role"] == "candidate"
        assert (turns[i]["text"], reply["text"]) in sent
    assert [t["text"] for t in turns if t["role"] == "candidate"] == [a for _, a in sent]
    scores = data["scores"]
    assert isinstance(scores, dict)
    assert scores["follow_up"]["score"] > 1, scores["follow_up"]
    assert "Report:" in term.text


def test_ctrl_d_ends_a_typed_interview_and_it_is_still_graded(tmp_path: Path) -> None:
    r = subprocess.run(
        [BIN, "practice", "--type", "--voice-out", "none", "--case", "uploads-drop"],
        input=OPENING[1] + "\n",  # no empty line: end of input sends the last turn and ends the interview
        env={**os.environ, "VOICECOACH_HOME": str(tmp_path)}, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    data = _session(tmp_path)
    answers = [t["text"] for t in data["turns"] if t["role"] == "candidate"]
    assert answers == [OPENING[1]]
    assert data["status"] == "completed" and len(data["scores"]) == 7


def test_typed_stop_command_ends_the_interview(tmp_path: Path) -> None:
    r = subprocess.run(
        [BIN, "practice", "--type", "--voice-out", "none", "--case", "uploads-drop"],
        input=f"{OPENING[1]}\n\nStop the interview, please.\n{REPLIES['metrics']}\n\n",
        env={**os.environ, "VOICECOACH_HOME": str(tmp_path)}, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    data = _session(tmp_path)
    answers = [t["text"] for t in data["turns"] if t["role"] == "candidate"]
    assert answers == [OPENING[1]]  # what was typed after "stop" was never read as an answer
    assert {"type": "command", "command": "stop", "at_turn": 3} in data["events"]


@pytest.mark.parametrize(
    ("typed", "turns"),
    [
        ("\n\nfirst line\nsecond line\n\nnext turn\n", ["first line second line", "next turn"]),
        ("only turn, no empty line after it", ["only turn, no empty line after it"]),
        ("repeat the question\nmy answer\n\n", ["repeat the question", "my answer"]),
    ],
)
def test_typed_turns_end_at_an_empty_line(typed: str, turns: list[str], tmp_path: Path) -> None:
    shown = io.StringIO()
    listener = TypedListener(io.StringIO(typed), shown)
    got = []
    while (answer := listener.listen("Q?", tmp_path / "x.wav")) is not None:
        got.append(answer.transcript.text)
    assert got == turns
    assert "an empty line sends it" in shown.getvalue()


def test_typed_interview_ended_before_any_answer_is_not_graded(tmp_path: Path) -> None:
    r = subprocess.run(
        [BIN, "practice", "--type", "--voice-out", "none", "--case", "uploads-drop"],
        input="\n\n",  # Ctrl-D before typing anything
        env={**os.environ, "VOICECOACH_HOME": str(tmp_path)}, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    data = _session(tmp_path)
    assert data["status"] == "no_answer" and data["scores"] == {}
    assert "We stopped before you answered" in r.stdout and "microphone" not in r.stdout
