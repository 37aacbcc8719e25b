"""Markdown report: the conversation with timestamps, scores with evidence, feedback, delivery."""

from __future__ import annotations

from voicecoach.brain.overall import half_clause
from voicecoach.export.compare import delivery_compare, outcomes, score_rows, sentence
from voicecoach.export.context import ReportContext, case_title, find_case
from voicecoach.export.fixes import top_fixes
from voicecoach.export.moments import answer_numbers, moment
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


def _at(session: Session, turn: int | None, quote: str) -> str:
    """Where a quote was said: "answer 2, 01:23" (session time of the quote's first word)."""
    m = moment(session, turn, quote)
    if m is None:
        return ""
    name = f"answer {m.answer}" if m.answer is not None else f"turn {m.turn}"
    return f"{name}, {mmss(m.session_s)}"


def _fixes(session: Session, ctx: ReportContext) -> list[str]:
    """What to fix first, as a numbered list."""
    fixes, _ = top_fixes(session, ctx.case, ctx.pack)
    if not session.scores:
        return []
    out = ["## What to fix first", ""]
    if not fixes:
        return [*out, "No dimension scored under 4; keep doing what you did.", ""]
    for n, f in enumerate(fixes, 1):
        out.append(f"{n}. **{dimension_label(f.dimension)}.** {_safe(f.why)}")
        if f.quote:
            at = _at(session, f.turn, f.quote)
            out.append(f"   You said \u201c{_safe(f.quote)}\u201d" + (f" ({at})." if at else "."))
        if f.stronger:
            out.append(f"   Stronger: {_safe(f.stronger)}")
    return [*out, ""]


def _compare(session: Session, ctx: ReportContext) -> list[str]:
    """The comparison with the earlier attempt of a retake."""
    if ctx.previous is None:
        return ["## Compared with your last attempt", "", _safe(ctx.previous_note), ""] if ctx.previous_note else []
    before = ctx.previous
    out = [
        "## Compared with your last attempt",
        "",
        f"Attempt {ctx.attempt}; the one before was session `{before.id}` on {nice_date(before.created_at)}.",
        "",
    ]
    for o in outcomes(before, session, ctx.case, ctx.pack):
        out.append(
            f"- {'Fixed' if o.fixed else 'Not yet'}: {dimension_label(o.fix.dimension)} \u2014 {_safe(sentence(o.reason))}"
        )
    out += ["", "| Measure | Before | After | Change |", "|---|---|---|---|"]
    out += [f"| {r.label} | {r.before} | {r.after} | {r.change} |" for r in score_rows(before, session)]
    out += [f"| {r.label} | {r.before} | {r.after} | {r.change} |" for r in delivery_compare(before, session)]
    return [*out, ""]


def to_markdown(session: Session, context: ReportContext | None = None) -> str:
    """The whole session as one Markdown document."""
    ctx = context if context is not None else ReportContext(*find_case(session.pack, session.case, session.question))
    out = [f"# Mock interview: {_safe(case_title(session, ctx.case))}", ""]
    overall = f"{session.overall:.1f} / 5" if session.overall is not None else "not scored"
    out += [
        f"- Session: `{session.id}`",
        f"- Case: `{session.case}` ({_safe(ctx.pack.title if ctx.pack else session.pack)})",
        f"- Date: {nice_date(session.created_at)}",
        f"- Status: {session.status.replace('_', ' ')}",
        f"- Interviewer: {session.interviewer}",
        f"- Length: {mmss(session.elapsed_s())}",
        f"- Overall: {overall}",
        *([f"- Attempt: {ctx.attempt} (a retake of `{session.retake_of}`)"] if session.retake_of else []),
        "",
        "## Question",
        "",
        _quote(session.question),
        "",
        *_fixes(session, ctx),
        *_compare(session, ctx),
        "## Conversation",
        "",
    ]
    numbers = answer_numbers(session)
    for i, t in enumerate(session.turns):
        kind = "" if t.kind in ("question", "answer") else f" ({t.kind.replace('_', ' ')})"
        who = SPEAKER[t.role] + (f" \u00b7 answer {numbers[i]}" if i in numbers else "")
        out.append(f"**[{mmss(t.start_s)}] {who}{kind}:** {_safe(t.text.strip())}  ")
        extras = []
        if t.audio:
            extras.append(f"audio `{t.audio}`")
        if t.delivery is not None and t.role == "candidate":
            extras.append(f"{t.delivery.words_per_minute:.0f} wpm, {t.delivery.filler_count} fillers")
        if extras:
            out.append(f"<sub>{', '.join(extras)}</sub>")
        out.append("")
    out += ["## Scores", ""]
    if session.scores:
        out += ["| Dimension | Score | Rationale | Evidence |", "|---|---|---|---|"]
        for dim, s in session.scores.items():
            ev = (
                "<br>".join(f"\u201c{_cell(e.quote)}\u201d ({_at(session, e.turn, e.quote)})" for e in s.evidence)
                or "\u2014"
            )
            why = " ".join(filter(None, (s.rationale.strip(), half_clause(dim, ctx.case))))
            out.append(f"| {_cell(dimension_label(dim))} | {s.score}/5 | {_cell(why)} | {ev} |")
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
