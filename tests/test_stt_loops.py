"""Loops and prompt copies in real Whisper decodes are caught and decoded again, on every path."""
# ruff: noqa: F811 - pytest fixtures imported from the sibling module are named again as test parameters

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.io import SAMPLE_RATE_HZ, load_audio
from voicecoach.config import SttOptions
from voicecoach.speech.stt import DISFLUENT_PROMPT, WhisperTranscriber

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from wer import normalise, wer

from tests.test_stt import refs, stt  # noqa: F401 - fixtures shared with test_stt


def test_a_window_whisper_loops_on_is_decoded_again_in_pieces(
    stt: WhisperTranscriber, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in CI: a sampled fallback decode repeated one sentence four times; the window is decoded again."""
    import json

    import voicecoach.speech.stt as stt_module
    from voicecoach.model import Segment

    real_decode = stt_module.WhisperTranscriber._decode
    calls: list[float] = []
    injected: list[str] = []

    def looping_once(self: WhisperTranscriber, audio: np.ndarray, start: int, end: int, *rest: object) -> list[Segment]:
        got: list[Segment] = real_decode(self, audio, start, end, *rest)  # type: ignore[arg-type]
        calls.append((end - start) / SAMPLE_RATE_HZ)
        if len(calls) == 2 and got:  # the second window (the middle of the answer) loops, as Whisper did
            first = got[0]
            run = first.words[:6]
            injected.append(" ".join(w.text for w in run))
            words = (*run, *run, *run, *first.words)
            got[0] = Segment(first.start_s, first.end_s, " ".join(w.text for w in words), words)
        return got

    monkeypatch.setattr(stt_module.WhisperTranscriber, "_decode", looping_once)
    heard = stt.transcribe_file(repo_root / "audio_fixtures" / "demo-03-strong.wav", prompt=DISFLUENT_PROMPT).text
    assert injected and len(calls) > 3, "the looping window was decoded again in smaller pieces"
    assert heard.count(injected[0]) <= 1, heard
    items = json.loads((repo_root / "audio_fixtures" / "manifest.json").read_text(encoding="utf-8"))
    reference = next(i["transcript"] for i in items if i["file"] == "demo-03-strong.wav")
    assert wer(reference, heard) < 0.3, heard


def test_a_window_whisper_answers_with_its_prompt_is_decoded_again_without_it(
    stt: WhisperTranscriber, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in CI: each piece of demo-03's middle window came back as the end of its prompt, not its audio.

    Here every decode of that window that has the earlier text in its prompt writes the prompt's last
    nine words out again (the real decoder runs for everything else). The guardrail and edge-case
    sentences must still be heard, and the copied words kept at most once.
    """
    import voicecoach.speech.stt as stt_module
    from voicecoach.model import Segment, Word

    real_decode = stt_module.WhisperTranscriber._decode
    copied: list[str] = []

    def copying(
        self: WhisperTranscriber,
        audio: np.ndarray,
        start: int,
        end: int,
        offset_s: float,
        prompt: str | None,
        stats: object,
    ) -> list[Segment]:
        if start >= 24 * SAMPLE_RATE_HZ and end <= 46 * SAMPLE_RATE_HZ and prompt and "switch" in prompt:
            tail = prompt.split()[-9:]
            base = offset_s + start / SAMPLE_RATE_HZ
            words = tuple(Word(base + 0.3 * i, base + 0.3 * i + 0.25, w) for i, w in enumerate(tail))
            copied.append(" ".join(tail))
            return [Segment(base, base + 0.3 * len(tail), " ".join(tail), words)]
        return real_decode(self, audio, start, end, offset_s, prompt, stats)  # type: ignore[arg-type]

    monkeypatch.setattr(stt_module.WhisperTranscriber, "_decode", copying)
    heard = stt.transcribe_file(repo_root / "audio_fixtures" / "demo-03-strong.wav", prompt=DISFLUENT_PROMPT).text
    assert copied, "the middle window was given the earlier text as its prompt"
    got = set(normalise(heard))
    assert {"crash", "duplicate", "edge", "videos", "networks"} <= got and got & {"retry", "retries"}, heard
    assert all(heard.count(c) <= 1 for c in copied), heard


def _sharing(stt: WhisperTranscriber, **options: object) -> WhisperTranscriber:
    """A transcriber with other options on the same loaded model (no second load)."""
    from dataclasses import replace

    view = WhisperTranscriber(replace(stt.options, **options))  # type: ignore[arg-type]
    view._shared = stt._shared
    return view


# Not "duplicate": "duplicate uploads" comes back as "duplicator loads" in some decodes.
STRONG_SENTENCES = {"crash", "edge", "videos", "networks", "campaign"}


def test_the_loop_whisper_really_makes_on_the_demo_answer_is_caught(
    stt: WhisperTranscriber, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No mock: tiny.en, without the filler prompt, writes "stage rollout. 1% 10%" three times over demo-03's middle.

    Its word list splits "1%" into "1" and "%"; the '%' used to hide the loop from the check, the guardrail
    and edge-case sentences were lost and the demo's strong answer was told it needed a guardrail.
    """
    import voicecoach.speech.stt as stt_module
    from voicecoach.model import Segment
    from voicecoach.speech.repeats import looped

    real_decode = stt_module.WhisperTranscriber._decode
    loops: list[str] = []

    def watching(self: WhisperTranscriber, *args: object) -> list[Segment]:
        got: list[Segment] = real_decode(self, *args)  # type: ignore[arg-type]
        if looped(got):
            loops.append(" ".join(s.text for s in got))
        return got

    monkeypatch.setattr(stt_module.WhisperTranscriber, "_decode", watching)
    plain = _sharing(stt, verbatim=False)
    heard = plain.transcribe_file(repo_root / "audio_fixtures" / "demo-03-strong.wav").text
    assert loops and "rollout" in loops[0], "Whisper looped on this window (else this test checks nothing)"
    assert heard.count("rollout") == 1, heard
    assert STRONG_SENTENCES <= set(normalise(heard)), heard


def test_the_demo_answer_path_hears_the_strong_answer_whole(stt: WhisperTranscriber, repo_root: Path) -> None:
    """The --answers path (the demo's): the interviewer's follow-up and earlier answers in the prompt."""
    from voicecoach.audio.scripted import AudioFilesListener

    follow_up = (
        'You mentioned "day after launch to confirm it worked". What would you expect to see in the data if '
        "you're wrong about the cause?"
    )
    before = "To measure it, I'd track app downloads and page views. We'd look at the data after launch to confirm it worked."
    listener = AudioFilesListener([repo_root / "audio_fixtures" / "demo-03-strong.wav"], stt)
    with tempfile.TemporaryDirectory() as tmp:
        answer = listener.listen(follow_up, Path(tmp) / "turn.wav", before)
    assert answer is not None
    heard = answer.transcript.text
    assert heard.count("rollout") == 1 and STRONG_SENTENCES <= set(normalise(heard)), heard


@pytest.mark.soak
def test_one_transcript_whatever_the_threads_and_the_load(repo_root: Path, corpus_dir: Path) -> None:
    """The same audio gives the same text with 1, 2 and 4 threads, and beside two busy processes.

    Two 22-25 s windows, each decoded (with every check and repair) as one: the middle of demo-03 where
    tiny.en loops, and the middle of the 231 s long-form row. Decoding is at temperature 0, so neither the
    thread count nor the timing may change a word.
    """
    sys.path.insert(0, str(REPO / "bench"))
    from busy import busy

    demo = load_audio(repo_root / "audio_fixtures" / "demo-03-strong.wav")[
        int(24.5 * SAMPLE_RATE_HZ) : 46 * SAMPLE_RATE_HZ
    ]
    long = load_audio(corpus_dir / "longform_ljspeech_LJ001-0001_0032.wav")[100 * SAMPLE_RATE_HZ : 125 * SAMPLE_RATE_HZ]
    windows = {"demo-03 middle": (demo, "with a kill switch."), "long-form 100-125 s": (long, None)}
    texts: dict[str, set[str]] = {}
    for threads, load in ((1, 0), (4, 0), (2, 2)):
        t = WhisperTranscriber(SttOptions(threads=threads))
        with busy(load, limit_s=300):
            for name, (audio, prompt) in windows.items():
                texts.setdefault(name, set()).add(t.transcribe(audio, prompt).text)
    for name, seen in texts.items():
        assert len(seen) == 1, f"{name}: {len(seen)} different transcripts: {seen}"
    assert "rollout" in next(iter(texts["demo-03 middle"]))


def test_transcribe_is_verbatim_and_clean_on_request(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`voicecoach transcribe` writes "um" and "uh" as said (the reference holds three); `--clean` drops them."""
    import json

    from voicecoach.cli import main

    counts = []
    for flags in ([], ["--verbatim"], ["--clean"]):
        assert main(["transcribe", str(corpus_dir / "mfa_acoustic_corpus.wav"), "--json", *flags]) == 0
        text = json.loads(capsys.readouterr().out)[0]["text"]
        counts.append(sum(w in ("um", "uh") for w in normalise(text)))
    assert counts[0] == counts[1] >= 3 > counts[2], counts


IDLE_CPU = """
import sys, time
from pathlib import Path
from voicecoach.audio.io import load_audio
from voicecoach.config import SttOptions
from voicecoach.speech.stt import WhisperTranscriber

t = WhisperTranscriber(SttOptions(threads=2))
t.transcribe(load_audio(Path(sys.argv[1])))
time.sleep(0.2)
started = time.process_time()
time.sleep(1.0)  # the model's threads have nothing to do now
print(time.process_time() - started)
"""


def test_the_speech_model_threads_sleep_when_idle_instead_of_spinning(corpus_dir: Path) -> None:
    """OMP_WAIT_POLICY is set before CTranslate2's OpenMP loads: an idle second burns no CPU.

    The same script with a user's OMP_WAIT_POLICY=active shows what the product avoids (and that this
    test can tell the two apart): the decoder's threads spin through the idle second.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    wav = str(corpus_dir / "ljspeech_LJ001-0005.wav")
    burnt = {}
    for policy in ("", "active"):
        run_env = {**env, "OMP_WAIT_POLICY": policy} if policy else env
        out = subprocess.run(
            [sys.executable, "-c", IDLE_CPU, wav], env=run_env, capture_output=True, text=True, check=True, timeout=300
        )
        burnt[policy or "product"] = float(out.stdout.strip().splitlines()[-1])
    assert burnt["product"] < 0.02, burnt  # measured: under 0.001 s
    assert burnt["active"] > 0.05, burnt  # measured: 0.15 s on a shared, loaded machine, ~1 s on a quiet one


def test_thread_choice_and_its_reason() -> None:
    from voicecoach.speech.runtime import auto_threads, choose

    assert [auto_threads(c) for c in (1, 2, 4, 8, 64)] == [1, 2, 3, 4, 4]
    assert choose(3).threads == 3 and "as configured" in choose(3).reason
    assert "passive" in choose().reason or "OMP_WAIT_POLICY" in choose().reason
