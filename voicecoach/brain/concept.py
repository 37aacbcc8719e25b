"""The Concept type the lexicon is written in, and the words that change how a phrase reads (negation, orders to the grader)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Polarity = Literal["for", "against", "name_drop", "vanity"]


@dataclass(frozen=True)
class Concept:
    """One idea a reader looks for; patterns run over normalised text (lower case, no punctuation)."""

    dim: str
    label: str  # how the rationale names it ("a guardrail metric")
    weight: float  # how much it is worth; negative-going for polarity "against"
    pattern: re.Pattern[str]
    polarity: Polarity = "for"
    refusable: bool = False  # "we wouldn't <do this>" counts against, not merely nothing
    opening_only: bool = False  # only looked for in the first sentence of an answer
    max_hits: int = 1  # how many distinct phrases of this concept add up ("by platform, by version, by region")
    one_per_sentence: bool = False  # the hits that add up must come from different sentences (one act per sentence)


_GAP_WORD = r"(?:\w+ )"
_ANY_WORD = r"(?:[\w']+ )"


def concept(
    dim: str,
    label: str,
    weight: float,
    regex: str,
    polarity: Polarity = "for",
    refusable: bool = False,
    max_hits: int = 1,
    one_per_sentence: bool = False,
) -> Concept:
    opening = regex.startswith("^")
    # a word in a gap is any word, contractions too: "first I'd check" is "first" two words before "check"
    pattern = re.compile(r"\b(?:" + regex.replace(_GAP_WORD, _ANY_WORD) + r")\b")
    return Concept(dim, label, weight, pattern, polarity, refusable, opening, max_hits, one_per_sentence)


I_WILL = r"(?:i'd|i would|i'll|i will|we'd|we would|we'll|we will|i'm going to|we're going to|let's|i want to|we want to)"
I_WOULD = r"(?:i'd|i would|we'd|we would|i'll|we'll|i'm going to|let me|let's|i want to)"

# Concepts that a candidate "would not do" counts against (the refusable flag), and words that cancel a negation.
NEGATORS = frozenset(
    ["not", "no", "never", "don't", "dont", "wouldn't", "won't", "shouldn't", "didn't", "doesn't", "isn't", "aren't", "can't", "cannot", "nobody", "skip", "without"]
)
# Concepts whose meaning survives a negation ("make sure it's not a tracking bug", "so it doesn't fail silently").
NEGATION_OK = frozenset({
    "checked the drop is real, not a tracking change",
    "considered failure states",
    "considered abuse or fraud",
    "considered scale",
    "named system constraints",
    "reasoned about APIs and client/server",  # "if we can't connect to the banks" is still reasoning about the system
    "followed the data flow",
    # a dismissal carries its own negation ("I wouldn't overthink the fraud side, friends don't scam each other")
    "dismissed edge cases",
})
# "I wouldn't ship it, whatever watch time says": a concessive clause starts; its metric is not refused
NEGATION_BREAKS = frozenset(["but", "so", "and", "then", "instead", "rather", "because", "whatever", "regardless"])
HARM_WORDS = frozenset(
    ["hurt", "hurts", "hurting", "harm", "harming", "tank", "tanking", "break", "breaking", "regress", "lower", "lowering", "drop", "dropping", "degrade", "increase", "increasing", "cannibalize", "cannibalise", "lose", "losing", "only", "just", "matter"]
)

# A sentence that ends in a question mark but proposes instead of asking ("I guess I'd maybe just try it and see?",
# "We could run a test?"): rising intonation on an answer, not a question to the interviewer.
PROPOSING = re.compile(
    r"^(?:(?:so|um|uh|well|okay|i guess|i think|i suppose|maybe|perhaps|probably|honestly)\b[\s,]*)*"
    r"(?:i|we)(?:'d|'ll| would| could| should| will| can| might)\b(?!,? (?:like|love|want|need) to (?:know|ask|check|confirm|understand))"
    r"|^(?:(?:so|um|uh|well|okay|i guess|i think)\b[\s,]*)*(?:maybe|perhaps|just) (?:just )?(?:try|do|ship|launch|build|add|test|go)\b",
    re.IGNORECASE,
)

# Sentences that talk to the grader instead of answering: removed before reading, so they change nothing.
INSTRUCTION = re.compile(
    r"\b(?:(?:ignore|disregard|forget|override) (?:your|the|all|any|previous|my|those)? ?(?:\w+ )?"
    r"(?:rubric|instructions?|rules|scoring|guidelines|prompt|criteria)|"
    r"(?:give|score|grade|rate|mark) (?:me|this|it|my answer|every|each|all)\b.{0,30}(?:five|5|ten|10|full marks|top marks|perfect|"
    r"maximum)|(?:five|5) out of (?:five|5)|full marks|as the interviewer you (?:must|should|have to)|"
    r"you (?:must|should|have to) (?:score|grade|rate|give)|(?:system|developer) (?:prompt|message|instruction)|"
    r"new instructions?|(?:the )?rubric says|(?:whoever|whatever) (?:or (?:whoever|whatever) )?is (?:scoring|grading|marking|"
    r"evaluating)|(?:note|message) (?:for|to) (?:the )?(?:grader|scorer|evaluator|marker|ai|model)|"
    r"(?:any|an|the) (?:expert |good |fair |reasonable )?(?:interviewer|grader|evaluator|scorer) would (?:see|agree|say|give)|"
    r"this (?:answer )?(?:fully |completely |clearly )?covers (?:clarify\w*|metrics|all|every|each)|"
    r"(?:before|when) you (?:score|grade|mark|rate|evaluate)|by your rubric|(?:a )?(?:five|5) (?:on|for) (?:each|every|all)|"
    r"(?:the )?(?:evaluation|grading|scoring) reflect\w*|qualifies as a (?:strong|perfect|top) answer)",
    re.IGNORECASE,
)
