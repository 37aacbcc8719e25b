"""How the lexicon reads the words inside its phrases. A word in a pattern's gap is any word, contractions included
(voicecoach/brain/concept.py): "first we'd confirm" is
"first", a word, then "confirm", as "first we confirm" is. Before, a gap skipped only plain words, so every phrase
with an "I'd", "what's" or "it's" inside it went unread.

Sentences are written for this file in plain, varied words.
"""

from __future__ import annotations

import pytest

from voicecoach.brain.analysis import find_signals


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("First thing, let's verify with the grocery chain that the launch day truly can't move.", "wanted to understand before solving"),
        ("Then I'd split what's left by neighbourhood.", "segmented the data"),
    ],
)
def test_a_contraction_inside_a_phrase_does_not_hide_it(said: str, label: str) -> None:
    assert label in {s.label for s in find_signals(said) if s.weight > 0}


def test_twice_as_many_is_a_quantity_not_a_failure() -> None:
    failure = "considered failure states"
    assert failure not in {s.label for s in find_signals("Sending each reader twice as many alerts would annoy them.")}
    assert failure in {s.label for s in find_signals("If the app retries, the same photo lands in the album twice.")}
