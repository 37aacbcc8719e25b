"""Inline SVG charts of one session (no scripts, no fonts, no images): rubric bars and the answer timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from voicecoach.delivery import pace_series, pause_events
from voicecoach.export.summary import dimension_label, mmss
from voicecoach.fillers import filler_events
from voicecoach.model import Segment

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04")
FONT = 'font-family="system-ui, sans-serif"'


def _score_colour(score: float) -> str:
    """Red for weak, amber for middling, green for strong."""
    return "#dc2626" if score < 2.5 else "#d97706" if score < 3.5 else "#16a34a"


def score_chart_svg(scores: Mapping[str, float], max_score: int = 5, chart_id: str = "score-chart") -> str:
    """Horizontal bars, one per rubric dimension, scored 1..max_score."""
    label_w, bar_w, row_h, top = 130, 380, 30, 24
    height = top + row_h * max(1, len(scores)) + 10
    parts = [
        (
            f'<svg id="{escape(chart_id)}" class="chart score-chart" role="img" aria-label="Rubric scores" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 50} {height}" '
            f'width="100%" style="max-width:{label_w + bar_w + 50}px" {FONT} font-size="13">'
        )
    ]
    for k in range(max_score + 1):
        x = label_w + bar_w * k / max_score
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#6b7280" font-size="11">{k}</text>')
    if not scores:
        parts.append(f'<text x="{label_w}" y="{top + 18}" fill="#6b7280">Not scored yet</text>')
    for i, (dim, score) in enumerate(scores.items()):
        y = top + i * row_h
        w = bar_w * max(0.0, min(score, max_score)) / max_score
        label = escape(dimension_label(dim))
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" fill="#111827">{label}</text>')
        parts.append(
            f'<rect class="bar" data-dimension="{escape(dim)}" data-score="{score:g}" x="{label_w}" y="{y + 5}" '
            f'width="{w:.1f}" height="{row_h - 10}" rx="3" fill="{_score_colour(score)}">'
            f"<title>{label}: {score:g} of {max_score}</title></rect>"
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" fill="#111827" font-weight="600">{score:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _tick_step(duration_s: float) -> float:
    """A readable spacing for time ticks."""
    for step in (5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0):
        if duration_s / step <= 8:
            return step
    return 600.0


def timeline_svg(segments: Sequence[Segment], duration_s: float, chart_id: str) -> str:
    """Pace (words a minute, 10 s bins) as a line, fillers as red marks, long pauses as grey bands."""
    width, height, left, right, top, bottom = 640, 150, 44, 22, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    pace = pace_series(segments)
    end = max([duration_s, *(t + 10.0 for t, _ in pace[-1:])]) if pace else max(duration_s, 1.0)
    end = max(end, 1.0)
    top_wpm = max([250.0, *(w for _, w in pace)])

    def x(t: float) -> float:
        return left + plot_w * min(max(t, 0.0), end) / end

    def y(wpm: float) -> float:
        return top + plot_h * (1 - wpm / top_wpm)

    parts = [
        (
            f'<svg id="{escape(chart_id)}" class="chart timeline" role="img" aria-label="Pace and fillers over the answer" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px" {FONT} font-size="11">'
        ),
        (
            f'<rect class="target-pace" x="{left}" y="{y(160):.1f}" width="{plot_w}" height="{y(130) - y(160):.1f}" '
            f'fill="#dcfce7"><title>130-160 words a minute</title></rect>'
        ),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#9ca3af"/>',
    ]
    for wpm in (0, 100, 200):
        parts.append(f'<text x="{left - 6}" y="{y(wpm) + 4:.1f}" text-anchor="end" fill="#6b7280">{wpm}</text>')
    step = _tick_step(end)
    k = 0.0
    while k <= end + 1e-6:
        parts.append(
            f'<text x="{x(k):.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="#6b7280">{mmss(k)}</text>'
        )
        k += step
    for start, length in pause_events(segments):
        parts.append(
            f'<rect class="pause" x="{x(start):.1f}" y="{top}" width="{max(x(start + length) - x(start), 1.0):.1f}" '
            f'height="{plot_h}" fill="#d1d5db" opacity="0.7"><title>Pause {length:.1f} s at {mmss(start)}</title></rect>'
        )
    if pace:
        pts = " ".join(f"{x(t + 5.0):.1f},{y(w):.1f}" for t, w in pace)
        parts.append(f'<polyline class="pace" points="{pts}" fill="none" stroke="#2563eb" stroke-width="2"/>')
        for t, w in pace:
            parts.append(
                f'<circle class="pace-point" cx="{x(t + 5.0):.1f}" cy="{y(w):.1f}" r="2.5" fill="#2563eb">'
                f"<title>{w:.0f} words a minute from {mmss(t)}</title></circle>"
            )
    for t, filler in filler_events(segments):
        parts.append(
            f'<path class="filler" d="M{x(t):.1f},{top + plot_h - 2} l-5,-9 h10 z" fill="#dc2626">'
            f"<title>\u201c{escape(filler)}\u201d at {mmss(t)}</title></path>"
        )
    legend_y = height - 8
    parts.append(
        f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 18}" y2="{legend_y - 4}" stroke="#2563eb" stroke-width="2"/>'
        f'<text x="{left + 22}" y="{legend_y}" fill="#374151">pace (words/min)</text>'
        f'<path d="M{left + 150},{legend_y} l-5,-9 h10 z" fill="#dc2626"/>'
        f'<text x="{left + 160}" y="{legend_y}" fill="#374151">filler</text>'
        f'<rect x="{left + 205}" y="{legend_y - 9}" width="12" height="10" fill="#d1d5db"/>'
        f'<text x="{left + 221}" y="{legend_y}" fill="#374151">pause &gt; 3 s</text>'
        f'<rect x="{left + 305}" y="{legend_y - 9}" width="12" height="10" fill="#dcfce7"/>'
        f'<text x="{left + 321}" y="{legend_y}" fill="#374151">130-160 wpm</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
