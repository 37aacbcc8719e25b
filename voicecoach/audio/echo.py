"""When the interviewer's voice last came out of the speaker, so capture can drop what the microphone heard of it."""

from __future__ import annotations

import threading
import time


class PlaybackClock:
    """Shared by the speaker (marks each playback) and the microphone (drops frames captured before its end).

    Half-duplex by time, not by flushing: with nothing played (``--voice-out none`` or a folder) nothing is
    dropped, so a device that delivers faster than real time (ALSA's file plugin) loses no later answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until = 0.0

    def done(self) -> None:
        """Playback has ended (or failed) now."""
        with self._lock:
            self._until = time.monotonic()

    @property
    def until(self) -> float:
        """Monotonic end of the last playback (0.0 if nothing was played)."""
        with self._lock:
            return self._until
