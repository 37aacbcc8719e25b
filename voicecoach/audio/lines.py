"""The interviewer's audio per line: which WAV in the session folder a line was voiced into."""

from __future__ import annotations

import os
import wave
from pathlib import Path

from voicecoach.ports import Spoken


def line_audio(folder: Path, spoken: list[Spoken]) -> str | None:
    """The interviewer line's WAV relative to the session folder (several sentences joined into one), or None."""
    wavs = [sp.wav for sp in spoken if sp.wav is not None]
    if not wavs or len(wavs) != len(spoken):
        return None
    root = folder.resolve()
    if not all(w.exists() and w.resolve().is_relative_to(root) for w in wavs):
        return None  # printed only, or written to a folder of the user's choosing outside the session
    wav = wavs[0] if len(wavs) == 1 else join_wavs(wavs, wavs[0].with_name(wavs[0].stem + "-all.wav"))
    return None if wav is None else wav.resolve().relative_to(root).as_posix()


def join_wavs(wavs: list[Path], out: Path) -> Path | None:
    """One WAV holding wavs one after another (a streamed reply is voiced sentence by sentence); None if they differ."""
    try:
        with wave.open(str(out), "wb") as dst:
            fmt: tuple[int, int, int] | None = None
            for path in wavs:
                with wave.open(str(path), "rb") as src:
                    this = (src.getnchannels(), src.getsampwidth(), src.getframerate())
                    if fmt is None:
                        fmt = this
                        dst.setnchannels(this[0])
                        dst.setsampwidth(this[1])
                        dst.setframerate(this[2])
                    elif this != fmt:
                        raise wave.Error(f"{path} differs in format from {wavs[0]}")
                    dst.writeframes(src.readframes(src.getnframes()))
        os.chmod(out, 0o600)
    except (OSError, EOFError, wave.Error):  # the replay loses this line's audio; the interview goes on
        out.unlink(missing_ok=True)
        return None
    return out
