"""FallbackInterviewer: the primary brain (an LLM) judges while it answers in time; the offline brain takes any turn it drops."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from voicecoach.brain.llm_stream import split_spoken
from voicecoach.model import Move, Verdict
from voicecoach.ports import Context, Interviewer

log = logging.getLogger("voicecoach.llm")

MAX_CONSECUTIVE_FAILURES = 2
TURN_DEADLINE_S = 8.0  # the longest a candidate waits for the LLM's reply to an answer
SCORING_DEADLINE_S = 30.0  # the longest they wait for the LLM's final scores
GRACE_S = 0.5  # the primary's own deadline error normally arrives first; this bound holds if it never does

T = TypeVar("T")


class DeadlineError(TimeoutError):
    """The primary did not finish within its deadline; its thread was left behind."""

    reason = "deadline"


def failure_reason(error: Exception) -> str:
    """A few words for the transcript note: the mapped reason of an LLM error, else the error's class."""
    reason = getattr(error, "reason", None)
    return reason if isinstance(reason, str) and reason else type(error).__name__


class FallbackInterviewer:
    """Asks primary first, waiting at most a deadline; when it fails or is late, fallback handles that turn.

    After MAX_CONSECUTIVE_FAILURES failures in a row the primary is not called again this session.
    name is the name of whichever brain handled the latest call, so the verdict and turns say who judged.
    """

    def __init__(
        self, primary: Interviewer, fallback: Interviewer, turn_deadline_s: float = TURN_DEADLINE_S,
        scoring_deadline_s: float = SCORING_DEADLINE_S,
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.turn_deadline_s = turn_deadline_s
        self.scoring_deadline_s = scoring_deadline_s
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

    def _failed(self, error: Exception, what: str, budget_s: float) -> None:
        self.failures += 1
        if failure_reason(error) == "deadline":
            note = f"The LLM did not reply within {budget_s:g} s; the offline interviewer took {what}."
        else:
            note = f"The LLM did not answer ({failure_reason(error)}); the offline interviewer took {what}."
        if self.failures >= MAX_CONSECUTIVE_FAILURES:
            self.primary_disabled = True
            note += f" After {self.failures} failures in a row, the offline interviewer runs the rest of the session."
            if failure_reason(error) == "deadline":
                note += " For a slower model, raise [llm] turn_deadline_s."
        log.info("%s (%s)", note, error)  # the loop shows the note itself; the detail goes to the log only
        self.events.append(note)
        self._untaken.append(note)
        self.last_switch_note = note
        self.name = self.fallback.name

    def _succeeded(self) -> None:
        self.failures = 0
        self.name = self.primary.name
        self.last_timings = dict(getattr(self.primary, "last_timings", {}))

    def _bounded(
        self, work: Callable[[Callable[[str], None]], T], budget_s: float, on_sentence: Callable[[str], None] | None,
        said: list[str],
    ) -> T:
        """work(relay) run on a worker thread; what it relays is voiced here, on the caller's thread, into said.

        Raises DeadlineError when the wait (time spent voicing not counted) passes budget_s + GRACE_S: the
        worker is left to end on its own request timeout, and whatever it relays after that is dropped.
        """
        box: queue.Queue[tuple[str, Any]] = queue.Queue()
        abandoned = threading.Event()

        def relay(sentence: str) -> None:
            if not abandoned.is_set():
                box.put(("sentence", sentence))

        def run() -> None:
            try:
                box.put(("done", work(relay)))
            except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
                box.put(("error", e))

        threading.Thread(target=run, name="voicecoach-llm-turn", daemon=True).start()
        wait_until = time.monotonic() + budget_s + GRACE_S
        while True:
            try:
                kind, value = box.get(timeout=max(0.0, wait_until - time.monotonic()))
            except queue.Empty:
                abandoned.set()
                raise DeadlineError(f"no reply within {budget_s:g} s") from None
            if kind == "done":
                result: T = value
                return result
            if kind == "error":
                raise value
            voicing = time.monotonic()
            said.append(value)
            if on_sentence is not None:
                on_sentence(value)
            wait_until += time.monotonic() - voicing  # speaking is not waiting for the LLM

    def react(self, ctx: Context) -> Move:
        """The next move, from the primary if it answers in time, else from the fallback."""
        self.last_switch_note = ""
        if not self.primary_disabled:
            try:
                move = self._bounded(lambda relay: self.primary.react(ctx), self.turn_deadline_s, None, [])
            except Exception as e:  # noqa: BLE001 - any failure of the primary must not end the session
                self._failed(e, "this turn", self.turn_deadline_s)
            else:
                self._succeeded()
                return move
        return self._fallback_react(ctx)

    def react_stream(self, ctx: Context, on_sentence: Callable[[str], None]) -> Move:
        """Like react; on_sentence gets each sentence to say, streamed from the primary or split from the fallback's line.

        If the primary fails mid-stream, the sentences it already passed on stay said, and the fallback's line is
        left to the loop, which says it in full after them (the switch note explains).
        """
        stream = getattr(self.primary, "react_stream", None)
        if not callable(stream):
            move = self.react(ctx)
            for sentence in split_spoken(move.text):
                on_sentence(sentence)
            return move
        self.last_switch_note = ""
        said: list[str] = []
        if not self.primary_disabled:
            try:
                streamed: Move = self._bounded(lambda relay: stream(ctx, relay), self.turn_deadline_s, on_sentence, said)
            except Exception as e:  # noqa: BLE001 - any failure of the primary must not end the session
                self._failed(e, "this turn", self.turn_deadline_s)
            else:
                self._succeeded()
                return streamed
        move = self._fallback_react(ctx)
        if not said:
            for sentence in split_spoken(move.text):
                on_sentence(sentence)
        return move

    def _fallback_react(self, ctx: Context) -> Move:
        self.name = self.fallback.name
        self.last_timings = {}
        return self.fallback.react(ctx)

    def assess(self, ctx: Context) -> Verdict:
        """The verdict from the primary if it comes in time, else from the fallback (verdict.interviewer says which)."""
        self.last_switch_note = ""
        if not self.primary_disabled:
            try:
                verdict = self._bounded(lambda relay: self.primary.assess(ctx), self.scoring_deadline_s, None, [])
            except Exception as e:  # noqa: BLE001 - the feedback must still come
                self._failed(e, "the scoring", self.scoring_deadline_s)
            else:
                self._succeeded()
                return verdict
        self.name = self.fallback.name
        return self.fallback.assess(ctx)
