"""Edge silence trimmed from a synthesised piece, so the pauses between pieces are the ones the speaker sets."""

from __future__ import annotations

import numpy as np

from voicecoach.ports import AudioArray


def trim_silence(audio: AudioArray, rate: int, floor: float = 0.01, keep_s: float = 0.05) -> AudioArray:
    """Drop leading and trailing silence (keeping a few ms), so the pauses between pieces are the ones we set."""
    loud = np.flatnonzero(np.abs(audio) > floor)
    if loud.size == 0:
        return audio[:0]
    keep = int(keep_s * rate)
    return audio[max(0, int(loud[0]) - keep) : int(loud[-1]) + keep + 1]
