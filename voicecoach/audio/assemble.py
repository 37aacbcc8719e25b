"""One answer's Transcript from its utterances' first-pass texts and whatever second passes have finished."""

from __future__ import annotations

from dataclasses import replace

from voicecoach.audio.commands import normalise, strip_closing_phrase
from voicecoach.audio.refine import Piece
from voicecoach.audio.turn import INTERRUPTION_LINE, SAMPLE_RATE_HZ, TurnDetector, Utterance
from voicecoach.model import Segment, Transcript, Word


def shift(t: Transcript, offset_s: float) -> tuple[Segment, ...]:
    """Segments of one utterance moved to answer time."""
    return tuple(
        Segment(
            s.start_s + offset_s,
            s.end_s + offset_s,
            s.text,
            tuple(Word(w.start_s + offset_s, w.end_s + offset_s, w.text, w.probability) for w in s.words),
        )
        for s in t.segments
    )


def _without_closing(segments: list[Segment]) -> list[Segment]:
    """Drop the closing phrase from the last segments' text and words."""
    while segments:
        last = segments[-1]
        kept = strip_closing_phrase(last.text)
        if normalise(kept):
            n = len(normalise(kept).split())
            segments[-1] = replace(last, text=kept, words=last.words[:n])
            return segments
        segments.pop()
    return segments


def assemble(
    det: TurnDetector,
    utterances: list[Utterance],
    first_pass: list[Transcript],
    pieces: list[tuple[Piece, Transcript | None]],
) -> tuple[Transcript, int]:
    """The answer's transcript (finished second passes in place of the utterances they cover, first-pass text
    elsewhere, the closing phrase cut) and how many utterances a second pass replaced."""
    origin = det.kept_start
    segments: list[Segment] = []
    texts: list[str] = []
    refined = {p.first: (p, t) for p, t in pieces if t is not None}
    i = 0
    while i < len(utterances):
        piece, t = refined.get(i, (None, first_pass[i]))
        assert t is not None
        start = piece.start if piece is not None else utterances[i].start
        segments.extend(shift(t, (start - origin) / SAMPLE_RATE_HZ))
        texts.append(t.text.strip())
        i = piece.last + 1 if piece is not None else i + 1
    if det.ended == "phrase":
        segments = _without_closing(segments)
    text = " ".join(t for t in texts if t)
    if det.ended == "phrase":
        text = strip_closing_phrase(text)
    end = det.end_sample if det.end_sample is not None else det.samples
    transcript = Transcript(
        text=text,
        segments=tuple(s for s in segments if s.text.strip()),
        duration_s=max(0, end - origin) / SAMPLE_RATE_HZ if det.onset is not None else 0.0,
        notes=(INTERRUPTION_LINE,) if det.ended == "length_cap" else (),
    )
    return transcript, sum(p.last - p.first + 1 for p, _ in refined.values())
