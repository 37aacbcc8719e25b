"""Size of the HTML report of a real demo session: before (answers as WAV only), every turn as WAV, every turn as Opus.

Runs `voicecoach demo` (recorded answers, real Whisper, the offline interviewer, real TTS written to WAVs),
gives each interviewer turn its spoken WAV as the flow will (Turn.audio), and renders the report three ways:
the previous report (export/html.py at git ref b6c32b5, before this work: only the answers' WAVs embedded),
the new report with every turn's WAV embedded, and the new report with every turn as Opus (the default).

    .venv/bin/python bench/report_size.py [--ref b6c32b5]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).with_name("voicecoach"))
PREVIOUS = "b6c32b5"  # the last commit whose report embedded only the answers' WAVs


def _seconds(wav: Path) -> float:
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def _old_html(ref: str, tmp: Path) -> object:
    """The report module as it is at git ref, loaded from a temporary copy."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{ref}:voicecoach/export/html.py"], check=True, capture_output=True, text=True
    ).stdout
    path = tmp / "old_html.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_html", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=PREVIOUS, help=f"git ref of the previous report (default {PREVIOUS})")
    args = ap.parse_args()
    from voicecoach.export.html import to_html
    from voicecoach.store import SessionStore

    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        voice = tmp / "voice"
        env = {**os.environ, "VOICECOACH_HOME": str(tmp / "home")}
        subprocess.run([BIN, "demo", "--voice-out", str(voice)], check=True, env=env, capture_output=True)
        store = SessionStore(tmp / "home" / "sessions")
        (session,) = store.list()
        folder = store.dir(session.id)
        lines = sorted(voice.glob("*-interviewer.wav"))
        spoken = [i for i, turn in enumerate(session.turns) if turn.role == "interviewer"]
        assert len(lines) == len(spoken), f"{len(lines)} WAVs for {len(spoken)} interviewer turns"
        turns = list(session.turns)
        for i, wav in zip(spoken, lines, strict=True):
            (folder / f"turn-{i:02d}.wav").write_bytes(wav.read_bytes())
            turns[i] = dataclasses.replace(turns[i], audio=f"turn-{i:02d}.wav")
        voiced = dataclasses.replace(session, turns=turns)
        audio_s = sum(_seconds(folder / str(turn.audio)) for turn in voiced.turns if turn.audio)
        answers_s = sum(_seconds(folder / str(turn.audio)) for turn in session.turns if turn.audio)
        before = _old_html(args.ref, tmp).to_html(session, folder)  # type: ignore[attr-defined]
        as_wav = to_html(voiced, folder, codec="wav")
        t0 = time.perf_counter()
        as_opus = to_html(voiced, folder)
        opus_s = time.perf_counter() - t0
    print(f"session: {len(session.turns)} turns, answers {answers_s:.1f} s of audio, all turns {audio_s:.1f} s")
    print(f"before ({args.ref}, answers only, WAV):   {len(before.encode()) / 1024:8.0f} KiB")
    print(f"every turn, WAV:                  {len(as_wav.encode()) / 1024:8.0f} KiB")
    print(f"every turn, Opus 24 kb/s (now):   {len(as_opus.encode()) / 1024:8.0f} KiB")
    print(f"Opus report per minute of audio:  {len(as_opus.encode()) / 1024 / (audio_s / 60):8.0f} KiB")
    print(f"rendering with Opus encoding took {opus_s:.2f} s")


if __name__ == "__main__":
    main()
