"""The case's answer key: which of its points a candidate actually made, and which they missed."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from voicecoach.brain.analysis import Signal, asks, short_quote
from voicecoach.brain.grounding import Ground
from voicecoach.brain.reasons import WHY
from voicecoach.content import Case, KeyPoint, anchor_text, term_in

KEY_WEIGHT = 2.5  # a key point made is a strong, applied move: alone it reads 3, with one more move on its dimension 4
_QUOTE_WORDS = 24
LABEL = "made the key point: "


@dataclass(frozen=True)
class Made:
    """A key point made, where: the turn, the sentence, and a quote of that sentence cut from the turn's own text."""

    point: KeyPoint
    turn: int
    sentence: int
    quote: str
    reasoned: bool = True  # said with its reason ("because", "if ... then", "so that"); a bare claim counts half
    deep: bool = False  # said in its own sentence with its why or its price ("because", "rather than", "unless")
    rich: bool = False  # said in detail: more of the point's own terms than one per part


def made_points(
    case: Case,
    sentences: Sequence[str],
    turn: int,
    grounds: Sequence[Ground] = (),
    against: Collection[tuple[int, str]] = (),
    support: Mapping[tuple[int, str], float] | None = None,
) -> list[Made]:
    """Key points made in one turn. A sentence makes a point when it holds a term of every anchor group, or when it
    makes the move (support: the lexicon's weight on the point's dimension per sentence) and the sentence before it
    names the case's thing ("... the five point two release. I'd pick a hot-fix over a full rollback"). A sentence that
    argues against the dimension makes nothing. Of several sentences, the one with the most support quotes it."""
    support = support or {}
    norms = [anchor_text(x) for x in sentences]
    pairs = [anchor_text(f"{sentences[n - 1]} {x}") if n else "" for n, x in enumerate(sentences)]
    out: list[Made] = []
    for kp in case.answer_key:
        asks = kp.point.startswith("Asks")  # a point the key describes as asking is made by asking
        found: list[tuple[int, float, int, int]] = []  # (made by the sentence alone first, most support, most of the
        # point's own terms, first)
        for n in range(len(sentences)):
            if (n, kp.dimension) in against:
                continue
            here = support.get((n, kp.dimension), 0.0)
            if asks and _supposes_an_answer(sentences, n) and _made_in(kp, pairs[n]):
                found.append((1, -here, -_terms_met(kp, pairs[n]), n))
                continue
            if asks and not _ASKING.search(sentences[n]):
                continue
            if _made_in(kp, norms[n]):
                found.append((0, -here, -_terms_met(kp, norms[n]), n))
            elif here > 0 and n > 0 and _made_in(kp, pairs[n]) and _moves_here(kp, norms[n]):
                found.append((1, -here, -_terms_met(kp, norms[n]), n))
        if found:
            n = min(found)[3]
            reasoned = not grounds or any(0 <= k < len(grounds) and grounds[k].reasons for k in (n - 1, n, n + 1))
            deep = any(WHY.search(norms[k]) for k in (n, n + 1) if k < len(norms))
            rich = _terms_met(kp, norms[n]) >= len(kp.anchors) + RICH_EXTRA
            out.append(Made(kp, turn, n, short_quote(sentences[n], _QUOTE_WORDS), reasoned, deep, rich))
    return out


_ASKING = re.compile(
    r"\?|\b(?:ask|asking|know|find out|wonder|clarify|understand|whether|confirm|check with|before (?:i|we))\b", re.IGNORECASE
)


# "So, why group calls? If it's because friend groups are drifting to another app, then ...": a question, then the
# answer the candidate supposes, is how a point of asking is made aloud
_SUPPOSE = re.compile(r"^\W*(?:and |so |well |okay |ok )?(?:if|say|suppose|supposing|assuming|let's say)\b", re.IGNORECASE)


def _supposes_an_answer(sentences: Sequence[str], n: int) -> bool:
    """Whether sentence n supposes the answer to the question asked just before it."""
    return n > 0 and asks(sentences[n - 1]) and bool(_SUPPOSE.match(sentences[n]))


RICH_EXTRA = 3  # a point said with this many more of its own terms than it has parts is said in detail, not in passing


def _terms_met(kp: KeyPoint, norm: str) -> int:
    """How many distinct terms of the point's anchor groups the sentence holds."""
    return len({t for group in kp.anchors for t in group if term_in(t, norm)})


def _moves_here(kp: KeyPoint, norm: str) -> bool:
    """In a pair of sentences, the later one makes the move: it meets every group but the first (the case's thing,
    which the sentence before may name). "...instead of going with whoever shouts. For the deal, I'd ask sales ..."
    does not make the call."""
    return all(any(term_in(t, norm) for t in group) for group in kp.anchors[1:])


def _made_in(kp: KeyPoint, norm: str) -> bool:
    """KeyPoint.made_in on text already put through anchor_text, with one more condition: each group is met by words
    of its own. "failed transfers" alone is not the partner's interface and a transfer ("failed transfer*" and
    "transfer*" would both match the same word): one term can show one part of the point, not two."""
    if not all(any(term_in(t, norm) for t in group) for group in kp.anchors):
        return False
    spans = [_spans(group, norm) for group in kp.anchors]
    return _disjoint(spans) and not _dropped(kp, norm, spans)


# Words that say a thing is left out: "skip the security review", "no testing week", "we wouldn't keep".
_DROPS = frozenset(
    ["skip", "skipping", "skipped", "cut", "cutting", "drop", "dropping", "dropped", "squeeze", "squeezing", "shorten",
     "shortening", "rush", "rushing", "no", "not", "never", "without", "dont", "wont", "wouldnt", "cant", "shouldnt",
     "instead", "even"]
)


def _dropped(kp: KeyPoint, norm: str, spans: Sequence[list[tuple[int, int]]]) -> bool:
    """The point's thing is named only to be left out ("skip the separate security review and test in parallel"): every
    place one of its groups is met comes just after a word that drops it. A group whose own terms hold such a word
    ("cut*", "not cut") is judged by its terms alone."""
    for terms, group in zip(kp.anchors, spans):
        if any(w in _DROPS for t in terms for w in anchor_text(t.rstrip("*")).split()):
            continue
        if group and all(_DROPS & set(norm[max(a - 30, 0) : a].split()[-3:]) for a, _ in group):
            return True
    return False


def _spans(group: tuple[str, ...], norm: str) -> list[tuple[int, int]]:
    """Where the group's terms occur in the normalised text, as word-aligned character spans."""
    out: list[tuple[int, int]] = []
    for t in group:
        needle = anchor_text(t.rstrip("*"))[: -1 if t.endswith("*") else None]
        start = norm.find(needle)
        while start >= 0:
            out.append((start + 1, start + len(needle.rstrip())))
            start = norm.find(needle, start + 1)
    return out


def _disjoint(groups: Sequence[list[tuple[int, int]]], taken: tuple[tuple[int, int], ...] = ()) -> bool:
    """Whether each group can take one span overlapping no span another group took (a small backtracking search)."""
    if not groups:
        return True
    return any(
        all(b <= s or e <= a for a, b in taken) and _disjoint(groups[1:], (*taken, (s, e)))
        for s, e in groups[0][:12]
    )


# Where one thought ends and the next begins inside a sentence: "opt-outs rose, and that's the cost, because on iOS
# nobody turns them back on" holds three.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:because|since|so|but|which|while|whereas)\b", re.IGNORECASE)


def point_clauses(kp: KeyPoint, sentence: str) -> list[str]:
    """The clauses of a sentence (as anchor_text) that make the point on their own, a term of every group; none when
    it is made only across clauses ("how many go unfilled, compared with weekdays, and what happens to customers")."""
    parts = [anchor_text(p) for p in _CLAUSE_BREAK.split(sentence) if p.strip()]
    return [p for p in parts if _made_in(kp, p)]


def as_signal(made: Made) -> Signal:
    """The credit a key point earns on its dimension, quoting the sentence that made it."""
    kp = made.point
    weight = KEY_WEIGHT if made.reasoned else KEY_WEIGHT / 2
    return Signal(kp.dimension, LABEL + kp.id, weight, "for", made.quote, made.quote, made.turn, made.sentence, True)


def missed_points(case: Case, made: Iterable[Made]) -> list[KeyPoint]:
    """The key points not made anywhere, in the key's order."""
    done = {m.point.id for m in made}
    return [kp for kp in case.answer_key if kp.id not in done]
