"""The case's answer key: which of its points a candidate actually made, and which they missed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicecoach.brain.analysis import Signal, short_quote
from voicecoach.content import Case, KeyPoint

KEY_WEIGHT = 2.0  # a key point made is a strong, applied move on its dimension
_QUOTE_WORDS = 24
LABEL = "made the key point: "


@dataclass(frozen=True)
class Made:
    """A key point made, where: the turn, the sentence, and a quote of that sentence cut from the turn's own text."""

    point: KeyPoint
    turn: int
    sentence: int
    quote: str


def made_points(case: Case, sentences: Sequence[str], turn: int) -> list[Made]:
    """Key points made in one turn: a sentence, or a sentence with the next one, holds a term of every anchor group."""
    out: list[Made] = []
    for kp in case.answer_key:
        for n, sentence in enumerate(sentences):
            window = sentence if n + 1 >= len(sentences) else f"{sentence} {sentences[n + 1]}"
            if kp.made_in(sentence) or kp.made_in(window):
                out.append(Made(kp, turn, n, short_quote(sentence, _QUOTE_WORDS)))
                break
    return out


def as_signal(made: Made) -> Signal:
    """The credit a key point earns on its dimension, quoting the sentence that made it."""
    kp = made.point
    return Signal(kp.dimension, LABEL + kp.id, KEY_WEIGHT, "for", made.quote, made.quote, made.turn, made.sentence, True)


def missed_points(case: Case, made: Iterable[Made]) -> list[KeyPoint]:
    """The key points not made anywhere, in the key's order."""
    done = {m.point.id for m in made}
    return [kp for kp in case.answer_key if kp.id not in done]
