"""Shared test fixtures: paths to the repo, the speech corpus and audio fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "speech-corpus"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared real-speech corpus (../shared/speech-corpus beside the clone)."""
    assert (CORPUS / "manifest.tsv").exists(), f"speech corpus missing at {CORPUS}"
    return CORPUS
