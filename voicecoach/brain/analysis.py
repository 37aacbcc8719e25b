"""What an answer covers, per rubric dimension: signals for and against, each carrying the words that showed it."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from voicecoach.brain.concept import (
    INSTRUCTION,
    NEGATION_OK,
    NEGATORS,
    PROPOSING,
    Concept,
    Polarity,
)
from voicecoach.brain.criteria import CRITERIA, GUARDRAIL, criteria
from voicecoach.brain.lexicon import CONCEPTS, QUESTION_NEEDS
from voicecoach.brain.negation import negated_at
from voicecoach.brain.reasons import WHY_NOT, reasons_in
from voicecoach.brain.shapes import POINTED_LABEL, SHAPES
from voicecoach.content import anchor_text
from voicecoach.model import DIMENSIONS, Turn

_TOKEN = re.compile(r"[\w'\u2019]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+[\u2014\u2013]\s+|\s+--?\s+")
_OUTCOME = re.compile(
    r"\b(?:because|so that|which (?:leads|drives|predicts|means)|tied to|ties to|correlat\w*|predict\w*|retention|"
    r"revenue|churn|conversion|outcome|paying|subscri\w*|long term)\b"
)
# A volume metric judged insufficient in the same sentence: "not downloads, they're vanity", "downloads alone would
# fool me", "installs on their own don't tell us much"
_VANITY_NAMED = re.compile(
    r"\bvanity\b|\b(?:don't|doesn't|do not|does not|won't) (?:really )?(?:tell|mean|show)|\bmisleading\b|"
    r"\b(?:alone|by (?:itself|themselves)|on (?:its|their) own)\b|\b(?:fool|fools|flatter|flatters)\b"
)
_QUOTE_MAX_WORDS = 24
MENTION_SHARE = 0.5  # a term mentioned in passing (not applied to the case) is worth this share of a move
MENTION_CAP = 3  # a dimension shown only by terms mentioned in passing (none applied to the case) scores at most this
# Terms mentioned in passing can add at most this to what the answer applied to the case: knowing the words is not
# using them, so a stack of mentions never carries a dimension (a grounded 0.75 plus ten mentions is still a 2).
MENTION_ROOM = 1.0
_MAX_HITS = {c.label: c.max_hits for c in CONCEPTS} | {POINTED_LABEL: 2}
_CLARIFY_TURN_WEIGHTS = (2.0, 1.0, 1.0)  # first, second, third clarifying question asked
_REFUSED = "said they would not: "  # a refusable concept said in the negative ("we wouldn't segment")
_Spans = list[tuple[Concept, list[tuple[int, int]]]]  # per sentence: each concept's match spans, in concept order


@dataclass(frozen=True)
class Signal:
    """One thing the candidate said that counts for or against a dimension."""

    dim: str
    label: str
    weight: float  # signed contribution to the dimension
    polarity: Polarity
    phrase: str  # the trigger words, as the candidate said them
    quote: str  # a clause-length span around the trigger, cut from the turn's own text
    turn: int  # index of the turn the signal came from
    sentence: int = -1  # index of its sentence in sentences_of(turn text)
    grounded: bool = True  # applied to this case (a case anchor or reasoning); False: a mention in passing
    # read from a frame whose own "if" would ground it as reasoning (a stop rule): applied only where its sentence
    # names the case's own things
    needs_case: bool = False


@dataclass(frozen=True)
class Reading:
    """How well one dimension is covered: a 1-5 score from the distinct signals behind it."""

    dim: str
    score: int
    total: float
    signals: tuple[Signal, ...]
    need: float = 0.0  # 1 when the case question asks for this dimension by name; breaks ties when probing

    @property
    def positives(self) -> tuple[Signal, ...]:
        """Signals that count for the dimension, strongest first."""
        return tuple(sorted((s for s in self.signals if s.weight > 0), key=lambda s: -s.weight))

    @property
    def negatives(self) -> tuple[Signal, ...]:
        """Signals that count against it, worst first."""
        return tuple(sorted((s for s in self.signals if s.weight < 0), key=lambda s: s.weight))

    @property
    def name_drops(self) -> tuple[Signal, ...]:
        """Frameworks named without content."""
        return tuple(s for s in self.signals if s.polarity == "name_drop")


def strip_instructions(text: str) -> str:
    """The text without sentences that address the grader ("give me five out of five"); they are data, not orders."""
    return " ".join(s for s in split_sentences(text) if not INSTRUCTION.search(s))


def split_sentences(text: str) -> list[str]:
    """Sentences (and dash-separated clauses) of a transcript, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


# A statement with a question tag ("I still tipped him because it was snowing, you know?") asks nothing.
_TAG = re.compile(r"[,\s](?:you know|right|yeah|yes|no|eh|huh|ok|okay|isn't it|don't you think|you see)\W*\?\s*$", re.IGNORECASE)


def normalised(text: str) -> str:
    """Text as the reader's patterns match it: its words, lower case, single spaces, curly apostrophes straight."""
    return " ".join(w.lower().replace("\u2019", "'") for w in _TOKEN.findall(text))


def asks(sentence: str) -> bool:
    """Whether a sentence is a question: it ends with a question mark that is not a tag on a statement."""
    return sentence.rstrip().endswith("?") and not _TAG.search(sentence)


def find_signals(text: str, turn: int = 0, opening: bool = True) -> list[Signal]:
    """Every signal in one candidate turn, instructions to the grader removed first.

    opening: this turn is the candidate's first word on the case, so jumping straight to a solution counts against.
    """
    return list(_signals(text, turn, opening))


def clear_signal_caches() -> None:
    """Forget this module's memoised readings (reading.clear_caches clears these and the case readings)."""
    _signals.cache_clear()
    _matches.cache_clear()
    analyse_text.cache_clear()


@functools.lru_cache(maxsize=512)
def _signals(text: str, turn: int, opening: bool) -> tuple[Signal, ...]:
    sentences, spans = _matches(text)
    found: list[Signal] = []
    for n, sentence in enumerate(sentences):
        found.extend(replace(s, sentence=n) for s in _sentence_signals(sentence, opening and n == 0, turn, spans[n]))
    return tuple(found)


def sentences_of(text: str) -> list[str]:
    """The sentences signals are read from (instructions to the grader removed); Signal.sentence indexes them."""
    return list(_matches(text)[0])


@functools.lru_cache(maxsize=256)
def _matches(text: str) -> tuple[list[str], list[_Spans]]:
    """The turn's sentences (instructions to the grader removed) and, per sentence, each concept's match spans.

    One pass per concept over the whole turn, sentences joined by newlines: no pattern crosses one (they are written
    with literal spaces, and "." stops at a newline), so its matches are exactly each sentence's own matches.
    """
    sentences = split_sentences(strip_instructions(text))
    norms = [" ".join(_norm_words(s)) for s in sentences]
    offsets, pos = [], 0
    for norm in norms:
        offsets.append(pos)
        pos += len(norm) + 1
    whole = "\n".join(norms)
    spans: list[_Spans] = [[] for _ in sentences]
    for concept in CONCEPTS:
        if concept.opening_only:
            if sentences and (m := concept.pattern.search(norms[0])):
                spans[0].append((concept, [m.span()]))
            continue
        per: dict[int, list[tuple[int, int]]] = {}
        for m in concept.pattern.finditer(whole):
            k = bisect.bisect_right(offsets, m.start()) - 1
            per.setdefault(k, []).append((m.start() - offsets[k], m.end() - offsets[k]))
        for k, found_spans in per.items():
            spans[k].append((concept, found_spans))
    return sentences, spans


def _norm_words(sentence: str) -> list[str]:
    """A sentence's words, lower case, with "12%" read as "12 percent" (Whisper writes the sign)."""
    tokens = list(_TOKEN.finditer(sentence))
    words = [t.group(0).lower().replace("\u2019", "'") for t in tokens]
    for k, t in enumerate(tokens):
        if sentence[t.end() : t.end() + 1] == "%":
            words[k] += " percent"
    return words


def _sentence_signals(sentence: str, first: bool, turn: int, matched: _Spans) -> list[Signal]:
    """Signals from one sentence, given each concept's match spans in its normalised text (in concept order)."""
    tokens = list(_TOKEN.finditer(sentence))
    if not tokens:
        return []
    norm_words = _norm_words(sentence)
    norm = " ".join(norm_words)
    starts: list[int] = []
    pos = 0
    for w in norm_words:
        starts.append(pos)
        pos += len(w) + 1
    out: list[Signal] = []
    for concept, found_spans in matched:
        if concept.opening_only and not first:
            continue
        for start, end in found_spans:
            if end == start:
                continue
            i = _token_at(starts, start)
            j = _token_at(starts, max(end - 1, start))
            sig = _make_signal(concept, sentence, tokens, norm_words, norm, i, j, turn)
            if sig is not None:
                out.append(sig)
            if concept.max_hits == 1 or concept.one_per_sentence:
                break  # one hit per concept per sentence is enough
    out += _criteria(sentence, norm, tokens, starts, out, turn)
    if asks(sentence) and len(tokens) >= 4 and not PROPOSING.match(sentence.strip()):
        # a pointed question asked inside an answer (not a proposal said with a rising voice)
        quote = _clause(sentence, tokens, 0, len(tokens) - 1)
        out.append(Signal("clarify", POINTED_LABEL, 1.0, "for", quote, quote, turn))
    out += _shapes(sentence, norm, tokens, starts, out, turn)
    out = _unweighed(sentence, out)
    if any(s.polarity == "vanity" and s.weight < 0 for s in out):  # "success is more downloads" defines nothing
        out = [s for s in out if s.label != "defined success"]
    return _framed(out)


def _criteria(
    sentence: str, norm: str, tokens: list[re.Match[str]], starts: list[int], found: list[Signal], turn: int
) -> list[Signal]:
    """Success, guardrail and stop-rule moves read from the sentence's shape (criteria.py) in a sentence whose words
    the lexicon did not already read as a criterion; a guardrail is a second measure and is read beside one."""
    have = {s.label for s in found if s.weight > 0}
    measure = any(s.dim == "metrics" for s in found)
    read_as_criterion = bool(have & CRITERIA)
    out: list[Signal] = []
    for role in criteria(norm, measure):
        if role.label in have or (read_as_criterion and role.label != GUARDRAIL):
            continue
        span = _span(sentence, tokens, starts, role.start, role.end)
        out.append(Signal("metrics", role.label, role.weight, "for", *span, turn, needs_case=role.needs_case))
    return out


def _shapes(
    sentence: str, norm: str, tokens: list[re.Match[str]], starts: list[int], found: list[Signal], turn: int
) -> list[Signal]:
    """Moves read from the sentence's shape (shapes.SHAPES). Like a stop rule, a shape carries its own reasoning, so it
    counts only where the case's things are named; one already read in this sentence (by the lexicon, or by a label
    the shape names as reading it already) is not read twice."""
    have = {s.label for s in found if s.weight > 0}
    out: list[Signal] = []
    for shape in SHAPES:
        m = shape.find(norm)
        if m is None or shape.label in have or shape.read_already & have:
            continue
        span = _span(sentence, tokens, starts, m.start(), m.end())
        out.append(Signal(shape.dim, shape.label, shape.weight, "for", *span, turn, needs_case=True))
    return out


def _span(sentence: str, tokens: list[re.Match[str]], starts: list[int], start: int, end: int) -> tuple[str, str]:
    """The words a shape was read from in the normalised sentence (start, end), as said, and the clause around them."""
    i, j = _token_at(starts, start), _token_at(starts, max(end - 1, start))
    return sentence[tokens[i].start() : tokens[j].end()], _clause(sentence, tokens, i, j)


# A trade-off named is not a trade-off made: "I'd weigh short term against long term, and supply against demand" takes
# no side and gives no price. Without a reason or a decision in its sentence, such a term is a mention.
# (A price said in plain words, "cheap next to losing the advanced learners", is a trade-off made: only the words that
# name weighing in the abstract are read this way.)
_WEIGHING = re.compile(r"\b(?:weigh\w*|balanc\w*|trade ?offs?|short term|long term|user value|business (?:value|priorit\w*|goals?|needs?))\b")
_DECISIONS = frozenset(["made a call", "chose one option over another", "prioritised and said what not to do"])


def _unweighed(sentence: str, sigs: list[Signal]) -> list[Signal]:
    """Abstract weighing words in a sentence with no reason and no decision are mentions."""
    named = [s for s in sigs if s.dim == "tradeoffs" and s.weight > 0 and _WEIGHING.search(anchor_text(s.phrase))]
    if not named or any(s.label in _DECISIONS for s in sigs) or reasons_in(anchor_text(sentence)):
        return sigs
    return [replace(s, weight=s.weight * MENTION_SHARE, grounded=False) if s in named else s for s in sigs]


def _framed(sigs: list[Signal]) -> list[Signal]:
    """A sentence that names a framework ("RICE, reach, impact, confidence and effort") or waves a dimension away
    ("I wouldn't overthink the fraud side") earns nothing else on that dimension: its words are the framework's, or
    the thing dismissed."""
    framed = {
        s.dim for s in sigs if s.polarity == "name_drop" or (s.polarity == "against" and not s.label.startswith(_REFUSED))
    }
    return [s for s in sigs if s.dim not in framed or s.weight <= 0]


def _token_at(starts: list[int], char: int) -> int:
    return max(bisect.bisect_right(starts, char) - 1, 0)


def _make_signal(
    concept: Concept, sentence: str, tokens: list[re.Match[str]], words: list[str], norm: str, i: int, j: int, turn: int
) -> Signal | None:
    phrase = sentence[tokens[i].start() : tokens[j].end()]
    quote = _clause(sentence, tokens, i, j)
    # a phrase that carries its own negation is the thing itself ("customers who get no cleaner never come back"
    # names a harm to measure); a negator before it does not turn it into a refusal
    own_negation = words[i] in NEGATORS or words[i].endswith("n't")
    negated = concept.label not in NEGATION_OK and not own_negation and negated_at(words, i, j)
    label, weight, polarity = concept.label, concept.weight, concept.polarity
    if polarity == "vanity":
        if negated or _VANITY_NAMED.search(norm):  # "not downloads, they're vanity here" rejects a vanity metric
            return Signal(concept.dim, "rejected a vanity metric", 1.0, "for", phrase, quote, turn)
        if _OUTCOME.search(norm):
            label, weight = "tied a volume metric to an outcome", 0.5
        else:
            label = f"a vanity metric ({phrase.lower()})"
    if negated and concept.dim == "metrics" and polarity == "for" and WHY_NOT.search(norm):
        # "not judge it on watch time, because the model was built to push it up" rejects a proxy with its reason
        return Signal(concept.dim, "rejected a misleading metric, with its reason", 1.0, "for", phrase, quote, turn)
    if negated:
        if polarity == "for" and concept.refusable:
            label, weight, polarity = f"{_REFUSED}{concept.label}", -1.0, "against"
        else:
            return None
    return Signal(concept.dim, label, weight, polarity, phrase, quote, turn)


def _clause(sentence: str, tokens: list[re.Match[str]], i: int, j: int) -> str:
    """A clause-length span around tokens i..j: the whole sentence if short, else bounded by commas."""
    if len(tokens) <= _QUOTE_MAX_WORDS:
        return sentence[tokens[0].start() : tokens[-1].end()]
    lo, hi = i, j
    while lo > 0 and j - lo < 10 and "," not in sentence[tokens[lo - 1].end() : tokens[lo].start()]:
        lo -= 1
    while hi < len(tokens) - 1 and hi - i < 12 and "," not in sentence[tokens[hi].end() : tokens[hi + 1].start()]:
        hi += 1
    while hi - lo < 6 and (lo > 0 or hi < len(tokens) - 1):  # too short: widen past the comma
        lo, hi = max(lo - 1, 0), min(hi + 1, len(tokens) - 1)
    return sentence[tokens[lo].start() : tokens[hi].end()]


def clarification_signals(turns: Sequence[Turn], indices: Iterable[int]) -> list[Signal]:
    """Credit for clarifying questions asked as their own turns (the first counts most)."""
    out: list[Signal] = []
    for n, idx in enumerate(indices):
        if n >= len(_CLARIFY_TURN_WEIGHTS):
            break
        text = turns[idx].text.strip()
        quote = " ".join(text.split()[:_QUOTE_MAX_WORDS])
        label = "asked clarifying questions before answering" if n == 0 else f"asked a further clarifying question ({n + 1})"
        out.append(Signal("clarify", label, _CLARIFY_TURN_WEIGHTS[n], "for", quote, quote, idx))
    return out


def question_needs(question: str) -> dict[str, float]:
    """The dimensions a question asks for by name ("what would you do?" asks for a decision): 1.0 each, else 0."""
    norm = normalised(question)
    return {dim: 1.0 if pattern.search(norm) else 0.0 for dim, pattern in QUESTION_NEEDS.items()}


def score_total(total: float) -> int:
    """Map summed signal weight to 1-5."""
    if total < 0.75:
        return 1
    if total < 2.0:
        return 2
    if total < 3.0:
        return 3
    if total < 5.0:
        return 4
    return 5


def _summed(sigs: Sequence[Signal]) -> float:
    """The best weight of each distinct phrase per concept (up to its max hits), summed, against-signals included."""
    phrases: dict[str, dict[str, float]] = {}
    for s in sigs:
        seen = phrases.setdefault(s.label, {})
        key = s.phrase.lower()
        if key not in seen or abs(s.weight) > abs(seen[key]):
            seen[key] = s.weight
    total = 0.0
    for label, seen in phrases.items():
        ranked = sorted(seen.values(), key=abs, reverse=True)
        total += sum(ranked[: _MAX_HITS.get(label, 1) if ranked[0] > 0 else 1])
    return total


def read(signals: Iterable[Signal], dims: Sequence[str] = DIMENSIONS) -> dict[str, Reading]:
    """Per-dimension reading: the best weight of each distinct concept, summed, against-signals subtracted."""
    by_dim: dict[str, list[Signal]] = {d: [] for d in dims}
    for s in signals:
        if s.dim in by_dim:
            by_dim[s.dim].append(s)
    out: dict[str, Reading] = {}
    for d, sigs in by_dim.items():
        total = _summed(sigs)
        if any(s.weight > 0 and not s.grounded for s in sigs):  # mentions add at most MENTION_ROOM to what was applied
            total = min(total, _summed([s for s in sigs if s.grounded or s.weight < 0]) + MENTION_ROOM)
        score = score_total(total)
        if any(s.weight > 0 for s in sigs) and not any(s.weight > 0 and s.grounded for s in sigs):
            score = min(score, MENTION_CAP)
        out[d] = Reading(d, score, total, tuple(sigs))
    return out


@functools.lru_cache(maxsize=256)
def analyse_text(text: str) -> dict[str, Reading]:
    """Reading of a single piece of text (an answer, or a line of a strong-answer sketch)."""
    return read(find_signals(text))


def short_quote(text: str, max_words: int = 8) -> str:
    """At most max_words words of text, cut at a word boundary, trailing punctuation dropped."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return ""
    end = tokens[min(max_words, len(tokens)) - 1].end()
    return text[tokens[0].start() : end]
