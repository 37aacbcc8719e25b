"""How the second pass groups closed utterances, and which text the answer uses (real-speech check: test_listener)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from voicecoach.audio.refine import GroupRefiner
from voicecoach.audio.turn import Utterance
from voicecoach.model import Transcript
from voicecoach.ports import AudioArray

SR = 16000


class _Recorder:
    """Transcriber port that reports how much audio each call got; can be held to look unfinished."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str | None]] = []
        self.nice: list[int] = []
        self.gate = threading.Event()
        self.gate.set()

    def transcribe(self, audio: AudioArray, prompt: str | None = None) -> Transcript:
        self.gate.wait(10)
        self.nice.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.calls.append((int(audio.size), prompt))
        return Transcript(text=f"{audio.size / SR:.0f} s")

    def transcribe_file(self, path: object, prompt: str | None = None) -> Transcript:
        raise AssertionError("not used")


def _utts(lengths_s: list[float], gap_s: float = 0.5) -> list[Utterance]:
    out, t = [], 0
    for i, n in enumerate(lengths_s):
        out.append(Utterance(i, t, t + round(n * SR)))
        t += round((n + gap_s) * SR)
    return out


def _feed(refiner: GroupRefiner, utts: list[Utterance]) -> None:
    audio = np.zeros(utts[-1].end + SR, np.float32)
    for k in range(1, len(utts) + 1):
        refiner.closed(utts[:k], lambda a, b: audio[a:b], lambda first: f"before {first}")


def test_stretches_of_twenty_seconds_are_decoded_again_with_the_text_before_them() -> None:
    rec = _Recorder()
    refiner = GroupRefiner(rec)
    utts = _utts([6, 6, 6, 6, 6, 6, 6, 3])  # 6.5 s apart: a stretch reaches 20 s at its 4th utterance
    _feed(refiner, utts)
    refiner.wait()
    assert [round(n / SR, 1) for n, _ in rec.calls] == [25.5, 22.5]
    assert [p for _, p in rec.calls] == ["before 0", "before 4"]
    assert rec.nice == [19, 19]  # only on CPU the first pass leaves idle (threads the model starts inherit it)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19
    pieces = refiner.pieces(len(utts))
    assert [(p.first, p.last, p.refined) for p, _ in pieces] == [(0, 3, True), (4, 7, True)]
    assert pieces[0][0].start == utts[0].start and pieces[1][0].start == utts[4].start
    refiner.close()


def test_a_stretch_never_outgrows_one_whisper_window() -> None:
    rec = _Recorder()
    refiner = GroupRefiner(rec)
    _feed(refiner, _utts([15, 15, 10, 4, 12]))
    refiner.wait()
    # 15 + 15 s would be 30.5 s: the second starts a new stretch, and the first alone is not decoded again;
    # the second and the 10 s one make 25.5 s (sealed); 4 + 12 s stay under 20 s (per-utterance text)
    assert [round(n / SR, 1) for n, _ in rec.calls] == [25.5]
    assert all(n <= 29 * SR for n, _ in rec.calls)
    refiner.close()


def test_unfinished_stretches_keep_the_per_utterance_text_and_a_new_answer_starts_clean() -> None:
    rec = _Recorder()
    rec.gate.clear()  # the second pass is still running when the turn ends
    refiner = GroupRefiner(rec)
    utts = _utts([6, 6, 6, 6, 3])
    _feed(refiner, utts)
    pieces = refiner.pieces(len(utts))
    assert [(p.first, p.last, p.refined, t) for p, t in pieces] == [(i, i, False, None) for i in range(5)]
    refiner.begin()
    rec.gate.set()
    refiner.wait()
    assert refiner.pieces(5) == [(p, None) for p, _ in pieces]  # the old answer's stretch is not used
    refiner.close()


def test_the_product_second_pass_is_a_low_priority_process_with_the_real_model() -> None:
    """build_refiner's worker: another process, nice 19, decoding real speech with its own tiny.en."""

    from voicecoach.audio.io import load_audio
    from voicecoach.build import build_refiner
    from voicecoach.config import SttOptions

    audio = load_audio(Path(__file__).resolve().parents[1] / "audio_fixtures" / "demo-01-clarify.wav")
    refiner = build_refiner(SttOptions())
    assert refiner is not None
    pool = refiner._pool
    pid, nice = pool.submit(_pid_and_nice).result(timeout=120)
    assert pid != os.getpid() and nice == 19
    text = pool.submit(refiner._run, audio, None).result(timeout=120).text.lower()
    assert "drop" in text and "platforms" in text, text
    refiner.close()
    assert build_refiner(SttOptions(second_pass_s=0)) is None


def _pid_and_nice() -> tuple[int, int]:
    return os.getpid(), os.getpriority(os.PRIO_PROCESS, 0)


def test_the_second_pass_worker_dies_with_the_session() -> None:
    """A session killed with SIGKILL leaves no second-pass process behind."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import os, time\n"
        "from voicecoach.build import build_refiner\n"
        "from voicecoach.config import SttOptions\n"
        "r = build_refiner(SttOptions())\n"
        "print(r._pool.submit(os.getpid).result(timeout=120), flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    os.kill(worker, 0)  # alive
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        raise AssertionError("the worker outlived the session")
