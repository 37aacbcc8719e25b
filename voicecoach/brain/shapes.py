"""Moves read from a sentence's shape rather than the rubric's words: a next step planned on a finding, a risk of the
plan named and spelled out, a thing the candidate would not do with the reason, an experiment said in plain words,
what the product's users told the team, and a question about the case without its question mark.

Candidates who never say "edge case", "prioritise" or "A/B test" still say "the danger with showing the price early is
more people leave before they fill a basket", "I wouldn't do a big hiring push, because the other cities already have
too many cleaners" and "give it to a small share of people and keep everybody else on the old one". Each shape counts
only where its sentence names the case's own things: said of nothing, it is a mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from voicecoach.brain.reasons import WHY, WHY_NOT

# All patterns run on analysis.normalised text: lower case, apostrophes kept ("wouldn't", "i'd").

# A plan that branches on what the data shows: "If it turns out to be one kind of phone, starting with one release,
# I'd look at how often uploads fail on that version". The condition must be a finding (what something turns out to
# be, is mostly, or only), not a wish ("if we have time"), and the next step the speaker's own.
_FINDING = re.compile(
    r"^(?:[\w']+ ){0,2}(?:if|when|say) (?:it turns out|they turn out|it's|it is|that's|they're|they are|"
    r"the \w+(?: \w+)? (?:is|are|turns out|comes back|shows)|most of (?:them|those|the \w+)) "
)
# the speaker's next step: "I'd look at", "then we check", "I'll ask"
_NEXT = re.compile(
    r"\b(?:i'd|i would|i'll|i will|we'd|we would|we'll) (?:[\w']+ )?(?:look|check|ask|pull|dig|go|compare|split|trace|test|"
    r"try|call|talk|want|read|find|see|turn|roll|fix|move|start|focus|put|send|have)\b"
)

# "the danger with showing the price early is ...", "my worry is ...", "the catch here would be ...", "what worries me
# is ...": a risk named, then what it is. What it is must be something (not "low", "small", "minimal": that waves risk
# away, and the lexicon reads it against).
_RISK_NOUN = r"(?:dangers?|risks?|worry|worries|catch|downsides?|concerns?|fear|trap|flip side|thing that could go wrong)"
_RISK = re.compile(
    r"\b(?:(?:the|my|one|a|our|main|big|bigger|biggest|other|another|real|obvious|second|first|only|more) )+(?:[\w']+ )?" + _RISK_NOUN
    + r"(?: (?:with|of|in|here|there|for|on)(?: [\w']+){0,8}?)? (?:is|are|would be|will be|being)|"
    r"\b(?:what|(?:thing|part|bit) that) (?:worries|scares|bothers) me (?:[\w']+ )?(?:is|are|would be)|"
    r"\bi(?:'d| would)? (?:[\w']+ )?worry (?:that|about) (?!it\b|that\b|this\b|fraud\b|abuse\b|edge\b)"
)
_WAVED = re.compile(r"^,? ?(?:that )?(?:pretty |really |very |fairly |quite )?(?:low|small|minimal|tiny|manageable|fine|"
                    r"nothing|none|not (?:much|big|huge|a big)|zero|limited|negligible)\b")
_MIN_RISK_WORDS = 4  # "the risk is scope creep" names a word; "the risk is people leave before the basket" names a risk

# "I would not ...", "I wouldn't ...", "I'd hold off on ...", "we won't ...": a step the speaker turns down; a reason
# must follow in the same sentence ("because that money pays for something", "otherwise weekdays become the problem").
_REFUSE = re.compile(
    r"\b(?:i|we)(?:'d| would| will|'ll)? (?:(?:just|also|still|really|definitely|certainly) )?"
    r"(?:not|never|wouldn't|won't|would not|will not|avoid|hold off on|steer clear of|rather not) "
    r"(?:(?:just|simply|even|really|go and|want to|be) )?(?!worry|bother|care|think|know|say|decide|choose|pick|commit|"
    r"overthink|expect|guess|be surprised|sure|have|need|mind|recommend\b)[a-z]+|"
    # an option judged wrong: "undoing the fee isn't automatically right", "doubling it isn't the answer"
    r"\b(?:isn't|is not|wouldn't be|won't be|would not be|will not be) (?:[\w']+ )?(?:right|the answer|the fix|the way|"
    r"the move|a fix|the right (?:call|move|fix|answer))\b"
)
# the reason said as its own clause after the step turned down: "I wouldn't just roll the fees back, they're revenue"
_SAYS_WHY = re.compile(r"\b(?:it's|they're|that's|it is|they are|that is|those are|it pays|they pay|that pays|we need)\b")

# An experiment said in plain words: some people get the new thing while the rest stay as they are, or some get it
# and the two are compared. "I'd give the new feed to a small share of people, like five percent, keep everybody
# else on the old one, and compare."
_PART = re.compile(
    r"\b(?:(?:a )?(?:small |tiny |little )?(?:share|slice|part|group|portion|fraction|handful|percentage|sample|bit|few) of|"
    r"some(?: of)?|half(?: of)?|one in \w+(?: of)?|(?:\d+|\w+) percent(?: of)?) (?:the |our )?(?:[\w']+ )?"
    r"(?:people|users|customers|riders|readers|viewers|buyers|sellers|cleaners|members|traffic|accounts|players|"
    r"learners|households|teams|new (?:people|users|sign ?ups))\b"
)
_REST_KEPT = re.compile(
    r"\b(?:the rest|everyone else|everybody else|all the others|the others|the other half|the remaining \w+)"
    r"(?: (?:[\w']+ ){0,3}?)? (?:on|with|stay\w*|keep\w*|see\w*|get\w*) (?:[\w']+ ){0,2}?"
    r"(?:old|current|existing|usual|today's|same|normal|as (?:it|they) (?:is|are))\b"
)
_COMPARE = re.compile(
    r"\b(?:compar\w*|side by side|against (?:the|those|everyone|everybody|the rest)|versus|difference|"
    r"(?:next to|alongside|beside) (?:the|those|everyone|everybody|the rest|today's))\b"
)
# ... or the part is the one kept as things are: "keep a small group of readers on today's amount for two months"
_PART_KEPT = re.compile(r"^ on (?:[\w']+ ){0,2}?(?:old|current|existing|usual|today's|same|normal|present)\b")
# What users said, reported: "from what households told us", "people keep telling support", "when we asked riders"
_TOLD = re.compile(
    r"\b(?:(?:people|users|customers|households|readers|riders|drivers|cleaners|sellers|buyers|learners|viewers|"
    r"creators|members|parents|they) (?:\w+ )?(?:told|tell|telling|keep telling|said|say|complain\w*|wrote|write) "
    r"(?:us|support|our|in)|when we asked (?:them|people|users|customers|\w+)|we (?:talked|spoke) to)\b"
)

# A question about the case asked inside an answer, with or without its question mark (a transcript often drops it):
# "I'd want to know how many people switched pushes off that week", "where can we legally launch, who holds the funds".
_WH = r"(?:where|who|which|what|when|why|whether|how)"
_ASKS_OF = re.compile(
    r"\b(?:(?:i|we|i'd|we'd|i'll|we'll|i would|we would) (?:[\w']+ )?(?:want|need|like|have|try) to "
    r"(?:know|see|understand|find out|check|ask|learn)|"
    r"(?:i'd|i would|we'd|we would|i'll|we'll|first|start by|i|we) (?:[\w']+ )?(?:ask|check|find out|look at|see|know|learn)\w*|"
    r"start with) (?:[\w']+ ){0,2}?" + _WH + r"\b"
)
# a sentence that opens with a question word and goes on as a question, not as a statement ("what I'd do is ...")
_OPENS_ASKING = re.compile(
    r"^(?:(?:so|and|then|also|first|um|uh|okay|ok|like|but) )*" + _WH
    + r" (?!i\b|i'd|i'll|i'm|we\b|we'd|we'll|we're|you\b|you'd|you'll|matters|counts|worries|if\b|else\b|about\b|next\b|"
    r"means|is why|makes|would|will|could|tells|gives)"
)
# a cleft says, it does not ask: "what breaks is timeouts", "what matters most is repeat orders" (a verb after "what";
# a question puts its noun or its "is" there: "what share is new", "what is the goal")
_CLEFT = re.compile(r"^(?:(?:so|and|then|also|but) )*what [\w']+(?:s|ed) (?:[\w']+ ){0,2}(?:is|are|was|were)\b")

BRANCH_LABEL = "used data to discover or decide"
BRANCH_WEIGHT = 1.0
RISK_LABEL = "named what could go wrong with the plan"
RISK_WEIGHT = 1.5
REFUSAL_LABEL = "prioritised and said what not to do"
REFUSAL_WEIGHT = 1.5
SCOPING_LABEL = "asked a specific scoping question"
POINTED_LABEL = "asked pointed questions while answering"  # a question asked with its question mark (analysis.py)
SCOPING_WEIGHT = 1.0  # a question read from its shape alone is weaker evidence than one the lexicon names
QUALITATIVE_LABEL = "used qualitative signal"
QUALITATIVE_WEIGHT = 1.0
EXPERIMENT_LABEL = "ran an experiment"
EXPERIMENT_WEIGHT = 1.5


def _followed(first: re.Pattern[str], norm: str, *after: re.Pattern[str]) -> re.Match[str] | None:
    """Where first matches in a sentence with one of after matching later in it, or None."""
    m = first.search(norm)
    return m if m is not None and any(p.search(norm, m.end()) for p in after) else None


def branches_on_a_finding(norm: str) -> re.Match[str] | None:
    """Where a sentence plans its next step on a finding, or None."""
    return _followed(_FINDING, norm, _NEXT)


def names_a_risk(norm: str) -> re.Match[str] | None:
    """Where a sentence names a risk and says what it is in some words, or None."""
    m = _RISK.search(norm)
    if m is None:
        return None
    rest = norm[m.end() :]
    if _WAVED.search(rest) or len(rest.split()) < _MIN_RISK_WORDS:
        return None
    return m


def refuses_with_reason(norm: str) -> re.Match[str] | None:
    """Where a sentence turns a step down and gives the reason after it, or None."""
    return _followed(_REFUSE, norm, WHY, WHY_NOT, _SAYS_WHY)


def asks_of_the_case(norm: str) -> re.Match[str] | None:
    """Where a sentence asks something, said as a question or as what the speaker wants to know, or None."""
    return _ASKS_OF.search(norm) or (None if _CLEFT.search(norm) else _OPENS_ASKING.search(norm))


def splits_an_experiment(norm: str) -> re.Match[str] | None:
    """Where a sentence gives something to part of the people and keeps the rest as they are, or compares; or None."""
    m = _PART.search(norm)
    if m is None:
        return None
    kept = _PART_KEPT.match(norm[m.end() :])
    return m if kept or _REST_KEPT.search(norm) or _COMPARE.search(norm, m.end()) else None


def reports_what_users_said(norm: str) -> re.Match[str] | None:
    """Where a sentence reports what the product's users told the team (research in plain words), or None."""
    return _TOLD.search(norm)


@dataclass(frozen=True)
class Shape:
    """One move read from a sentence's shape: where it was read (find), and what it shows."""

    dim: str
    label: str
    weight: float
    find: Callable[[str], re.Match[str] | None]
    read_already: frozenset[str] = frozenset()  # other labels that, in the same sentence, already read this move


SHAPES: tuple[Shape, ...] = (
    Shape("data", BRANCH_LABEL, BRANCH_WEIGHT, branches_on_a_finding),
    Shape("edge_cases", RISK_LABEL, RISK_WEIGHT, names_a_risk),
    Shape("tradeoffs", REFUSAL_LABEL, REFUSAL_WEIGHT, refuses_with_reason),
    Shape("data", EXPERIMENT_LABEL, EXPERIMENT_WEIGHT, splits_an_experiment),
    Shape("clarify", SCOPING_LABEL, SCOPING_WEIGHT, asks_of_the_case, frozenset([POINTED_LABEL])),
    Shape("data", QUALITATIVE_LABEL, QUALITATIVE_WEIGHT, reports_what_users_said),
)
