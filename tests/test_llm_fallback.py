"""The LLM fallback as a candidate meets it: real local HTTP servers that hang, fail or are slow, through real litellm."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes import FakeSpeaker, write_answers
from tests.llm_provider import BLOCK_SOCKETS, ChatServer
from voicecoach.audio.scripted import TextAnswersListener
from voicecoach.brain.fallback import FallbackInterviewer
from voicecoach.brain.llm import LiteLLMInterviewer
from voicecoach.brain.llm_preflight import preflight
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.config import LlmOptions
from voicecoach.content import Pack
from voicecoach.interview import Parts, new_session, run_session
from voicecoach.model import Session
from voicecoach.packs import load_pack
from voicecoach.store import SessionStore

REPO = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).with_name("voicecoach"))
DEADLINE_S = 1.5  # shorter than the production 8 s so the suite stays fast; the bench measures the default
SLACK_S = 1.0  # thread hand-over and litellm's own overhead on a busy machine
MODEL = "openai/test-model"
ANSWERS = [
    "I'd first want to know whether the fall is real or a logging change, then which phones and app builds it hits.",
    "Success would be people finishing an upload they started, per active user, and I'd keep an eye on crashes.",
    "If one Android build is behind it I'd pull that build back and ship a fixed one to a small slice first.",
]


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def brain(server: ChatServer, deadline_s: float = DEADLINE_S) -> FallbackInterviewer:
    options = LlmOptions(model=MODEL, base_url=server.base_url, turn_deadline_s=deadline_s)
    primary = LiteLLMInterviewer(options)
    return FallbackInterviewer(primary, OfflineInterviewer(), deadline_s, deadline_s * 2)


def session_with(tmp_path: Path, pack: Pack, interviewer: FallbackInterviewer, speaker: FakeSpeaker) -> Session:
    case = pack.case("uploads-drop")
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store, pack, case, interviewer.name, {})
    parts = Parts(speaker=speaker, listener=TextAnswersListener(list(ANSWERS)), interviewer=interviewer, store=store,
                  pack=pack, case=case, max_follow_ups=2)
    return run_session(parts, session)


def reply_waits(session: Session) -> list[float]:
    """Seconds the interviewer took to reply to each answer (the loop's brain_s, on the reply's turn)."""
    return [t.timings["brain_s"] for t in session.turns if t.role == "interviewer" and "brain_s" in t.timings]


def notes(session: Session) -> list[str]:
    """The notes saying the offline interviewer took over."""
    return [t.text for t in session.turns if t.kind == "note" and t.text.startswith("The LLM")]


def test_a_server_that_never_replies_costs_one_deadline_per_turn_for_two_turns(pack: Pack, tmp_path: Path) -> None:
    with ChatServer(chat="hang") as server:
        started = time.monotonic()
        session = session_with(tmp_path, pack, brain(server), FakeSpeaker())
        total = time.monotonic() - started
        asked = len(server.chat_requests())
    waits = reply_waits(session)
    assert session.status == "completed" and session.interviewer == "offline"
    assert len(waits) >= 3, waits
    assert all(DEADLINE_S - 0.1 <= w <= DEADLINE_S + SLACK_S for w in waits[:2]), waits
    assert all(w < 0.5 for w in waits[2:]), f"the LLM was waited for after two failed turns: {waits}"
    assert asked == 2, "no retry may start once the turn's deadline is spent, and none after the switch"
    expected = f"The LLM did not reply within {DEADLINE_S:g} s; the offline interviewer took this turn."
    assert notes(session) == [expected, expected + " After 2 failures in a row, the offline interviewer runs the rest "
                              "of the session. For a slower model, raise [llm] turn_deadline_s."]
    assert total < 2 * (DEADLINE_S + SLACK_S) + 5


def test_a_server_that_answers_500_fails_fast_and_the_session_goes_offline(pack: Pack, tmp_path: Path) -> None:
    with ChatServer(chat="error") as server:
        session = session_with(tmp_path, pack, brain(server), FakeSpeaker())
        asked = len(server.chat_requests())
    waits = reply_waits(session)
    assert session.status == "completed" and session.interviewer == "offline"
    assert all(w < 1.5 for w in waits), waits
    assert asked == 4, "each of the two failed turns: one call and one retry; none after the switch"
    said = notes(session)
    assert said[0] == "The LLM did not answer (server error); the offline interviewer took this turn."
    assert said[1].endswith("After 2 failures in a row, the offline interviewer runs the rest of the session.")
    assert len(said) == 2


def test_a_slow_but_correct_server_keeps_every_turn(pack: Pack, tmp_path: Path) -> None:
    with ChatServer(delay_s=0.8, chunk_delay_s=0.02) as server:
        speaker = FakeSpeaker()
        session = session_with(tmp_path, pack, brain(server, deadline_s=3.0), speaker)
    waits = reply_waits(session)
    replies = [t for t in session.turns if t.role == "interviewer" and t.kind not in ("question", "note")]
    assert session.status == "completed" and not notes(session)
    assert all(t.interviewer == f"llm:{MODEL}" for t in replies), [(t.kind, t.interviewer) for t in replies]
    assert session.interviewer == f"llm:{MODEL}"
    assert all(0.8 <= w <= 3.0 for w in waits), waits
    assert speaker.lines[1:3] == ["Fair enough.", "Which number would tell you that uploads really recovered?"]


def test_a_stream_that_stalls_is_cut_at_the_deadline_and_the_offline_line_is_said_once(pack: Pack, tmp_path: Path) -> None:
    with ChatServer(chat="stall") as server:
        speaker = FakeSpeaker()
        session = session_with(tmp_path, pack, brain(server), speaker)
    waits = reply_waits(session)
    assert session.status == "completed"
    assert DEADLINE_S - 0.1 <= waits[0] <= DEADLINE_S + SLACK_S, waits
    first_reply = next(t for t in session.turns if t.role == "interviewer" and t.kind not in ("question", "note"))
    assert first_reply.interviewer == "offline"
    after_question = speaker.lines[1:]
    assert after_question[0] == "Fair enough.", "the sentence streamed before the stall was said at once"
    assert after_question.count(first_reply.text) == 1 and after_question[1] == first_reply.text


# ---- before the first question ---------------------------------------------------------------------------
def test_preflight_names_what_is_wrong_within_about_two_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with ChatServer() as ok:
        assert preflight(LlmOptions(model=MODEL, base_url=ok.base_url)) is None
        assert [r.path for r in ok.received] == ["/v1/models"]
    with ChatServer(models="hang", chat="hang") as hung:
        started = time.monotonic()
        problem = preflight(LlmOptions(model=MODEL, base_url=hung.base_url))
        assert time.monotonic() - started < 3.0
    assert problem == (f"The server at {hung.base_url} did not answer a test request within 2 s; continuing with the "
                       "offline interviewer.")
    with ChatServer(models="error", chat="error") as broken:
        problem = preflight(LlmOptions(model=MODEL, base_url=broken.base_url))
    assert problem == (f"The server at {broken.base_url} answered a test request with HTTP 500 (Internal Server "
                       "Error); continuing with the offline interviewer.")
    closed = broken.base_url  # nothing listens there any more
    assert preflight(LlmOptions(model=MODEL, base_url=closed)) == (
        f"Nothing answers at {closed} (connection refused): start the server (e.g. bash scripts/llama_server.sh start "
        "PORT) or fix --llm-base-url; continuing with the offline interviewer.")
    assert preflight(LlmOptions(model=MODEL, base_url="127.0.0.1:8080")) == (
        "--llm-base-url '127.0.0.1:8080' is not a URL like http://127.0.0.1:8080/v1; continuing with the offline "
        "interviewer.")


def test_preflight_says_which_key_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert preflight(LlmOptions(model="openai/gpt-4o-mini")) == \
        "OPENAI_API_KEY is not set; continuing with the offline interviewer."
    assert preflight(LlmOptions(model="claude-3-5-haiku-latest")) == \
        "ANTHROPIC_API_KEY is not set; continuing with the offline interviewer."
    assert preflight(LlmOptions(model="gemini/gemini-1.5-flash")) == \
        "neither GOOGLE_API_KEY nor GEMINI_API_KEY is set; continuing with the offline interviewer."
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    assert preflight(LlmOptions(model="openai/gpt-4o-mini")) is None
    # AWS credentials may come from a profile rather than the environment: no false alarm there.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    assert preflight(LlmOptions(model="bedrock/anthropic.claude-v2")) is None


# ---- the whole command, as a user runs it ----------------------------------------------------------------
NO_NETWORK = BLOCK_SOCKETS + """
from voicecoach.cli import main
code = main(sys.argv[1:])
print("EXIT", code, "ATTEMPTS", len(attempts))
"""


def test_a_missing_key_is_named_once_and_nothing_reaches_the_network(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ANSWERS)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["VOICECOACH_HOME"] = str(tmp_path)
    args = ["practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out", "none",
            "--llm", "openai/gpt-4o-mini"]
    r = subprocess.run([sys.executable, "-c", NO_NETWORK, *args], cwd=REPO, env=env, capture_output=True, text=True,
                       timeout=300, check=False)
    assert "EXIT 0 ATTEMPTS 0" in r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert lines[0] == "OPENAI_API_KEY is not set; continuing with the offline interviewer."
    assert "Your answers will be sent" not in r.stdout and "LLM" not in r.stdout.replace(lines[0], "")
    assert "LLM call failed" not in r.stderr and "auth" not in r.stderr
    folder = Path(lines[-2])
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "completed" and data["interviewer"] == "offline"
    assert data["settings"]["llm"] == "offline"


def test_a_hanging_server_through_the_command(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ANSWERS)
    env = {**os.environ, "VOICECOACH_HOME": str(tmp_path), "VOICECOACH_LLM_TURN_DEADLINE_S": "2"}
    with ChatServer(chat="hang") as server:
        r = subprocess.run([BIN, "practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out",
                            "none", "--llm", MODEL, "--llm-base-url", server.base_url],
                           env=env, capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[0] == f"Your answers will be sent to the server at {server.base_url} ({MODEL}, on this computer)."
    note = "The LLM did not reply within 2 s; the offline interviewer took this turn."
    assert out.count(note) == 2 and out.count("the offline interviewer runs the rest of the session") == 1
    assert "LLM call failed" not in r.stderr
    data = json.loads((Path(out.splitlines()[-1]) / "session.json").read_text())
    waits = [t["timings"]["brain_s"] for t in data["turns"] if t["role"] == "interviewer" and "brain_s" in t["timings"]]
    assert all(w <= 2 + SLACK_S for w in waits) and sum(w >= 1.9 for w in waits) == 2, waits
    assert data["status"] == "completed" and data["interviewer"] == "offline"
