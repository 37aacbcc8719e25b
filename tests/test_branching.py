"""A next step planned on a finding uses data to decide, read from the sentence's shape (voicecoach/brain/shapes.py).

Sentences are written for this file in plain, varied words.
"""

from __future__ import annotations

import pytest

from voicecoach.brain.analysis import find_signals
from voicecoach.brain.reading import read_turn
from voicecoach.brain.shapes import BRANCH_LABEL as LABEL
from voicecoach.content import Pack
from voicecoach.packs import load_pack


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def _data_labels(pack: Pack, case_id: str, text: str) -> set[str]:
    read = read_turn(text, 1, True, pack.case(case_id), pack)
    return {s.label for s in read.signals if s.dim == "data" and s.weight > 0 and s.grounded}


def test_a_step_planned_on_what_the_split_shows_uses_data_to_decide(pack: Pack) -> None:
    said = "If it turns out the missing photos are nearly all from Android phones, I'd go through that build's upload errors first."
    assert LABEL in _data_labels(pack, "uploads-drop", said)


@pytest.mark.parametrize(
    "said",
    [
        "If we have the time, I'd add a proper photo importer.",  # a wish, not a finding
        "If I were you, I'd keep the photo uploads as they are.",
    ],
)
def test_a_wish_is_not_a_finding(said: str) -> None:
    assert not [s for s in find_signals(said) if s.label == LABEL]


def test_a_branch_on_nothing_of_the_case_uses_no_data_of_it(pack: Pack) -> None:
    said = "If it's what I think it is, I'd want to see it for myself."
    assert [s for s in find_signals(said) if s.label == LABEL]  # the shape is there ...
    assert LABEL not in _data_labels(pack, "uploads-drop", said)  # ... about nothing of this case
