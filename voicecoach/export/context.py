"""What a report needs besides the session: its case (title, answer key) from the pack, and the earlier attempt."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from voicecoach.content import Case, Pack, adhoc_case
from voicecoach.errors import VoicecoachError
from voicecoach.model import Session

MAX_ATTEMPTS = 1000  # a guard against a retake chain that loops


@dataclass(frozen=True)
class ReportContext:
    """The session's pack and case (None when unavailable), the earlier attempt, and this attempt's number."""

    pack: Pack | None = None
    case: Case | None = None
    previous: Session | None = None
    previous_note: str = ""  # why a retake cannot be compared, when it cannot
    attempt: int = 1


@functools.lru_cache(maxsize=8)
def _pack(pack_id: str) -> Pack | None:
    """The pack by id, or None when it is not installed or does not load."""
    from voicecoach.packs import load_pack

    try:
        return load_pack(pack_id)
    except (VoicecoachError, OSError):
        return None


def find_case(pack_id: str, case_id: str, question: str = "") -> tuple[Pack | None, Case | None]:
    """The pack and the case a session asked; an ad-hoc question gets the ad-hoc case."""
    pack = _pack(pack_id)
    if case_id == "adhoc":
        return pack, adhoc_case(question, case_id)
    if pack is None:
        return None, None
    try:
        return pack, pack.case(case_id)
    except KeyError:
        return pack, None


def case_title(session: Session, case: Case | None = None) -> str:
    """The case's title ("Launching referral credits ..."), the ad-hoc question's own words, or the case id."""
    case = case if case is not None else find_case(session.pack, session.case, session.question)[1]
    if case is None:
        return session.case
    if case.category == "adhoc":
        return f"Ad-hoc question: {session.question.strip()}" if session.question.strip() else case.title
    return case.title


def _load(root: Path, session_id: str) -> Session | None:
    """A session from the folder beside this one, or None."""
    from voicecoach.store import SessionStore

    try:
        return SessionStore(root).load(session_id)
    except VoicecoachError:
        return None


def load_context(session: Session, session_dir: Path) -> ReportContext:
    """The case from the installed pack, and the earlier attempt when it sits beside this session's folder."""
    pack, case = find_case(session.pack, session.case, session.question)
    if not session.retake_of:
        return ReportContext(pack, case)
    root = session_dir.parent
    previous = _load(root, session.retake_of)
    if previous is None:
        note = f"This is a retake of session {session.retake_of}, which is not in {root} any more; nothing to compare."
        return ReportContext(pack, case, None, note, 2)
    attempt, seen, walk = 2, {session.id, previous.id}, previous
    while walk.retake_of and walk.retake_of not in seen and attempt < MAX_ATTEMPTS:
        earlier = _load(root, walk.retake_of)
        if earlier is None:
            break
        seen.add(earlier.id)
        attempt, walk = attempt + 1, earlier
    return ReportContext(pack, case, previous, "", attempt)
