"""Speaking an LLM reply while it streams: complete sentences of its JSON "text" field, as soon as each ends."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

log = logging.getLogger("voicecoach.llm")

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+")
_TEXT_KEY = re.compile(r'(?<!\\)"text"\s*:\s*"')
_KIND_KEY = re.compile(r'(?<!\\)"kind"\s*:\s*"(\w+)"')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def split_spoken(text: str) -> list[str]:
    """The sentences of a spoken line, in order, whitespace collapsed."""
    out, cut = [], 0
    for m in _SENTENCE_END.finditer(text + " "):
        out.append(" ".join(text[cut : m.end()].split()))
        cut = m.end()
    out.append(" ".join(text[cut:].split()))
    return [s for s in out if s]


def partial_string(buffer: str, key: re.Pattern[str]) -> tuple[str, bool] | None:
    """The decoded value so far of the JSON string after key in a partial JSON buffer, and whether it closed."""
    m = key.search(buffer)
    if m is None:
        return None
    out: list[str] = []
    i = m.end()
    while i < len(buffer):
        ch = buffer[i]
        if ch == '"':
            return "".join(out), True
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= len(buffer):
            break
        esc = buffer[i + 1]
        if esc == "u":
            if i + 6 > len(buffer):
                break
            try:
                out.append(chr(int(buffer[i + 2 : i + 6], 16)))
            except ValueError:
                out.append("?")
            i += 6
            continue
        out.append(_ESCAPES.get(esc, esc))
        i += 2
    return "".join(out), False


class SentenceStream:
    """Turns streamed JSON pieces into complete sentences of its "text" field, passed on as soon as each ends.

    safe(kind, sentence) may veto a sentence (e.g. one that gives away a held-back fact); after a veto nothing
    more is passed on until finish(), which passes on whatever of the final, validated text was not said yet.
    """

    def __init__(self, on_sentence: Callable[[str], None], safe: Callable[[str | None, str], bool], started: float) -> None:
        self.on_sentence = on_sentence
        self.safe = safe
        self.started = started
        self.buffer = ""
        self.emitted: list[str] = []
        self.cut = 0  # characters of the decoded text already split into sentences
        self.blocked = False
        self.first_sentence_s: float | None = None

    def _emit(self, sentence: str) -> None:
        if self.first_sentence_s is None:
            self.first_sentence_s = time.monotonic() - self.started
        self.emitted.append(sentence)
        self.on_sentence(sentence)

    def feed(self, piece: str) -> None:
        """Take one streamed piece; pass on every sentence it completes."""
        self.buffer += piece
        if self.blocked:
            return
        found = partial_string(self.buffer, _TEXT_KEY)
        if found is None:
            return
        text, closed = found
        kind_m = _KIND_KEY.search(self.buffer)
        kind = kind_m.group(1) if kind_m else None
        while not self.blocked:
            m = _SENTENCE_END.search(text, self.cut)
            end = m.end() if m else (len(text) if closed and self.cut < len(text) else None)
            if end is None:
                break
            sentence = " ".join(text[self.cut : end].split())
            self.cut = end
            if not sentence:
                continue
            if self.safe(kind, sentence):
                self._emit(sentence)
            else:
                self.blocked = True

    def finish(self, final_text: str) -> None:
        """Pass on the sentences of the validated final text that were not passed on while streaming."""
        said = " ".join(self.emitted)
        final = " ".join(final_text.split())
        if final.startswith(said):
            rest = final[len(said) :]
        else:  # a repaired reply that does not continue what was said: say it in full rather than half of it
            log.info("the repaired reply differs from what was already said; saying it in full")
            rest = final
        for sentence in split_spoken(rest):
            self._emit(sentence)
