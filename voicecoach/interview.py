"""The session loop over the ports, readable top to bottom; it knows no concrete adapter."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from voicecoach.audio.lines import line_audio
from voicecoach.audio.turn import INTERRUPTION_LINE
from voicecoach.content import Case, Pack
from voicecoach.delivery import analyse_session, analyse_turn
from voicecoach.model import Move, Session, Transcript, Turn, TurnKind
from voicecoach.ports import Answer, Context, Interviewer, Listener, Speaker, Spoken
from voicecoach.store import SessionStore

Echo = Callable[[str, str], None]  # (who, text): shows the conversation as it happens

MAX_CANDIDATE_TURNS = 12  # a guard against a brain that never wraps up
FINAL_PASS_WAIT_S = 8.0  # before grading, wait this long at most for the last answer's second pass
_MOVE_KIND: dict[str, TurnKind] = {
    "follow_up": "follow_up",
    "clarification_answer": "clarification_answer",
    "next_question": "question",
    "wrap_up": "note",
}


@dataclass
class Parts:
    """Everything a session needs, already built."""

    speaker: Speaker
    listener: Listener
    interviewer: Interviewer
    store: SessionStore
    pack: Pack
    case: Case
    max_follow_ups: int = 2
    echo: Echo = field(default=lambda who, text: None)


def run_session(parts: Parts, session: Session) -> Session:
    """Run (or resume) a session to its feedback; on any interruption it is saved as aborted."""
    try:
        _run(parts, session)
    except BaseException:
        session.status = "aborted"
        parts.store.save(session)
        raise
    return session


def _run(parts: Parts, session: Session) -> None:
    session.status = "in_progress"
    if not session.turns:
        _say(parts, session, "question", session.question)
    elif _resume_point(parts, session) == "wrap_up":
        _finish(parts, session)
        return
    pending: list[tuple[int, Answer]] = []  # answers whose second pass may still improve their text
    while len(session.candidate_turns()) < MAX_CANDIDATE_TURNS:
        prompt = session.last_interviewer_line()
        answer = _listen(parts, session, prompt)
        if answer is None:  # scripted answers ran out, or the input ended
            break
        if answer.command is not None:
            if _handle_command(parts, session, answer):
                continue
            break
        if answer.end_reason == "no_speech":  # nothing said even after the nudges: end the questions
            session.events.append({"type": "no_speech", "at_turn": len(session.turns)})
            break
        _add_answer(parts, session, answer)
        if answer.improved is not None:
            pending.append((len(session.turns) - 1, answer))
        if answer.end_reason == "length_cap":
            _say(parts, session, "note", INTERRUPTION_LINE)
        move = _react(parts, session, answer)
        _improve(parts, session, pending, 0.0)  # whatever finished while the reply was spoken
        if move.kind == "wrap_up":
            break
    _report_unused(parts, session)
    _improve(parts, session, pending, FINAL_PASS_WAIT_S)  # the grade reads the better text
    _finish(parts, session)


def _report_unused(parts: Parts, session: Session) -> None:
    """Say how many scripted answers (--answers, --answers-text) the interview ended before."""
    remaining = getattr(parts.listener, "remaining", None)
    left = remaining() if callable(remaining) else 0
    if left <= 0:
        return
    were = "was" if left == 1 else "were"
    note = f"{left} of your scripted answers {were} not used: the interview ended before {'it' if left == 1 else 'them'}."
    session.events.append({"type": "unused_answers", "count": left, "at_turn": len(session.turns)})
    parts.echo("note", note)
    parts.store.save(session)


def _improve(parts: Parts, session: Session, pending: list[tuple[int, Answer]], wait_s: float) -> None:
    """Swap in the second-pass transcript of earlier answers that have one (text, words, delivery)."""
    deadline = time.monotonic() + wait_s
    for item in list(pending):
        index, answer = item
        assert answer.improved is not None
        better = answer.improved(max(0.0, deadline - time.monotonic()))
        if better is None:
            continue
        pending.remove(item)
        turn = session.turns[index]
        duration = turn.end_s - turn.start_s
        session.turns[index] = replace(
            turn,
            text=better.text,
            segments=better.segments,
            delivery=analyse_turn(better.segments, duration) if better.segments else None,
            timings={**turn.timings, "second_pass": 1.0},
        )
        parts.store.save(session)


def _listen(parts: Parts, session: Session, prompt: str) -> Answer | None:
    """Listen for the candidate's turn; its audio goes straight to the turn's WAV."""
    wav = parts.store.answer_wav(session, len(session.turns))
    tail = " ".join(t.text for _, t in session.candidate_turns())[-200:]
    return parts.listener.listen(prompt, wav, tail)


def _add_answer(parts: Parts, session: Session, answer: Answer) -> None:
    """Record the candidate's turn and save before the brain sees it."""
    tr = answer.transcript
    start = session.elapsed_s()
    duration = tr.duration_s or (tr.segments[-1].end_s if tr.segments else 0.0)
    audio = None
    if answer.audio_path is not None and answer.audio_path.exists():
        audio = str(answer.audio_path.relative_to(parts.store.dir(session.id)))
    turn = Turn(
        role="candidate",
        kind="answer",
        text=tr.text,
        audio=audio,
        start_s=start,
        end_s=start + duration,
        segments=tr.segments,
        timings={k: round(v, 3) for k, v in answer.timings.items() if not k.endswith("_monotonic")},
        delivery=analyse_turn(tr.segments, duration) if tr.segments else None,
        note="; ".join(tr.notes),
    )
    session.turns.append(turn)
    parts.echo("candidate", tr.text or "(no speech heard)")
    parts.store.save(session)


def _react(parts: Parts, session: Session, answer: Answer) -> Move:
    """Ask the brain for its next move and voice it; reply latency is measured to the first sample.

    A brain that streams (react_stream) is voiced sentence by sentence as the sentences arrive, so a
    slow model still starts talking quickly.
    """
    started = time.monotonic()
    ctx = _context(parts, session)
    voiced: list[tuple[Spoken, float]] = []
    stream = getattr(parts.interviewer, "react_stream", None)
    if stream is not None:
        def on_sentence(sentence: str) -> None:
            parts.echo("interviewer", sentence)
            voiced.append(_voice(parts, sentence))

        move: Move = stream(ctx, on_sentence)
    else:
        move = parts.interviewer.react(ctx)
    brain_s = time.monotonic() - started
    _note_brain_switch(parts, session)
    if move.kind == "clarification_answer":  # the candidate asked rather than answered
        session.turns[-1] = replace(session.turns[-1], kind="clarification")
    rest = _unspoken(move.text, [sp.text for sp, _ in voiced])
    if rest:  # nothing streamed (an offline brain), the stream's last words, or the fallback's own move
        parts.echo("interviewer", rest)
        voiced.append(_voice(parts, rest))
    _record(parts, session, _MOVE_KIND[move.kind], move.text, [sp for sp, _ in voiced], move.targets)
    first_sample = voiced[0][1]
    timings = {"brain_s": round(brain_s, 3), "tts_first_sample_s": round(voiced[0][0].first_sample_latency_s, 3)}
    timings.update({k: round(v, 3) for k, v in getattr(parts.interviewer, "last_timings", {}).items()})
    if "end_of_turn_wait_s" in answer.timings:
        timings["end_of_turn_wait_s"] = round(answer.timings["end_of_turn_wait_s"], 3)
    last_voice = answer.timings.get("last_voice_monotonic")
    if last_voice is not None:
        timings["reply_latency_s"] = round(first_sample - last_voice, 3)
    session.turns[-1] = replace(session.turns[-1], timings=timings)
    parts.store.save(session)
    return move


def _unspoken(text: str, said: list[str]) -> str:
    """What of the move's text has not been voiced yet: all of it when what was said is not its start.

    If the LLM failed mid-stream and the offline interviewer took the turn, the sentences already
    spoken are not part of the move that counts, so the whole move is spoken after them.
    """
    done = " ".join(" ".join(said).split())
    full = " ".join(text.split())
    if not done:
        return full
    return full[len(done) :].strip() if full.startswith(done) else full


def _voice(parts: Parts, text: str) -> tuple[Spoken, float]:
    """Speak (or write) one line; returns it with the monotonic time of its first sample."""
    called = time.monotonic()
    spoken = parts.speaker.say(text)
    return spoken, called + spoken.first_sample_latency_s


def _record(
    parts: Parts, session: Session, kind: TurnKind, text: str, spoken: list[Spoken], targets: tuple[str, ...] = ()
) -> None:
    """Add an interviewer line to the session on its clock, with its audio when it is in the session folder, and save."""
    start = session.elapsed_s()
    duration_s = sum(sp.duration_s for sp in spoken)
    session.turns.append(
        Turn(
            role="interviewer", kind=kind, text=text, targets=targets, start_s=start, end_s=start + duration_s,
            interviewer=parts.interviewer.name, audio=line_audio(parts.store.dir(session.id), spoken),
        )
    )
    parts.store.save(session)


def _say(parts: Parts, session: Session, kind: TurnKind, text: str) -> None:
    """Voice one interviewer line and record it."""
    parts.echo("interviewer", text)
    spoken, _ = _voice(parts, text)
    _record(parts, session, kind, text, [spoken])


def _handle_command(parts: Parts, session: Session, answer: Answer) -> bool:
    """Act on a spoken command; True to keep listening, False to end the questions."""
    command = answer.command
    session.events.append({"type": "command", "command": command, "at_turn": len(session.turns)})
    parts.store.save(session)
    if command == "repeat":
        _say(parts, session, "note", session.last_interviewer_line())
        return True
    if command == "pause":
        _say(parts, session, "note", "Paused. Say resume when you're ready to go on.")
        return _paused(parts, session)
    if command == "resume":
        _say(parts, session, "note", "We're not paused. " + session.open_question())
        return True
    if command == "skip":
        _say(parts, session, "note", "Sure, let's leave that one there.")
        return False
    return False  # stop


def _paused(parts: Parts, session: Session) -> bool:
    """Keep listening, ignoring what is said, until "resume" (True) or "stop" / the input ending (False)."""
    while True:
        answer = _listen(parts, session, "")
        if answer is None:
            return False
        if answer.command in ("resume", "stop"):
            session.events.append({"type": "command", "command": answer.command, "at_turn": len(session.turns)})
            parts.store.save(session)
            if answer.command == "stop":
                return False
            _say(parts, session, "note", "Welcome back. " + session.open_question())
            return True


def _finish(parts: Parts, session: Session) -> None:
    """Judge, speak the feedback, and mark the session completed; with nothing heard, say what to check."""
    if not any(t.text.strip() for _, t in session.candidate_turns()):
        _no_answer(parts, session)
        return
    verdict = parts.interviewer.assess(_context(parts, session))
    _note_brain_switch(parts, session)
    session.scores = {s.dimension: s for s in verdict.scores}
    session.overall = verdict.overall
    session.interviewer = verdict.interviewer
    session.delivery = analyse_session(session.turns)
    session.feedback = verdict.feedback
    session.fixes = list(verdict.fixes)
    _say(parts, session, "feedback", verdict.feedback)
    session.status = "completed"
    parts.store.save(session)


def _no_answer(parts: Parts, session: Session) -> None:
    """End without a grade: nothing was said, so scoring would only grade the silence."""
    _say(parts, session, "note", no_answer_line(str(session.settings.get("input", "")), session.events))
    session.events.append({"type": "no_answer", "at_turn": len(session.turns)})
    session.status = "no_answer"
    parts.store.save(session)


def no_answer_line(input_mode: str, events: list[dict[str, Any]]) -> str:
    """What the interviewer says when no answer was heard: the checks that fit how the answers came in."""
    silent = any(e.get("type") == "no_speech" for e in events)
    stopped = any(e.get("type") == "command" and e.get("command") in ("stop", "skip") for e in events)
    if not silent and (stopped or input_mode in ("typed", "answers-text")):
        return "We stopped before you answered, so this session is not scored. Start again whenever you're ready."
    if input_mode == "answers" or input_mode.startswith("file:"):
        check = (
            "Your audio holds no speech. If you recorded it on this computer, check that the microphone was not "
            "muted and that the right input device was chosen: `voicecoach devices` lists them."
        )
    else:
        check = (
            "Check that your microphone is not muted and that the right input device is chosen: "
            "`voicecoach devices` lists them, and --input-device picks one."
        )
    return f"I didn't hear an answer, so this session is not scored. {check}"


def _context(parts: Parts, session: Session) -> Context:
    return Context(pack=parts.pack, case=parts.case, turns=tuple(session.turns), max_follow_ups=parts.max_follow_ups)


def _note_brain_switch(parts: Parts, session: Session) -> None:
    """When the LLM failed and the offline interviewer took the turn, say so in the transcript."""
    take = getattr(parts.interviewer, "take_notes", None)
    if take is None:
        return
    for note in take():
        start = session.elapsed_s()
        session.turns.append(Turn(role="interviewer", kind="note", text=note, start_s=start, end_s=start))
        parts.echo("note", note)


def _resume_point(parts: Parts, session: Session) -> str:
    """Continue an interrupted session: keep any partial answer's audio and ask the open question again."""
    partial = parts.store.answer_wav(session, len(session.turns))
    if partial.exists():
        kept = partial.with_name(partial.stem + "-interrupted.wav")
        partial.rename(kept)
        session.events.append({"type": "interrupted_answer", "audio": kept.name})
    if session.turns[-1].role == "candidate":  # killed while the brain was thinking: let it react now
        return _react(parts, session, Answer(transcript=_transcript_of(session.turns[-1]))).kind
    session.events.append({"type": "resumed", "at_turn": len(session.turns)})
    _say(parts, session, "note", "Let's pick up where we left off. " + session.open_question())
    return "listen"


def _transcript_of(turn: Turn) -> Transcript:
    return Transcript(text=turn.text, segments=turn.segments)


def make_session(
    store: SessionStore, pack: Pack, case: Case, interviewer: str, settings: Mapping[str, Any],
    demo: bool = False, retake_of: str | None = None,
) -> Session:
    """A fresh session record, in memory only: store.create() writes it once every check has passed."""
    return Session(
        id=store.new_id(), pack=pack.id, case=case.id, question=case.question, interviewer=interviewer,
        settings=dict(settings), demo=demo, retake_of=retake_of,
    )


def new_session(store: SessionStore, pack: Pack, case: Case, interviewer: str, settings: Mapping[str, Any]) -> Session:
    """A fresh session record, created on disk before the first question."""
    session = make_session(store, pack, case, interviewer, settings)
    store.create(session)
    return session

