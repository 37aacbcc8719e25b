"""Test helper: sessions whose interviewer lines are spoken by the real TTS, and a case with an answer key."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import shutil
from pathlib import Path

from voicecoach.content import Case, KeyPoint, Pack
from voicecoach.model import Session
from voicecoach.speech.tts import synthesize, wav_duration_s

GAP_S = 0.5


@functools.cache
def _spoken(text: str, cache: Path) -> Path:
    """The line as a real espeak-ng WAV, made once per test process."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"line-{hashlib.sha1(text.encode()).hexdigest()[:12]}.wav"
    if not path.exists():
        synthesize(text, path, None, 175)
    return path


def with_voice(session: Session, folder: Path, cache: Path) -> Session:
    """The session with each interviewer line as a real TTS WAV (turn-NN.wav) and turns laid end to end on real lengths."""
    clock = 0.0
    turns = []
    for i, turn in enumerate(session.turns):
        if turn.role == "interviewer":
            wav = folder / f"turn-{i:02d}.wav"
            shutil.copyfile(_spoken(turn.text, cache), wav)
            length = wav_duration_s(wav)
            turn = dataclasses.replace(turn, audio=wav.name)
        else:
            length = turn.end_s - turn.start_s
        turns.append(dataclasses.replace(turn, start_s=round(clock, 3), end_s=round(clock + length, 3)))
        clock += length + GAP_S
    return dataclasses.replace(session, turns=turns)


# What the corpus answers say (tiny.en): "here's some more words", "I have a cold", "recording levels are okay".
UPLOADS_KEY = (
    KeyPoint(
        "platform-split",
        "clarify",
        "Asks which platform and app version the drop sits in before proposing causes.",
        (("platform", "app version", "android", "ios"),),
        "Before anything else I'd ask whether the drop is on iOS, Android or both, and since which app version.",
    ),
    KeyPoint(
        "recording-levels",
        "clarify",
        "Checks whether the capture pipeline itself changed.",
        (("recording",), ("levels",)),
        "I'd check first whether the recording levels changed in the capture pipeline.",
    ),
    KeyPoint(
        "retry-storm",
        "edge_cases",
        "Names what happens when uploads retry on a flaky network and how duplicates are caught.",
        (("retry", "retries"), ("duplicate*", "twice")),
        "On a flaky connection the app retries, so I'd make sure a retried upload isn't counted twice.",
    ),
    KeyPoint(
        "baseline",
        "metrics",
        "Compares uploads per active user against the same week last year, not raw counts.",
        (("per active user", "per user"), ("last year", "baseline")),
        "I'd look at uploads per active user against the same week last year, so seasonality doesn't fool us.",
    ),
)


def keyed_case(case: Case) -> Case:
    """The case with the answer key above (the real pack's keys are being written on another branch)."""
    return dataclasses.replace(case, answer_key=UPLOADS_KEY)


def keyed_pack(pack: Pack, keys: dict[str, tuple[KeyPoint, ...]]) -> Pack:
    """The pack with answer keys given per case id."""
    cases = tuple(dataclasses.replace(c, answer_key=keys.get(c.id, c.answer_key)) for c in pack.cases)
    return dataclasses.replace(pack, cases=cases)
