"""Case-grounded reading: is a sentence about THIS case (its own things, or reasoning), or about something else?"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from voicecoach.brain.reasons import reasons_in
from voicecoach.content import Case, Pack, anchor_text, term_in

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of text, apostrophes dropped (as anchor_text drops them)."""
    return frozenset(text.replace("'", "").split())


# Words that say nothing about which case an answer is on: function words, and the words every PM answer uses.
_STOP = wordset(
    """a about above after again against all almost also always am an and any are around as at back be because been
    before being below between both but by can can't could did do does doing don't down during each either else enough
    even ever every few for from further get gets getting go goes going got had has have having he her here hers him his
    how i i'd i'll i'm i've if in into is isn't it it's its itself just know last least less let like likely lot made make
    makes many may maybe me might more most much must my need needs new next no nor not now of off often on once one only
    or other others our ours out over own per quite rather really right said same say says see seen she should show shows
    since so some something still such sure take takes than that that's the their them then there these they they're
    thing things think this those though through to today too two under until up upon us use used very want wants was
    way we we'd we'll we're we've well were what what's when where whether which while who whom whose why will with
    within without won't would wouldn't yes yet you you'd your yours okay um uh yeah first second three four five ten
    half percent week weeks day days month months year years time people person user users customer customers team
    teams product products app apps data number numbers metric metrics rate rates test tests plan plans problem
    question good better best bad worse big small large lots much many versus walk figure happen happened guess line
    side confirm connect example manager similar actually clearly explain tell think help done treat understand mean
    plainly whole top hit run put reason answer clarify handle measure learn give expect pick hard note part amount
    seeing asked follow fit include including added adding add using someone nothing anything everything together
    several ones bit type typical overall current especially among across check existing exist propose proposes real
    service share shares early mostly option options ship ships already signal signals uses end ends case cases
    change changed look keep work find set long start started stop decide decided leave step result results success
    point points active phone phones device devices
    theres ther whats thats youre youd dont cant isnt arent theyll ive ill id im wed well were
    whatever whenever whoever however wherever"""
)

# A clause has someone doing something: a subject pronoun or a finite verb. A sentence with neither is a headline
# ("Segment by cohort, geography and platform.", "Compliance review, KYC and AML."): the shape of a recited list.
_CLAUSE = re.compile(
    r"\b(?:i|id|ill|im|ive|we|wed|well|were|weve|you|youd|they|theyd|theyre|he|she|it|its|thats|theres|there|"
    r"is|are|was|been|would|will|could|should|can|cant|wont|wouldnt|does|did|dont|doesnt|didnt|has|have|had|"
    r"gets|got|goes|went|comes|came|makes|made|means|seems|looks|says|said|needs|wants|happens|happened)\b"
)
# A sentence about method in general, not this case: "the way I approach any metric drop", "a standard framework".
_GENERIC = re.compile(
    r"\b(?:any|standard|playbook|framework|checklist|textbook|template|in general|as a rule|"
    r"the way i (?:approach|tackle|handle|do)|my (?:usual |normal |go to )?(?:approach|process|method))\b"
)


def _undouble(w: str) -> str:
    """"dropp" -> "drop", "shipp" -> "ship": the doubled consonant of a stripped ending."""
    return w[:-1] if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls" else w


def stem(word: str) -> str:
    """A light stem so "uploads", "uploaded" and "uploading" meet; exact enough for matching case words."""
    w = word.lower().replace("'", "")
    if len(w) <= 4:
        return w
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) >= 7:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) >= 6:
        w = _undouble(w[:-2])
    elif re.search(r"(?:s|x|z|ch|sh)es$", w):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


_STOP_STEMS = frozenset(stem(w) for w in _STOP)


def words_of(text: str) -> list[str]:
    """The anchor-normalised words of a text ("5.2" and "12%" kept whole)."""
    return _WORD.findall(anchor_text(text))


def content_stems(text: str) -> set[str]:
    """Stems of the words of text that could tie an answer to one case (no function words, no PM boilerplate)."""
    return {s for w in words_of(text) if w not in _STOP and len(w) > 2 and (s := stem(w)) not in _STOP_STEMS}


def case_text(case: Case) -> str:
    """The case's facts: title, question, hidden facts, and each answer-key point's terms (see key_words)."""
    parts = [case.title, case.question]
    parts += [f"{f.topic} {' '.join(f.keywords)} {f.answer}" for f in case.hidden_facts]
    return " ".join(parts)


def _key_words(case: Case, fact_stems: set[str]) -> str:
    """Of each key point's anchor groups, the one most about this case (most of its words among the case's facts):
    the other groups name the move in any case's words ("hurt", "lose", "error*")."""
    out: list[str] = []
    for kp in case.answer_key:
        def specific(group: tuple[str, ...]) -> float:
            stems = [content_stems(t.rstrip("*")) for t in group]
            return sum(bool(st & fact_stems) for st in stems) / max(len(group), 1)

        if kp.anchors:
            out.append(" ".join(t.rstrip("*") for t in max(kp.anchors, key=specific)))
    return " ".join(out)


@dataclass(frozen=True)
class Vocab:
    """The words that tie an answer to this case (own) and those that tie it to another case of the pack (foreign)."""

    own: frozenset[str]
    foreign: frozenset[str]
    key_terms: tuple[str, ...]  # answer-key anchor terms, matched as whole words (content.term_in)
    owner: dict[str, str] = field(default_factory=dict)  # foreign word -> the one other case it belongs to
    asked: frozenset[str] = frozenset()  # foreign words from the other case's own question: they count twice
    shared: frozenset[str] = frozenset()  # own words several cases use ("android"): weak evidence of which case

    def most_from_one_case(self, words: Iterable[str]) -> int:
        """How many of these foreign words belong to the same other case (a coherent answer to another case)."""
        owners = self.owner
        counts: dict[str, int] = {}
        for w in words:
            if w in owners:
                counts[owners[w]] = counts.get(owners[w], 0) + (2 if w in self.asked else 1)
        return max(counts.values(), default=0)


@functools.lru_cache(maxsize=64)
def _vocab(
    case_texts: tuple[tuple[str, str], ...], case_id: str, key_terms: tuple[str, ...], question: str = "",
    questions: tuple[str, ...] = (),
) -> Vocab:
    stems = {cid: content_stems(text) for cid, text in case_texts}
    df: dict[str, int] = {}
    for s in stems.values():
        for w in s:
            df[w] = df.get(w, 0) + 1
    limit = max(4, len(case_texts) // 3)  # a word many cases share ties an answer to none of them
    # the case question's own words always tie an answer to it ("the drop", "uploads"), however common elsewhere
    own = frozenset(w for w in stems.get(case_id, set()) if df[w] <= limit) | content_stems(question)
    own -= _rubric_words()
    rubric = _rubric_words()
    owner = {w: cid for cid, s in stems.items() if cid != case_id for w in s if df[w] == 1 and w not in rubric}
    foreign = frozenset(w for cid, s in stems.items() if cid != case_id for w in s if df[w] <= 2 and w not in own) - rubric
    asked = frozenset(w for q in questions for w in content_stems(q)) & frozenset(owner)
    shared = frozenset(w for w in own if df.get(w, 0) >= 3)
    return Vocab(own, foreign, key_terms, owner, asked, shared)


def rubric_words() -> frozenset[str]:
    """Stems of the rubric's own vocabulary (public name of _rubric_words)."""
    return _rubric_words()


@functools.lru_cache(maxsize=1)
def _rubric_words() -> frozenset[str]:
    """Words of the rubric's own vocabulary: using one is not talking about another case."""
    return frozenset(stem(w) for w in wordset(
        "rollout rollback roll hotfix fix fixed fixing guardrail segment cohort funnel experiment retention churn "
        "conversion revenue latency fraud abuse spam scale load retries retry idempotency flag canary baseline "
        "target threshold dashboard logs logging error crash release version platform region country support "
        "tickets launch cost budget engineering engineer design sales marketing growth legal security privacy "
        "duplicate timeout staged stage alert mitigation deploy cause failure fail bug bugs impact goal strategy "
        "objective outcome define quality counter health incremental holdout significance significant sample "
        "effect evaluation traffic server infrastructure pipeline cache compute api integration risk decision "
        "priority prioritise effort estimate scope requirement stakeholder tradeoff trade value core build "
        "seasonal seasonality campaign promotion competitor competition external internal detect detection "
        "limit threshold cap caps pause kill expand narrow interview survey research feedback test technical speed "
        "peak outage spike capacity reliability bandwidth throughput api apis cluster index model offline online "
        "weekly daily monthly quarterly"
    ))


def _full_text(case: Case) -> str:
    facts = case_text(case)
    return f"{facts} {_key_words(case, content_stems(facts))}"


_VOCABS: dict[tuple[str, str, str, int, tuple[str, ...]], Vocab] = {}


def vocab(case: Case, pack: Pack | None = None) -> Vocab:
    """The case's own and foreign vocabularies (foreign: the other cases of the pack); built once per case."""
    key = (pack.id if pack else "", case.id, case.question, len(case.answer_key), tuple(c.id for c in pack.cases) if pack else ())
    if key not in _VOCABS:
        _VOCABS[key] = _build_vocab(case, pack)
    return _VOCABS[key]


def _build_vocab(case: Case, pack: Pack | None) -> Vocab:
    cases = pack.cases if pack is not None and any(c.id == case.id for c in pack.cases) else (case,)
    texts = tuple((c.id, _full_text(c)) for c in cases)
    if not any(cid == case.id for cid, _ in texts):
        texts += ((case.id, _full_text(case)),)
    # the key's anchor words already count through the case's text; its generic terms ("error*") must not ground
    others = tuple(c.question for c in cases if c.id != case.id)
    return _vocab(texts, case.id, (), case.question, others)


@dataclass(frozen=True)
class Ground:
    """What ties one sentence to the case: its own words, another case's words, its reasoning."""

    own: frozenset[str]
    foreign: frozenset[str]
    reasons: tuple[str, ...]
    key_terms: int = 0
    other: int = 0  # the most words from any one other case
    clause: bool = True  # has a subject or a finite verb; False for a headline ("Funnel analysis to find the step.")
    generic: bool = False  # frames a method in general ("the way I approach any drop"): the case's nouns don't apply it
    enumerates: bool = False  # mostly a run of short named items ("supply-side incentives, dynamic pricing, surge ...")

    @property
    def about_other(self) -> bool:
        """About another case's things: two or more words of one other case, none of this case's."""
        return self.other >= 2 and not self.own and not self.key_terms

    @property
    def anchored(self) -> bool:
        """Holds at least one of this case's own things."""
        return bool(self.own) or self.key_terms > 0

    @property
    def applied(self) -> bool:
        """Tied to this case, or carried by reasoning, and not about another case."""
        return (self.anchored or bool(self.reasons)) and not self.about_other


def ground(sentence: str, v: Vocab) -> Ground:
    """How one sentence is tied to the case."""
    stems = content_stems(sentence)
    norm = anchor_text(sentence)
    keys = sum(1 for t in v.key_terms if term_in(t, norm))
    reasons = reasons_in(norm)
    foreign = frozenset(stems & v.foreign)
    clause = bool(_CLAUSE.search(norm))
    generic = bool(_GENERIC.search(norm))
    enumerates = not reasons and _enumerates(sentence)
    return Ground(frozenset(stems & v.own), foreign, reasons, keys, v.most_from_one_case(foreign), clause, generic,
                  enumerates)


ENUM_ITEMS = 4  # this many short comma-separated items ...
ENUM_WORDS = 4  # ... of at most this many words each make a sentence an enumeration


def _enumerates(sentence: str) -> bool:
    """Whether a sentence is mostly a run of short named items, whatever they name."""
    parts = [p.split() for p in re.split(r",|;|\band\b|\bor\b", sentence) if p.strip()]
    return sum(1 for p in parts if len(p) <= ENUM_WORDS) >= ENUM_ITEMS


def grounds(sentences: Iterable[str], v: Vocab) -> list[Ground]:
    """ground() for each sentence."""
    return [ground(s, v) for s in sentences]
