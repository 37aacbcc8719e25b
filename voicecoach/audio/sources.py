"""Frame sources for the listener: an audio file played at real-time pace, the keyboard's Enter key."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Protocol, TextIO

import numpy as np

from voicecoach.audio.echo import PlaybackClock
from voicecoach.audio.io import load_audio
from voicecoach.config import TurnOptions
from voicecoach.ports import AudioArray

SAMPLE_RATE_HZ = 16000
FILE_BLOCK_SAMPLES = 512  # one VAD window per read, like a microphone callback of 32 ms


class FrameSource(Protocol):
    """16 kHz mono float32 frames, from a microphone or a file, read by the listener's loop."""

    realtime: bool  # False when frames come as fast as they can be read (a file in fast mode)

    def start(self) -> None:
        """Open the device or file (idempotent)."""
        ...

    def begin_turn(self) -> None:
        """Discard what arrived before now (the interviewer's own voice) so the turn starts clean."""
        ...

    def read(self, timeout_s: float) -> AudioArray | None:
        """The next frames (possibly empty on timeout); None once the input has ended."""
        ...

    def close(self) -> None:
        """Release the device (idempotent)."""
        ...


class FileSource:
    """Streams an audio file as if it were a microphone: 32 ms blocks at real-time pace, or fast.

    The file is paused between turns (nothing plays while the interviewer speaks), so a file holding
    several answers separated by silences is heard answer by answer, nothing skipped.
    """

    def __init__(self, path: Path, fast: bool = False) -> None:
        self.path = Path(path)
        self.realtime = not fast
        self._audio: AudioArray | None = None
        self._pos = 0
        self._clock_pos = 0  # sample position when the pacing clock was (re)started
        self._clock_t0 = 0.0

    @property
    def position(self) -> int:
        """Samples of the file delivered so far."""
        return self._pos

    @property
    def total_samples(self) -> int:
        """Length of the file in 16 kHz samples (after start())."""
        return 0 if self._audio is None else int(self._audio.size)

    def start(self) -> None:
        """Decode the whole file (16 kHz mono) once."""
        if self._audio is None:
            self._audio = load_audio(self.path)

    def begin_turn(self) -> None:
        """Restart the pacing clock here: the file does not run on while the interviewer speaks."""
        self._clock_pos = self._pos
        self._clock_t0 = time.monotonic()

    def read(self, timeout_s: float) -> AudioArray | None:
        """The next 32 ms block, waiting until its real-time capture moment unless fast."""
        self.start()
        assert self._audio is not None
        if self._pos >= self._audio.size:
            return None
        end = min(self._pos + FILE_BLOCK_SAMPLES, int(self._audio.size))
        if self.realtime:
            due = self._clock_t0 + (end - self._clock_pos) / SAMPLE_RATE_HZ
            wait = due - time.monotonic()
            if wait > timeout_s:
                time.sleep(max(0.0, timeout_s))
                return np.zeros(0, dtype=np.float32)
            if wait > 0:
                time.sleep(wait)
        block = self._audio[self._pos : end]
        self._pos = end
        return block

    def captured_at(self) -> float:
        """Monotonic time at which the last block read would have been captured by a live microphone."""
        return self._clock_t0 + (self._pos - self._clock_pos) / SAMPLE_RATE_HZ

    def close(self) -> None:
        """Nothing to release."""


class EnterKey:
    """Watches a text stream (stdin) in a daemon thread; pressed() is True once per Enter."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdin
        self._event = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> EnterKey:
        """Begin watching (only when the stream is interactive or was given explicitly)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="voicecoach-enter", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            for _line in self._stream:
                self._event.set()
        except (OSError, ValueError):  # stdin closed or detached: Enter simply never comes
            return

    def clear(self) -> None:
        """Forget an Enter pressed before the turn began."""
        self._event.clear()

    def pressed(self) -> bool:
        """True (once) if Enter was pressed since the last call."""
        if self._event.is_set():
            self._event.clear()
            return True
        return False


def open_source(
    input_device: str | None, options: TurnOptions, fast: bool = False, echo: PlaybackClock | None = None
) -> FrameSource:
    """`file:PATH` gives a FileSource; anything else (None, an index, a name) the microphone."""
    if input_device is not None and input_device.startswith("file:"):
        return FileSource(Path(input_device[len("file:") :]).expanduser(), fast=fast)
    from voicecoach.audio.mic import SoundDeviceSource

    return SoundDeviceSource(input_device, options, echo)
