"""Progress charts as inline SVG: the overall score with the spread of the dimensions, and one small chart per dimension.

Sessions sit at even steps on the x axis (session number), so many sessions on one day never pile up;
dates are printed only where a new day starts and there is room for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from voicecoach.export.summary import dimension_label

FONT = 'font-family="system-ui, sans-serif"'
MIN_LABEL_GAP_PX = 64.0  # a date label is about 40 px wide at 11 px; keep a gap so none touch


def short_date(created_at: str) -> str:
    """2026-11-30T04:00:00+00:00 -> 30 Nov; text that is not a date comes back cut to ten characters."""
    try:
        return datetime.fromisoformat(created_at).strftime("%d %b").lstrip("0")
    except ValueError:
        return created_at[:10]


def date_labels(created: Sequence[str], xs: Sequence[float], min_gap: float = MIN_LABEL_GAP_PX) -> list[int]:
    """Indexes of the sessions whose date is printed: the first of each day, never closer than min_gap."""
    out: list[int] = []
    last_day, last_x = None, float("-inf")
    for i, (when, x) in enumerate(zip(created, xs, strict=True)):
        day = when[:10]
        if day != last_day and x - last_x >= min_gap:
            out.append(i)
            last_x = x
        last_day = day
    return out


def _x_axis(n: int, left: float, plot_w: float) -> list[float]:
    """x of each session: even steps across the plot (one session sits in the middle)."""
    if n <= 1:
        return [left + plot_w / 2]
    return [left + plot_w * i / (n - 1) for i in range(n)]


def _y(score: float, top: float, plot_h: float) -> float:
    return top + plot_h * (5 - score) / 4


def _points(
    values: Sequence[float | None], xs: Sequence[float], top: float, plot_h: float
) -> list[list[tuple[int, float, float]]]:
    """(index, x, y) of each known value, in runs broken where a session has no value (a gap, not a line across)."""
    runs: list[list[tuple[int, float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((i, xs[i], _y(v, top, plot_h)))
    return runs


def _polylines(runs: Sequence[Sequence[tuple[int, float, float]]], head: str, style: str) -> list[str]:
    """One SVG polyline per run of two or more points (a lone point is drawn by its circle only)."""
    return [
        f'<polyline {head} points="{" ".join(f"{x:.1f},{y:.1f}" for _, x, y in run)}" {style}/>'
        for run in runs
        if len(run) > 1
    ]


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def overall_chart_svg(
    created: Sequence[str],
    overall: Sequence[float | None],
    spread: Sequence[tuple[float, float] | None],
    chart_id: str = "overall-chart",
) -> str:
    """The overall score per session as a line, over a band from the lowest to the highest dimension score."""
    width, height, left, right, top, bottom = 680, 240, 36, 16, 14, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = _x_axis(len(overall), left, plot_w)
    parts = [
        (
            f'<svg id="{escape(chart_id)}" class="chart overall-chart" role="img" '
            'aria-label="Overall score per session, with the spread of the dimensions" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px" {FONT} font-size="11">'
        )
    ]
    for s in range(1, 6):
        y = _y(s, top, plot_h)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">{s}</text>')
    runs: list[list[int]] = [[]]
    for i, band in enumerate(spread):
        if band is None:
            runs.append([])
        else:
            runs[-1].append(i)
    for run in runs:
        bands = [(xs[i], b) for i in run if (b := spread[i]) is not None]
        if not bands:
            continue
        if len(bands) == 1:  # one session alone: a short bar shows its spread
            x, b = bands[0]
            bands = [(x - 4, b), (x + 4, b)]
        upper = [f"{x:.1f},{_y(b[1], top, plot_h):.1f}" for x, b in bands]
        lower = [f"{x:.1f},{_y(b[0], top, plot_h):.1f}" for x, b in reversed(bands)]
        parts.append(f'<polygon class="band" points="{" ".join(upper + lower)}" fill="#c7d2fe" opacity="0.7"/>')
    line = _points(overall, xs, top, plot_h)
    for run_pts in line:
        for i, x, y in run_pts:
            v, lo_hi = overall[i], spread[i]
            extra = f"; dimensions {_fmt(lo_hi[0])}-{_fmt(lo_hi[1])}" if lo_hi else ""
            parts.append(
                f'<circle class="overall-point" data-index="{i}" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1d4ed8">'
                f"<title>Session {i + 1}, {escape(short_date(created[i]))}: overall {_fmt(v or 0)}{extra}</title></circle>"
            )
    parts += _polylines(line, 'class="overall-line"', 'fill="none" stroke="#1d4ed8" stroke-width="2.5"')
    parts += _x_labels(created, xs, top + plot_h)
    legend_y = height - 6
    parts.append(
        f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 18}" y2="{legend_y - 4}" stroke="#1d4ed8" '
        f'stroke-width="2.5"/><text x="{left + 22}" y="{legend_y}" fill="#374151">overall</text>'
        f'<rect x="{left + 80}" y="{legend_y - 9}" width="12" height="10" fill="#c7d2fe"/>'
        f'<text x="{left + 96}" y="{legend_y}" fill="#374151">lowest to highest dimension</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _x_labels(created: Sequence[str], xs: Sequence[float], axis_y: float, small: bool = False) -> list[str]:
    """Session numbers (sparse when many) and the date where each day starts, without overlap."""
    parts: list[str] = []
    n = len(xs)
    pitch = (xs[-1] - xs[0]) / (n - 1) if n > 1 else 0.0
    step = 1
    while n > 1 and pitch * step < (18 if small else 14):
        step += 1
    shown = list(range(0, n, step))
    if shown[-1] != n - 1:  # always number the latest session; drop the number it would touch
        shown[-1 if n - 1 - shown[-1] < step / 2 else len(shown) :] = [n - 1]
    for i in shown:
        parts.append(
            f'<text class="session-number" x="{xs[i]:.1f}" y="{axis_y + 13:.1f}" text-anchor="middle" '
            f'fill="#9ca3af">{i + 1}</text>'
        )
    if small:
        return parts
    for i in date_labels(created, xs):
        parts.append(
            f'<text class="date-label" data-index="{i}" x="{xs[i]:.1f}" y="{axis_y + 28:.1f}" text-anchor="middle" '
            f'fill="#4b5563">{escape(short_date(created[i]))}</text>'
        )
    return parts


def small_multiple_svg(dim: str, created: Sequence[str], values: Sequence[int | None]) -> str:
    """One dimension across sessions in a small chart, the same x axis as the overall chart."""
    width, height, left, right, top, bottom = 220, 110, 22, 8, 24, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = _x_axis(len(values), left, plot_w)
    known = [v for v in values if v is not None]
    latest = f" \u00b7 now {known[-1]}" if known else ""
    parts = [
        (
            f'<svg id="dim-{escape(dim)}" class="chart small-multiple" data-dimension="{escape(dim)}" role="img" '
            f'aria-label="{escape(dimension_label(dim))} per session" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT} font-size="10">'
            f'<text x="{left}" y="13" font-size="12" font-weight="600" fill="#111827">'
            f"{escape(dimension_label(dim))}{latest}</text>"
        )
    ]
    for s in (1, 3, 5):
        y = _y(s, top, plot_h)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 3:.1f}" text-anchor="end" fill="#9ca3af">{s}</text>')
    runs = _points(values, xs, top, plot_h)
    for run in runs:
        for i, x, y in run:
            parts.append(
                f'<circle class="point" data-dimension="{escape(dim)}" cx="{x:.1f}" cy="{y:.1f}" r="2.5" '
                f'fill="#2563eb"><title>Session {i + 1}, {escape(short_date(created[i]))}: {values[i]}</title></circle>'
            )
    parts += _polylines(runs, f'class="line" data-dimension="{escape(dim)}"', 'fill="none" stroke="#2563eb" stroke-width="1.5"')
    parts += _x_labels(created, xs, top + plot_h, small=True)
    parts.append("</svg>")
    return "".join(parts)
