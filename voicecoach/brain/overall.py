"""The one overall score: a weighted mean of the dimension scores, where what the case barely tests counts half."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from voicecoach.content import Case
from voicecoach.model import Score

BARELY_WEIGHT = 0.5  # a dimension the case barely tests (Case.barely_tests) counts this much; every other counts 1
LOW_SCORE = 2  # a barely-tested dimension at or under this is worth telling the user it counted half


def weight(dimension: str, case: Case) -> float:
    """How much one dimension counts in this case's overall."""
    return BARELY_WEIGHT if dimension in case.barely_tests else 1.0


def overall_score(scores: Sequence[Score], case: Case) -> float:
    """The weighted mean of the scores, rounded to 2 decimals; the plain mean on a case that tests everything."""
    if not scores:
        return 0.0
    total = sum(weight(s.dimension, case) * s.score for s in scores)
    return round(total / sum(weight(s.dimension, case) for s in scores), 2)


def low_barely_tested(scores: Sequence[Score], case: Case) -> tuple[str, ...]:
    """The barely-tested dimensions that scored low, in rubric order."""
    return tuple(s.dimension for s in scores if s.dimension in case.barely_tests and s.score <= LOW_SCORE)


def counts_half_note(dimensions: Sequence[str], names: Mapping[str, str]) -> str:
    """"This case barely tests technical reasoning, so it counts half in the overall." ("" for none)."""
    if not dimensions:
        return ""
    said = " or ".join(names.get(d, d.replace("_", " ")) for d in dimensions)
    return f"This case barely tests {said}, so {'it counts' if len(dimensions) == 1 else 'they count'} half in the overall."


def half_clause(dimension: str, case: Case | None) -> str:
    """For a report's score row: "This case barely tests it, so it counts half in the overall." ("" otherwise)."""
    return counts_half_note([dimension], {dimension: "it"}) if case and dimension in case.barely_tests else ""
