"""How well the interviewer's voice is understood: its lines synthesised by each voice, transcribed back by Whisper.

The lines are those of real offline sessions (typed answers, `--voice-out none`) over two cases, question,
clarification answers, follow-ups and feedback, plus every hidden fact of those cases as the pack states it
(the case-fact lines: the question and what the interviewer reveals). Each voice renders them through the
Speaker's own path (text as spoken, paragraphs and pauses); tiny.en (voicecoach's WhisperTranscriber, no
prompt) transcribes each WAV; WER uses bench/wer.py's normaliser after putting both sides in spoken form.

    .venv/bin/python bench/voice_intelligibility.py [--voices joe,en-us,en-before] [--keep DIR]
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
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from wer import edit_distance, normalise

from voicecoach.config import TtsOptions
from voicecoach.speech.spoken import as_spoken

CASES = {  # typed answers in everyday words: a clarifying question first, so facts are revealed
    "checkout-fees": [
        (
            "Before I start, has this crept down week by week or did it fall off a cliff? And is it everyone or "
            "mostly some kinds of customers?"
        ),
        (
            "Since it's slow I'd look at price and rivals more than a bad release. I'd split by city size and by "
            "new versus returning people, then walk the checkout screens to see where people bail."
        ),
        (
            "I'd weigh what the fees earn against the orders we lose, and try showing the total earlier, as a "
            "test we stop if orders keep falling."
        ),
    ],
    "uploads-drop": [
        "Quick question first: is this on every platform, or one of the apps in particular? When did it start?",
        (
            "A sudden drop on one platform smells like a release. I'd line the drop up with the release calendar "
            "and look at upload errors by app version, then roll back or fix the upload path."
        ),
        (
            "I'd watch completed uploads per active user and the error rate, and keep an eye on crash rates so "
            "the fix doesn't break something else."
        ),
    ],
}
FACT_KINDS = ("question", "clarification_answer", "fact")
# name -> (load_voice argument, rate_wpm, spoken form?) ; 'en-before' is the voice before issue 14
RATE = TtsOptions().rate_wpm
VOICES = {
    "joe": ("joe", RATE, True),
    "en-us": ("en-us", RATE, True),
    "en-us-175": ("en-us", 175, True),
    "en-before": ("en", 175, False),
}
START, END = "<!-- bench/voice_intelligibility.py:start -->", "<!-- bench/voice_intelligibility.py:end -->"


@dataclass(frozen=True)
class Line:
    """One interviewer line and what it is."""

    kind: str
    text: str


def session_lines(tmp: Path) -> list[Line]:
    """Interviewer lines of one real offline session per case, then each case's hidden facts."""
    lines: list[Line] = []
    for case, answers in CASES.items():
        answer_file = tmp / f"{case}.txt"
        answer_file.write_text("\n---\n".join(answers) + "\n", encoding="utf-8")
        out = tmp / case
        subprocess.run(
            [sys.executable, "-c", "import sys; from voicecoach.cli import main; sys.exit(main(sys.argv[1:]))",
             "practice", "--case", case, "--answers-text", str(answer_file), "--voice-out", "none",
             "--out", str(out)],
            check=True, capture_output=True, cwd=REPO, env={**os.environ, "VOICECOACH_HOME": str(tmp / "home")},
        )  # fmt: skip
        session = json.loads(next(out.glob("*/session.json")).read_text(encoding="utf-8"))
        lines += [Line(t["kind"], t["text"]) for t in session["turns"] if t["role"] == "interviewer"]
        pack = tomllib.loads((REPO / "prompts" / "pm-execution" / "cases" / f"{case}.toml").read_text("utf-8"))
        lines += [Line("fact", fact["answer"]) for fact in pack["hidden_facts"]]
    return lines


@dataclass
class Result:
    """One voice's figures."""

    errors: int = 0
    words: int = 0
    fact_errors: int = 0
    fact_words: int = 0
    audio_s: float = 0.0
    synth_s: float = 0.0
    first_sound_s: float = 0.0
    first_wav_s: float = 0.0
    worst: tuple[float, str, str] = (0.0, "", "")


def startup(spec: str, rate: int, text: str) -> tuple[float, float]:
    """Seconds from a fresh interpreter to the first question's first sound (its first sentence, when playback
    starts) and to its whole audio (a complete WAV), this voice; medians of 3 runs."""
    code = (
        "import sys, time; t0 = time.perf_counter(); sys.path.insert(0, sys.argv[1]);"
        "from voicecoach.speech.voices import load_voice; from voicecoach.speech.tts import iter_line;"
        "pieces = iter_line(load_voice(sys.argv[2], int(sys.argv[3])), sys.argv[4], 0.7); next(pieces);"
        "t1 = time.perf_counter(); list(pieces); print(t1 - t0, time.perf_counter() - t0)"
    )
    runs = [
        [float(x) for x in subprocess.run([sys.executable, "-c", code, str(REPO), spec, str(rate), text],
                                          check=True, capture_output=True, text=True).stdout.split()[-2:]]
        for _ in range(3)
    ]  # fmt: skip
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure(name: str, lines: list[Line], transcriber: object, keep: Path) -> Result:
    """Synthesise every line with one voice, transcribe it back and count word errors."""
    from voicecoach.audio.io import write_wav
    from voicecoach.speech.tts import render_line
    from voicecoach.speech.voices import load_voice

    spec, rate, spoken_form = VOICES[name]
    voice = load_voice(spec, rate)
    first_sound, first_wav = startup(spec, rate, lines[0].text)
    result = Result(first_sound_s=first_sound, first_wav_s=first_wav)
    folder = keep / name
    folder.mkdir(parents=True, exist_ok=True)
    for i, line in enumerate(lines, 1):
        t0 = time.perf_counter()
        if spoken_form:
            audio, sr = render_line(voice, line.text, 0.7)
        else:  # as before issue 14: the written text straight to espeak, in one piece
            pieces = list(voice.stream(line.text))
            audio, sr = np.concatenate([a for a, _ in pieces]), pieces[0][1]
        result.synth_s += time.perf_counter() - t0
        result.audio_s += audio.size / sr
        wav = write_wav(folder / f"line-{i:02d}.wav", audio, sr)
        heard = transcriber.transcribe_file(wav).text  # type: ignore[attr-defined]
        ref, hyp = normalise(as_spoken(line.text)), normalise(as_spoken(heard))
        errors = edit_distance(ref, hyp)
        result.errors += errors
        result.words += len(ref)
        if line.kind in FACT_KINDS:
            result.fact_errors += errors
            result.fact_words += len(ref)
        rate_ = errors / max(1, len(ref))
        if rate_ > result.worst[0]:
            result.worst = (rate_, line.text, heard)
        print(f"{name} {i}/{len(lines)} {line.kind} {100 * rate_:.0f}%: {heard}", file=sys.stderr, flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure each voice, print the table and write it into docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", default=",".join(VOICES), help=f"comma-separated, of: {', '.join(VOICES)}")
    parser.add_argument("--keep", type=Path, help="keep the WAVs in this folder")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    from voicecoach.config import SttOptions
    from voicecoach.speech.stt import WhisperTranscriber

    transcriber = WhisperTranscriber(SttOptions(model="tiny.en"))
    transcriber.load()
    with tempfile.TemporaryDirectory() as tmp:
        lines = session_lines(Path(tmp))
        keep = args.keep or Path(tmp) / "wavs"
        results = {name: measure(name, lines, transcriber, keep) for name in args.voices.split(",")}
    n_fact = sum(1 for line in lines if line.kind in FACT_KINDS)
    head = (
        "| voice | WER % all lines | WER % case-fact lines | WER % other lines | start → first sound s "
        "| start → first question WAV s | synthesis real-time factor |\n|---|---|---|---|---|---|---|"
    )
    rows = []
    for name, r in results.items():
        other_e, other_w = r.errors - r.fact_errors, r.words - r.fact_words
        rows.append(
            f"| {name} ({VOICES[name][0]}, {VOICES[name][1]} wpm{'' if VOICES[name][2] else ', written text'}) "
            f"| {100 * r.errors / max(1, r.words):.1f} | {100 * r.fact_errors / max(1, r.fact_words):.1f} "
            f"| {100 * other_e / max(1, other_w):.1f} | {r.first_sound_s:.2f} | {r.first_wav_s:.2f} "
            f"| {r.synth_s / max(1e-9, r.audio_s):.3f} |"
        )
    worst = "\n".join(f"- {name}: worst line {100 * r.worst[0]:.0f}%: \"{r.worst[1]}\" heard as \"{r.worst[2]}\""
                      for name, r in results.items())  # fmt: skip
    audio_min = statistics.mean(r.audio_s for r in results.values()) / 60
    text = (
        f"Command: `.venv/bin/python bench/voice_intelligibility.py` ({len(lines)} interviewer lines, {n_fact} of "
        f"them case-fact lines, {sum(len(normalise(as_spoken(x.text))) for x in lines)} words, about "
        f"{audio_min:.1f} min of speech per voice; transcribed by tiny.en int8 on CPU)\n\n"
        f"{head}\n" + "\n".join(rows) + f"\n\n{worst}\n"
    )
    print(text)
    if not args.no_write:
        _write_section(args.out, text)
    return 0


def _write_section(path: Path, text: str) -> None:
    """Replace the figures between this bench's markers in path (appending them the first time)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{text}{END}"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
