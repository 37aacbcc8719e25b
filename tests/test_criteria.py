"""A measure held to a standard is read from the sentence's shape (voicecoach/brain/criteria.py): what will count as
working, what must not get worse, the level or result that reverses the plan, in whatever words the case gives.

Sentences are written for this file in plain, varied words, not the lexicon's names for these moves.
"""

from __future__ import annotations

import pytest

from tests.conversations import ctx
from voicecoach.brain.analysis import find_signals
from voicecoach.brain.criteria import GUARDRAIL, criteria
from voicecoach.brain.reading import read_turn
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.content import Pack
from voicecoach.packs import load_pack

SUCCESS, TARGET = "defined success", "set a target or baseline"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def _metric_labels(text: str) -> set[str]:
    return {s.label for s in find_signals(text) if s.dim == "metrics" and s.weight > 0}


def test_a_verdict_a_level_and_a_held_measure_are_read_in_plain_words() -> None:
    said = ("We'll call this done when Android photo uploads per weekly person are back to where they were before "
            "the release, and support tickets about battery mustn't climb.")
    labels = _metric_labels(said)
    assert {SUCCESS, TARGET, GUARDRAIL} <= labels


@pytest.mark.parametrize(
    "said",
    [
        "Honestly day one is what matters, so even if week-two returns stay flat I'd count it as a win.",  # concession
        "I'd ship it and make sure it doesn't get worse.",  # no measure named
        "Then nothing goes up and we move on.",
    ],
)
def test_no_guardrail_without_a_named_measure_or_in_a_concession(said: str) -> None:
    assert GUARDRAIL not in _metric_labels(said)


def test_a_level_counts_only_around_a_measure() -> None:
    assert not [r for r in criteria("we go back to the office on monday", has_measure=False) if r.label == TARGET]
    assert [r for r in criteria("refunds per order back to the week before", has_measure=True) if r.label == TARGET]


def test_a_sentence_already_read_as_a_criterion_is_not_read_twice() -> None:
    # the lexicon reads "success is"; its level ("back where it was") is the same act, not a second one
    labels = [s.label for s in find_signals("Success is conversion back where it was two months ago.") if s.dim == "metrics"]
    assert SUCCESS in labels and TARGET not in labels


def test_a_concessive_clause_does_not_refuse_its_metric() -> None:
    sigs = find_signals("If people don't come back more often, I wouldn't ship it, whatever watch time says.")
    assert not [s for s in sigs if s.dim == "metrics" and s.weight < 0]


def test_a_plain_success_plan_scores_metrics_high_on_its_case(pack: Pack) -> None:
    answer = (
        "Before touching anything I'd check the twelve percent is real, by looking at photos that actually landed on "
        "our servers. Then I'd split it by phone and app version and put the start date beside the release log. If "
        "it's only the new Android build, I'd have engineers pull the failed uploads for that build and turn the old "
        "upload path back on from our side today. We'll call this done when Android photo uploads per weekly person "
        "are back to where they were before the release, and support tickets about battery mustn't climb while the "
        "stuck photos go through."
    )
    scores = {s.dimension: s.score for s in OfflineInterviewer().assess(ctx(pack, "uploads-drop", answer)).scores}
    assert scores["metrics"] >= 4


def test_a_harm_said_with_its_own_negation_is_measured_not_refused() -> None:
    sigs = [s for s in find_signals("Customers who get no cleaner never come back.") if s.dim == "metrics"]
    assert sigs and all(s.weight > 0 for s in sigs)


@pytest.mark.parametrize("said", ["Page views by themselves would flatter this launch.",
                                  "Installs on their own can't tell a keeper from a tourist."])
def test_a_volume_metric_judged_insufficient_is_turned_down_not_chosen(said: str) -> None:
    labels = {s.label: s.weight for s in find_signals(said) if s.dim == "metrics"}
    assert labels.get("rejected a vanity metric", 0) > 0 and all(w > 0 for w in labels.values()), labels


def test_a_volume_metric_chosen_still_counts_against() -> None:
    assert [s for s in find_signals("Our goal would be more installs next month.") if s.dim == "metrics" and s.weight < 0]



def _case_metric_labels(pack: Pack, case_id: str, text: str) -> set[str]:
    read = read_turn(text, 1, True, pack.case(case_id), pack)
    return {s.label for s in read.signals if s.dim == "metrics" and s.weight > 0}


def test_a_stop_rule_on_the_cases_own_measures_defines_success_and_a_guardrail(pack: Pack) -> None:
    said = ("Two weeks in, if paid orders in those cities aren't up, or the money we keep per order falls, I'd switch the "
            "new fee display off again.")
    assert {SUCCESS, GUARDRAIL} <= _metric_labels(said)
    assert {SUCCESS, GUARDRAIL} <= _case_metric_labels(pack, "checkout-fees", said)


@pytest.mark.parametrize(
    "said",
    [
        "If the bump for brand new learners fades after a few weeks, we'd go back to the old first lesson.",
        "Should the extra opens wear off by the second month, I'd return to the current number of pushes.",
    ],
)
def test_a_win_that_goes_away_is_a_stop_rule_on_success(said: str) -> None:
    assert SUCCESS in _metric_labels(said)


def test_a_stop_rule_on_something_the_case_never_names_holds_nothing(pack: Pack) -> None:
    said = "I'd stop the whole launch if the app's star rating slipped."
    assert GUARDRAIL in _metric_labels(said)  # the shape is a stop rule ...
    assert GUARDRAIL not in _case_metric_labels(pack, "friend-payments", said)  # ... on nothing of this case


@pytest.mark.parametrize(
    "said",
    [
        "I'd have someone pull the crash logs and see if failed uploads went up after the release.",  # looking, not a rule
        "Then pull it apart by country and check if card payments dropped.",
        # the users stop something, not the plan: "turn off" here is what readers do
        "If complaints rose after the change, that hurts, since readers who turn off alerts rarely come back.",
    ],
)
def test_looking_at_a_change_is_not_a_stop_rule(said: str) -> None:
    assert GUARDRAIL not in _metric_labels(said)


def test_a_go_rule_that_must_spare_something_defines_success_and_a_guardrail() -> None:
    said = "If new drivers sign up faster and it doesn't eat into what each of them earns, we roll it out to every city."
    assert {SUCCESS, GUARDRAIL} <= _metric_labels(said)


@pytest.mark.parametrize(
    "said",
    [
        # what must hold, said as a harm that does not happen in whatever words: slower, buried, lower
        "We'd switch the new ordering on for all if viewers return as often or more and the page isn't any slower.",
        "I'd ship the new matching once bookings come back and first-time customers aren't getting pushed aside.",
        "Scale it up if repeat orders rise and what each shopper pays doesn't end up noticeably higher.",
    ],
)
def test_a_go_rule_that_spares_a_named_measure_in_plain_words(said: str) -> None:
    assert {SUCCESS, GUARDRAIL} <= _metric_labels(said)


def test_shipping_because_one_number_went_up_is_not_a_success_criterion() -> None:
    # the naive rule a weak candidate gives: nothing must hold, so nothing was judged
    assert not {SUCCESS, GUARDRAIL} & _metric_labels("If the clicks go up after a week, we ship it.")


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("I'd pause the whole thing if chargebacks exceed what we budgeted for the quarter.", GUARDRAIL),
        ("I'd judge the whole pilot on bookings that actually get a cleaner inside a day.", SUCCESS),
    ],
)
def test_a_threshold_crossed_and_a_judgement_basis_are_read(said: str, label: str) -> None:
    assert label in _metric_labels(said)
