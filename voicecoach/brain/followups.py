"""Follow-ups that read like a person asked them: whole-clause quotes, a template that fits what was quoted, no line
said twice in a row, a recited list pinned down, and the case's missed key point probed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from voicecoach.brain.analysis import Signal
from voicecoach.brain.evidence import normalise
from voicecoach.model import Turn

MAX_QUOTE_WORDS = 14  # a quoted clause longer than this is not quoted at all (never cut mid-clause)
_CLAUSE = re.compile(r"[;:]|\s(?=(?:and then|because|so that|but|which means|whereas)\b)", re.IGNORECASE)
_COMMA = re.compile(r",")

# What a quote is, from its words: a metric, a fix, a risk, a plan (normalised text).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fix", re.compile(r"\b(?:roll\w* back|rollback|hot ?fix|fix|patch|revert|flag|switch (?:it )?off|turn (?:it )?off)\b")),
    ("metric", re.compile(r"\b(?:rate|per|number|percent|retention|conversion|success|metric|count|revenue|churn|"
                          r"opens|downloads|installs|latency|p\d\d|baseline|active users?)\b")),
    ("risk", re.compile(r"\b(?:fraud|abuse|risk|fail\w*|break\w*|wrong|stuck|duplicat\w*|scam\w*|cheat\w*|spam|outage)\b")),
    ("plan", re.compile(r"\b(?:i'd|i would|we'd|we would|i'll|we'll|let's|i will|we will|first|then)\b")),
)
# What a case's {quote} template presumes the quote is: "that fix", "is that a number", "get around that".
_NEEDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fix", re.compile(r"\b(?:that|the|this) fix\b|fixed it|roll(?:ed)? back", re.IGNORECASE)),
    ("metric", re.compile(r"\bthat (?:a )?(?:number|metric)\b|is that a number|could look good", re.IGNORECASE)),
    ("control", re.compile(r"get around (?:that|it)|cheater|work around", re.IGNORECASE)),
)
_CONTROL = re.compile(r"\b(?:cap|limit|hold|only (?:after|once)|verify|check|block|flag|detect|wait|delay|stage\w*|"
                      r"small (?:share|slice|group)|stop)\w*\b")

# Pinning down a recited term: what to ask about it, by what it is.
PIN_DOWN: dict[str, str] = {
    "staged the rollout": "Of what, to whom, and what would make you stop it?",
    "ran an experiment": "Testing what against what, on which users, and what result would change your plan?",
    "sized the experiment properly": "Testing what against what, on which users, and what result would change your plan?",
    "set a guardrail or counter-metric": "A guardrail on which number here, and at what level would you act?",
    "said what the guardrail watches": "A guardrail on which number here, and at what level would you act?",
    "segmented the data": "Which cut would you pull first on this case, and what would you expect it to show?",
    "named specific cuts to compare": "Which cut would you pull first on this case, and what would you expect it to show?",
    "used cohorts": "Which cohorts exactly, and what difference between them would change your plan?",
    "walked the funnel": "Which step of this funnel would you look at first, and why that one?",
    "considered abuse or fraud": "Who exactly would abuse what here, and how would you catch it?",
    "used reliability patterns": "Where exactly would that go in this system, and what would trigger it?",
    "defined success": "Which number exactly, for whom, and what level would count as success here?",
    "named an outcome metric": "Which number exactly, for whom, and what level would count as success here?",
}
PIN_DOWN_DEFAULT = "Where exactly would you use that here, on what, and why?"


def clause_of(text: str, phrase: str = "") -> str:
    """The whole clause of text that holds phrase (the first clause without one), or "" if longer than a quote may
    be. Clauses end at ; : and at "because", "but", "so that"; commas split a clause only when it is too long (a list
    "by iPhone, Android and web" stays whole)."""
    low = phrase.lower()
    for splitter in (_CLAUSE, _COMMA):
        parts = [c.strip(" ,;:.!?") for c in splitter.split(text) if c and c.strip(" ,;:.!?")]
        if not parts:
            return ""
        text = next((c for c in parts if low and low in c.lower()), parts[0])
        if len(text.split()) <= MAX_QUOTE_WORDS:
            return text
    return ""


def quote_kind(quote: str) -> str:
    """What a quote is: "fix", "metric", "risk", "plan" or ""."""
    norm = normalise(quote)
    return next((kind for kind, pattern in _KINDS if pattern.search(norm)), "")


def fits(template: str, quote: str) -> bool:
    """A {quote} template fits the quote: it presumes nothing the quote is not ("that fix" needs a fix)."""
    kind = quote_kind(quote)
    for need, pattern in _NEEDS:
        if pattern.search(template):
            if need == "control":
                return bool(_CONTROL.search(normalise(quote))) and kind != "metric"
            return need == kind
    return True


# Which listed term to pin down first: the concrete techniques a candidate can be asked to apply.
PIN_ORDER = ("staged the rollout", "ran an experiment", "set a guardrail or counter-metric", "segmented the data",
             "considered abuse or fraud", "used reliability patterns", "used cohorts", "walked the funnel",
             "defined success")


def pin_order(term: Signal) -> int:
    """Sort key: concrete techniques first (PIN_ORDER), then anything else."""
    return PIN_ORDER.index(term.label) if term.label in PIN_ORDER else len(PIN_ORDER)


def pin_down(term: Signal) -> str:
    """A first follow-up on a recited list: "You mentioned a staged rollout. Of what, to whom, and what would make you
    stop it?" (the term in the candidate's own words)."""
    m = re.search(r"\b(?:an?|the|some)\s+" + re.escape(term.phrase), term.quote, re.IGNORECASE)
    said = m.group(0) if m else term.phrase  # "a staged rollout", as they said it
    return f'You mentioned "{said}". {PIN_DOWN.get(term.label, PIN_DOWN_DEFAULT)}'


def last_follow_up(turns: Sequence[Turn]) -> str:
    """The interviewer's latest follow-up, to never say the same line twice in a row."""
    return next((t.text for t in reversed(turns) if t.role == "interviewer" and t.kind == "follow_up"), "")


def by_focus(options: Sequence[str], focus: str) -> list[str]:
    """Options ordered by how many words they share with focus (a missed key point), most first; stable otherwise."""
    if not focus:
        return list(options)
    want = {w for w in normalise(focus).split() if len(w) > 3}
    return sorted(options, key=lambda p: -len(want & {w for w in normalise(p).split() if len(w) > 3}))
