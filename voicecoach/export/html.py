"""One self-contained, offline HTML report: inline CSS, inline SVG charts, answers' audio as data: URIs."""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from voicecoach.export.charts import score_chart_svg, timeline_svg
from voicecoach.export.summary import SPEAKER, delivery_rows, dimension_label, mmss, nice_date, session_delivery
from voicecoach.model import Delivery, Session, Turn

EMBED_LIMIT_BYTES = 20 * 1024 * 1024  # larger WAVs are linked relatively instead of embedded

# Nothing may load from the network or run: a guard on top of escaping every piece of user text.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data: file: 'self'"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f9fafb;margin:0}
main{max-width:880px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.8em 0 .6em;border-bottom:1px solid #e5e7eb}
.meta{color:#4b5563;margin:0 0 1em;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px}
.overall{font-size:2rem;font-weight:700}
.question{background:#eef2ff;border-left:4px solid #6366f1;padding:10px 14px;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
.turn{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:10px 14px;margin:10px 0}
.turn.candidate{border-left:4px solid #16a34a}.turn.interviewer{border-left:4px solid #6366f1}
.who{font-weight:600}.when{color:#6b7280;font-variant-numeric:tabular-nums;margin-right:8px}
.kind{color:#6b7280;font-size:.85em}.text{margin:.4em 0;white-space:pre-wrap}
audio{width:100%;max-width:520px;margin:6px 0}
.stats,.note{color:#4b5563;font-size:.9em}.note{font-style:italic}
blockquote{margin:.3em 0;padding-left:10px;border-left:3px solid #d1d5db;color:#374151}
.feedback{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:10px 14px;white-space:pre-wrap}
svg text{user-select:none}
"""


def _audio(turn: Turn, session_dir: Path, out_path: Path, limit: int) -> str:
    """An <audio> player: the WAV embedded as a data: URI, or linked relatively when too big."""
    assert turn.audio is not None
    wav = session_dir / turn.audio
    if not wav.is_file():
        return f'<p class="note">Audio {escape(turn.audio)} is missing from the session folder.</p>'
    size = wav.stat().st_size
    if size <= limit:
        data = base64.b64encode(wav.read_bytes()).decode("ascii")
        return f'<audio controls preload="metadata" src="data:audio/wav;base64,{data}"></audio>'
    rel = os.path.relpath(wav.resolve(), out_path.resolve().parent)
    return (
        f'<audio controls preload="none" src="{escape(quote(Path(rel).as_posix()))}"></audio>'
        f'<p class="note">Audio not embedded ({size / 1048576:.0f} MB is over {limit / 1048576:.0f} MB); '
        f"it plays while this report stays beside {escape(Path(rel).as_posix())}.</p>"
    )


def _delivery_table(d: Delivery) -> str:
    """Delivery figures and notes."""
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in delivery_rows(d))
    notes = "".join(f"<li>{escape(n)}</li>" for n in d.notes)
    return f'<table class="delivery">{rows}</table>' + (f"<ul>{notes}</ul>" if notes else "")


def _turn(i: int, turn: Turn, session_dir: Path, out_path: Path, limit: int) -> str:
    """One conversation turn, with the answer's audio, figures and timeline."""
    kind = (
        ""
        if turn.kind in ("question", "answer")
        else f' <span class="kind">{escape(turn.kind.replace("_", " "))}</span>'
    )
    parts = [
        (
            f'<div class="turn {escape(turn.role)}" id="turn-{i}">'
            f'<span class="when">{mmss(turn.start_s)}</span><span class="who">{SPEAKER[turn.role]}</span>{kind}'
            f'<p class="text">{escape(turn.text.strip())}</p>'
        )
    ]
    if turn.role == "candidate":
        if turn.audio:
            parts.append(_audio(turn, session_dir, out_path, limit))
        d = turn.delivery
        if d is not None:
            parts.append(
                f'<p class="stats">{d.words_per_minute:.0f} words a minute \u00b7 {d.filler_count} fillers \u00b7 '
                f"{d.long_pauses} long pauses \u00b7 {mmss(turn.end_s - turn.start_s)} long</p>"
            )
            parts += [f'<p class="note">{escape(n)}</p>' for n in d.notes]
        if turn.segments:
            length = turn.end_s - turn.start_s if turn.end_s > turn.start_s else turn.segments[-1].end_s
            parts.append(timeline_svg(turn.segments, length, f"timeline-{i}"))
    parts.append("</div>")
    return "".join(parts)


def _scores(session: Session) -> str:
    """Rubric table: score, rationale, evidence quotes linked to their turns."""
    if not session.scores:
        return "<p>Not scored yet.</p>"
    rows = []
    for dim, s in session.scores.items():
        ev = "".join(
            f'<blockquote>\u201c{escape(e.quote)}\u201d <a href="#turn-{e.turn}">turn {e.turn}</a></blockquote>'
            for e in s.evidence
        )
        rows.append(
            f"<tr><td>{escape(dimension_label(dim))}</td><td>{s.score}/5</td><td>{escape(s.rationale)}{ev}</td></tr>"
        )
    return "<table><tr><th>Dimension</th><th>Score</th><th>Why, with your words</th></tr>" + "".join(rows) + "</table>"


def to_html(session: Session, session_dir: Path, out_path: Path | None = None, limit: int = EMBED_LIMIT_BYTES) -> str:
    """The report as one HTML document; out_path decides relative links for audio too big to embed."""
    out_path = out_path or session_dir / f"{session.id}.html"
    title = f"Mock interview: {session.case} ({session.pack})"
    overall = f"{session.overall:.1f}<small>/5</small>" if session.overall is not None else "not scored"
    meta = [
        f"Date {nice_date(session.created_at)}",
        f"Status {session.status}",
        f"Interviewer {session.interviewer}",
        f"Length {mmss(session.elapsed_s())}",
        f"Session {session.id}",
    ]
    body = [
        f"<h1>{escape(title)}</h1>",
        '<ul class="meta">' + "".join(f"<li>{escape(m)}</li>" for m in meta) + "</ul>",
        f'<p>Overall <span class="overall">{overall}</span></p>',
        f'<p class="question">{escape(session.question)}</p>',
        "<h2>Scores</h2>",
        score_chart_svg({k: v.score for k, v in session.scores.items()}),
        _scores(session),
        "<h2>Feedback</h2>",
        f'<div class="feedback">{escape(session.feedback.strip() or "No feedback yet.")}</div>',
        "<h2>Delivery</h2>",
        _delivery_table(session_delivery(session)),
        '<p class="note">Fillers are counted from the transcript; Whisper drops some, so the count is a floor.</p>',
        "<h2>Conversation</h2>",
        *(_turn(i, t, session_dir, out_path, limit) for i, t in enumerate(session.turns)),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
