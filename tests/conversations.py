"""Conversations for the interviewer's tests: a case's question, then the turns given."""

from __future__ import annotations

from voicecoach.content import Pack
from voicecoach.model import Turn
from voicecoach.ports import Context

Line = str | tuple[str, tuple[str, ...]] | tuple[str, str, tuple[str, ...]]


def ctx(pack: Pack, case_id: str, *lines: Line, kind: str = "answer") -> Context:
    """The case question, then candidate turns (str, of kind) and interviewer turns: (kind, text, targets), or
    (text, targets) for a follow-up."""
    case = pack.case(case_id)
    turns = [Turn("interviewer", "question", case.question)]
    for line in lines:
        if isinstance(line, str):
            turns.append(Turn("candidate", kind, line))  # type: ignore[arg-type]
        elif len(line) == 2:
            turns.append(Turn("interviewer", "follow_up", line[0], targets=line[1]))
        else:
            turns.append(Turn("interviewer", line[0], line[1], targets=line[2]))  # type: ignore[arg-type]
    return Context(pack=pack, case=case, turns=tuple(turns))
