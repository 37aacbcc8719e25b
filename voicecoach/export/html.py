"""One self-contained, offline HTML report: every turn's audio (Opus) inline, quotes that play from their moment."""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from voicecoach.brain.overall import half_clause
from voicecoach.content import Case
from voicecoach.export.assets import BASE_CSP, CSP, CSS, SCRIPT
from voicecoach.export.audio_embed import encode
from voicecoach.export.charts import score_chart_svg, timeline_svg
from voicecoach.export.compare import compare_html
from voicecoach.export.context import ReportContext, case_title, load_context
from voicecoach.export.fixes import top_fixes
from voicecoach.export.moments import moment
from voicecoach.export.summary import SPEAKER, delivery_rows, dimension_label, mmss, nice_date, session_delivery
from voicecoach.export.transcript import transcript_html
from voicecoach.model import Delivery, Fix, Session, Turn

__all__ = ["BASE_CSP", "CSP", "EMBED_LIMIT_BYTES", "to_html"]

EMBED_LIMIT_BYTES = 20 * 1024 * 1024  # audio larger than this once encoded is linked relatively instead of embedded


def _audio(turn: Turn, session_dir: Path, out_path: Path, limit: int, codec: str, sizes: list[int]) -> str:
    """An <audio> player: the turn's audio encoded and embedded as a data: URI (its size added to sizes), or linked."""
    assert turn.audio is not None
    wav = session_dir / turn.audio
    if not wav.is_file():
        return f'<p class="note">Audio {escape(turn.audio)} is missing from the session folder.</p>'
    size = wav.stat().st_size
    if size <= limit or codec != "wav":
        embedded = encode(wav, codec)
        if len(embedded.data) <= limit:
            data = base64.b64encode(embedded.data).decode("ascii")
            sizes.append(len(data))
            return f'<audio controls preload="auto" src="data:{embedded.mime};base64,{data}"></audio>'
    rel = os.path.relpath(wav.resolve(), out_path.resolve().parent)
    return (
        f'<audio controls preload="none" src="{escape(quote(Path(rel).as_posix()))}"></audio>'
        f'<p class="note">Audio not embedded ({size / 1048576:.0f} MB is over {limit / 1048576:.0f} MB); '
        f"it plays while this report stays beside {escape(Path(rel).as_posix())}.</p>"
    )


def moment_link(session: Session, turn_index: int | None, quote_text: str) -> str:
    """A link to the moment a quote was said ("answer 2 at 01:23"); clicking it plays the audio from there."""
    m = moment(session, turn_index, quote_text)
    if m is None:
        return ""
    name = f"answer {m.answer}" if m.answer is not None else f"turn {m.turn}"
    return (
        f'<a class="moment" href="#turn-{m.turn}" data-turn="{m.turn}" data-t="{m.audio_s:.2f}">'
        f"{name} at {mmss(m.session_s)}</a>"
    )


def _delivery_table(d: Delivery) -> str:
    """Delivery figures and notes."""
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in delivery_rows(d))
    notes = "".join(f"<li>{escape(n)}</li>" for n in d.notes)
    return f'<table class="delivery">{rows}</table>' + (f"<ul>{notes}</ul>" if notes else "")


def _turn(
    session: Session, i: int, turn: Turn, session_dir: Path, out_path: Path, limit: int, codec: str, sizes: list[int]
) -> str:
    """One conversation turn with its audio, its transcript (fillers and hedges marked), figures and timeline."""
    kind = (
        ""
        if turn.kind in ("question", "answer")
        else f' <span class="kind">{escape(turn.kind.replace("_", " "))}</span>'
    )
    answer = next((n for n, (j, _) in enumerate(session.candidate_turns(), 1) if j == i), None)
    who = SPEAKER[turn.role] + (f" \u00b7 answer {answer}" if answer is not None else "")
    parts = [
        (
            f'<div class="turn {escape(turn.role)}" id="turn-{i}">'
            f'<span class="when">{mmss(turn.start_s)}</span><span class="who">{who}</span>{kind}'
        )
    ]
    if turn.audio:
        parts.append(_audio(turn, session_dir, out_path, limit, codec, sizes))
    parts.append(f'<p class="text">{transcript_html(turn)}</p>')
    if turn.role == "candidate":
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


def _scores(session: Session, case: Case | None) -> str:
    """Rubric table: score, rationale (and whether the case barely tests it), evidence quotes linked to their moment."""
    if not session.scores:
        return "<p>Not scored yet.</p>"
    rows = []
    for dim, s in session.scores.items():
        ev = "".join(
            f"<blockquote>\u201c{escape(e.quote)}\u201d {moment_link(session, e.turn, e.quote)}</blockquote>"
            for e in s.evidence
        )
        note = half_clause(dim, case)
        half = f' <span class="half">{escape(note)}</span>' if note else ""
        rows.append(
            f"<tr><td>{escape(dimension_label(dim))}</td><td>{s.score}/5</td><td>{escape(s.rationale)}{half}{ev}</td></tr>"
        )
    return "<table><tr><th>Dimension</th><th>Score</th><th>Why, with your words</th></tr>" + "".join(rows) + "</table>"


def _fix(session: Session, fix: Fix) -> str:
    """One thing to fix: the dimension, the quote (linked to its moment), why it costs points, a stronger version."""
    said = (
        f"<blockquote>You said \u201c{escape(fix.quote)}\u201d {moment_link(session, fix.turn, fix.quote)}</blockquote>"
        if fix.quote
        else ""
    )
    stronger = f'<p class="stronger"><strong>Stronger:</strong> {escape(fix.stronger)}</p>' if fix.stronger else ""
    return (
        f'<li class="fix" data-dimension="{escape(fix.dimension)}" data-key-point="{escape(fix.key_point)}">'
        f'<p class="fix-dim">{escape(dimension_label(fix.dimension))}</p>{said}'
        f'<p class="why">{escape(fix.why)}</p>{stronger}</li>'
    )


def _top_fixes(session: Session, ctx: ReportContext) -> str:
    """The "what to fix first" section: at most three fixes, most costly first."""
    if not session.scores:
        return ""
    fixes, derived = top_fixes(session, ctx.case, ctx.pack)
    if not fixes:
        body = "<p>No dimension scored under 4; keep doing what you did.</p>"
    else:
        body = "<ol>" + "".join(_fix(session, f) for f in fixes) + "</ol>"
        if derived:
            source = "the answer key of this case" if any(f.key_point for f in fixes) else "the rubric"
            body += f'<p class="note">Drawn from your lowest scores and {source}.</p>'
    return f'<section id="top-fixes"><h2>What to fix first</h2>{body}</section>'


def _legend(sizes: list[int], has_audio: bool) -> str:
    """The transcript's marks, how to play from a moment, and how much of the file the audio takes."""
    parts = ['<p class="legend"><mark class="filler">filler</mark> <mark class="hedge">hedge</mark>']
    if has_audio:
        parts.append(
            'Click a word or a quote\'s link to play from that moment. <button id="replay">Replay the conversation</button>'
        )
    if sizes:
        parts.append(
            f'<span class="audio-size">The audio of {len(sizes)} turn{"s" if len(sizes) != 1 else ""} is inside this '
            f"file ({sum(sizes) / 1048576:.1f} MB).</span>"
        )
    return " ".join(parts) + "</p>"


def to_html(
    session: Session,
    session_dir: Path,
    out_path: Path | None = None,
    limit: int = EMBED_LIMIT_BYTES,
    *,
    codec: str = "opus",
    context: ReportContext | None = None,
) -> str:
    """The report as one HTML document; out_path decides relative links for audio too big to embed."""
    out_path = out_path or session_dir / f"{session.id}.html"
    ctx = context if context is not None else load_context(session, session_dir)
    title = f"Mock interview: {case_title(session, ctx.case)}"
    overall = f"{session.overall:.1f}<small>/5</small>" if session.overall is not None else "not scored"
    meta = [
        f"Date {nice_date(session.created_at)}",
        f"Pack {ctx.pack.title if ctx.pack else session.pack}",
        f"Status {session.status.replace('_', ' ')}",
        f"Interviewer {session.interviewer}",
        f"Length {mmss(session.elapsed_s())}",
        f"Session {session.id}",
    ] + ([f"Attempt {ctx.attempt}"] if session.retake_of else [])
    compare = ""
    if ctx.previous is not None:
        compare = compare_html(ctx.previous, session, ctx.attempt, ctx.case, ctx.pack)
    elif ctx.previous_note:
        compare = f'<section id="compare"><h2>Compared with your last attempt</h2><p>{escape(ctx.previous_note)}</p></section>'
    sizes: list[int] = []
    turns = [_turn(session, i, t, session_dir, out_path, limit, codec, sizes) for i, t in enumerate(session.turns)]
    body = [
        f"<h1>{escape(title)}</h1>",
        '<ul class="meta">' + "".join(f"<li>{escape(m)}</li>" for m in meta) + "</ul>",
        f'<p>Overall <span class="overall">{overall}</span></p>',
        f'<p class="question">{escape(session.question)}</p>',
        _top_fixes(session, ctx),
        compare,
        "<h2>Scores</h2>",
        score_chart_svg({k: v.score for k, v in session.scores.items()}),
        _scores(session, ctx.case),
        "<h2>Feedback</h2>",
        f'<div class="feedback">{escape(session.feedback.strip() or "No feedback yet.")}</div>',
        "<h2>Delivery</h2>",
        _delivery_table(session_delivery(session)),
        '<p class="note">Fillers are counted from the transcript; Whisper drops some, so the count is a floor.</p>',
        "<h2>Conversation</h2>",
        _legend(sizes, any(t.audio for t in session.turns)),
        *turns,
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main><script>{SCRIPT}</script></body></html>\n"
    )
