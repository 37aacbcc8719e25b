"""Past sessions: the sessions table (retakes as attempts of one case) and progress per rubric dimension over time."""

from __future__ import annotations

from collections import Counter
from typing import Any

from voicecoach.content import Pack
from voicecoach.export.context import case_title, find_case
from voicecoach.export.progress_model import NextCase, Progress, ProgressPoint, next_case
from voicecoach.export.progress_page import format_progress_terminal, progress_html, sparkline, trends
from voicecoach.export.summary import mmss, nice_date
from voicecoach.model import DIMENSIONS, Session
from voicecoach.store import SessionStore

__all__ = [
    "NextCase",
    "Progress",
    "ProgressPoint",
    "attempts",
    "format_progress_terminal",
    "format_sessions_table",
    "progress",
    "progress_html",
    "session_rows",
    "sparkline",
    "trends",
]


def shown(session: Session, include_all: bool) -> bool:
    """Demo sessions and sessions where nothing was heard stay out of lists unless asked for."""
    return include_all or not (session.demo or session.status == "no_answer")


def attempts(sessions: list[Session]) -> dict[str, tuple[int, str]]:
    """Session id -> (attempt number, id of the first attempt), following retake_of back through the chain."""
    by_id = {s.id: s for s in sessions}
    out: dict[str, tuple[int, str]] = {}

    def walk(s: Session, seen: frozenset[str]) -> tuple[int, str]:
        if s.id in out:
            return out[s.id]
        prev = by_id.get(s.retake_of or "")
        if s.retake_of is None:
            result = (1, s.id)
        elif prev is None or prev.id in seen:
            result = (2, s.retake_of)  # the earlier attempt was deleted: this is at least the second
        else:
            n, root = walk(prev, seen | {s.id})
            result = (n + 1, root)
        out[s.id] = result
        return result

    for s in sessions:
        walk(s, frozenset())
    return out


def session_rows(store: SessionStore, include_all: bool = False) -> list[dict[str, Any]]:
    """One row per saved session, newest first: id, date, pack, case, attempt, status, overall, length."""
    everything = store.list()
    chain = attempts(everything)
    sizes = Counter(root for _, root in chain.values())
    rows = []
    for s in everything:
        if not shown(s, include_all):
            continue
        attempt, root = chain[s.id]
        rows.append(
            {
                "id": s.id,
                "date": nice_date(s.created_at),
                "created_at": s.created_at,
                "pack": s.pack,
                "case": s.case,
                "case_title": case_title(s),
                "attempt": attempt,
                "attempts": max(sizes[root], attempt),
                "retake_of": s.retake_of,
                "demo": s.demo,
                "status": s.status,
                "overall": s.overall,
                "answers": sum(1 for t in s.turns if t.role == "candidate" and t.kind == "answer"),
                "length_s": round(s.elapsed_s(), 2),
                "length": mmss(s.elapsed_s()),
            }
        )
    rows.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    return rows


def _case_cell(row: dict[str, Any]) -> str:
    """The case, as an attempt of it when the session is part of a retake chain: "attempt 2 of uploads-drop"."""
    case = str(row["case"]) + (" (demo)" if row.get("demo") else "")
    return f"attempt {row['attempt']} of {case}" if row.get("attempts", 1) > 1 else case


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
            _case_cell(r),
            str(r["status"]).replace("_", " "),
            f"{r['overall']:.1f}" if r["overall"] is not None else "-",
            r["length"],
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *body]]
    return "\n".join(lines)


def progress(
    store: SessionStore, pack: str | None = None, include_all: bool = False, *, content: Pack | None = None
) -> Progress:
    """Every scored session (of one pack, if given), oldest first, and the case to practise next.

    content is the pack to recommend a case from; by default the installed pack of these sessions.
    """
    everything = [s for s in store.list() if shown(s, include_all)]
    sessions = [s for s in everything if s.scores and (pack is None or s.pack == pack)]
    sessions.sort(key=lambda s: (s.created_at, s.id))
    points = tuple(
        ProgressPoint(
            s.id, s.created_at, s.case, s.overall, {k: v.score for k, v in s.scores.items()}, s.pack, case_title(s)
        )
        for s in sessions
    )
    seen = {d for p in points for d in p.scores}
    dims = tuple(d for d in DIMENSIONS if d in seen) + tuple(sorted(seen - set(DIMENSIONS)))
    prog = Progress(pack, points, dims)
    weak = prog.weakest()
    if weak is None:
        return prog
    if content is None:
        content = find_case(pack or points[-1].pack, "")[0]
    if content is None:
        return prog
    practised = Counter(s.case for s in everything if s.pack == content.id)
    return Progress(pack, points, dims, next_case(content, weak[0], practised))
