"""Where things were said: the audio time of a quote (from word timestamps) and what the candidate calls a turn."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.brain.evidence import normalise
from voicecoach.model import Session, Turn


@dataclass(frozen=True)
class Moment:
    """A point in one turn: audio time (in the turn's own audio) and session time, and the candidate's count."""

    turn: int  # index in Session.turns
    answer: int | None  # 1-based count of candidate turns (what the candidate sees), None for other turns
    audio_s: float  # seconds from the start of the turn's audio
    session_s: float  # turn.start_s + audio_s
    exact: bool  # True when the quote was found in the word timestamps


def timed_tokens(turn: Turn) -> list[tuple[str, float]]:
    """(normalised word, audio start) for every word; segments without word times spread their words evenly."""
    out: list[tuple[str, float]] = []
    for seg in turn.segments:
        if seg.words:
            for w in seg.words:
                out += [(tok, w.start_s) for tok in normalise(w.text).split()]
        else:
            toks = normalise(seg.text).split()
            step = (seg.end_s - seg.start_s) / len(toks) if toks else 0.0
            out += [(tok, seg.start_s + i * step) for i, tok in enumerate(toks)]
    return out


def quote_audio_s(turn: Turn, quote: str) -> float | None:
    """Audio time of the quote's first word in this turn, or None when the words do not hold it."""
    target = normalise(quote).split()
    if not target:
        return None
    toks = timed_tokens(turn)
    words = [t for t, _ in toks]
    for i in range(len(words) - len(target) + 1):
        if words[i : i + len(target)] == target:
            return toks[i][1]
    return None


def answer_numbers(session: Session) -> dict[int, int]:
    """Turn index -> the candidate's own count of their turns (1, 2, 3 ...)."""
    return {index: n for n, (index, _) in enumerate(session.candidate_turns(), 1)}


def moment(session: Session, turn_index: int | None, quote: str = "") -> Moment | None:
    """The moment a quote was said in a turn (the turn's start when the words do not hold it); None without a turn."""
    if turn_index is None or not 0 <= turn_index < len(session.turns):
        return None
    turn = session.turns[turn_index]
    at = quote_audio_s(turn, quote) if quote else None
    audio_s = at if at is not None else 0.0
    return Moment(
        turn=turn_index,
        answer=answer_numbers(session).get(turn_index),
        audio_s=round(audio_s, 2),
        session_s=round(turn.start_s + audio_s, 2),
        exact=at is not None,
    )


def turn_name(session: Session, turn_index: int) -> str:
    """How the reports name a turn: "answer 2" for the candidate's second turn, else "turn 5"."""
    n = answer_numbers(session).get(turn_index)
    return f"answer {n}" if n is not None else f"turn {turn_index}"
