"""Second-pass transcription while the candidate speaks: finished stretches of ~20 s decoded as one window.

Utterances are transcribed one by one as they close (the end-of-turn rules need their words at once), but
a few seconds of speech alone give Whisper little context: on 120 s of real speech that path scored 10.6 %
WER against 4.2 % for the whole answer decoded in 25 s windows. So once closed utterances span
`group_s`, the stretch is decoded again as one window on a second model with one thread, in the idle
time between utterances. The answer uses each stretch's second pass when it has finished by the end of
the turn, and the per-utterance text otherwise; nothing waits for it (unless the source is not real time,
where waiting costs nothing and keeps runs repeatable).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from voicecoach.audio.turn import SAMPLE_RATE_HZ, Utterance
from voicecoach.config import SttOptions
from voicecoach.model import Transcript
from voicecoach.ports import AudioArray, Transcriber

GROUP_S = 20.0  # a stretch this long (or longer, up to Whisper's 30 s window) is decoded again


def _lowest_priority() -> None:
    """Run the second pass only on CPU the first pass leaves idle.

    On Linux the nice value belongs to the thread (here: the worker process's main thread), and threads
    inherit it: the model loaded from it decodes on threads as nice as it.
    """
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


_WORKER: list[Transcriber] = []  # the worker process's transcriber (empty in the main process)


def _die_with_parent() -> None:
    """Linux: the worker is killed when the process that started it dies, even by SIGKILL (no orphan)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent was already gone before the line above
        os._exit(0)


def _worker_start(stt: SttOptions | None) -> None:
    """In the worker process: die with the parent, lowest priority (its threads inherit it), then the model."""
    _die_with_parent()
    _lowest_priority()
    from voicecoach.speech.stt import WhisperTranscriber

    transcriber = WhisperTranscriber(stt or SttOptions(threads=1))
    transcriber.load()
    _WORKER.append(transcriber)


def _worker_ready() -> bool:
    return bool(_WORKER)


def _worker_transcribe(audio: AudioArray, prompt: str | None) -> Transcript:
    return _WORKER[0].transcribe(audio, prompt)


@dataclass
class Stretch:
    """Utterances first..last decoded again as one window (the future holds the second pass)."""

    first: int  # index of its first utterance
    last: int  # index of its last utterance (inclusive)
    start: int  # samples, from the start of listening
    future: Future[Transcript]


@dataclass(frozen=True)
class Piece:
    """A stretch of the answer's text: utterances first..last, whose words start at `start` samples."""

    first: int
    last: int
    start: int
    refined: bool


class GroupRefiner:
    """Decodes groups of closed utterances again, one at a time, in a low-priority worker.

    The product gives it SttOptions: the worker is then a separate process with its own copy of the model
    at the lowest CPU priority, so it shares neither the GIL nor the cores' time with the first pass
    (as a thread at nice 19 it still made the last utterance wait: a low-priority thread holding the GIL
    stalls the capture loop). Given a Transcriber instead, it runs in a thread of this process (tests).
    """

    def __init__(
        self,
        transcriber: Transcriber | None = None,
        group_s: float = GROUP_S,
        max_s: float = 29.0,
        stt: SttOptions | None = None,
    ) -> None:
        self._group = round(group_s * SAMPLE_RATE_HZ)
        self._max = round(max_s * SAMPLE_RATE_HZ)
        self._pool: Executor
        self._run: Callable[[AudioArray, str | None], Transcript]
        if transcriber is not None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="voicecoach-refine", initializer=_lowest_priority)
            self._run = transcriber.transcribe
            load = getattr(transcriber, "load", None)
            self._load: Callable[[], object] = load if callable(load) else _worker_ready
        else:
            context = multiprocessing.get_context("spawn")  # no fork of a process that has audio threads
            self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_worker_start, initargs=(stt,))
            self._run = _worker_transcribe
            self._load = _worker_ready
        self._groups: list[Stretch] = []  # this answer's
        self._live: list[Future[Transcript]] = []  # every second pass not yet finished, of any answer
        self._from = 0

    def preload(self) -> None:
        """Start the worker and load its model now (while the first question plays)."""
        self._pool.submit(self._load)

    def begin(self) -> None:
        """A new answer. The last answer's stretches still run (their answer holds them, see finish())."""
        self._groups, self._from = [], 0
        self._live = [f for f in self._live if not f.done()]

    def closed(
        self, utterances: list[Utterance], audio: Callable[[int, int], AudioArray], prompt: Callable[[int], str]
    ) -> None:
        """Call after each closed utterance: seals a group once the open stretch spans group_s."""
        if self._from >= len(utterances):
            return
        first = utterances[self._from]
        last = utterances[-1]
        if last.end - first.start > self._max:  # the newest would overflow a window: it starts the next stretch
            if len(utterances) - 2 > self._from:  # one utterance alone was decoded that way already
                self._seal(utterances, len(utterances) - 2, audio, prompt)
            self._from = len(utterances) - 1
            first = utterances[self._from]
        if last.end - first.start >= self._group:
            self._seal(utterances, len(utterances) - 1, audio, prompt)

    def _seal(
        self,
        utterances: list[Utterance],
        last: int,
        audio: Callable[[int, int], AudioArray],
        prompt: Callable[[int], str],
    ) -> None:
        first = self._from
        start, end = utterances[first].start, utterances[last].end
        samples = audio(start, end)

        future = self._pool.submit(self._run, samples, prompt(first) or None)
        self._groups.append(Stretch(first, last, start, future))
        self._live.append(future)
        self._from = last + 1

    def finish(
        self, utterances: list[Utterance], audio: Callable[[int, int], AudioArray], prompt: Callable[[int], str]
    ) -> list[Stretch]:
        """The turn has ended: the stretch not yet sealed goes too (if it holds more than one utterance).

        Returns this answer's stretches, for pieces() and wait() after the next answer has begun.
        """
        if len(utterances) - 1 > self._from:
            self._seal(utterances, len(utterances) - 1, audio, prompt)
        return list(self._groups)

    def wait(self, groups: list[Stretch] | None = None, timeout_s: float | None = None) -> bool:
        """Wait until the stretches (default: this answer's) have their second pass; True if all have."""
        futures = [g.future for g in (self._groups if groups is None else groups)]
        done, _pending = concurrent.futures.wait(futures, timeout=timeout_s)
        return len(done) == len(futures)

    def pieces(self, count: int, groups: list[Stretch] | None = None) -> list[tuple[Piece, Transcript | None]]:
        """The answer's utterances 0..count-1 as pieces: finished stretches with their text, the rest one by one."""
        out: list[tuple[Piece, Transcript | None]] = []
        done = {
            g.first: g
            for g in (self._groups if groups is None else groups)
            if g.last < count and g.future.done() and not g.future.cancelled() and g.future.exception() is None
        }
        i = 0
        while i < count:
            g = done.get(i)
            if g is not None:
                out.append((Piece(g.first, g.last, g.start, True), g.future.result()))
                i = g.last + 1
            else:
                out.append((Piece(i, i, -1, False), None))
                i += 1
        return out

    def close(self) -> None:
        """Stop the worker now (a second pass still running is abandoned)."""
        running = any(f.running() for f in self._live)
        for f in self._live:
            f.cancel()
        self.begin()
        if running and isinstance(self._pool, ProcessPoolExecutor):  # do not wait for a stretch nobody will read
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
