"""The package stays `mypy --strict` clean (the config is in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_mypy_strict_is_clean() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "voicecoach"], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert r.returncode == 0, r.stdout[-4000:]
    assert "Success: no issues found" in r.stdout
