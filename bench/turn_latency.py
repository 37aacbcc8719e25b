"""Turn latency: answers of ~20/60/120/180 s of real speech through the live path at real-time pace.

For each answer the file source plays it like a microphone (3 s of silence after it), the listener
transcribes each utterance while it plays, and we record the silence waited, the latency past the
end-of-turn window, and the word error rate; then the same audio is transcribed whole, at the end,
for comparison. Writes a markdown table (and JSON) to stdout or --out.

    .venv/bin/python bench/turn_latency.py --out docs/turn_latency.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from voicecoach.audio.commands import normalise
from voicecoach.audio.io import load_audio, write_wav
from voicecoach.audio.listener import LiveListener
from voicecoach.audio.sources import FileSource
from voicecoach.build import build_refiner
from voicecoach.config import SttOptions, TurnOptions
from voicecoach.speech.stt import WhisperTranscriber

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/: the shared corpus rule
from corpus import find_corpus

CORPUS = find_corpus()
SR = 16000
GAP_S = 0.6  # a breath between joined rows: shorter than the end-of-turn silence
MAX_PAUSE_S = 1.2  # longer pauses inside a recording are shortened to this (else they would end the turn)
EDGE_S = 0.2  # silence kept at each end of a recording
TRAIL_S = 3.0
QUESTION = "Our photo uploads dropped 20 percent last week. How would you investigate?"
LJ = [f"ljspeech_LJ001-{i:04d}.wav" for i in range(1, 33)]
MFA = ["mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav", "mfa_cold_corpus3.wav"]
# The "cold" recordings open quietly (the VAD misses their first ~1.8 s), so each leads its answer:
# placed after another recording, that quiet start plus the gap would be a 2.6 s pause and end the turn.
ANSWERS: dict[str, list[str]] = {
    "20 s": LJ[0:3],
    "60 s": [MFA[2], MFA[0], *LJ[3:5]],
    "120 s": [MFA[1], MFA[0], *LJ[3:13]],
    "180 s": ["longform_librivox_sonnets_I-III.wav", *LJ[15:19]],
}
_FILLERS = {"um", "uh", "umm", "uhm", "er", "erm", "hmm", "yknow", "adif", "vocnoise"}


def words(text: str) -> list[str]:
    """Normalised words without fillers and corpus markup (both sides are scored the same way)."""
    text = text.replace("y'know", "yknow").replace("you know", "yknow").replace("-", " ")
    return [w for w in normalise(text).split() if w not in _FILLERS]


def wer(ref: str, hyp: str) -> float:
    """Word error rate after normalisation."""
    import jiwer

    return float(jiwer.wer(" ".join(words(ref)), " ".join(words(hyp))))


def manifest() -> dict[str, str]:
    rows = (CORPUS / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {r.split("\t")[0]: r.split("\t")[2] for r in rows}


def tighten(audio: np.ndarray) -> np.ndarray:
    """Trim a recording's leading/trailing silence and shorten long inner pauses (VAD-measured)."""
    from voicecoach.audio.vad import WINDOW_SAMPLES, SileroVad

    vad = SileroVad().load()
    voiced = np.array(vad.probs(audio)) >= 0.35
    idx = np.flatnonzero(voiced)
    edge, cap = round(EDGE_S * SR), round(MAX_PAUSE_S * SR)
    start = max(0, int(idx[0]) * WINDOW_SAMPLES - edge)
    end = min(audio.size, (int(idx[-1]) + 1) * WINDOW_SAMPLES + edge)
    keep = np.ones(audio.size, dtype=bool)
    keep[:start] = keep[end:] = False
    run_start = None
    for i, v in enumerate(voiced):
        if not v and run_start is None:
            run_start = i
        elif v and run_start is not None:
            a, b = run_start * WINDOW_SAMPLES, i * WINDOW_SAMPLES
            if b - a > cap:
                keep[a + cap // 2 : b - cap // 2] = False
            run_start = None
    return audio[keep]


def build(names: list[str], folder: Path, label: str) -> tuple[Path, str, float]:
    """Join corpus rows with short gaps and trailing silence; returns path, reference, speech length."""
    refs = manifest()
    gap = np.zeros(round(GAP_S * SR), np.float32)
    parts: list[np.ndarray] = []
    for name in names:
        parts += [tighten(load_audio(CORPUS / name)), gap]
    audio = np.concatenate(parts[:-1])
    speech_s = audio.size / SR
    path = write_wav(
        folder / f"answer-{label.replace(' ', '')}.wav",
        np.concatenate([audio, np.zeros(round(TRAIL_S * SR), np.float32)]),
    )
    return path, " ".join(refs[n] for n in names), speech_s


def interviewer_reaction_s(text: str) -> float | None:
    """Wall time of the offline interviewer's react() on this answer, if the brain is available."""
    try:
        from voicecoach.brain.rubric import OfflineInterviewer
        from voicecoach.model import Turn
        from voicecoach.packs import load_pack
        from voicecoach.ports import Context
    except ImportError:
        return None
    pack = load_pack("pm-execution")
    case = pack.cases[0]
    turns = (Turn("interviewer", "question", case.question), Turn("candidate", "answer", text))
    brain = OfflineInterviewer()
    t0 = time.perf_counter()
    brain.react(Context(pack, case, turns))
    return time.perf_counter() - t0


def run(fast: bool, only: list[str], no_second_pass: bool = False) -> list[dict[str, float | str]]:
    transcriber = WhisperTranscriber(SttOptions())
    transcriber.load()
    second_pass = SttOptions(second_pass_s=0.0 if no_second_pass else SttOptions().second_pass_s)
    results: list[dict[str, float | str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, names in ANSWERS.items():
            if only and label.replace(" ", "") not in only:
                continue
            path, ref, speech_s = build(names, folder, label)
            refiner = build_refiner(second_pass)
            if refiner is not None:
                refiner.preload()  # as the product does while a question plays
            first_pass = transcriber.greedy()  # as build_listener gives the live path
            listener = LiveListener(FileSource(path, fast=fast), first_pass, TurnOptions(), refiner=refiner)
            answer = listener.listen(QUESTION, folder / f"turn-{label.replace(' ', '')}.wav")
            assert answer is not None
            final = answer.improved(120.0) if answer.improved is not None else None  # what the session stores
            listener.close()
            t = answer.timings
            t0 = time.perf_counter()
            whole = transcriber.transcribe_file(path)
            whole_s = time.perf_counter() - t0
            react = interviewer_reaction_s(answer.transcript.text)
            row: dict[str, float | str] = {
                "answer": label,
                "speech_s": round(speech_s, 1),
                "end_reason": answer.end_reason,
                "utterances": t["utterances"],
                "refined": t.get("refined_utterances", 0.0),
                "end_of_turn_wait_s": round(t["end_of_turn_wait_s"], 3),
                "beyond_window_s": round(t["beyond_window_s"], 3),
                "transcribe_tail_s": round(t["transcribe_tail_s"], 3),
                "whole_transcribe_s": round(whole_s, 2),
                "wer_streaming": round(wer(ref, answer.transcript.text), 4),
                "wer_whole": round(wer(ref, whole.text), 4),
                "wer_stored": round(wer(ref, (final or answer.transcript).text), 4),
                "ref_words": float(len(words(ref))),
                "react_s": round(react, 4) if react is not None else -1.0,
                "text_streaming": answer.transcript.text,
                "text_whole": whole.text,
            }
            print(json.dumps({k: v for k, v in row.items() if not k.startswith("text")}), file=sys.stderr, flush=True)
            results.append(row)
    return results


def table(rows: list[dict[str, float | str]], command: str) -> str:
    """The markdown report."""
    lines = [
        (
            f"Command: `{command}` (tiny.en int8, {os.cpu_count()} cores; load average at the end "
            f"{os.getloadavg()[0]:.1f}; the file source plays each answer at real-time pace, then 3 s of silence)."
        ),
        "",
        (
            "| answer | speech (s) | utterances re-decoded / all | end-of-turn wait (s) | latency beyond the window (s) "
            "| offline interviewer react (s) | transcribe whole at end (s) | WER at the reply | WER stored "
            "| WER whole file |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        react = "n/a" if float(r["react_s"]) < 0 else f"{float(r['react_s']):.3f}"
        lines.append(
            f"| {r['answer']} | {r['speech_s']} | {int(float(r['refined']))}/{int(float(r['utterances']))} | {float(r['end_of_turn_wait_s']):.3f} "
            f"| {float(r['beyond_window_s']):.3f} | {react} | {float(r['whole_transcribe_s']):.2f} "
            f"| {100 * float(r['wer_streaming']):.1f} % | {100 * float(r['wer_stored']):.1f} % "
            f"| {100 * float(r['wer_whole']):.1f} % |"
        )
    n = sum(float(r["ref_words"]) for r in rows)
    pooled = {
        k: sum(float(r[k]) * float(r["ref_words"]) for r in rows) / n
        for k in ("wer_streaming", "wer_stored", "wer_whole")
    }
    lines += [
        "",
        (
            f"Pooled WER over the {int(n)} reference words: {100 * pooled['wer_streaming']:.1f} % at the reply, "
            f"{100 * pooled['wer_stored']:.1f} % stored, {100 * pooled['wer_whole']:.1f} % whole file."
        ),
    ]
    beyond = [float(r["beyond_window_s"]) for r in rows]
    total = [float(r["end_of_turn_wait_s"]) + b for r, b in zip(rows, beyond, strict=True)]
    lines += [
        "",
        f"Median latency beyond the end-of-turn window: {statistics.median(beyond):.3f} s (target ≤ 0.5 s).",
        (
            f"Wait after the voice stops until the transcript is final, longest vs shortest answer: {total[-1]:.3f} s "
            f"vs {total[0]:.3f} s (ratio {total[-1] / total[0]:.2f}, target ≤ 1.25)."
        ),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="feed as fast as possible (no real-time overlap)")
    parser.add_argument("--out", type=Path, help="write the markdown table here (JSON beside it)")
    parser.add_argument("--no-second-pass", action="store_true", help="per-utterance transcripts only")
    parser.add_argument("--only", nargs="*", default=[], help="labels to run, e.g. 20s 60s")
    args = parser.parse_args()
    flags = [f for f, on in (("--fast", args.fast), ("--no-second-pass", args.no_second_pass)) if on]
    command = " ".join([".venv/bin/python bench/turn_latency.py", *flags])
    rows = run(args.fast, args.only, args.no_second_pass)
    report = table(rows, command)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
