"""Re-record the synthetic demo answers in manifest.json with espeak-ng + sox (16 kHz mono 16-bit WAV).

Run from the repo root: python audio_fixtures/make_demo.py
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def record(text: str, voice: str, rate_wpm: int, out: Path) -> None:
    """Speak text with espeak-ng, then resample to 16 kHz mono with 0.3 s of silence before and 0.6 s after."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate_wpm), "-w", str(raw), text], check=True)
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out), "pad", "0.3", "0.6"], check=True
        )


def main() -> None:
    """Record every entry of manifest.json whose source is espeak-ng."""
    for item in json.loads((HERE / "manifest.json").read_text(encoding="utf-8")):
        if item["source"].startswith("espeak-ng"):
            record(item["transcript"], item["voice"], item["rate_wpm"], HERE / item["file"])
            print("recorded", item["file"])


if __name__ == "__main__":
    main()
