"""Speech-model threads and OpenMP wait policy: decode time idle and beside two busy processes.

Each configuration runs in a fresh process (libgomp reads OMP_WAIT_POLICY once, when it loads): a short
utterance decoded three times and a 25 s window once, with the product's WhisperTranscriber. The text of the
long window is hashed to show it does not change with the thread count.

    .venv/bin/python bench/stt_threads.py [--load 2] [--out FILE]
    .venv/bin/python bench/stt_threads.py --interleaved 6   # 1 vs 2 threads, same process, alternated
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/: the shared corpus rule
from corpus import find_corpus

CORPUS = find_corpus()
SHORT = "ljspeech_LJ001-0005.wav"  # 8 s: a typical utterance
LONG = "mfa_acoustic_corpus.wav"  # 27 s of spontaneous speech: one second-pass window
POLICIES = {"default": "", "passive": "PASSIVE"}


def child(threads: int) -> None:
    """In the measuring process: load, warm, time the decodes, print one JSON line."""
    from voicecoach.audio.io import load_audio
    from voicecoach.config import SttOptions
    from voicecoach.speech.stt import WhisperTranscriber

    stt = WhisperTranscriber(SttOptions(threads=threads))
    stt.load()
    short, long = load_audio(CORPUS / SHORT), load_audio(CORPUS / LONG)[: (25 * 16000)]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        stt.transcribe(short)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    text = stt.transcribe(long).text
    long_s = time.perf_counter() - t0
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "short_s": statistics.median(times),
                "long_s": long_s,
                "cpu_s": cpu.ru_utime + cpu.ru_stime,
                "text": hashlib.sha1(text.encode()).hexdigest()[:8],
            }
        )
    )


def interleaved(rounds: int) -> str:
    """1 and 2 threads in one process, decodes alternated, best and median of each: a fair comparison when
    other programs load the machine unevenly over time (each count meets the same load)."""
    from voicecoach.audio.io import load_audio
    from voicecoach.config import SttOptions
    from voicecoach.speech.stt import WhisperTranscriber

    audio = {"8 s utterance": load_audio(CORPUS / SHORT), "25 s window": load_audio(CORPUS / LONG)[: 25 * 16000]}
    models = {n: WhisperTranscriber(SttOptions(threads=n)) for n in (1, 2)}
    for m in models.values():
        m.load()
    took: dict[tuple[int, str], list[float]] = {(n, k): [] for n in models for k in audio}
    for _ in range(rounds):
        for n, m in models.items():
            for k, a in audio.items():
                t0 = time.perf_counter()
                m.transcribe(a)
                took[(n, k)].append(time.perf_counter() - t0)
    lines = [
        f"Interleaved, {rounds} rounds (load average {os.getloadavg()[0]:.1f}):",
        "",
        "| threads | audio | best (s) | median (s) |",
        "|---|---|---|---|",
    ]
    for (n, k), v in took.items():
        lines.append(f"| {n} | {k} | {min(v):.2f} | {statistics.median(v):.2f} |")
    return "\n".join(lines) + "\n"


def measure(threads: int, policy: str) -> dict[str, float | str]:
    """One configuration in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    env["OMP_WAIT_POLICY"] = POLICIES[policy]  # "" leaves libgomp's default (spin, then sleep)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(threads)], env=env, capture_output=True, text=True, check=True
    )
    row: dict[str, float | str] = json.loads(out.stdout.strip().splitlines()[-1])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", type=int, default=2, help="busy processes for the loaded runs (default 2)")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    parser.add_argument("--interleaved", type=int, help="only the interleaved 1-vs-2-thread comparison, N rounds")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    if args.interleaved:
        print(interleaved(args.interleaved))
        return
    from busy import busy

    cores = len(os.sched_getaffinity(0))
    counts = sorted({1, 2, max(1, cores - 1), cores})
    lines = [
        (
            f"Command: `.venv/bin/python bench/stt_threads.py --load {args.load}` ({cores} cores; tiny.en int8; "
            f"load average at the start {os.getloadavg()[0]:.1f})."
        ),
        "",
        "| busy processes | wait policy | threads | 8 s utterance (s, median of 3) | 25 s window (s) | CPU time (s) | text |",
        "|---|---|---|---|---|---|---|",
    ]
    for load in (0, args.load):
        with busy(load, limit_s=600):
            for policy in POLICIES:
                for n in counts:
                    r = measure(n, policy)
                    line = (
                        f"| {load} | {policy} | {n} | {float(r['short_s']):.2f} | {float(r['long_s']):.2f} "
                        f"| {float(r['cpu_s']):.1f} | {r['text']} |"
                    )
                    print(line, file=sys.stderr, flush=True)
                    lines.append(line)
    report = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
