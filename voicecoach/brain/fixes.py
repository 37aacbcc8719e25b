"""What to fix first: at most three fixes, most costly first, each with its verbatim quote and a stronger version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from voicecoach.brain.analysis import Reading, short_quote
from voicecoach.brain.evidence import locate
from voicecoach.brain.feedback import NEEDS
from voicecoach.brain.keypoints import missed_points
from voicecoach.brain.reading import TurnReading
from voicecoach.content import Case, KeyPoint
from voicecoach.model import Fix, Score, Turn

MAX_FIXES = 3
RECITED = "You listed techniques without applying them; say which one you'd use here, on what, and why."
OFF_TOPIC = "That answer was about something other than the question, so it earned nothing; answer the case first."
_GENERIC_STRONGER: dict[str, str] = {
    "clarify": "Before I propose anything, I'd pin down what exactly changed, for whom, and since when.",
    "metrics": "I'd call it a success when one outcome number is back to its baseline, with a guardrail on what could "
    "get worse.",
    "technical": "I'd trace where it fails end to end, from the phone through the service behind it, before choosing "
    "a fix.",
    "edge_cases": "I'd ask what happens when it fails halfway, how someone could abuse it, and how we'd catch both.",
    "tradeoffs": "I'd do the smallest safe thing first and deliberately not start anything else, because of what it "
    "costs.",
    "data": "I'd pull the one cut of the data that separates my explanations, and say what result would change my "
    "plan.",
    "follow_up": "When I'm probed, I answer in one sentence first, then say what it changes in my plan.",
}


def stronger_for(case: Case, dim: str, made: set[str]) -> tuple[str, str]:
    """(a stronger sentence for dim in the case's own terms, the key point's id): a missed key point first."""
    for kp in case.answer_key:
        if kp.dimension == dim and kp.id not in made:
            return kp.stronger, kp.id
    for kp in case.answer_key:
        if kp.dimension == dim:
            return kp.stronger, kp.id
    return _GENERIC_STRONGER.get(dim, _GENERIC_STRONGER["follow_up"]), ""


def _located(quote: str, turns: Sequence[Turn]) -> tuple[str, int | None]:
    ev = locate(quote, turns) if quote else None
    return (ev.quote, ev.turn) if ev is not None else ("", None)


def what_to_fix(
    scores: Sequence[Score],
    readings: Mapping[str, Reading],
    turn_readings: Sequence[TurnReading],
    case: Case,
    turns: Sequence[Turn],
    names: Mapping[str, str],
) -> tuple[Fix, ...]:
    """The costliest problems first: an off-topic or recited answer, something said against a dimension, then the
    case's key points never made on the weakest dimensions; what the case barely tests comes after what it tests."""
    by_dim = {s.dimension: s.score for s in scores}
    made = {m.point.id for r in turn_readings for m in r.made}
    found: list[tuple[float, Fix]] = []
    for r in turn_readings:
        if r.off_topic and r.turn < len(turns):
            quote, turn = _located(short_quote(turns[r.turn].text, 12), turns)
            stronger, kid = stronger_for(case, "clarify", made) if case.answer_key else (case.question, "")
            found.append((30.0, Fix("clarify", OFF_TOPIC, stronger, quote, turn, kid)))
        if r.recitation.found:
            dims = sorted(r.recitation.dims, key=lambda d: by_dim.get(d, 5))
            if dims:
                quote, turn = _located(short_quote(r.recitation.terms[0].quote, 14), turns)
                stronger, kid = stronger_for(case, dims[0], made)
                cost = sum(5 - by_dim.get(d, 5) for d in dims) + (5.0 if r.recitation.whole else 0.0)
                found.append((cost, Fix(dims[0], RECITED, stronger, quote, turn, kid)))
    for dim, reading in readings.items():
        for sig in reading.negatives[:1]:
            quote, turn = _located(sig.quote, turns)
            stronger, kid = stronger_for(case, dim, made)
            why = f"It costs {names.get(dim, dim)} points: you {_as_you(sig.label)}."
            found.append((5 - by_dim.get(dim, 5) + abs(sig.weight), Fix(dim, why, stronger, quote, turn, kid)))
    for kp in _missed_by_weakness(case, made, by_dim):
        why = f"{names.get(kp.dimension, kp.dimension).capitalize()} stayed weak: a strong answer here {_lower(kp.point)}"
        found.append((5 - by_dim.get(kp.dimension, 5) - 0.5, Fix(kp.dimension, why, kp.stronger, "", None, kp.id)))
    for score in scores:  # a weak dimension with nothing above: what it needs, on the thinnest thing said about it
        if score.score <= 3 and score.dimension != "follow_up":
            stronger, kid = stronger_for(case, score.dimension, made)
            quote, turn = (score.evidence[0].quote, score.evidence[0].turn) if score.evidence else ("", None)
            why = f"{names.get(score.dimension, score.dimension).capitalize()} was thin: a five needs {NEEDS[score.dimension]}."
            found.append((5 - score.score - 1.0, Fix(score.dimension, why, stronger, quote, turn, kid)))
    return _top(found, case.barely_tests)


def _missed_by_weakness(case: Case, made: set[str], by_dim: Mapping[str, int]) -> list[KeyPoint]:
    """Missed key points on dimensions scored 3 or less, weakest dimension first."""
    missed = [kp for kp in missed_points(case, ()) if kp.id not in made and by_dim.get(kp.dimension, 5) <= 3]
    return sorted(missed, key=lambda kp: by_dim.get(kp.dimension, 5))


def _top(found: list[tuple[float, Fix]], barely: Sequence[str]) -> tuple[Fix, ...]:
    """Dimensions the case tests before those it barely tests (they count half), then most costly first; one fix per
    dimension, at most MAX_FIXES."""
    out: list[Fix] = []
    for _, fix in sorted(found, key=lambda cf: (cf[1].dimension in barely, -cf[0])):
        if all(f.dimension != fix.dimension for f in out):
            out.append(fix)
        if len(out) == MAX_FIXES:
            break
    return tuple(out)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _as_you(label: str) -> str:
    """An against-signal's label as something "you" did ("left the technical side to others")."""
    if label.startswith("said they would not: "):
        return f"said you wouldn't do it ({label.removeprefix('said they would not: ')})"
    return label.replace("a vanity metric", "leaned on a vanity metric")
