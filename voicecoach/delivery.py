"""Pure delivery metrics from word timestamps: pace, fillers, hedges, pauses, answer length."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from voicecoach.fillers import filler_events, hedge_events, tokens
from voicecoach.model import Delivery, Segment, Turn

LONG_PAUSE_S = 3.0
ANSWER_MIN_S = 120.0  # an execution answer needs two to three minutes
ANSWER_MAX_S = 180.0
SLOW_WPM = 110.0
FAST_WPM = 175.0
FILLERS_PER_MIN_NOTE = 3.0
I_THINK_PER_MIN = 3.0  # "I think" counts as a hedge only above this rate


def pause_events(segments: Sequence[Segment], min_s: float = LONG_PAUSE_S) -> list[tuple[float, float]]:
    """(start, length) of every silence between words longer than min_s."""
    toks = tokens(segments)
    return [(a.end_s, b.start_s - a.end_s) for a, b in pairwise(toks) if b.start_s - a.end_s > min_s]


def speaking_seconds(segments: Sequence[Segment]) -> float:
    """From the first word to the last, minus the long pauses."""
    toks = tokens(segments)
    if not toks:
        return 0.0
    span = toks[-1].end_s - toks[0].start_s
    return max(0.0, span - sum(length for _, length in pause_events(segments)))


def pace_series(segments: Sequence[Segment], bin_s: float = 10.0) -> list[tuple[float, float]]:
    """(bin start, words per minute in that bin) across the answer, for a timeline."""
    toks = tokens(segments)
    if not toks:
        return []
    end = toks[-1].end_s
    counts: Counter[int] = Counter(int(t.start_s // bin_s) for t in toks)
    bins = int(end // bin_s) + 1
    out = []
    for b in range(bins):
        width = min(bin_s, end - b * bin_s) if b == bins - 1 else bin_s
        out.append((b * bin_s, counts[b] * 60.0 / max(width, 1.0)))
    return out


def mmss_words(seconds: float) -> str:
    """4 min 10 s, 45 s."""
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s} s" if m else f"{s} s"


def _count(events: Sequence[tuple[float, str]]) -> dict[str, int]:
    return dict(Counter(label for _, label in events).most_common())


def _build(segment_groups: Sequence[Sequence[Segment]], answer_s: Sequence[float], main_answer: bool) -> Delivery:
    """Figures and notes over one or more answers."""
    fillers: list[tuple[float, str]] = []
    hedges: list[tuple[float, str]] = []
    speaking = 0.0
    words = 0
    pauses = 0
    for segs in segment_groups:
        fillers += filler_events(segs)
        hedges += hedge_events(segs)
        speaking += speaking_seconds(segs)
        words += len(tokens(segs))
        pauses += len(pause_events(segs))
    minutes = speaking / 60.0
    wpm = words / minutes if minutes > 0 else 0.0
    hedge_counts = _count(hedges)
    i_think = hedge_counts.get("i think", 0)
    if i_think < 2 or minutes <= 0 or i_think / minutes <= I_THINK_PER_MIN:
        hedge_counts.pop("i think", None)  # "I think" is only a hedge when overused
    filler_counts = _count(fillers)
    notes = _notes(wpm, words, fillers, filler_counts, hedge_counts, pauses, minutes, answer_s, main_answer)
    return Delivery(
        words_per_minute=round(wpm, 1),
        filler_count=len(fillers),
        fillers=filler_counts,
        hedges=hedge_counts,
        long_pauses=pauses,
        speaking_s=round(speaking, 2),
        word_count=words,
        notes=tuple(notes),
    )


def _notes(
    wpm: float,
    words: int,
    fillers: Sequence[tuple[float, str]],
    filler_counts: dict[str, int],
    hedge_counts: dict[str, int],
    pauses: int,
    minutes: float,
    answer_s: Sequence[float],
    main_answer: bool,
) -> list[str]:
    """Plain-language coaching notes."""
    notes: list[str] = []
    if words >= 20 and wpm > FAST_WPM:
        notes.append(f"Pace {wpm:.0f} words a minute is fast; slow down so the interviewer can follow.")
    elif words >= 20 and wpm < SLOW_WPM:
        notes.append(f"Pace {wpm:.0f} words a minute is slow; aim for about 130-160.")
    if fillers and minutes > 0 and len(fillers) / minutes > FILLERS_PER_MIN_NOTE:
        top = ", ".join(f'"{w}" \u00d7{n}' for w, n in list(filler_counts.items())[:3])
        notes.append(f"{len(fillers)} fillers ({top}), {len(fillers) / minutes:.1f} a minute; pause silently instead.")
    if sum(hedge_counts.values()) >= 2:
        top = ", ".join(f'"{w}" \u00d7{n}' for w, n in hedge_counts.items())
        notes.append(f"Hedging ({top}); state your recommendation and your assumptions plainly.")
    if pauses:
        notes.append(f"{pauses} pause{'s' if pauses > 1 else ''} longer than {LONG_PAUSE_S:.0f} s.")
    for i, length in enumerate(answer_s):
        if length > ANSWER_MAX_S:
            notes.append(f"Answer ran {mmss_words(length)}; aim for two to three minutes.")
        elif i == 0 and main_answer and 0 < length < ANSWER_MIN_S:
            notes.append(f"Answer ran {mmss_words(length)}; an execution answer needs two to three minutes.")
    return notes


def _answer_length(segments: Sequence[Segment], duration_s: float | None) -> float:
    """The answer's length: the audio's duration when known, else the span of its words."""
    if duration_s is not None and duration_s > 0:
        return duration_s
    toks = tokens(segments)
    return toks[-1].end_s - toks[0].start_s if toks else 0.0


def analyse_turn(
    segments: Sequence[Segment], duration_s: float | None = None, *, main_answer: bool = False
) -> Delivery:
    """Delivery of one answer; main_answer also flags an answer shorter than two minutes."""
    return _build([segments], [_answer_length(segments, duration_s)], main_answer)


def analyse_session(turns: Sequence[Turn]) -> Delivery:
    """Delivery over the candidate's answer turns; the first one is judged as the main answer."""
    answers = [t for t in turns if t.role == "candidate" and t.kind == "answer"]
    lengths = [_answer_length(t.segments, t.end_s - t.start_s if t.end_s > t.start_s else None) for t in answers]
    return _build([t.segments for t in answers], lengths, main_answer=True)
