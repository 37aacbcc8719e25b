"""Past sessions: the sessions table, progress per rubric dimension over time, charts and plain-language trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from voicecoach.export.charts import progress_chart_svg
from voicecoach.export.html import CSP
from voicecoach.export.summary import dimension_label, mmss, nice_date
from voicecoach.model import DIMENSIONS
from voicecoach.store import SessionStore

SPARKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}


def session_rows(store: SessionStore) -> list[dict[str, Any]]:
    """One row per saved session, newest first: id, date, pack, case, status, overall, length."""
    rows = []
    for s in store.list():
        rows.append(
            {
                "id": s.id,
                "date": nice_date(s.created_at),
                "created_at": s.created_at,
                "pack": s.pack,
                "case": s.case,
                "status": s.status,
                "overall": s.overall,
                "answers": sum(1 for t in s.turns if t.role == "candidate" and t.kind == "answer"),
                "length_s": round(s.elapsed_s(), 2),
                "length": mmss(s.elapsed_s()),
            }
        )
    rows.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    return rows


def format_sessions_table(rows: list[dict[str, Any]]) -> str:
    """The rows as an aligned plain-text table."""
    if not rows:
        return "No sessions yet."
    head = ("ID", "DATE", "PACK", "CASE", "STATUS", "SCORE", "LENGTH")
    body = [
        (
            r["id"],
            r["date"],
            r["pack"],
            r["case"],
            r["status"],
            f"{r['overall']:.1f}" if r["overall"] is not None else "-",
            r["length"],
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *body]]
    return "\n".join(lines)


@dataclass(frozen=True)
class ProgressPoint:
    """One scored session on the progress chart."""

    session_id: str
    created_at: str
    case: str
    overall: float | None
    scores: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """Scored sessions, oldest first, and the dimensions they were scored on."""

    pack: str | None
    points: tuple[ProgressPoint, ...]
    dimensions: tuple[str, ...]

    def series(self, dimension: str) -> list[int | None]:
        """The dimension's score in each session (None where it was not scored)."""
        return [p.scores.get(dimension) for p in self.points]


def progress(store: SessionStore, pack: str | None = None) -> Progress:
    """Every scored session (of one pack, if given), oldest first."""
    sessions = [s for s in store.list() if s.scores and (pack is None or s.pack == pack)]
    sessions.sort(key=lambda s: (s.created_at, s.id))
    points = tuple(
        ProgressPoint(s.id, s.created_at, s.case, s.overall, {k: v.score for k, v in s.scores.items()})
        for s in sessions
    )
    seen = {d for p in points for d in p.scores}
    dims = tuple(d for d in DIMENSIONS if d in seen) + tuple(sorted(seen - set(DIMENSIONS)))
    return Progress(pack, points, dims)


def sparkline(values: list[int | None], low: float = 1, high: float = 5) -> str:
    """Unicode block sparkline; a dot where there is no value."""
    out = []
    for v in values:
        if v is None:
            out.append("\u00b7")
        else:
            out.append(SPARKS[round((min(max(v, low), high) - low) / (high - low) * (len(SPARKS) - 1))])
    return "".join(out)


def trends(prog: Progress, last: int = 5) -> list[str]:
    """Plain-language trends over the last few sessions, e.g. "metrics rose from 2 to 4"."""
    n = len(prog.points)
    if n == 0:
        return ["No scored sessions yet; finish an interview to start tracking progress."]
    if n == 1:
        return ["One scored session so far; practise again to see a trend."]
    window = prog.points[-last:]
    clauses = []
    for dim in prog.dimensions:
        values = [p.scores[dim] for p in window if dim in p.scores]
        if len(values) < 2:
            continue
        label = dimension_label(dim).lower()
        first, latest = values[0], values[-1]
        if latest > first:
            clauses.append(f"{label} rose from {first} to {latest}")
        elif latest < first:
            clauses.append(f"{label} fell from {first} to {latest}")
        else:
            clauses.append(f"{label} {'still' if latest <= 2 else 'steady'} at {latest}")
    count = NUMBERS.get(len(window), str(len(window)))
    out = [f"Over your last {count} sessions: " + "; ".join(clauses) + "."] if clauses else []
    latest_scores = prog.points[-1].scores
    if latest_scores:
        weakest = min(latest_scores.values())
        names = [dimension_label(d).lower() for d, v in latest_scores.items() if v == weakest]
        out.append(f"Work on next: {', '.join(names)} ({weakest} of 5 last time).")
    return out


def format_progress_terminal(prog: Progress, width: int = 30) -> str:
    """A compact chart: one sparkline per dimension (last `width` sessions), latest score, change, trends."""
    if not prog.points:
        return trends(prog)[0]
    pts = prog.points[-width:]
    first, last = nice_date(pts[0].created_at), nice_date(pts[-1].created_at)
    n = len(prog.points)
    span = first if first == last else f"{first} to {last}"
    title = f"Progress{f' ({prog.pack})' if prog.pack else ''}: {n} scored session{'s' if n != 1 else ''}, {span}"
    rows: list[tuple[str, str, str, str]] = []
    for dim in prog.dimensions:
        values = prog.series(dim)[-width:]
        known = [v for v in values if v is not None]
        change = ""
        if len(known) >= 2 and known[-1] != known[0]:
            change = ("\u2191" if known[-1] > known[0] else "\u2193") + f" from {known[0]}"
        rows.append((dimension_label(dim), sparkline(values), str(known[-1]) if known else "-", change))
    overall = [p.overall for p in pts]
    if any(v is not None for v in overall):
        spark = sparkline([round(v) if v is not None else None for v in overall])
        latest = next((f"{v:.1f}" for v in reversed(overall) if v is not None), "-")
        rows.append(("Overall", spark, latest, ""))
    w = max(len(r[0]) for r in rows)
    lines = [title, ""] + [
        f"  {name.ljust(w)}  {spark.ljust(len(pts))}  {score:>3}  {change}".rstrip()
        for name, spark, score, change in rows
    ]
    return "\n".join([*lines, "", *trends(prog)])


def progress_html(prog: Progress) -> str:
    """A self-contained HTML page: the SVG progress chart, the trends and the scores table."""
    labels = [nice_date(p.created_at)[:10] for p in prog.points]
    chart = progress_chart_svg(labels, {d: prog.series(d) for d in prog.dimensions})
    head = "".join(f"<th>{escape(dimension_label(d))}</th>" for d in prog.dimensions)
    rows = "".join(
        f"<tr><td>{escape(nice_date(p.created_at))}</td><td>{escape(p.case)}</td>"
        + "".join(f"<td>{p.scores.get(d, '')}</td>" for d in prog.dimensions)
        + f"<td>{'' if p.overall is None else f'{p.overall:.1f}'}</td></tr>"
        for p in prog.points
    )
    title = "Interview practice progress" + (f": {prog.pack}" if prog.pack else "")
    trend = "".join(f"<p>{escape(t)}</p>" for t in trends(prog))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;color:#111827;max-width:900px;margin:0 auto;padding:24px}"
        "table{border-collapse:collapse;margin-top:1em}th,td{border:1px solid #e5e7eb;padding:4px 8px}"
        f"</style></head><body><h1>{escape(title)}</h1>{chart}{trend}"
        f"<table><tr><th>Date</th><th>Case</th>{head}<th>Overall</th></tr>{rows}</table></body></html>\n"
    )
