"""Turn latency beside busy programs: a ~30 s and a ~4 min answer through `--input-device file:`, idle and loaded.

Each answer is one `voicecoach practice --input-device file:ANSWER --voice-out none` session, streamed at
real-time pace (3 s of silence after it), run as a fresh process exactly as a user would; the bench reads the
turn's timings from session.json. "Loaded" means two busy processes (`yes > /dev/null`, or a Python busy
loop where `yes` is missing) that the bench starts before and stops after each run (and that stop by
themselves after --limit-s whatever happens). Then the whole `voicecoach demo` is timed idle and loaded.

    .venv/bin/python bench/turn_latency_load.py [--reps 1] [--only 30s] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from busy import busy

BIN = str(Path(sys.executable).with_name("voicecoach"))
# The 27 s spontaneous monologue and the 231 s read passage of the idle figures.
ANSWERS = {"30s": ["mfa_acoustic_corpus.wav"], "4min": ["longform_ljspeech_LJ001-0001_0032.wav"]}
CONDITIONS = {"idle": 0, "2 busy": 2}
TARGETS = {"idle": 0.3, "2 busy": 1.0}  # seconds of processing after the end-of-turn window, median


def _session(stdout: str) -> dict[str, object]:
    folder = Path(stdout.strip().splitlines()[-1])
    data: dict[str, object] = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    return data


def answer_once(wav: Path, home: Path) -> dict[str, float]:
    """One practice session with the file as the microphone; the first answer's timings."""
    env = {**os.environ, "VOICECOACH_HOME": str(home)}
    cmd = [BIN, "practice", "--case", "uploads-drop", "--voice-out", "none", "--input-device", f"file:{wav}"]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200, check=False)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    turns = _session(r.stdout)["turns"]
    assert isinstance(turns, list)
    i, answer = next((i, t) for i, t in enumerate(turns) if t["role"] == "candidate")
    reply = turns[i + 1] if i + 1 < len(turns) else {"timings": {}}
    t = answer["timings"]
    return {
        "beyond_window_s": float(t["beyond_window_s"]),
        "end_of_turn_wait_s": float(t["end_of_turn_wait_s"]),
        "reply_after_window_s": float(reply["timings"].get("reply_latency_s", float("nan")))
        - float(t["end_of_turn_wait_s"]),
        "answer_s": float(t["answer_s"]),
        "words": float(len(str(answer["text"]).split())),
        "session_wall_s": wall,
    }


def demo_once(home: Path) -> float:
    """Wall time of the whole `voicecoach demo` (interviewer lines printed, not spoken)."""
    env = {**os.environ, "VOICECOACH_HOME": str(home)}
    t0 = time.perf_counter()
    r = subprocess.run(
        [BIN, "demo", "--voice-out", "none"], env=env, capture_output=True, text=True, timeout=1200, check=False
    )
    if r.returncode != 0:
        raise RuntimeError(f"voicecoach demo failed: {r.stderr[-2000:]}")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1, help="sessions per answer and condition (default 1)")
    parser.add_argument("--only", nargs="*", default=[], help="answers to run: 30s 4min (default both)")
    parser.add_argument("--no-demo", action="store_true", help="skip the whole-demo timing")
    parser.add_argument("--limit-s", type=float, default=900.0, help="busy processes stop after this at the latest")
    parser.add_argument("--out", type=Path, help="also write the markdown here (JSON beside it)")
    args = parser.parse_args()
    from turn_latency import build

    rows: list[dict[str, object]] = []
    demo: dict[str, float] = {}
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wavs = {
            label: build(names, folder, label)[0]
            for label, names in ANSWERS.items()
            if not args.only or label in args.only
        }
        for condition, count in CONDITIONS.items():
            for label, wav in wavs.items():
                for rep in range(args.reps):
                    with busy(count, args.limit_s):
                        got = answer_once(wav, folder / f"home-{condition}-{label}-{rep}".replace(" ", ""))
                    row: dict[str, object] = {"condition": condition, "answer": label, **got}
                    print(json.dumps(row), file=sys.stderr, flush=True)
                    rows.append(row)
            if not args.no_demo:
                with busy(count, args.limit_s):
                    demo[condition] = demo_once(folder / f"demo-{condition}".replace(" ", ""))
                print(json.dumps({"condition": condition, "demo_s": demo[condition]}), file=sys.stderr, flush=True)
    report = table(rows, demo, args, load_start)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps({"rows": rows, "demo": demo}, indent=2), encoding="utf-8")
    print(report)


def table(rows: list[dict[str, object]], demo: dict[str, float], args: argparse.Namespace, load: float) -> str:
    """The markdown report."""
    flags = "".join(
        [f" --reps {args.reps}" if args.reps != 1 else "", f" --only {' '.join(args.only)}" if args.only else ""]
    )
    lines = [
        (
            f"Command: `.venv/bin/python bench/turn_latency_load.py{flags}` ({len(os.sched_getaffinity(0))} cores, "
            f"tiny.en int8; load average {load:.1f} when it started; each answer streamed at real-time pace "
            "through `voicecoach practice --input-device file:` in a fresh process)."
        ),
        "",
        (
            "| condition | answer | speech (s) | processing after the end-of-turn window (s), median | max | "
            "reply after the window (s), median | target |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for condition in CONDITIONS:
        for label in ANSWERS:
            got = [r for r in rows if r["condition"] == condition and r["answer"] == label]
            if not got:
                continue
            beyond = [float(str(r["beyond_window_s"])) for r in got]
            reply = [float(str(r["reply_after_window_s"])) for r in got]
            ok = "met" if statistics.median(beyond) <= TARGETS[condition] else "MISSED"
            lines.append(
                f"| {condition} | {label} | {float(str(got[0]['answer_s'])):.0f} | {statistics.median(beyond):.2f} "
                f"| {max(beyond):.2f} | {statistics.median(reply):.2f} | ≤ {TARGETS[condition]} s: {ok} |"
            )
    if len(demo) == len(CONDITIONS):
        ratio = demo["2 busy"] / demo["idle"]
        lines += [
            "",
            (
                f"Whole `voicecoach demo --voice-out none`: {demo['idle']:.1f} s idle, {demo['2 busy']:.1f} s beside two "
                f"busy processes ({ratio:.2f}x; target ≤ 2.5x: {'met' if ratio <= 2.5 else 'MISSED'})."
            ),
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
