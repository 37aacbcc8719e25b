"""What an LLM failure costs the candidate: a whole `voicecoach practice --llm` session per failure mode.

Each mode runs the real command in-process (typed answers, no voice) against a real local HTTP server
(tests/llm_provider.ChatServer) that answers, hangs, stalls mid-stream, fails with HTTP 500 or answers slowly,
with the production settings (turn_deadline_s 8 s, timeout_s 30 s) unless --deadline is given. Prints a
markdown table: the line shown before the first question, the wait for each interviewer reply, who
answered each turn, and the wall time of the whole session.

    .venv/bin/python bench/llm_fallback.py [--deadline 8] [--out FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.llm_provider import ChatServer
from voicecoach.cli import main

MODEL = "openai/test-model"
ANSWERS = [
    "I'd first want to know whether the fall is real or a logging change, then which phones and app builds it hits.",
    "Success would be people finishing an upload they started, per active user, and I'd keep an eye on crashes.",
    "If one Android build is behind it I'd pull that build back and ship a fixed one to a small slice first.",
]
MODES: list[tuple[str, dict[str, Any] | None]] = [
    ("no API key (hosted model)", None),
    ("healthy server", {}),
    ("slow but correct (2 s to first byte)", {"delay_s": 2.0, "chunk_delay_s": 0.05}),
    ("HTTP 500 on every chat call", {"chat": "error"}),
    ("accepts, never replies (chat only)", {"chat": "hang"}),
    ("streams one sentence, then stalls", {"chat": "stall"}),
    ("accepts, never replies (whole server)", {"chat": "hang", "models": "hang"}),
]


def run_mode(server_kw: dict[str, Any] | None, deadline_s: float, home: Path) -> dict[str, Any]:
    """One session in this mode: what was shown first, the per-reply waits, who answered, the wall time."""
    answers = home / "answers.txt"
    answers.write_text("\n---\n".join(ANSWERS) + "\n", encoding="utf-8")
    os.environ["VOICECOACH_HOME"] = str(home)
    os.environ["VOICECOACH_LLM_TURN_DEADLINE_S"] = str(deadline_s)
    args = ["practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out", "none"]
    with contextlib.ExitStack() as stack:
        if server_kw is None:
            os.environ.pop("OPENAI_API_KEY", None)
            args += ["--llm", "openai/gpt-4o-mini"]
        else:
            server = stack.enter_context(ChatServer(**server_kw))
            args += ["--llm", MODEL, "--llm-base-url", server.base_url]
        shown = io.StringIO()
        started = time.monotonic()
        with contextlib.redirect_stdout(shown):
            code = main(args)
        wall = time.monotonic() - started
    lines = shown.getvalue().splitlines()
    data = json.loads((Path(lines[-1]) / "session.json").read_text())
    replies = [t for t in data["turns"] if t["role"] == "interviewer" and "brain_s" in t["timings"]]
    return {
        "exit": code, "first_line": lines[0], "waits": [t["timings"]["brain_s"] for t in replies],
        "by": ["LLM" if t["interviewer"].startswith("llm:") else "offline" for t in replies],
        "scored_by": "LLM" if data["interviewer"].startswith("llm:") else "offline", "wall_s": wall,
        "status": data["status"],
    }


def table(results: list[tuple[str, dict[str, Any]]], deadline_s: float) -> str:
    """The results as a markdown table."""
    out = [f"turn_deadline_s = {deadline_s:g} s, timeout_s = 30 s, 3 typed answers, uploads-drop",
           "", "| mode | shown before the first question | wait per reply (s) | replies by | scored by | session wall |",
           "|---|---|---|---|---|---|"]
    for name, r in results:
        waits = ", ".join(f"{w:.2f}" for w in r["waits"])
        first = r["first_line"] if not r["first_line"].startswith("Session ") else "(nothing)"
        out.append(f"| {name} | {first} | {waits} | {', '.join(r['by'])} | {r['scored_by']} | {r['wall_s']:.1f} s |")
    return "\n".join(out)


def main_bench() -> None:
    """Run every mode and print (or write) the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deadline", type=float, default=8.0, help="turn_deadline_s for the sessions (default 8)")
    ap.add_argument("--out", type=Path, help="write the table here as well")
    args = ap.parse_args()
    results = []
    for name, kw in MODES:
        with tempfile.TemporaryDirectory() as tmp:
            r = run_mode(kw, args.deadline, Path(tmp))
        assert r["exit"] == 0 and r["status"] == "completed", (name, r)
        print(f"{name}: {r}", file=sys.stderr)
        results.append((name, r))
    text = table(results, args.deadline)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main_bench()
