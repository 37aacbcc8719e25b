"""Moves read from a sentence's shape (voicecoach/brain/shapes.py): a risk of the plan spelled out, a step turned down
with its reason, an experiment said in plain words; each counts only where the sentence names the case's things.

Sentences are written for this file in plain, varied words.
"""

from __future__ import annotations

import pytest

from voicecoach.brain.analysis import find_signals
from voicecoach.brain.reading import read_turn
from voicecoach.brain.shapes import (
    EXPERIMENT_LABEL,
    POINTED_LABEL,
    QUALITATIVE_LABEL,
    REFUSAL_LABEL,
    RISK_LABEL,
    SCOPING_LABEL,
)
from voicecoach.content import Pack
from voicecoach.packs import load_pack


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def _labels(said: str) -> set[str]:
    return {s.label for s in find_signals(said) if s.weight > 0}


def _case_labels(pack: Pack, case_id: str, said: str) -> set[str]:
    read = read_turn(said, 1, True, pack.case(case_id), pack)
    return {s.label for s in read.signals if s.weight > 0 and s.grounded}


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        ("checkout-fees", ("The catch with putting the full price on the first screen is that some people bail before "
                          "they've even added a dish.")),
        ("notification-volume", ("My biggest fear here would be folks getting so fed up with all the notifications that "
                                "they switch them off for good.")),
        ("cleaner-marketplace", ("Another thing that worries me is cleaners just moving their weekday jobs onto Saturday "
                                "for the better rate.")),
    ],
)
def test_a_risk_of_the_plan_spelled_out_on_the_case_counts_for_edge_cases(pack: Pack, case_id: str, said: str) -> None:
    assert RISK_LABEL in _case_labels(pack, case_id, said)


@pytest.mark.parametrize(
    "said",
    [
        "Honestly the risk is pretty small.",  # waved away, not named
        "The risk is scope creep.",  # a word, not a risk spelled out
        "I wouldn't worry about that part much.",
    ],
)
def test_a_risk_waved_away_or_only_named_is_not_a_risk_spelled_out(said: str) -> None:
    assert RISK_LABEL not in _labels(said)


def test_a_risk_said_of_nothing_in_the_case_is_a_mention(pack: Pack) -> None:
    said = "The big worry with any change like this is that it goes wrong in ways nobody expected."
    assert RISK_LABEL in _labels(said)  # the shape is there ...
    assert RISK_LABEL not in _case_labels(pack, "uploads-drop", said)  # ... about nothing of this case


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        ("checkout-fees", "I'd steer clear of dropping the service charge outright, since that money covers the drivers."),
        ("cleaner-marketplace", ("We won't go recruiting cleaners in every city, because the quiet ones already have "
                                "more cleaners than bookings.")),
        # the reason as its own clause, and an option judged wrong with its reason
        ("checkout-fees", "I wouldn't simply scrap the new delivery fee, it's what keeps the couriers paid."),
        ("notification-volume", ("Sending every reader twice as many notifications isn't the right call, because most "
                                 "of them already skip half.")),
    ],
)
def test_a_step_turned_down_with_its_reason_counts_for_tradeoffs(pack: Pack, case_id: str, said: str) -> None:
    assert REFUSAL_LABEL in _case_labels(pack, case_id, said)


@pytest.mark.parametrize(
    "said",
    [
        "I wouldn't touch the checkout page.",  # turned down, but no reason given
        "I wouldn't bother about fraud because nobody cheats on this.",  # waves a dimension away
        "I would not decide that today, because it depends.",  # refuses a decision
    ],
)
def test_a_refusal_needs_its_reason_and_a_real_step(said: str) -> None:
    assert REFUSAL_LABEL not in _labels(said)


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        ("feed-ranking", ("I would show the new ranking to one in twenty viewers, leave everybody else on the current one, and "
                         "watch the two.")),
        ("onboarding-experiment", ("I'd put a slice of the new sign ups through the shorter lessons and compare them "
                                  "with the ones who get the normal path.")),
    ],
)
def test_an_experiment_said_in_plain_words_counts_for_data(pack: Pack, case_id: str, said: str) -> None:
    assert EXPERIMENT_LABEL in _case_labels(pack, case_id, said)


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        # the part is the one kept as things are, or is watched next to the rest
        ("notification-volume", "I'd keep a small group of readers on the current number of pushes for three months."),
        ("feed-ranking", "I'd let a few percent of viewers try the new ranking for a month, next to the old feed."),
    ],
)
def test_a_part_held_back_or_watched_next_to_the_rest_is_an_experiment(pack: Pack, case_id: str, said: str) -> None:
    assert EXPERIMENT_LABEL in _case_labels(pack, case_id, said)


def test_what_users_told_the_team_is_research_in_plain_words(pack: Pack) -> None:
    said = "From what households keep telling support, they mostly want one list they can both add to."
    assert QUALITATIVE_LABEL in _case_labels(pack, "shared-lists-deadline", said)
    assert QUALITATIVE_LABEL not in _labels("My kids told us a long story about the school trip.")


def test_some_people_doing_something_is_not_an_experiment() -> None:
    assert EXPERIMENT_LABEL not in _labels("Some of the people who order late at night skip the tip screen.")


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        # a transcript drops the question marks of questions said in a run
        ("friend-payments", "Where are we allowed to launch this, and who actually holds the money in between."),
        ("checkout-fees", "I'd want to find out how many of the lost orders were from first-time customers."),
    ],
)
def test_a_question_about_the_case_without_its_question_mark_counts_for_clarify(
    pack: Pack, case_id: str, said: str
) -> None:
    assert SCOPING_LABEL in _case_labels(pack, case_id, said)


@pytest.mark.parametrize(
    "said",
    [
        "What breaks first is the retry logic on slow networks.",  # a cleft says, it does not ask
        "Customers want to know who is coming into their home.",  # the customers want to know, not the speaker
        "Which means we lose those readers for good.",
    ],
)
def test_a_statement_with_a_question_word_asks_nothing(said: str) -> None:
    assert SCOPING_LABEL not in _labels(said)


def test_a_question_with_its_question_mark_is_read_once() -> None:
    labels = [s.label for s in find_signals("Which of the extra sign ups come back for a second lesson?")]
    assert POINTED_LABEL in labels
    assert SCOPING_LABEL not in labels
