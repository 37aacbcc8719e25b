"""What to fix first: the session's own fixes, or up to three derived from its weakest scores and the answer key."""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicecoach.content import Case, KeyPoint, Pack
from voicecoach.export.summary import dimension_label
from voicecoach.model import DIMENSIONS, Evidence, Fix, Session, Turn

MAX_FIXES = 3
WEAK_BELOW = 4  # a dimension scored under this is worth a fix
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def key_point_made(point: KeyPoint, turns: list[Turn]) -> Evidence | None:
    """Where the candidate makes the point: a sentence (or two in a row) of a candidate turn, else None."""
    for index, turn in enumerate(turns):
        if turn.role != "candidate":
            continue
        said = sentences(turn.text)
        for i, one in enumerate(said):
            if point.made_in(one):
                return Evidence(one, index)
            if i + 1 < len(said) and point.made_in(f"{one} {said[i + 1]}"):
                return Evidence(f"{one} {said[i + 1]}", index)
    return None


def _order(dim: str) -> int:
    """Rubric order, unknown dimensions last."""
    return DIMENSIONS.index(dim) if dim in DIMENSIONS else len(DIMENSIONS)


def _key_point_for(case: Case | None, dim: str, turns: list[Turn]) -> KeyPoint | None:
    """The first point of the answer key on this dimension that the answer does not make (else its first point)."""
    points = [kp for kp in (case.answer_key if case else ()) if kp.dimension == dim]
    missing = [kp for kp in points if key_point_made(kp, turns) is None]
    chosen = missing or points
    return chosen[0] if chosen else None


def _descriptor(pack: Pack | None, dim: str) -> str:
    """What a 5 looks like on this dimension, from the pack's rubric."""
    if pack is None:
        return ""
    try:
        return pack.dimension(dim).descriptors.get(5, "")
    except KeyError:
        return ""


def derive_fixes(session: Session, case: Case | None, pack: Pack | None) -> list[Fix]:
    """Up to three fixes for the weakest dimensions the case tests (then those it barely tests), in the case's own
    terms where the case has an answer key."""
    barely = case.barely_tests if case is not None else ()
    weak = sorted(  # what the case tests first: a dimension it barely tests counts half in the overall
        (s for s in session.scores.values() if s.score < WEAK_BELOW),
        key=lambda s: (s.dimension in barely, s.score, _order(s.dimension)),
    )
    fixes: list[Fix] = []
    for score in weak[:MAX_FIXES]:
        dim = score.dimension
        point = _key_point_for(case, dim, session.turns)
        why = f"{dimension_label(dim)} scored {score.score} of 5. {score.rationale.strip()}".strip()
        if point is not None:
            why += f" A strong answer here {_lower_first(point.point)}"
            stronger = point.stronger
        else:
            five = _descriptor(pack, dim)
            stronger = f"What a 5 sounds like: {_lower_first(five)}" if five else ""
        ev = score.evidence[0] if score.evidence else None
        fixes.append(
            Fix(
                dimension=dim,
                why=_sentence(why),
                stronger=stronger,
                quote=ev.quote if ev else "",
                turn=ev.turn if ev else None,
                key_point=point.id if point else "",
            )
        )
    return fixes


def top_fixes(session: Session, case: Case | None, pack: Pack | None) -> tuple[list[Fix], bool]:
    """The fixes to show (at most three) and whether they were derived here rather than saved by the grader."""
    if session.fixes:
        return list(session.fixes[:MAX_FIXES]), False
    return derive_fixes(session, case, pack), True


@dataclass(frozen=True)
class FixOutcome:
    """Whether a fix from the earlier attempt was fixed in this one, and the sign of it."""

    fix: Fix
    fixed: bool
    reason: str
    evidence: Evidence | None = None  # where the key point is now made


def fix_outcomes(earlier: list[Fix], before: Session, after: Session, case: Case | None) -> list[FixOutcome]:
    """For each earlier fix: fixed when its key point is now made or its dimension rose."""
    points = {kp.id: kp for kp in (case.answer_key if case else ())}
    out: list[FixOutcome] = []
    for fix in earlier:
        label = dimension_label(fix.dimension).lower()
        was = before.scores.get(fix.dimension)
        now = after.scores.get(fix.dimension)
        point = points.get(fix.key_point)
        made = key_point_made(point, after.turns) if point is not None else None
        if made is not None:
            out.append(FixOutcome(fix, True, f"you made the point this time: \u201c{made.quote}\u201d", made))
        elif was is not None and now is not None and now.score > was.score:
            out.append(FixOutcome(fix, True, f"{label} rose from {was.score} to {now.score}"))
        elif now is None:
            out.append(FixOutcome(fix, False, f"{label} was not scored this time"))
        else:
            moved = "fell" if was is not None and now.score < was.score else "still"
            detail = f"from {was.score} to {now.score}" if moved == "fell" and was else f"at {now.score}"
            missing = " and the point is still missing" if point is not None else ""
            out.append(FixOutcome(fix, False, f"{label} {moved} {detail}{missing}"))
    return out


def _lower_first(text: str) -> str:
    """Text with its first letter lower-cased, to follow on from a clause."""
    text = text.strip()
    return text[:1].lower() + text[1:] if text[1:2].islower() else text  # "DAU ..." keeps its capitals


def _sentence(text: str) -> str:
    """Text ending with a full stop."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."
