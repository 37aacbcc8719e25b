"""The session loop: turns, saving after every turn, aborted sessions, resume, commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import FakeSpeaker, ScriptedInterviewer
from voicecoach.audio.scripted import TextAnswersListener
from voicecoach.interview import Parts, new_session, run_session
from voicecoach.model import Move, Session, Transcript
from voicecoach.packs import load_pack
from voicecoach.ports import Answer, Context
from voicecoach.store import SessionStore


def _parts(tmp_path: Path, answers: list[str], brain: ScriptedInterviewer) -> tuple[Parts, Session]:
    pack = load_pack("pm-execution")
    case = pack.case("uploads-drop")
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store, pack, case, brain.name, {})
    parts = Parts(
        speaker=FakeSpeaker(),
        listener=TextAnswersListener(answers),
        interviewer=brain,
        store=store,
        pack=pack,
        case=case,
    )
    return parts, session


def _on_disk(parts: Parts, session: Session) -> dict[str, object]:
    data: dict[str, object] = json.loads((parts.store.dir(session.id) / "session.json").read_text())
    return data


def test_clarification_then_answer_then_follow_up_then_feedback(tmp_path: Path) -> None:
    brain = ScriptedInterviewer(
        [
            Move(kind="clarification_answer", text="Only Android.", targets=("clarify",)),
            Move(kind="follow_up", text="How would you know it worked?", targets=("metrics",)),
            Move(kind="wrap_up", text="Thanks."),
        ]
    )
    parts, session = _parts(tmp_path, ["Is it all platforms?", "I'd segment by platform.", "Upload success."], brain)
    run_session(parts, session)
    kinds = [(t.role, t.kind) for t in session.turns]
    assert kinds == [
        ("interviewer", "question"),
        ("candidate", "clarification"),
        ("interviewer", "clarification_answer"),
        ("candidate", "answer"),
        ("interviewer", "follow_up"),
        ("candidate", "answer"),
        ("interviewer", "note"),
        ("interviewer", "feedback"),
    ]
    assert session.turns[4].targets == ("metrics",)
    assert session.status == "completed"
    assert parts.speaker.lines[0] == session.question  # type: ignore[attr-defined]
    assert parts.speaker.lines[-1] == "Scripted feedback."  # type: ignore[attr-defined]
    saved = _on_disk(parts, session)
    assert saved["status"] == "completed" and saved["schema_version"] == 1
    assert isinstance(saved["scores"], dict)
    assert set(saved["scores"]) == {"clarify", "metrics", "technical", "edge_cases", "tradeoffs", "data", "follow_up"}
    # the session clock runs forward, turn after turn
    ends = [t.end_s for t in session.turns]
    assert ends == sorted(ends) and ends[-1] > 0
    # every interviewer reply after an answer records its latency
    assert all("reply_latency_s" in session.turns[i].timings for i in (2, 4, 6))


def test_answers_running_out_wraps_up_with_feedback(tmp_path: Path) -> None:
    brain = ScriptedInterviewer([Move(kind="follow_up", text="And the metrics?", targets=("metrics",))])
    parts, session = _parts(tmp_path, ["I would look at the funnel."], brain)
    run_session(parts, session)
    assert session.status == "completed"
    assert session.turns[-1].kind == "feedback"
    assert len(session.candidate_turns()) == 1


def test_interrupt_leaves_a_valid_aborted_session_that_resumes(tmp_path: Path) -> None:
    brain = ScriptedInterviewer([Move(kind="follow_up", text="Metrics?", targets=("metrics",))], fail_at=2)
    parts, session = _parts(tmp_path, ["First answer about the funnel.", "Second answer."], brain)
    with pytest.raises(KeyboardInterrupt):
        run_session(parts, session)
    saved = _on_disk(parts, session)
    assert saved["status"] == "aborted"
    texts = [t["text"] for t in saved["turns"]]  # type: ignore[index]
    assert "First answer about the funnel." in texts and "Second answer." in texts  # saved before the brain ran

    resumed = parts.store.load(session.id)
    parts.listener = TextAnswersListener(["Third answer, on guardrails."])
    parts.interviewer = ScriptedInterviewer([Move(kind="follow_up", text="Guardrails?", targets=("metrics",))])
    run_session(parts, resumed)
    assert resumed.status == "completed"
    assert [t.text for _, t in resumed.candidate_turns()] == [
        "First answer about the funnel.",
        "Second answer.",
        "Third answer, on guardrails.",
    ]


class _CommandListener:
    """Yields answers carrying spoken commands, as the live listener reports them."""

    def __init__(self, items: list[tuple[str, str | None]]) -> None:
        self.items = items

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        if not self.items:
            return None
        text, command = self.items.pop(0)
        return Answer(transcript=Transcript(text=text), command=command)  # type: ignore[arg-type]


def test_spoken_commands_repeat_pause_resume_and_stop(tmp_path: Path) -> None:
    brain = ScriptedInterviewer([])
    parts, session = _parts(tmp_path, [], brain)
    parts.listener = _CommandListener(
        [
            ("Repeat the question.", "repeat"),
            ("Pause.", "pause"),
            ("Talking to someone else meanwhile.", None),
            ("Resume.", "resume"),
            ("Stop the interview.", "stop"),
        ]
    )
    run_session(parts, session)
    lines = parts.speaker.lines  # type: ignore[attr-defined]
    assert lines[1] == session.question  # repeated verbatim
    assert "Paused" in lines[2] and session.question in lines[3]
    assert [e["command"] for e in session.events if e["type"] == "command"] == ["repeat", "pause", "resume", "stop"]
    assert all("someone else" not in t.text for t in session.turns)  # speech while paused is not an answer
    # stopped before any answer: nothing to grade, and the candidate is told so rather than scored 1/5
    assert session.status == "no_answer" and not session.scores and session.overall is None
    assert session.turns[-1].kind == "note" and "not scored" in session.turns[-1].text
    assert brain.calls == 0  # the brain was never asked to judge silence


class _StreamingInterviewer(ScriptedInterviewer):
    """Streams its follow-up sentence by sentence, as the LLM interviewer does."""

    def __init__(self) -> None:
        super().__init__([])
        self.last_timings: dict[str, float] = {}

    def react_stream(self, ctx: Context, on_sentence: Callable[[str], None]) -> Move:
        if self.calls:
            return Move(kind="wrap_up", text="Thanks.")
        self.calls += 1
        on_sentence("Good start.")
        self.last_timings = {"time_to_first_sentence_s": 0.25}
        on_sentence("Which metric would you watch?")
        return Move(kind="follow_up", text="Good start. Which metric would you watch?", targets=("metrics",))


def test_a_streaming_brain_is_voiced_sentence_by_sentence(tmp_path: Path) -> None:
    brain = _StreamingInterviewer()
    parts, session = _parts(tmp_path, ["I'd segment by platform.", "Upload success rate."], brain)
    run_session(parts, session)
    lines = parts.speaker.lines  # type: ignore[attr-defined]
    assert lines[1:3] == ["Good start.", "Which metric would you watch?"]
    follow = session.turns[2]
    assert follow.kind == "follow_up" and follow.text == "Good start. Which metric would you watch?"
    assert follow.timings["time_to_first_sentence_s"] == 0.25 and "reply_latency_s" in follow.timings


class _FailingMidStream(ScriptedInterviewer):
    """Streams one sentence, then 'fails' and hands back the offline interviewer's different move."""

    def react_stream(self, ctx: Context, on_sentence: Callable[[str], None]) -> Move:
        if self.calls:
            return Move(kind="wrap_up", text="Thanks.")
        self.calls += 1
        on_sentence("Interesting point about")
        return Move(kind="follow_up", text="How would you know the fix worked?", targets=("metrics",))


def test_a_move_that_differs_from_what_was_streamed_is_spoken_whole(tmp_path: Path) -> None:
    parts, session = _parts(tmp_path, ["I'd segment by platform.", "Upload success."], _FailingMidStream([]))
    run_session(parts, session)
    lines = parts.speaker.lines  # type: ignore[attr-defined]
    assert lines[1:3] == ["Interesting point about", "How would you know the fix worked?"]
    assert session.turns[2].text == "How would you know the fix worked?"


def _said(text: str) -> Transcript:
    from voicecoach.model import Segment, Word

    words = tuple(Word(i * 0.5, i * 0.5 + 0.4, w) for i, w in enumerate(text.split()))
    return Transcript(text=text, segments=(Segment(0.0, words[-1].end_s, text, words),), duration_s=words[-1].end_s)


class _SecondPassListener:
    """The live listener's contract at the edge: the first answer's second pass is ready once the reply has
    been spoken, the last one's only if the loop waits for it."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        n = len(self.waited)
        if n == 2:
            return None
        self.waited.append(-1.0)

        def improved(timeout_s: float) -> Transcript | None:
            self.waited[n] = max(self.waited[n], timeout_s)
            ready = n == 0 or timeout_s > 0
            return _said(f"I would segment the drop by platform, answer {n}") if ready else None

        return Answer(transcript=_said(f"I would segment the drop by plat form, answer {n}"), improved=improved)


def test_the_second_pass_replaces_an_answer_text_after_the_reply_and_before_grading(tmp_path: Path) -> None:
    brain = ScriptedInterviewer([Move(kind="follow_up", text="How would you know?", targets=("metrics",))])
    parts, session = _parts(tmp_path, [], brain)
    listener = _SecondPassListener()
    parts.listener = listener
    run_session(parts, session)
    answers = [t for t in session.turns if t.role == "candidate"]
    assert [t.text for t in answers] == [f"I would segment the drop by platform, answer {n}" for n in (0, 1)]
    assert all(t.timings.get("second_pass") == 1.0 for t in answers)
    assert [w.text for w in answers[0].segments[0].words][4:7] == ["drop", "by", "platform,"]
    assert answers[0].delivery is not None
    assert "plat form" in brain.contexts[0].turns[-1].text  # the brain reacted to what was heard first
    assert listener.waited[0] == 0.0 and listener.waited[1] > 0  # only the last answer was waited for
    on_disk = _on_disk(parts, session)["turns"]
    assert isinstance(on_disk, list)
    assert [t["text"] for t in on_disk if t["role"] == "candidate"] == [t.text for t in answers]


def test_interviewer_lines_keep_their_audio_in_the_session_folder(tmp_path: Path) -> None:
    """Each interviewer turn points at its WAV (relative to the session folder); a streamed reply is one WAV."""
    import wave

    from voicecoach.config import TtsOptions
    from voicecoach.speech.tts import WavDirSpeaker

    parts, session = _parts(tmp_path, ["I'd segment by platform.", "Upload success rate."], _StreamingInterviewer())
    folder = parts.store.dir(session.id)
    parts.speaker = WavDirSpeaker(TtsOptions(voice_out=str(tmp_path / "out")), tmp_path / "out", folder / "voice")
    run_session(parts, session)
    lines = [t for t in session.turns if t.role == "interviewer"]
    assert all(t.audio for t in lines), [(t.kind, t.audio) for t in lines]
    follow = session.turns[2]
    assert follow.kind == "follow_up" and follow.audio == "voice/line-02-all.wav"
    frames, rate = [], 0
    for name in ("line-02.wav", "line-03.wav", "line-02-all.wav"):
        with wave.open(str(folder / "voice" / name)) as w:
            frames.append(w.getnframes())
            rate = w.getframerate()
    assert frames[2] == frames[0] + frames[1]  # both sentences, one after the other
    assert abs((follow.end_s - follow.start_s) - frames[2] / rate) < 0.01  # the turn lasts as long as its audio
    saved = _on_disk(parts, session)["turns"]
    assert isinstance(saved, list) and saved[0]["audio"] == "voice/line-01.wav"


def test_interviewer_audio_outside_the_session_folder_is_not_recorded(tmp_path: Path) -> None:
    from voicecoach.config import TtsOptions
    from voicecoach.speech.tts import WavDirSpeaker

    parts, session = _parts(tmp_path, ["I'd segment by platform."], ScriptedInterviewer([]))
    # a speaker that keeps its lines outside the session folder (the session copies somewhere else)
    parts.speaker = WavDirSpeaker(TtsOptions(), tmp_path / "elsewhere", tmp_path / "elsewhere" / "voice")
    run_session(parts, session)
    assert all(t.audio is None for t in session.turns if t.role == "interviewer")
    assert (tmp_path / "elsewhere" / "001-interviewer.wav").exists()
