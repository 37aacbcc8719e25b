"""Shared test fixtures: paths to the repo, the speech corpus and audio fixtures, and one loaded speech model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from voicecoach.speech.stt import WhisperTranscriber

REPO = Path(__file__).resolve().parents[1]


sys.path.insert(0, str(REPO / "bench"))
from corpus import find_corpus

CORPUS = find_corpus()


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
