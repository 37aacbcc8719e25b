"""Evidence is only ever built by locating a quote in the candidate's own words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from voicecoach.model import Evidence, Turn

_NON_WORD = re.compile(r"[^a-z0-9']+")


def normalise(text: str) -> str:
    """Lower-case, punctuation folded to spaces, runs of space collapsed."""
    return " ".join(_NON_WORD.sub(" ", text.lower().replace("\u2019", "'")).split())


def locate(quote: str, turns: Sequence[Turn], candidates_only: bool = True) -> Evidence | None:
    """Evidence for quote if it stands (after normalising) in a candidate turn, else None.

    The returned quote is the candidate's own wording, cut from the transcript, not the
    caller's version of it.
    """
    needle = normalise(quote)
    if not needle:
        return None
    for index, turn in enumerate(turns):
        if candidates_only and turn.role != "candidate":
            continue
        original = _find_original(turn.text, needle)
        if original is not None:
            return Evidence(quote=original, turn=index)
    return None


def locate_all(quotes: Iterable[str], turns: Sequence[Turn]) -> tuple[Evidence, ...]:
    """Every quote that can be located, deduplicated; the rest are dropped."""
    found: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    for q in quotes:
        ev = locate(q, turns)
        if ev is not None and (normalise(ev.quote), ev.turn) not in seen:
            seen.add((normalise(ev.quote), ev.turn))
            found.append(ev)
    return tuple(found)


def _find_original(text: str, needle: str) -> str | None:
    """The span of text whose normalised form equals needle, with its original punctuation."""
    words = list(re.finditer(r"[\w'\u2019]+", text))
    norm = [normalise(m.group(0)) for m in words]
    target = needle.split()
    n = len(target)
    for i in range(len(norm) - n + 1):
        if norm[i : i + n] == target:
            return text[words[i].start() : words[i + n - 1].end()]
    return None
