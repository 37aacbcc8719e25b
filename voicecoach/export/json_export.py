"""JSON export: Session.to_dict() (schema_version 1) plus a computed "summary" object."""

from __future__ import annotations

import json
from typing import Any

from voicecoach.export.summary import summary
from voicecoach.model import Session


def to_json_dict(session: Session) -> dict[str, Any]:
    """The session's own JSON form with an added "summary"; Session.from_dict still reads it."""
    data = session.to_dict()
    data["summary"] = summary(session)
    return data


def to_json(session: Session) -> str:
    """The export as pretty-printed UTF-8 JSON text."""
    return json.dumps(to_json_dict(session), indent=2, ensure_ascii=False) + "\n"
