"""Meta turns: asking for the question again or for a moment to think. They get the question or a pause, no credit."""

from __future__ import annotations

import re

from voicecoach.brain.evidence import normalise
from voicecoach.brain.grounding import wordset

MAX_WORDS = 20  # a longer turn is an answer that happens to contain "let me think"
_REPEAT = re.compile(
    r"\b(?:repeat (?:the|that|your|it)|(?:say|ask) (?:that|it|the question) (?:again|one more time)|come again|"
    r"what was the question|what's the question again|rephrase|pardon|(?:didn't|did not|couldn't) (?:quite )?"
    r"(?:catch|hear|get|follow) (?:that|it|the question|what you said|you)|one more time|say again|read (?:it|that|the question) "
    r"(?:out )?again|once more)\b"
)
_PAUSE = re.compile(
    r"\b(?:(?:can|could|may|do you mind if) i (?:take|have|get) (?:a|one) (?:moment|minute|second|sec|bit)|"
    r"give me (?:a|one) (?:moment|minute|second|sec|bit)|let me (?:think|gather my thoughts|collect my thoughts)|"
    r"hold on|one (?:moment|second|sec)|just a (?:moment|second|sec|minute)|bear with me|(?:need|want) (?:a|one) "
    r"(?:moment|minute|second|sec)|(?:a )?moment to think|(?:a )?second to think|thinking about it)\b"
)
# What a turn that says nothing else is made of, once the meta words are taken out.
_FILLER = wordset(
    "sorry so um uh erm okay ok yeah right sure please could you can i just a the question again that it thanks thank "
    "quickly hmm well actually oh wait sec second"
)
TAKE_YOUR_TIME = "Take your time."


def _kind(text: str) -> str:
    norm = normalise(text)
    if not norm or len(norm.split()) > MAX_WORDS:
        return ""
    for kind, pattern in (("repeat", _REPEAT), ("pause", _PAUSE)):
        m = pattern.search(norm)
        if m is None:
            continue
        rest = (norm[: m.start()] + " " + norm[m.end() :]).split()
        if len([w for w in rest if w not in _FILLER]) <= 6:  # nothing of substance beside the request
            return kind
    return ""


def is_meta_turn(text: str) -> bool:
    """True for "could you repeat the question?", "sorry, say that again", "can I take a moment?": not an answer."""
    return bool(_kind(text))


def meta_reply(text: str, open_question: str) -> str:
    """The question again for a repeat request, a pause for a request to think."""
    return f"Sure. {open_question}" if _kind(text) == "repeat" else TAKE_YOUR_TIME
