"""JSON export: Session.to_dict() (schema_version 1) plus a computed "summary" object."""

from __future__ import annotations

import json
from typing import Any

from voicecoach.export.context import ReportContext, case_title, find_case
from voicecoach.export.fixes import top_fixes
from voicecoach.export.moments import moment
from voicecoach.export.summary import summary
from voicecoach.model import Session


def _where(session: Session, turn: int | None, quote: str) -> dict[str, Any]:
    """The quote's turn counted as the candidate sees it, and its moment in session and audio time."""
    m = moment(session, turn, quote)
    if m is None:
        return {"answer": None, "at_s": None, "audio_s": None}
    return {"answer": m.answer, "at_s": m.session_s, "audio_s": m.audio_s}


def to_json_dict(session: Session, context: ReportContext | None = None) -> dict[str, Any]:
    """The session's own JSON form with an added "summary"; Session.from_dict still reads it."""
    ctx = context if context is not None else ReportContext(*find_case(session.pack, session.case, session.question))
    data = session.to_dict()
    s = summary(session)
    s["case_title"] = case_title(session, ctx.case)
    s["attempt"] = ctx.attempt
    s["evidence"] = [
        {"dimension": dim, "quote": e.quote, "turn": e.turn, **_where(session, e.turn, e.quote)}
        for dim, score in session.scores.items()
        for e in score.evidence
    ]
    fixes, derived = top_fixes(session, ctx.case, ctx.pack) if session.scores else ([], False)
    s["top_fixes"] = [
        {
            "dimension": f.dimension,
            "why": f.why,
            "stronger": f.stronger,
            "quote": f.quote,
            "turn": f.turn,
            "key_point": f.key_point,
            **_where(session, f.turn, f.quote),
        }
        for f in fixes
    ]
    s["top_fixes_derived"] = derived
    data["summary"] = s
    return data


def to_json(session: Session, context: ReportContext | None = None) -> str:
    """The export as pretty-printed UTF-8 JSON text."""
    return json.dumps(to_json_dict(session, context), indent=2, ensure_ascii=False) + "\n"
