"""Guards any interviewer's scores must respect: what the candidate's words can support at most, read offline.

The LLM interviewer min()s its scores with score_caps(ctx); the offline interviewer applies the same reading itself.
Pure and fast: no I/O, a few milliseconds per conversation.
"""

from __future__ import annotations

from voicecoach.brain.meta import is_meta_turn
from voicecoach.brain.probes import PROBED_DIMS
from voicecoach.brain.reading import RECITATION_CAP, TurnReading
from voicecoach.brain.scoring import case_readings, is_clarification
from voicecoach.model import DIMENSIONS
from voicecoach.ports import Context

__all__ = ["is_meta_turn", "off_topic", "score_caps"]

NOT_ANSWERED_CAP = 1  # nothing but meta turns, off-topic talk or questions on a false premise
NOT_APPLIED_CAP = 2  # no sentence anywhere tied to the case: whatever was named, none of it was used here
NO_CLARIFY_CAP = 2  # clarify when the only questions asked were "could you repeat that?" or on a false premise


def _readings(ctx: Context) -> list[TurnReading]:
    return case_readings(ctx.turns, 0, ctx.case, ctx.pack)


def off_topic(ctx: Context) -> bool:
    """Every candidate turn so far is about something else (another product, small talk): nothing answered the case."""
    readings = [r for r in _readings(ctx) if not r.meta]
    return bool(readings) and all(r.off_topic for r in readings)


def score_caps(ctx: Context) -> dict[str, int]:
    """Per dimension, the highest score the candidate's turns can support; dimensions with no cap are left out.

    - nothing but meta turns / off-topic talk / false-premise questions: every dimension 1;
    - a turn that recites techniques without applying them: each dimension it touches and nothing applied, 2;
    - no sentence tied to the case at all (no case word, no reasoning, no key point): every dimension 2 (the offline
      reading gives such terms half weight and at most 3 each; a model that scores them higher has been fooled by the
      words, and a follow-up answered without touching the case is not a follow-up answered well);
    - clarifying questions that were only meta turns or on a false premise: clarify 2 unless an answer asked well.
    """
    readings = _readings(ctx)
    if not readings:
        return {}
    counted = [r for r in readings if r.counts]
    if not counted:
        return dict.fromkeys(DIMENSIONS, NOT_ANSWERED_CAP)
    caps: dict[str, int] = {}
    applied = {s.dim for r in counted for s in r.signals if s.weight > 0 and s.grounded}
    for r in counted:
        if r.recitation.whole:
            for d in r.recitation.dims - applied:
                caps[d] = min(caps.get(d, RECITATION_CAP), RECITATION_CAP)
    if not any(g.applied for r in counted for g in r.grounds) and not any(r.made for r in counted):
        for d in (*PROBED_DIMS, "follow_up"):
            caps[d] = min(caps.get(d, NOT_APPLIED_CAP), NOT_APPLIED_CAP)
    questions = [r for r in readings if r.turn < len(ctx.turns) and is_clarification(ctx.turns[r.turn])]
    if questions and not any(r.counts for r in questions) and "clarify" not in applied:
        caps["clarify"] = min(caps.get("clarify", NO_CLARIFY_CAP), NO_CLARIFY_CAP)
    return caps
