"""Spoken commands at the start of a turn and closing phrases at its end, read from Whisper's text."""

from __future__ import annotations

import re

from voicecoach.ports import Command

# Whole-utterance phrasings, after normalising (lower case, no punctuation) and dropping polite padding.
_COMMANDS: dict[Command, tuple[str, ...]] = {
    "repeat": (
        "repeat the question",
        "repeat that",
        "repeat the last question",
        "repeat",
        "say that again",
        "say that",
        "say the question again",
        "what was the question",
        "read the question again",
    ),
    "skip": ("skip", "skip this question", "skip the question", "skip this one", "skip it", "next question"),
    "pause": ("pause", "pause the interview", "pause please", "hold on", "let's pause"),
    "resume": ("resume", "resume the interview", "continue", "continue the interview", "i'm back", "im back"),
    "stop": ("stop the interview", "stop", "end the interview", "quit the interview", "stop interview"),
}
_LEADING = (
    "um", "uh", "okay", "ok", "so", "sorry", "please", "can you", "could you", "would you", "will you",
    "could we", "can we", "let's", "lets", "i'd like to", "i want to", "i would like to", "actually", "hey",
)  # fmt: skip
_TRAILING = ("please", "thanks", "thank you", "now", "for me", "again", "one more time")

CLOSING_PHRASES: tuple[str, ...] = (
    "that's my answer",
    "that is my answer",
    "that's my final answer",
    "i'm done",
    "i am done",
    "that's it",
    "that is it",
    "end of answer",
    "end of my answer",
)


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, punctuation dropped, whitespace collapsed."""
    t = text.lower().replace("’", "'").replace("‘", "'")
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    t = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", t)
    return " ".join(t.split())


def _strip_padding(t: str) -> str:
    changed = True
    while changed and t:
        changed = False
        for lead in _LEADING:
            if t == lead or t.startswith(lead + " "):
                t = t[len(lead) :].strip()
                changed = True
        for trail in _TRAILING:
            if t == trail or t.endswith(" " + trail):
                t = t[: len(t) - len(trail)].strip()
                changed = True
    return t


def parse_command(text: str) -> Command | None:
    """The command a whole short utterance asks for ("Repeat the question, please." -> "repeat"), else None."""
    t = _strip_padding(normalise(text))
    if not t:
        return None
    for command, phrases in _COMMANDS.items():
        if t in phrases:
            return command
    return None


def _closing_span(text: str) -> int | None:
    """Index in text where a trailing closing phrase starts, or None."""
    norm_words = normalise(text).split()
    for phrase in sorted(CLOSING_PHRASES, key=len, reverse=True):
        p = phrase.split()
        for trail in (0, 1, 2):  # allow "that's it, thanks" / "I'm done, thank you"
            tail = norm_words[len(norm_words) - len(p) - trail : len(norm_words) - trail]
            rest = norm_words[len(norm_words) - trail :] if trail else []
            if len(norm_words) >= len(p) + trail and tail == p and " ".join(rest) in ("", *_TRAILING):
                return _char_index_of_word(text, len(norm_words) - len(p) - trail)
    return None


def _char_index_of_word(text: str, index: int) -> int:
    """Character offset in text of the index-th normalised word."""
    count = 0
    for m in re.finditer(r"[A-Za-z0-9'’]+", text):
        if normalise(m.group()) == "":
            continue
        if count == index:
            return m.start()
        count += len(normalise(m.group()).split())
    return len(text)


def is_closing_phrase(text: str) -> bool:
    """True when the answer so far ends with a closing phrase such as "That's my answer." or "I'm done"."""
    return _closing_span(text) is not None


def strip_closing_phrase(text: str) -> str:
    """The answer without its trailing closing phrase (and the punctuation before it)."""
    at = _closing_span(text)
    if at is None:
        return text.strip()
    return text[:at].rstrip(" ,;:—-").strip()
