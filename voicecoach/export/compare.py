"""A retake beside the attempt before it: scores and delivery before and after, and which earlier fixes were fixed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from html import escape

from voicecoach.content import Case, Pack
from voicecoach.export.fixes import FixOutcome, fix_outcomes, top_fixes
from voicecoach.export.summary import dimension_label, mmss, nice_date, session_delivery
from voicecoach.model import DIMENSIONS, Delivery, Session

PACE_BAND = (130.0, 160.0)  # words a minute an interviewer follows easily


@dataclass(frozen=True)
class Row:
    """One measure before and after; better is +1 when the change is an improvement, -1 when worse, 0 otherwise."""

    key: str
    label: str
    before: str
    after: str
    change: str
    better: int


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(key: str, label: str, before: float | None, after: float | None, digits: int, higher_is_better: bool) -> Row:
    """A row whose change is after minus before."""
    if before is None or after is None:
        return Row(key, label, _num(before, digits), _num(after, digits), "", 0)
    delta = round(after - before, digits)
    sign = 1 if delta > 0 else -1 if delta < 0 else 0
    return Row(
        key,
        label,
        _num(before, digits),
        _num(after, digits),
        f"{delta:+.{digits}f}" if sign else "same",
        sign if higher_is_better else -sign,
    )


def score_rows(before: Session, after: Session) -> list[Row]:
    """Overall, then each dimension either attempt was scored on, in rubric order."""
    rows = [_row("overall", "Overall", before.overall, after.overall, 1, True)]
    dims = {*before.scores, *after.scores}
    for dim in sorted(dims, key=lambda d: (DIMENSIONS.index(d) if d in DIMENSIONS else 99, d)):
        b, a = before.scores.get(dim), after.scores.get(dim)
        rows.append(_row(dim, dimension_label(dim), b.score if b else None, a.score if a else None, 0, True))
    return rows


def _off_pace(wpm: float) -> float:
    """How far a pace is outside the comfortable band."""
    low, high = PACE_BAND
    return max(low - wpm, wpm - high, 0.0)


def _per_minute(count: int, d: Delivery) -> float | None:
    return count / (d.speaking_s / 60.0) if d.speaking_s > 0 else None


def delivery_compare(before: Session, after: Session) -> list[Row]:
    """Delivery figures of both attempts; pace counts as better when it moved towards 130-160 words a minute."""
    b, a = session_delivery(before), session_delivery(after)
    pace = _row("words_per_minute", "Words per minute", b.words_per_minute, a.words_per_minute, 0, True)
    gain = _off_pace(b.words_per_minute) - _off_pace(a.words_per_minute)
    pace = Row(pace.key, pace.label, pace.before, pace.after, pace.change, 1 if gain > 0 else -1 if gain < 0 else 0)
    return [
        pace,
        _row(
            "fillers_per_minute",
            "Fillers a minute",
            _per_minute(b.filler_count, b),
            _per_minute(a.filler_count, a),
            1,
            False,
        ),
        _row("filler_count", "Fillers", b.filler_count, a.filler_count, 0, False),
        _row("hedges", "Hedges", sum(b.hedges.values()), sum(a.hedges.values()), 0, False),
        _row("long_pauses", "Pauses over 3 s", b.long_pauses, a.long_pauses, 0, False),
        Row("speaking_s", "Speaking time", mmss(b.speaking_s), mmss(a.speaking_s), "", 0),
        dataclasses.replace(
            _row("word_count", "Words", b.word_count, a.word_count, 0, True), better=0
        ),  # more is not better
    ]


def outcomes(before: Session, after: Session, case: Case | None, pack: Pack | None) -> list[FixOutcome]:
    """The earlier attempt's top fixes, each marked fixed or not in this attempt."""
    earlier, _ = top_fixes(before, case, pack)
    return fix_outcomes(earlier, before, after, case)


_CLASS = {1: "better", -1: "worse", 0: "same"}


def sentence(reason: str) -> str:
    """A reason closed with a full stop, unless a quote already ends it ("... started with.\u201d")."""
    return reason if reason.endswith((".", ".\u201d", "?\u201d", "!\u201d")) else reason + "."


def _table(rows: list[Row], head: str) -> str:
    cells = []
    for r in rows:
        cls = _CLASS[r.better]  # the colour says better or worse; the arrow says which way the figure moved
        arrow = "\u25b2" if r.change.startswith("+") else "\u25bc" if r.change.startswith("-") else ""
        cells.append(
            f'<tr data-key="{escape(r.key)}"><th>{escape(r.label)}</th><td class="before">{escape(r.before)}</td>'
            f'<td class="after">{escape(r.after)}</td><td class="change {cls}">{arrow} {escape(r.change)}</td></tr>'
        )
    return (
        f'<table class="compare"><tr><th>{escape(head)}</th><th>Before</th><th>After</th><th>Change</th></tr>'
        + "".join(cells)
        + "</table>"
    )


def compare_html(before: Session, after: Session, attempt: int, case: Case | None, pack: Pack | None) -> str:
    """The comparison section of a retake's report."""
    done = outcomes(before, after, case, pack)
    items = "".join(
        f'<li class="{"fixed" if o.fixed else "not-fixed"}" data-dimension="{escape(o.fix.dimension)}">'
        f"<strong>{'Fixed' if o.fixed else 'Not yet'}:</strong> {escape(dimension_label(o.fix.dimension))}"
        f" \u2014 {escape(sentence(o.reason))}</li>"
        for o in done
    )
    fixed = sum(o.fixed for o in done)
    summary = (
        f'<p>You fixed {fixed} of the {len(done)} things to fix first from last time.</p><ul class="outcomes">'
        f"{items}</ul>"
        if done
        else "<p>The earlier attempt had nothing marked to fix first.</p>"
    )
    return (
        '<section id="compare"><h2>Compared with your last attempt</h2>'
        f"<p>Attempt {attempt} of this case; the one before was session {escape(before.id)} on "
        f"{escape(nice_date(before.created_at))}.</p>"
        f"{summary}{_table(score_rows(before, after), 'Score')}{_table(delivery_compare(before, after), 'Delivery')}"
        "</section>"
    )
