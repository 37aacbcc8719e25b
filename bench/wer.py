"""Word error rate on real speech: the product's transcription path against plain faster-whisper.

Run: .venv/bin/python bench/wer.py [--limit N] [--out docs/transcription.md]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/: the shared corpus rule
from corpus import find_corpus

CORPUS = find_corpus()

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SPELLING = {
    "alright": "all right",
    "ok": "okay",
    "yknow": "you know",
    "y'know": "you know",
    "mr": "mister",
    "mrs": "missus",
    "dr": "doctor",
    "hmm": "hm",
    "mm": "hm",
    "mhm": "hm",
    "umm": "um",
    "uhh": "uh",
    "ah": "uh",
    "er": "uh",
    "gonna": "going to",
    "wanna": "want to",
    "percent": "percent",
    "%": " percent",
}


def number_words(n: int) -> str:
    """An integer in words (years like 1455 read as 'fourteen fifty five')."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if 1100 <= n < 2000 and n % 100 != 0:
        return number_words(n // 100) + " " + number_words(n % 100)
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    if n < 1_000_000:
        rest = n % 1000
        return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def normalise(text: str) -> list[str]:
    """One English normaliser for reference and hypothesis: case, punctuation, numbers, common spellings."""
    t = text.lower().replace("’", "'").replace("‘", "'")
    t = re.sub(r"\[[^\]]*\]|<[^>]*>|\([^)]*\)", " ", t)  # [adif], <VOCNOISE>, (laughs)
    t = t.replace("%", " percent")
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " ", t)
    t = re.sub(r"(?<=\w)'(?=\w)", "", t)  # don't -> dont, so both sides agree
    t = re.sub(r"[^a-z0-9 ]+", " ", t)
    words: list[str] = []
    for w in t.split():
        words.extend(_SPELLING.get(w, w).split())
    return words


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of one pair after normalisation."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return edit_distance(ref, hyp) / max(1, len(ref))


@dataclass(frozen=True)
class Row:
    """One gold corpus row."""

    file: str
    duration_s: float
    reference: str
    style: str


def gold_rows(corpus: Path = CORPUS) -> list[Row]:
    """Gold rows of the corpus manifest, without the longform_derived ones."""
    with (corpus / "manifest.tsv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(r["file"], float(r["duration_s"]), r["reference"].strip('"').replace('""', '"'), r["style"])
            for r in reader
            if r["ref_quality"] == "gold" and r["subset"] != "longform_derived"
        ]


def _table(errors: dict[str, dict[str, list[int]]], systems: list[str]) -> str:
    """Markdown table of pooled and per-style WER (errors / reference words)."""
    styles = sorted({s for sys_ in errors.values() for s in sys_ if s != "pooled"}) + ["pooled"]
    head = "| style | ref words | " + " | ".join(f"{s} WER %" for s in systems) + " |"
    lines = [head, "|" + "---|" * (2 + len(systems))]
    for style in styles:
        n_words = errors[systems[0]][style][1]
        cells = [f"{100 * errors[s][style][0] / max(1, errors[s][style][1]):.1f}" for s in systems]
        lines.append(f"| {style} | {n_words} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run both systems over the corpus, print the table and write docs/transcription.md's figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N rows (for a quick look)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "transcription.md")
    parser.add_argument("--no-prompt", action="store_true", help="also run the product path without the prompt")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--dump", type=Path, help="also write every file's hypotheses to this TSV")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from faster_whisper import WhisperModel

    from voicecoach.config import SttOptions
    from voicecoach.speech.models import resolve_model
    from voicecoach.speech.stt import WhisperTranscriber

    rows = gold_rows()[: args.limit or None]
    product = WhisperTranscriber(SttOptions(model=args.model))  # verbatim, as every session path decodes
    product.load()
    plain = WhisperModel(resolve_model(args.model), device="cpu", compute_type="int8")
    systems: dict[str, Callable[[Path], str]] = {
        "product (verbatim, every session path)": lambda p: product.transcribe_file(p).text,
        "plain faster-whisper": lambda p: " ".join(s.text for s in plain.transcribe(str(p))[0]),
    }
    if args.no_prompt:
        clean = WhisperTranscriber(SttOptions(model=args.model, verbatim=False))
        clean._shared = product._shared  # the same loaded model
        systems["product, clean (transcribe --clean)"] = lambda p: clean.transcribe_file(p).text
    errors: dict[str, dict[str, list[int]]] = {s: defaultdict(lambda: [0, 0]) for s in systems}
    seconds = dict.fromkeys(systems, 0.0)
    dump: list[str] = []
    for i, row in enumerate(rows, 1):
        ref = normalise(row.reference)
        for name, run in systems.items():
            t0 = time.perf_counter()
            raw = run(CORPUS / row.file)
            dump.append("\t".join((row.file, row.style, name, raw.replace("\t", " "))))
            hyp = normalise(raw)
            seconds[name] += time.perf_counter() - t0
            e = edit_distance(ref, hyp)
            for key in (row.style, "pooled"):
                errors[name][key][0] += e
                errors[name][key][1] += len(ref)
        print(f"{i}/{len(rows)} {row.file}", file=sys.stderr, flush=True)
    audio_s = sum(r.duration_s for r in rows)
    table = _table(errors, list(systems))
    speed = "\n".join(f"- {name}: {audio_s / max(seconds[name], 1e-9):.1f}x real time" for name in systems)
    command = "python bench/wer.py" + (f" --limit {args.limit}" if args.limit else "")
    command += " --no-prompt" if args.no_prompt else ""
    text = (
        f"Command: `{command}` (model {args.model}, int8, CPU; {len(rows)} gold rows, {audio_s / 60:.1f} min, "
        f"longform_derived rows excluded; normaliser: bench/wer.py `normalise`)\n\n{table}\n\nSpeed:\n{speed}\n"
    )
    print(text)
    write_between_markers(args.out, text)
    if args.dump:
        args.dump.write_text("\n".join(dump) + "\n", encoding="utf-8")
    return 0


START, END = "<!-- bench/wer.py:start -->", "<!-- bench/wer.py:end -->"


def write_between_markers(path: Path, text: str) -> None:
    """Replace the figures between the markers in path (or create it holding just them)."""
    block = f"{START}\n{text}{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = (old + "\n\n" if old else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
