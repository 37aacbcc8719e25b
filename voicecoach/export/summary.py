"""What every export shows besides the raw session: time formats and a computed summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from voicecoach.delivery import analyse_session
from voicecoach.model import Delivery, Session

SPEAKER = {"interviewer": "Interviewer", "candidate": "Candidate"}


def mmss(seconds: float) -> str:
    """Seconds as mm:ss (minutes may exceed 59)."""
    total = max(0, round(seconds))
    return f"{total // 60:02d}:{total % 60:02d}"


def nice_date(created_at: str) -> str:
    """2026-11-30T04:00:00+00:00 -> 2026-11-30 04:00 UTC; unparsable text is returned as it is."""
    try:
        when = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at or "unknown"
    zone = "UTC" if when.utcoffset() is not None and not when.utcoffset() else when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M") + (f" {zone}" if zone else "")


def dimension_label(dim: str) -> str:
    """edge_cases -> Edge cases."""
    return dim.replace("_", " ").capitalize()


def session_delivery(session: Session) -> Delivery:
    """The stored session delivery, or one computed from the answers when it was never saved."""
    return session.delivery if session.delivery is not None else analyse_session(session.turns)


def summary(session: Session) -> dict[str, Any]:
    """Computed figures for the JSON export and the report headers."""
    answers = [t for t in session.turns if t.role == "candidate" and t.kind == "answer"]
    d = session_delivery(session)
    return {
        "length_s": round(session.elapsed_s(), 2),
        "length": mmss(session.elapsed_s()),
        "turns": len(session.turns),
        "answers": len(answers),
        "answer_s": round(sum(t.end_s - t.start_s for t in answers), 2),
        "overall": session.overall,
        "scores": {k: v.score for k, v in session.scores.items()},
        "evidence_count": sum(len(v.evidence) for v in session.scores.values()),
        "words_per_minute": d.words_per_minute,
        "filler_count": d.filler_count,
        "fillers": dict(d.fillers),
        "hedges": dict(d.hedges),
        "long_pauses": d.long_pauses,
        "speaking_s": d.speaking_s,
        "word_count": d.word_count,
        "notes": list(d.notes),
    }


def delivery_rows(d: Delivery) -> list[tuple[str, str]]:
    """The delivery figures as (label, value) rows for tables."""
    fillers = ", ".join(f"{k} \u00d7{v}" for k, v in d.fillers.items()) or "none detected"
    hedges = ", ".join(f"{k} \u00d7{v}" for k, v in d.hedges.items()) or "none"
    return [
        ("Words per minute", f"{d.words_per_minute:.0f}"),
        ("Speaking time", mmss(d.speaking_s)),
        ("Words", str(d.word_count)),
        ("Fillers", f"{d.filler_count} ({fillers})"),
        ("Hedges", hedges),
        ("Pauses over 3 s", str(d.long_pauses)),
    ]
