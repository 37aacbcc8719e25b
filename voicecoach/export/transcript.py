"""A turn's transcript as HTML: each timed word clickable, fillers and hedges marked in the text itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from voicecoach.fillers import _SOUNDS, filler_events, hedge_events
from voicecoach.model import Turn, Word

_TOKEN = re.compile(r"[a-z0-9']+")
ALIGN_SLACK = 40  # characters a word may sit past the previous one (punctuation, an edited gap)


@dataclass(frozen=True)
class Mark:
    """A filler or hedge over words first..last (indexes into the turn's timed words)."""

    kind: str  # "filler" or "hedge"
    label: str
    first: int
    last: int


def _words(turn: Turn) -> list[Word]:
    """The turn's timed words in order."""
    return [w for seg in turn.segments for w in seg.words]


def _tokens(words: list[Word]) -> list[tuple[int, str, float]]:
    """(word index, token, start) split exactly as voicecoach.fillers splits words, so event times line up."""
    out = []
    for i, w in enumerate(words):
        for tok in _TOKEN.findall(w.text.strip().lower().replace("\u2019", "'")):
            out.append((i, tok.rstrip("'") or tok, float(w.start_s)))
    return out


def _span(label: str, first_token: str, hedge: bool) -> int:
    """How many tokens an event covers: "umm" or "yknow" is one, "you know" two, "i am not sure" four."""
    if not hedge and first_token in _SOUNDS:
        return 1
    if hedge and label == "i'm not sure" and first_token == "i":
        return 4
    return len(label.split())


def marks(turn: Turn) -> list[Mark]:
    """Fillers and hedges of the turn as word ranges; "I think" only when the turn's delivery counted it."""
    words = _words(turn)
    toks = _tokens(words)
    counted = set(turn.delivery.hedges) if turn.delivery is not None else set()
    events = [("filler", t, label) for t, label in filler_events(turn.segments)]
    events += [
        ("hedge", t, label) for t, label in hedge_events(turn.segments) if label != "i think" or label in counted
    ]
    out: list[Mark] = []
    used: set[int] = set()
    for kind, start, label in sorted(events, key=lambda e: e[1]):
        k = next((j for j, (_, _, s) in enumerate(toks) if s == start and j not in used), None)
        if k is None:
            continue
        n = _span(label, toks[k][1], kind == "hedge")
        covered = range(k, min(k + n, len(toks)))
        if any(j in used for j in covered):
            continue  # never nest one mark in another
        used.update(covered)
        out.append(Mark(kind, label, toks[covered[0]][0], toks[covered[-1]][0]))
    return sorted(out, key=lambda m: m.first)


def _align(text: str, words: list[Word]) -> list[tuple[int, int] | None]:
    """Character span of each word in text, found in order; None for a word the text does not hold."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for w in words:
        needle = w.text.strip()
        # look just ahead: the text is the words joined, so a word far away is another occurrence, not this one
        at = text.find(needle, cursor, cursor + len(needle) + ALIGN_SLACK) if needle else -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def transcript_html(turn: Turn) -> str:
    """The turn's text, escaped, with <span data-t> on timed words and <mark class="filler|hedge"> around them."""
    text = turn.text.strip()
    words = _words(turn)
    if not words:
        return escape(text)
    spans = _align(text, words)
    opens: dict[int, Mark] = {}
    closes: set[int] = set()
    for m in marks(turn):
        if spans[m.first] is not None and spans[m.last] is not None:
            opens[m.first] = m
            closes.add(m.last)
    out: list[str] = []
    cursor = 0
    for i, (w, span) in enumerate(zip(words, spans, strict=True)):
        if span is None:
            continue
        start, end = span
        out.append(escape(text[cursor:start]))
        if i in opens:
            m = opens[i]
            out.append(f'<mark class="{m.kind}" title="{m.kind}: {escape(m.label)}">')
        out.append(f'<span data-t="{w.start_s:.2f}">{escape(text[start:end])}</span>')
        if i in closes:
            out.append("</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
