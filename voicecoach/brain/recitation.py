"""Recitation: a stretch that lists rubric terms without applying them (many terms, few case anchors, no reasons)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voicecoach.brain.analysis import Signal, normalised
from voicecoach.brain.criteria import takes_a_side
from voicecoach.brain.followups import PIN_ORDER
from voicecoach.brain.grounding import Ground
from voicecoach.brain.shapes import POINTED_LABEL

LIST_TERMS = 3  # a sentence naming this many techniques ...
ANCHORS_PER_TERM = 0.5  # ... with fewer case anchors than one per two terms, and no reasoning, is a list
WHOLE_TERMS = 5  # an answer is recitation when its lists hold at least this many terms ...
WHOLE_SHARE = 0.6  # ... and at least this share of all the terms it used


@dataclass(frozen=True)
class Recitation:
    """The list sentences of one turn and, when they carry the answer, that the turn recites rather than applies."""

    sentences: frozenset[int]  # indexes of the list sentences
    whole: bool  # most of the answer's terms sit in lists
    dims: frozenset[str]  # dimensions the list sentences touch
    terms: tuple[Signal, ...]  # the listed terms, in order said

    @property
    def found(self) -> bool:
        """At least one list sentence."""
        return bool(self.sentences)


NONE = Recitation(frozenset(), False, frozenset(), ())


def _terms(sigs: Sequence[Signal]) -> list[Signal]:
    """Distinct positive terms (one per phrase), in order."""
    seen: set[str] = set()
    out: list[Signal] = []
    for s in sigs:
        key = s.phrase.lower()
        if s.weight > 0 and key not in seen and s.label != POINTED_LABEL:
            seen.add(key)
            out.append(s)
    return out


# Kinds of term whose items each count: "fill rate, GMV, NPS on both sides" names three measures and picks none.
VANITY_REJECTED = "rejected a vanity metric"
OUTCOME = "named an outcome metric"
NAMES_MANY = frozenset([OUTCOME])
_ITEM_SPLIT = re.compile(r",|;|:|\band\b|\bor\b|\bplus\b|\blike\b|\bsuch as\b|\bwith\b|\bthen\b", re.IGNORECASE)
_CUT = re.compile(r"\b(?:by|per|across|for each)\b|^new (?:versus|vs)\b")
ITEM_WORDS = 6  # a listed item is short: a term and little else


def listed_items(sentence: str, terms: Sequence[Signal]) -> int:
    """How many short comma- or and-separated items of the sentence hold a term (each item counted once, and two
    items naming the same kind of thing once: "by platform, by version" is one move in detail)."""
    items = [p for p in _ITEM_SPLIT.split(sentence) if p.strip()]
    lowered = [p.lower() for p in items]
    hit: set[int] = set()
    labels: set[str] = set()
    for t in terms:
        phrase = t.phrase.lower()
        k = next((n for n, p in enumerate(lowered) if phrase in p or p.strip() in phrase), None)
        if k is not None and k not in hit and t.label not in labels and len(items[k].split()) <= ITEM_WORDS:
            hit.add(k)
            if t.label not in NAMES_MANY:
                labels.add(t.label)
    cuts = {k for k in hit if _CUT.search(lowered[k].strip())}  # "by platform, by OS version, by country": one move
    return len(hit) - max(len(cuts) - 1, 0)


def _judged(sentence: str, terms: Sequence[Signal]) -> bool:
    """A sentence that says what it will judge by, or turns a measure down, takes a side among the measures it names."""
    return takes_a_side(normalised(sentence)) or any(t.label == VANITY_REJECTED for t in terms)


DENSE_KINDS = 4  # a sentence naming this many kinds of technique in as many separate items ...
STACKED_NAMES = 3  # ... or this many named techniques in one breath, with no reason and none of the case's facts
# Techniques a candidate can name without applying: the ones a pin-down asks "of what, to whom?" about, and controls.
NAMED = frozenset(PIN_ORDER) | {"said how to detect or limit it"}
_DIGIT = re.compile(r"\d")


def facts_of(g: Ground, key_points: int = 0) -> int:
    """What ties a list sentence to the case: a key point made in it, or the case's numbers. The case's nouns alone do
    not ("for Japan, localisation, A/B tests, a staged rollout" is still a list of techniques)."""
    return key_points + sum(1 for w in g.own if _DIGIT.search(w)) + g.key_terms


def is_list(items: int, g: Ground, key_points: int = 0, kinds: int = 0, parts: int = 0, named: int = 0) -> bool:
    """Many short items each naming a technique, few of this case's facts, no reasoning: a list, not a move. A long
    sentence counts too when it names many kinds of technique in as many separate items ("significance, p-values,
    novelty effects, segment by cohort, the HEART framework, ...")."""
    if g.reasons:
        return False
    anchors = facts_of(g, key_points)
    short = items >= LIST_TERMS and anchors < items * ANCHORS_PER_TERM
    dense = kinds >= DENSE_KINDS and parts >= DENSE_KINDS + 1 and anchors < kinds * ANCHORS_PER_TERM
    stacked = named >= STACKED_NAMES and not anchors  # "a phased rollout behind feature flags with a kill switch"
    return short or dense or stacked


def recitation(
    signals: Sequence[Signal], grounds: Sequence[Ground], sentences: Sequence[str], keyed: Mapping[int, int] | None = None
) -> Recitation:
    """Which sentences of one turn are lists, and whether the turn as a whole recites (keyed: how many key points of the case
    each sentence makes)."""
    by_sentence: dict[int, list[Signal]] = {}
    for s in signals:
        by_sentence.setdefault(s.sentence, []).append(s)
    listed: list[int] = []
    all_terms = 0
    list_terms: list[Signal] = []
    for n, sigs in sorted(by_sentence.items()):
        terms = _terms(sigs)
        all_terms += len(terms)
        if not (0 <= n < len(grounds) and n < len(sentences)):
            continue
        parts = len([p for p in _ITEM_SPLIT.split(sentences[n]) if p.strip()])
        kinds = len({t.label for t in terms})
        named = len({t.phrase.lower() for t in terms if t.label in NAMED})
        if _judged(sentences[n], terms):  # "I'd judge it on people who link a bank ..., not downloads" chooses
            continue
        if is_list(listed_items(sentences[n], terms), grounds[n], (keyed or {}).get(n, 0), kinds, parts, named):
            listed.append(n)
            list_terms += terms
    if not listed:
        return NONE
    kinds = len({t.label for t in list_terms})
    whole = kinds >= WHOLE_TERMS and len(list_terms) >= WHOLE_SHARE * all_terms
    return Recitation(frozenset(listed), whole, frozenset(s.dim for s in list_terms), tuple(list_terms))


HEADLINES = 3  # an answer whose sentences with terms are mostly headlines, this many at least, recites as a whole
HEADLINE_SHARE = 0.6


def with_headlines(rec: Recitation, signals: Sequence[Signal], grounds: Sequence[Ground], keyed: Mapping[int, int]) -> Recitation:
    """A turn recites too when most of its sentences that name techniques are headlines: no one doing anything, no
    reason, none of the case's facts ("Phased release, feature flags, a kill switch. Fraud scoring, velocity caps.")."""
    if rec.whole:
        return rec
    with_terms = sorted({s.sentence for s in signals if s.weight > 0 and 0 <= s.sentence < len(grounds)})
    heads = [n for n in with_terms
             if not grounds[n].clause and not grounds[n].reasons and not facts_of(grounds[n], keyed.get(n, 0))]
    if len(heads) < HEADLINES or len(heads) < HEADLINE_SHARE * len(with_terms):
        return rec
    listed = rec.sentences | frozenset(heads)
    terms = tuple(_terms([s for s in signals if s.sentence in listed]))
    return Recitation(listed, True, frozenset(t.dim for t in terms), terms)
