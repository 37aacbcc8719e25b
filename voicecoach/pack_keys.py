"""Load and validate a case's answer key: the points a strong answer makes on this case, and how each is spotted."""

from __future__ import annotations

from typing import Any

from voicecoach.content import KeyPoint, anchor_text, term_in
from voicecoach.model import DIMENSIONS
from voicecoach.pack_file import KEBAB, PackFile

KEY_POINT_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "dimension": (str, True),
    "point": (str, True),
    "anchors": (list, True),
    "stronger": (str, True),
}
KEY_DIMENSIONS = tuple(d for d in DIMENSIONS if d != "follow_up")  # follow_up is about probes, not the case
KEY_POINTS = (5, 10)  # fewest and most points in a case's answer key
KEY_MIN_DIMENSIONS = 4
# Rubric words any answer to any case can say. A point whose every anchor group holds one of them cannot tell
# an answer applied to this case from a recited list, so each point needs one group free of them.
_GENERIC_WORDS = """
metric*, kpi*, north star, okr*, success, baseline, vanity, segment*, cohort*, platform*, version*, region*,
country, countries, rollout*, roll out, rolling out, staged, phased, canary, launch*, guardrail*,
counter metric*, kill switch*, feature flag*, fallback*, rate limit*, a/b, ab test*, split test*,
experiment*, holdout*, hypothes*, significan*, sample size*, fraud*, abuse*, edge case*, risk*, mitigat*,
scale, scalab*, retry, retries, retention, engagement, engaged, churn*, growth, revenue, conversion*,
funnel*, trade off*, tradeoff*, priorit*, stakeholder*, impact, root cause*, framework*, data, dashboard*,
logging, tracking, instrument*, monitor*, alert*, user, users, customer*, speed, quality, mvp,
minimum viable
"""
GENERIC = frozenset(term.strip() for term in _GENERIC_WORDS.split(","))


def generic_term(term: str) -> bool:
    """Whether an anchor term is (or holds, or abbreviates) a rubric word from GENERIC rather than a thing of the case."""
    body = anchor_text(term.rstrip("*"))
    if any(term_in(g, body) for g in GENERIC):
        return True
    return term.endswith("*") and any(anchor_text(g.rstrip("*")).startswith(body[:-1]) for g in GENERIC)


def _anchors(f: PackFile, raw: list[Any], where: str, line: int | None) -> tuple[tuple[str, ...], ...]:
    """A non-empty list of non-empty groups of lower-case terms, one group free of generic rubric words."""
    shape = 'write anchors = [["a case term", "another wording"], ["the move", ...]]'
    if not raw or not all(isinstance(g, list) and g for g in raw):
        raise f.error(where, "'anchors' must be a non-empty list of non-empty lists of terms", shape, line=line)
    groups: list[tuple[str, ...]] = []
    for group in raw:
        terms = tuple(f.text_value(t, where, "anchors", line=line) for t in group)
        for t in terms:
            if t != t.lower() or t != t.strip() or not anchor_text(t.rstrip("*")).strip() or "*" in t.rstrip("*"):
                raise f.error(
                    where,
                    f"anchor term {t!r} is not a lower-case word or phrase (a '*' only at its end)",
                    'write it in lower case with letters or digits, e.g. "android", "5.2", "rollback*"',
                    line=line,
                )
            if t.endswith("*") and len(anchor_text(t[:-1]).strip()) < 3:
                raise f.error(
                    where, f"prefix term {t!r} is too short", "give at least 3 characters before '*'", line=line
                )
        groups.append(terms)
    if all(any(generic_term(t) for t in g) for g in groups):
        raise f.error(
            where,
            "every anchor group holds a generic rubric word, so any answer to any case could make this point",
            "add a group made only of this case's own things (its product, users, platforms, numbers, facts)",
            line=line,
        )
    return tuple(groups)


def _key_point(f: PackFile, raw: dict[str, Any], n: int, case_where: str) -> KeyPoint:
    """One [[answer_key]] entry of a case."""
    where = f"{case_where} [[answer_key]] #{n} ({raw.get('id', 'no id')})"

    def at(key: str | None) -> int | None:
        return f.line_in("answer_key", n, key)

    f.check_keys(raw, KEY_POINT_KEYS, where, at)
    point_id = f.text_value(raw["id"], where, "id", line=at("id"))
    if not KEBAB.match(point_id):
        raise f.error(where, f"id {point_id!r} is not kebab-case", "use lowercase words joined by -", line=at("id"))
    dimension = f.text_value(raw["dimension"], where, "dimension", line=at("dimension"))
    if dimension not in KEY_DIMENSIONS:
        raise f.error(
            where,
            f"dimension {dimension!r} is not one a key point can show",
            f"use one of {', '.join(KEY_DIMENSIONS)} (follow_up is judged from the probes, not the key)",
            line=at("dimension"),
        )
    key = KeyPoint(
        id=point_id,
        dimension=dimension,
        point=f.text_value(raw["point"], where, "point", line=at("point")),
        anchors=_anchors(f, raw["anchors"], where, at("anchors")),
        stronger=f.text_value(raw["stronger"], where, "stronger", line=at("stronger")),
    )
    if not key.made_in(key.stronger):
        missing = [g for g in key.anchors if not any(term_in(t, anchor_text(key.stronger)) for t in g)]
        raise f.error(
            where,
            f"'stronger' does not make its own point: it holds no term of the anchor group {list(missing[0])}",
            "say the point in the sentence with one of those terms, or add the sentence's wording to that group",
            line=at("stronger"),
        )
    return key


def answer_key(f: PackFile, raw: list[Any], where: str) -> tuple[KeyPoint, ...]:
    """A case's [[answer_key]] tables: 5 to 10 points with unique ids over at least 4 dimensions."""
    points = tuple(_key_point(f, t, n, where) for n, t in enumerate(f.tables(raw, where, "answer_key"), 1))
    low, high = KEY_POINTS
    if not low <= len(points) <= high:
        raise f.error(
            where,
            f"the answer key has {len(points)} points; it needs {low} to {high}",
            "write the points a strong answer makes on this case, one [[answer_key]] table each",
            line=f.line_in("answer_key", 1),
        )
    seen: set[str] = set()
    for n, p in enumerate(points, 1):
        if p.id in seen:
            raise f.error(
                where,
                f"answer_key id {p.id!r} is used twice",
                "give each point its own id",
                line=f.line_in("answer_key", n, "id"),
            )
        seen.add(p.id)
    dims = sorted({p.dimension for p in points})
    if len(dims) < KEY_MIN_DIMENSIONS:
        raise f.error(
            where,
            f"the answer key covers only {len(dims)} dimension{'s' * (len(dims) > 1)} ({', '.join(dims)})",
            f"cover at least {KEY_MIN_DIMENSIONS} of {', '.join(KEY_DIMENSIONS)}",
            line=f.line_in("answer_key", 1),
        )
    return points
