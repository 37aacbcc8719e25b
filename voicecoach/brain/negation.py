"""Whether a phrase is said in the negative: "we wouldn't look at segments" against "never ship without a kill switch"."""

from __future__ import annotations

from voicecoach.brain.concept import HARM_WORDS, NEGATION_BREAKS, NEGATORS

_CHANGE_WORDS = frozenset(
    ["creeping", "climbing", "rising", "going", "spiking", "increasing", "dropping", "falling", "tanking", "worse",
     "worsening", "jumping", "shooting", "growing", "collapsing", "suffering"]
)


def negated_at(words: list[str], i: int, j: int) -> bool:
    """The phrase at words[i..j] is negated, and not a guardrail said with "without" ("without the crash rate
    creeping up" watches crash rate; it does not refuse to measure it)."""
    return _negated(words, i) and not _watched_without(words, i, j)


def _watched_without(words: list[str], i: int, j: int) -> bool:
    return "without" in words[max(i - 5, 0) : i] and any(w in _CHANGE_WORDS for w in words[j + 1 : j + 8])


def _negated(words: list[str], i: int) -> bool:
    """An odd number of negators shortly before the trigger ("never ship without a kill switch" is two), with no
    clause break or harm word ("don't hurt") in between."""
    count = 0
    for k in range(i - 1, max(i - 6, -1), -1):
        w = words[k]
        if w in NEGATION_BREAKS or w in HARM_WORDS:
            break
        if w in NEGATORS or w.endswith("n't"):
            count += 1
    return count % 2 == 1
