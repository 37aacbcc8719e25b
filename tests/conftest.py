"""Shared test fixtures: paths to the repo, the speech corpus and audio fixtures, and one loaded speech model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from voicecoach.speech.stt import WhisperTranscriber

REPO = Path(__file__).resolve().parents[1]


def _find_corpus() -> Path:
    """The real-speech corpus: $VOICECOACH_SPEECH_CORPUS, else ../shared/speech-corpus beside this clone, else beside
    the checkout this one was cloned from (a fresh `git clone . /tmp/fresh` keeps its tests runnable)."""
    import os
    import subprocess

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


CORPUS = _find_corpus()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared real-speech corpus (../shared/speech-corpus beside the clone)."""
    assert (CORPUS / "manifest.tsv").exists(), (
        f"speech corpus missing at {CORPUS}: set VOICECOACH_SPEECH_CORPUS to the folder holding manifest.tsv"
    )
    return CORPUS


@pytest.fixture(scope="session")
def speech_model() -> WhisperTranscriber:
    """The product's tiny.en transcriber, loaded once for the whole run (tests must not change its options)."""
    from corpus_sessions import product_transcriber

    transcriber: WhisperTranscriber = product_transcriber()
    return transcriber
