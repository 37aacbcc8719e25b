"""The quality bar: the offline interviewer against hand-labelled spoken answers (tests/labelled_answers.toml)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from voicecoach.content import Pack
from voicecoach.model import DIMENSIONS
from voicecoach.packs import load_pack

REPO = Path(__file__).resolve().parents[1]
BAR = 85.0  # the test fails below this; the target reported by the bench is 90


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("offline_quality", REPO / "bench" / "offline_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["offline_quality"] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.fixture(scope="module")
def pack() -> Pack:
    """The real pack."""
    return load_pack("pm-execution")


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    """The labelled answers."""
    return bench.load_items()  # type: ignore[no-any-return]


HELD_OUT_FLOOR = 65.0  # first follow-ups on the held-out answers: a regression floor, not the target


@pytest.fixture(scope="module")
def result(pack: Pack, items: list[dict[str, Any]]) -> Any:
    """One run of the interviewer over the whole set."""
    return bench.evaluate(pack, items)


@pytest.fixture(scope="module")
def tuning(pack: Pack, items: list[dict[str, Any]]) -> Any:
    """The run over the answers the grader was developed against."""
    return bench.evaluate(pack, [i for i in items if i.get("set") != "holdout"])


@pytest.fixture(scope="module")
def held_out(pack: Pack, items: list[dict[str, Any]]) -> Any:
    """The run over the answers written after tuning (see docs/offline_interviewer.md)."""
    return bench.evaluate(pack, [i for i in items if i.get("set") == "holdout"])


def test_the_set_is_big_and_spread(pack: Pack, items: list[dict[str, Any]]) -> None:
    answers = [i for i in items if i["kind"] == "answer"]
    assert len(answers) >= 40
    assert {i["case"] for i in items} == {c.id for c in pack.cases}, "every pack case has labelled answers"
    labelled = {d for i in answers for d in (*i["weak"], *i["strong"])}
    assert labelled == set(DIMENSIONS)
    for dim in DIMENSIONS:
        assert any(dim in i["weak"] for i in answers), f"no weak answer for {dim}"
        assert any(dim in i["strong"] for i in answers), f"no strong answer for {dim}"
    assert sum(1 for i in items if i["kind"] == "clarification") >= 10
    for i in answers:
        assert not set(i["weak"]) & set(i["strong"]), i["id"]
        assert "\n-" not in i["text"] and "*" not in i["text"], "written as speech, not bullet points"


def test_labels_met_at_least_85_percent(result: Any) -> None:
    pct = result.pct(result.labels_met, result.labels_total)
    assert pct >= BAR, f"{pct:.1f}% of labels met:\n" + "\n".join(result.misses)


def test_labels_met_at_least_85_percent_on_held_out_answers(held_out: Any) -> None:
    pct = held_out.pct(held_out.labels_met, held_out.labels_total)
    assert pct >= BAR, f"{pct:.1f}% of held-out labels met:\n" + "\n".join(held_out.misses)


def test_first_follow_up_hits_a_weak_dimension_at_least_85_percent(tuning: Any, held_out: Any) -> None:
    # The 85% bar holds on the labelled set the grader was built against; the held-out answers (where single-gap
    # strong answers expose ties the labels don't resolve) have a lower regression floor. Both are in the docs.
    pct = tuning.pct(tuning.first_hit, tuning.first_total)
    assert pct >= BAR, f"{pct:.1f}% first follow-ups on a weak dimension:\n" + "\n".join(tuning.misses)
    held = held_out.pct(held_out.first_hit, held_out.first_total)
    assert held >= HELD_OUT_FLOOR, f"{held:.1f}% on held-out answers:\n" + "\n".join(held_out.misses)


def test_clarifying_questions_recognised_and_answered(result: Any) -> None:
    assert result.pct(result.clar_right, result.clar_total) >= 95.0, "\n".join(result.misses)
    assert result.pct(result.reveal_right, result.reveal_total) >= 90.0, "\n".join(result.misses)


def test_grading_is_fast(result: Any) -> None:
    ordered = sorted(result.grade_ms)
    assert ordered[len(ordered) // 2] < 100.0
