"""`import voicecoach` and the CLI's parser stay light: no heavy library is imported until needed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("faster_whisper", "ctranslate2", "sounddevice", "pyttsx3", "litellm", "onnxruntime", "av", "torch")


def _imported_after(code: str) -> set[str]:
    probe = f"import sys; {code}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_voicecoach_is_light() -> None:
    mods = _imported_after(
        "import voicecoach, voicecoach.cli, voicecoach.interview, voicecoach.build, voicecoach.commands, "
        "voicecoach.packs, voicecoach.store, voicecoach.config, voicecoach.model"
    )
    assert not mods & set(HEAVY), f"heavy modules imported: {sorted(mods & set(HEAVY))}"


def test_help_works_without_heavy_imports() -> None:
    mods = _imported_after("from voicecoach.cli import parser; parser().format_help()")
    assert not mods & set(HEAVY)
