"""Clarifying questions: recognising them, and answering them from the case's hidden facts."""

from __future__ import annotations

import re

from voicecoach.brain.analysis import find_signals, split_sentences
from voicecoach.brain.concept import PROPOSING
from voicecoach.brain.evidence import normalise
from voicecoach.content import Case, HiddenFact

_FILLER_LEAD = re.compile(
    r"^(?:(?:so|okay|ok|um|uh|erm|hmm|right|well|sure|yeah|alright|and|also|great|thanks|thank you|got it|cool|"
    r"one more thing|another thing|quick question|one question|a question|first|"
    r"before i (?:start|answer|dive in|begin|go on|jump in))\b[\s,.:]*)+",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"^(?:(?:is|are|was|were|do|does|did|can|could|may|might|should|has|have|had|will|would|when|where|which|who|why|"
    r"how (?:many|much|long|big|are|is|do|does|did|was|were))\b(?! i would| i'd| i will)|what (?:is|are|was|were|do|does|did|"
    r"happened|changed|kind|type|time|about)\b|can i ask|may i ask|could you (?:tell|share|clarify)|i'd (?:like|love|want) to "
    r"know|i (?:would like|want|wanted|need) to (?:know|ask|check|confirm)|i'm (?:curious|wondering)|i wonder|do we (?:know|have)|"
    r"is there (?:any|a)|are there any|before i (?:start|answer|dive|begin),? (?:can|could|may|is|are|do|did))",
    re.IGNORECASE,
)
_NOT_ASKING = re.compile(r"^(?:what|how|when|where|why) (?:i|we)(?:'d| would| will|'ll)\b", re.IGNORECASE)
_REPEAT = re.compile(
    r"\b(?:repeat (?:the|that|your)|say (?:that|it) again|rephrase|what was the question|come again)\b", re.IGNORECASE
)
_MAX_WORDS = 60  # longer turns are answers, even if they contain a question
_MAX_STATEMENT_WORDS = 14  # a short preface ("Before I answer, I'd like to check a few things.") is allowed

_STOP = frozenset(
    ["a", "an", "the", "is", "are", "was", "were", "do", "does", "did", "can", "could", "may", "might", "should", "has", "have", "had", "will", "would", "when", "where", "which", "who", "why", "how", "what", "i", "i'd", "we", "we're", "you", "it", "its", "it's", "this", "that", "there", "any", "of", "on", "in", "at", "to", "for", "from", "and", "or", "but", "so", "um", "uh", "like", "just", "know", "ask", "wondering", "curious", "tell", "me", "us", "our", "your", "about", "with", "by", "be", "been", "if", "whether", "all", "only", "also", "some", "more", "okay", "ok", "quick", "question", "one"]
)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "when": ("start", "time", "timing", "date", "began", "begin"),
    "began": ("start",),
    "begin": ("start",),
    "ios": ("platform", "iphone"),
    "iphone": ("platform", "ios"),
    "android": ("platform",),
    "web": ("platform", "desktop"),
    "desktop": ("platform", "web"),
    "mobile": ("platform",),
    "device": ("platform",),
    "os": ("platform",),
    "where": ("region", "geography", "country", "market", "platform"),
    "country": ("region", "geography", "market"),
    "countries": ("region", "geography", "market"),
    "campaign": ("marketing",),
    "promotion": ("marketing",),
    "season": ("seasonal", "seasonality", "holiday"),
    "seasonality": ("seasonal", "season"),
    "holiday": ("seasonal", "season"),
    "ship": ("release", "deploy", "launch"),
    "shipped": ("release", "deploy", "launch"),
    "deploy": ("release",),
    "update": ("release", "version"),
    "version": ("release",),
    "crash": ("error", "errors", "failure"),
    "paid": ("pay",),
    "paying": ("pay",),
    "pays": ("pay",),
    "fail": ("error", "errors", "failure"),
    "failing": ("error", "errors", "failure"),
    "failures": ("error", "errors", "failure"),
    "who": ("users", "segment"),
    "cohort": ("users", "segment", "new", "existing"),
    "competitor": ("competition", "competitors"),
    "expensive": ("cost", "budget", "price"),
    "cheap": ("cost", "budget", "price"),
    "money": ("cost", "budget", "revenue"),
    "spend": ("cost", "budget"),
    "slow": ("latency", "speed"),
    "fast": ("latency", "speed"),
    "speed": ("latency",),
    "big": ("size", "how much"),
    "large": ("size",),
}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    sa, sb = _stem(a), _stem(b)
    if sa == sb:
        return True
    short, long_ = sorted((sa, sb), key=len)
    return len(short) >= 4 and long_.startswith(short)


def _is_question(sentence: str, ends_with_mark: bool) -> bool:
    body = _FILLER_LEAD.sub("", sentence.strip()).strip()
    if not body or _NOT_ASKING.match(body) or PROPOSING.match(body):
        return False
    return ends_with_mark or bool(_ASKING.match(body))


def _sentences(text: str) -> list[tuple[str, bool]]:
    return [(s, s.rstrip().endswith("?")) for s in split_sentences(text)]


def is_clarifying_question(text: str) -> bool:
    """True when the turn asks the interviewer something rather than answering: short, and mostly questions."""
    parts = _sentences(text)
    words = len(normalise(text).split())
    if not parts or words == 0 or words > _MAX_WORDS:
        return False
    questions = [s for s, mark in parts if _is_question(s, mark)]
    statements = [s for s, mark in parts if not _is_question(s, mark)]
    if sum(len(normalise(s).split()) for s in statements) > _MAX_STATEMENT_WORDS:
        return False
    # a short statement that already answers ("I'd segment by platform to check") makes the turn an answer
    answering = any(sig.weight > 0 and sig.dim != "clarify" for s in statements for sig in find_signals(s))
    return bool(questions) and not answering


def leading_question(text: str) -> str | None:
    """The opening question of an answer that starts with a question and then goes on to answer."""
    parts = _sentences(text)
    if len(parts) < 2 or not parts[0][1] or not _is_question(*parts[0]):
        return None
    return parts[0][0]


def _terms(text: str) -> set[str]:
    words = {w for w in normalise(text).split() if w not in _STOP}
    expanded = set(words)
    for w in words:
        expanded.update(_SYNONYMS.get(w, ()))
    return expanded


def _fact_score(fact: HiddenFact, terms: set[str], generic: set[str]) -> float:
    """How well a question's terms fit a fact: 1 per keyword matched, plus 0.5 for sharing a word with the fact's
    answer that is not one of the case question's words in any form ("weekend" is not specific in a case about
    weekends)."""
    score = 0.0
    for kw in (*fact.keywords, fact.topic):
        kw_words = [w for w in normalise(kw).split() if w not in _STOP]
        if kw_words and all(any(_same(k, t) for t in terms) for k in kw_words):
            score += 1.0
    answer_words = {w for w in normalise(fact.answer).split() if len(w) >= 5 and w not in _STOP}
    specific = {t for t in terms if len(t) >= 5 and not any(_same(t, g) for g in generic)}
    if any(_same(a, t) for a in answer_words for t in specific):
        score += 0.5
    return score


def matching_facts(case: Case, question: str) -> list[HiddenFact]:
    """Hidden facts a question asks for, best first; each question sentence may reveal its own fact."""
    generic = set(normalise(case.question).split())
    chosen: list[HiddenFact] = []
    pieces = [s for s, mark in _sentences(question) if _is_question(s, mark)] or [question]
    if len(pieces) == 1:  # "Is it all platforms, and when did it start?" asks two things in one sentence
        pieces = [p for p in re.split(r",? (?:and|or|also) (?=(?:is|are|was|were|do|does|did|when|what|has|have|which)\b)",
                                      pieces[0]) if p.strip()]
    for piece in pieces:
        terms = _terms(piece)
        scored = sorted(((_fact_score(f, terms, generic), n) for n, f in enumerate(case.hidden_facts)), reverse=True)
        if scored and scored[0][0] >= 1.0:
            fact = case.hidden_facts[scored[0][1]]
            if fact not in chosen:
                chosen.append(fact)
    return chosen


def answer_clarification(case: Case, question: str) -> str:
    """What the interviewer says back: the question again if asked to repeat it, the matching hidden facts, or the
    case's no-data line."""
    if _REPEAT.search(question):
        return f"Sure. {case.question}"
    correction = premise_correction(case, question)
    if correction:
        return f"{correction} {case.question}"
    facts = matching_facts(case, question)
    if not facts:
        return case.no_data_answer
    return " ".join(f.answer.strip() for f in facts)


# Events a question can presume ("is the drop on all platforms?"): what to say when the case has none of them.
_PREMISES: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = tuple(
    (re.compile(asks), re.compile(has), correction)
    for asks, has, correction in (
        (r"\b(?:the|this|that) (?:drop|decline|dip|fall|decrease|slowdown)\b|\b(?:dropped|declined|dipped|fell|went down)\b",
         r"\b(?:drop\w*|declin\w*|dip\w*|fell|fall\w*|decreas\w*|down|slow\w*|lower)\b",
         "Nothing has dropped in this case."),
        (r"\b(?:the|this|that) (?:outage|bug|crash|crashes|incident)\b",
         r"\b(?:outage|bug\w*|crash\w*|incident|error\w*|fail\w*|broke\w*)\b",
         "There's no outage or bug in this case."),
        (r"\b(?:the|these|those) complaints\b", r"\bcomplain\w*\b", "There are no complaints in this case."),
    )
)


def premise_correction(case: Case, question: str) -> str:
    """A correction when the question presumes an event the case doesn't have, else ""."""
    asked = normalise(question)
    known = normalise(" ".join([case.question, *(f.answer for f in case.hidden_facts)]))
    for asks, has, correction in _PREMISES:
        if asks.search(asked) and not has.search(known):
            return correction
    return ""


def presumes_false(case: Case, question: str) -> bool:
    """The clarifying question presumes something untrue of the case ("is the drop on all platforms?", no drop)."""
    return bool(premise_correction(case, question))
