"""FallbackInterviewer: the primary brain (an LLM) judges while it answers; the offline brain takes any turn it drops."""

from __future__ import annotations

import logging
from collections.abc import Callable

from voicecoach.brain.llm_stream import split_spoken
from voicecoach.model import Move, Verdict
from voicecoach.ports import Context, Interviewer

log = logging.getLogger("voicecoach.llm")

MAX_CONSECUTIVE_FAILURES = 2


def failure_reason(error: Exception) -> str:
    """A few words for the transcript note: the mapped reason of an LLM error, else the error's class."""
    reason = getattr(error, "reason", None)
    return reason if isinstance(reason, str) and reason else type(error).__name__


class FallbackInterviewer:
    """Asks primary first; when it raises, fallback handles that turn and the switch is noted.

    After MAX_CONSECUTIVE_FAILURES failures in a row the primary is not called again this session.
    name is the name of whichever brain handled the latest call, so the verdict and turns say who judged.
    """

    def __init__(self, primary: Interviewer, fallback: Interviewer) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.events: list[str] = []
        self.last_switch_note = ""
        self.failures = 0
        self.primary_disabled = False
        self.last_timings: dict[str, float] = {}
        self._untaken: list[str] = []

    def take_notes(self) -> list[str]:
        """Switch notes since the last call, for the loop to add to the transcript as "note" turns."""
        notes, self._untaken = self._untaken, []
        return notes

    def _failed(self, error: Exception, what: str) -> None:
        self.failures += 1
        note = f"The LLM did not answer ({failure_reason(error)}); the offline interviewer took {what}."
        if self.failures >= MAX_CONSECUTIVE_FAILURES:
            self.primary_disabled = True
            note += f" After {self.failures} failures in a row, the offline interviewer runs the rest of the session."
        log.warning("%s", note)
        self.events.append(note)
        self._untaken.append(note)
        self.last_switch_note = note
        self.name = self.fallback.name

    def _succeeded(self) -> None:
        self.failures = 0
        self.name = self.primary.name
        self.last_timings = dict(getattr(self.primary, "last_timings", {}))

    def react(self, ctx: Context) -> Move:
        """The next move, from the primary if it can, else from the fallback."""
        self.last_switch_note = ""
        if not self.primary_disabled:
            try:
                move = self.primary.react(ctx)
            except Exception as e:  # noqa: BLE001 - any failure of the primary must not end the session
                self._failed(e, "this turn")
            else:
                self._succeeded()
                return move
        return self._fallback_react(ctx)

    def react_stream(self, ctx: Context, on_sentence: Callable[[str], None]) -> Move:
        """Like react; on_sentence gets each sentence to say, streamed from the primary or split from the fallback's line.

        If the primary fails mid-stream, the sentences it already passed on stay said; the switch note explains.
        """
        stream = getattr(self.primary, "react_stream", None)
        if not callable(stream):
            move = self.react(ctx)
        else:
            self.last_switch_note = ""
            if not self.primary_disabled:
                try:
                    streamed: Move = stream(ctx, on_sentence)
                except Exception as e:  # noqa: BLE001 - any failure of the primary must not end the session
                    self._failed(e, "this turn")
                else:
                    self._succeeded()
                    return streamed
            move = self._fallback_react(ctx)
        for sentence in split_spoken(move.text):
            on_sentence(sentence)
        return move

    def _fallback_react(self, ctx: Context) -> Move:
        self.name = self.fallback.name
        self.last_timings = {}
        return self.fallback.react(ctx)

    def assess(self, ctx: Context) -> Verdict:
        """The verdict from the primary if it can, else from the fallback (verdict.interviewer says which)."""
        self.last_switch_note = ""
        if not self.primary_disabled:
            try:
                verdict = self.primary.assess(ctx)
            except Exception as e:  # noqa: BLE001 - the feedback must still come
                self._failed(e, "the scoring")
            else:
                self._succeeded()
                return verdict
        self.name = self.fallback.name
        return self.fallback.assess(ctx)
