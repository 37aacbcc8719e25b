"""Progress for people: plain-language trends, the terminal chart and the HTML page, all over the same window."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from voicecoach.export.assets import BASE_CSP
from voicecoach.export.progress_charts import overall_chart_svg, small_multiple_svg
from voicecoach.export.progress_model import Progress, Trend
from voicecoach.export.summary import dimension_label, nice_date

SPARKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
ARROWS = {1: "\u2191", -1: "\u2193", 0: "="}


def _fmt(v: float) -> str:
    """3.0 -> 3, 2.4 -> 2.4."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def window_phrase(k: int) -> str:
    """What the trends compare, in words: "your last five sessions against the five before"."""
    if k == 1:
        return "your last session against the one before"
    n = NUMBERS.get(k, str(k))
    return f"your last {n} sessions against the {n} before"


def _clause(t: Trend) -> str:
    label = dimension_label(t.dimension).lower()
    if t.direction > 0:
        return f"{label} rose from {_fmt(t.before)} to {_fmt(t.after)}"
    if t.direction < 0:
        return f"{label} fell from {_fmt(t.before)} to {_fmt(t.after)}"
    return f"{label} {'still' if t.after <= 2 else 'steady'} at {_fmt(t.after)}"


def next_line(prog: Progress) -> str | None:
    """The weakest dimension and the case that trains it, e.g. "Next: referral-credits works edge cases ..."."""
    weak = prog.weakest()
    if weak is None:
        return None
    dim, low = weak
    label = dimension_label(dim).lower()
    k = max(1, prog.window())
    where = "last time" if k == 1 else f"on average over your last {NUMBERS.get(k, str(k))} sessions"
    line = f"Work on next: {label} ({_fmt(low)} of 5 {where})."
    nc = prog.next_case
    if nc is None or nc.dimension != dim:
        return line
    times = f"practised {nc.practised} time{'s' if nc.practised != 1 else ''}"
    run = f" Run `voicecoach practice --case {nc.case}`."
    if nc.key_points:
        why = f"{nc.key_points} point{'s' if nc.key_points != 1 else ''} of its answer key are about {label}; {times}"
        return f"{line} Next: {nc.case} works {label} (\u201c{nc.title}\u201d: {why}).{run}"
    return f"{line} Next: {nc.case} (\u201c{nc.title}\u201d, {times}), with {label} in mind.{run}"


def trends(prog: Progress) -> list[str]:
    """Plain-language trends: the recent window against the one before it, then what to work on next."""
    n = len(prog.points)
    if n == 0:
        return ["No scored sessions yet; finish an interview to start tracking progress."]
    out: list[str] = []
    if n == 1:
        out.append("One scored session so far; practise again to see a trend.")
    else:
        overall = prog.overall_trend()
        clauses = [_clause(t) for t in ([overall] if overall else []) + prog.trends()]
        if clauses:
            out.append(f"Comparing {window_phrase(prog.window())}: " + "; ".join(clauses) + ".")
    nxt = next_line(prog)
    return [*out, nxt] if nxt else out


def sparkline(values: Sequence[float | None], low: float = 1, high: float = 5) -> str:
    """Unicode block sparkline; a dot where there is no value."""
    out = []
    for v in values:
        if v is None:
            out.append("\u00b7")
        else:
            out.append(SPARKS[round((min(max(v, low), high) - low) / (high - low) * (len(SPARKS) - 1))])
    return "".join(out)


def format_progress_terminal(prog: Progress, width: int = 30) -> str:
    """Sparklines of the last `width` sessions, the latest score, and the trend arrow over the same window as the text."""
    if not prog.points:
        return trends(prog)[0]
    pts = prog.points[-width:]
    first, last = nice_date(pts[0].created_at), nice_date(pts[-1].created_at)
    n = len(prog.points)
    span = first if first == last else f"{first} to {last}"
    title = f"Progress{f' ({prog.pack})' if prog.pack else ''}: {n} scored session{'s' if n != 1 else ''}, {span}"
    by_dim = {t.dimension: t for t in prog.trends()}
    rows: list[tuple[str, str, str, str]] = []
    overall = [p.overall for p in pts]
    if any(v is not None for v in overall):
        spark = sparkline(overall)
        latest = next((f"{v:.1f}" for v in reversed(overall) if v is not None), "-")
        t = prog.overall_trend()
        change = f"{ARROWS[t.direction]} {_fmt(t.before)} \u2192 {_fmt(t.after)}" if t else ""
        rows.append(("Overall", spark, latest, change))
    for dim in prog.dimensions:
        values = prog.series(dim)[-width:]
        known = [v for v in values if v is not None]
        t = by_dim.get(dim)
        change = f"{ARROWS[t.direction]} {_fmt(t.before)} \u2192 {_fmt(t.after)}" if t else ""
        rows.append((dimension_label(dim), sparkline(values), str(known[-1]) if known else "-", change))
    w = max(len(r[0]) for r in rows)
    lines = [title, ""]
    if prog.window():
        lines += [f"Arrows compare {window_phrase(prog.window())} (mean scores).", ""]
    lines += [
        f"  {name.ljust(w)}  {spark.ljust(len(pts))}  {score:>3}  {change}".rstrip()
        for name, spark, score, change in rows
    ]
    return "\n".join([*lines, "", *trends(prog)])


STYLE = (
    "body{font-family:system-ui,sans-serif;color:#111827;max-width:900px;margin:0 auto;padding:24px}"
    "table{border-collapse:collapse;margin-top:1em}th,td{border:1px solid #e5e7eb;padding:4px 8px}"
    ".multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px}"
    ".sessions td:nth-child(2){white-space:nowrap}"
    ".next{background:#ecfdf5;border-left:4px solid #10b981;padding:8px 12px}"
)


def progress_html(prog: Progress) -> str:
    """A self-contained HTML page: the overall chart with the spread band, one small chart per dimension, trends."""
    created = [p.created_at for p in prog.points]
    overall = overall_chart_svg(created, [p.overall for p in prog.points], prog.spread())
    multiples = "".join(small_multiple_svg(d, created, prog.series(d)) for d in prog.dimensions)
    head = "".join(f"<th>{escape(dimension_label(d))}</th>" for d in prog.dimensions)
    rows = "".join(
        f'<tr><td>{i}</td><td>{escape(nice_date(p.created_at).removesuffix(" UTC"))}</td><td title="{escape(p.case)}">'
        f"{escape(p.case_title or p.case)}</td>"
        + "".join(f"<td>{p.scores.get(d, '')}</td>" for d in prog.dimensions)
        + f"<td>{'' if p.overall is None else f'{p.overall:.1f}'}</td></tr>"
        for i, p in enumerate(prog.points, 1)
    )
    title = "Interview practice progress" + (f": {prog.pack}" if prog.pack else "")
    said = trends(prog)
    nxt = next_line(prog)
    trend = "".join(
        f'<p class="next" id="next">{escape(t)}</p>' if t == nxt else f'<p class="trend">{escape(t)}</p>' for t in said
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{BASE_CSP}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f'{trend}<div id="progress-chart"><h2>Overall</h2>{overall}<h2>Each dimension</h2>'
        f'<div class="multiples">{multiples}</div></div>'
        f'<h2>Sessions</h2><table class="sessions"><tr><th>#</th><th>Date</th><th>Case</th>{head}<th>Overall</th></tr>'
        f"{rows}</table>"
        "</body></html>\n"
    )
