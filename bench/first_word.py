"""Time from launching `voicecoach practice` to the interviewer's first line being ready to play.

Without a sound card the interviewer's voice is written as WAVs (--voice-out DIR): the clock stops when
the first WAV is complete on disk, which is when playback would begin. The speech model loads in the
background meanwhile; the end of that load is reported too.

    .venv/bin/python bench/first_word.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

BIN = str(Path(sys.executable).with_name("voicecoach"))


def _complete_wav(folder: Path) -> bool:
    for f in sorted(folder.glob("*.wav")):
        try:
            with wave.open(str(f)) as w:
                return w.getnframes() > 0
        except (wave.Error, EOFError):
            return False
    return False


def one_run(tmp: Path) -> tuple[float, float]:
    """Seconds to the first interviewer WAV, and the background model load's own duration."""
    voice = tmp / "voice"
    answers = tmp / "answers.wav"
    # an answer file keeps the speech model in play, as in a spoken session
    fixture = Path(__file__).resolve().parents[1] / "audio_fixtures" / "demo-02-weak.wav"
    answers.write_bytes(fixture.read_bytes())
    env = {**os.environ, "VOICECOACH_HOME": str(tmp)}
    started = time.monotonic()
    proc = subprocess.Popen(
        [BIN, "practice", "--case", "uploads-drop", "--answers", str(answers), "--voice-out", str(voice)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    first = model = 0.0
    assert proc.stdout is not None
    while proc.poll() is None and not first:
        if voice.exists() and _complete_wav(voice):
            first = time.monotonic() - started
        time.sleep(0.005)
    for line in proc.stdout:
        found = re.search(r"speech model ready in ([0-9.]+) s", line)
        if found:
            model = float(found.group(1))
    proc.wait()
    return first, model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    firsts, models = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as d:
            f, m = one_run(Path(d))
            firsts.append(f)
            models.append(m)
    print("| measure | median s | max s |")
    print("|---|---|---|")
    print(f"| launch → first interviewer line ready | {statistics.median(firsts):.2f} | {max(firsts):.2f} |")
    print(f"| speech model load, in the background | {statistics.median(models):.2f} | {max(models):.2f} |")


if __name__ == "__main__":
    main()
