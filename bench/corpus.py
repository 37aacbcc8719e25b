"""Where the real-speech corpus is: one rule for the benches and the tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def find_corpus() -> Path:
    """$VOICECOACH_SPEECH_CORPUS, else ../shared/speech-corpus beside this checkout, else beside the checkout it was
    cloned from (so a fresh `git clone . /tmp/fresh` still finds it); the first candidate when none holds it."""
    if os.environ.get("VOICECOACH_SPEECH_CORPUS"):
        return Path(os.environ["VOICECOACH_SPEECH_CORPUS"])
    here = REPO.parent / "shared" / "speech-corpus"
    if (here / "manifest.tsv").exists():
        return here
    origin = subprocess.run(
        ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        beside = Path(origin).resolve().parent / "shared" / "speech-corpus"
        if (beside / "manifest.tsv").exists():
            return beside
    return here
