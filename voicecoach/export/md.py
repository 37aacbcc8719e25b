"""Markdown report: the conversation with timestamps, scores with evidence, feedback, delivery."""

from __future__ import annotations

from voicecoach.export.summary import SPEAKER, delivery_rows, dimension_label, mmss, nice_date, session_delivery
from voicecoach.model import Session


def _safe(text: str) -> str:
    """User text that a Markdown renderer cannot turn into HTML tags."""
    return text.replace("<", "&lt;")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _safe(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _quote(text: str) -> str:
    """Text as a Markdown block quote, one '> ' per line."""
    return "\n".join("> " + line if line else ">" for line in _safe(text).splitlines() or [""])


def to_markdown(session: Session) -> str:
    """The whole session as one Markdown document."""
    out = [f"# Mock interview: {session.case} ({session.pack})", ""]
    overall = f"{session.overall:.1f} / 5" if session.overall is not None else "not scored"
    out += [
        f"- Session: `{session.id}`",
        f"- Date: {nice_date(session.created_at)}",
        f"- Status: {session.status}",
        f"- Interviewer: {session.interviewer}",
        f"- Length: {mmss(session.elapsed_s())}",
        f"- Overall: {overall}",
        "",
        "## Question",
        "",
        _quote(session.question),
        "",
        "## Conversation",
        "",
    ]
    for i, t in enumerate(session.turns):
        kind = "" if t.kind in ("question", "answer") else f" ({t.kind.replace('_', ' ')})"
        out.append(f"**[{mmss(t.start_s)}] {SPEAKER[t.role]}{kind}:** {_safe(t.text.strip())}  ")
        extras = []
        if t.audio:
            extras.append(f"audio `{t.audio}`")
        if t.delivery is not None and t.role == "candidate":
            extras.append(f"{t.delivery.words_per_minute:.0f} wpm, {t.delivery.filler_count} fillers")
        if extras:
            out.append(f"<sub>turn {i}: {', '.join(extras)}</sub>")
        out.append("")
    out += ["## Scores", ""]
    if session.scores:
        out += ["| Dimension | Score | Rationale | Evidence |", "|---|---|---|---|"]
        for dim, s in session.scores.items():
            ev = (
                "<br>".join(
                    f"\u201c{_cell(e.quote)}\u201d (turn {e.turn}, {mmss(_turn_start(session, e.turn))})"
                    for e in s.evidence
                )
                or "\u2014"
            )
            out.append(f"| {_cell(dimension_label(dim))} | {s.score}/5 | {_cell(s.rationale)} | {ev} |")
    else:
        out.append("Not scored yet.")
    out += [
        "",
        "## Feedback",
        "",
        _safe(session.feedback.strip()).replace("\n", "  \n") or "No feedback yet.",
        "",
        "## Delivery",
        "",
    ]
    d = session_delivery(session)
    out += ["| Measure | Value |", "|---|---|"]
    out += [f"| {label} | {_cell(value)} |" for label, value in delivery_rows(d)]
    out += [""] + [f"- {n}" for n in d.notes]
    out.append("\n_Fillers are counted from the transcript; Whisper drops some, so the count is a floor._")
    return "\n".join(out).rstrip() + "\n"


def _turn_start(session: Session, index: int) -> float:
    """Start of turn index, 0 when it does not exist."""
    return session.turns[index].start_s if 0 <= index < len(session.turns) else 0.0
