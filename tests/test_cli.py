"""The `voicecoach` command end to end, as a user runs it: real packs, real brain, real store."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import write_answers

BIN = str(Path(sys.executable).with_name("voicecoach"))

WEAK = "Um, I think we should add more features like stickers and filters to get people uploading again."
STRONG = (
    "First I'd segment the drop by platform and app version, and look at the upload funnel from start to "
    "success. If Android 5.2 shows a higher error rate, I'd roll back or turn off the new upload service "
    "behind a kill switch, then ship the fix with a staged rollout while watching upload success rate as the "
    "goal and crash rate and battery use as guardrails."
)


def run(args: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its own data directory."""
    env = {**os.environ, "VOICECOACH_HOME": str(home)}
    return subprocess.run([BIN, *args], capture_output=True, check=False, text=True, env=env, timeout=timeout)


def test_practice_with_typed_answers_completes_and_saves(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", ["Is the drop on all platforms?", WEAK, STRONG])
    r = run(["practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    folder = Path(r.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "sessions"
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "completed" and data["case"] == "uploads-drop"
    kinds = [t["kind"] for t in data["turns"]]
    assert kinds[:3] == ["question", "clarification", "clarification_answer"]
    assert "Android" in data["turns"][2]["text"]  # the hidden fact, revealed because it was asked for
    assert "follow_up" in kinds and kinds[-1] == "feedback"
    assert len(data["scores"]) == 7 and data["feedback"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "session.json").stat().st_mode & 0o777) == "0o600"
    assert "Interviewer:" in r.stdout and "You:" in r.stdout

    listing = run(["sessions"], tmp_path)
    assert listing.returncode == 0 and "uploads-drop" in listing.stdout

    md = tmp_path / "s.md"
    exp = run(["export", folder.name, "--format", "md", "-o", str(md)], tmp_path)
    assert exp.returncode == 0, exp.stderr
    assert "stickers and filters" in md.read_text()


def test_adhoc_question_is_graded_with_the_rubric(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", [STRONG])
    r = run(
        [
            "practice",
            "--question",
            "How would you launch dark mode?",
            "--answers-text",
            str(answers),
            "--voice-out",
            "none",
        ],
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.strip().splitlines()[-1]) / "session.json").read_text())
    assert data["question"] == "How would you launch dark mode?" and data["case"] == "adhoc"
    assert len(data["scores"]) == 7


@pytest.mark.parametrize(
    ("content", "expected"),
    [("first\n---\n\n---\nthird\n", "turn 2 of 3 is empty"), ("\n\n", "has no answers")],
)
def test_bad_answers_text_is_a_clear_error(tmp_path: Path, content: str, expected: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text(content)
    r = run(["practice", "--answers-text", str(f), "--voice-out", "none"], tmp_path)
    assert r.returncode == 2
    assert expected in r.stderr and "Traceback" not in r.stderr


def test_unknown_case_lists_the_valid_ones(tmp_path: Path) -> None:
    r = run(["practice", "--case", "nope", "--answers-text", "x", "--voice-out", "none"], tmp_path)
    assert r.returncode == 2
    assert "uploads-drop" in r.stderr and "voicecoach packs" in r.stderr


def test_unknown_speech_model_is_a_clear_error(tmp_path: Path) -> None:
    audio = tmp_path / "x.wav"
    audio.write_bytes(b"")
    r = run(["transcribe", str(audio), "--stt-model", "huge-nonexistent.en"], tmp_path, timeout=60)
    assert r.returncode == 4
    assert "huge-nonexistent.en" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_data_dir_refuses_before_the_first_question(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    answers = write_answers(tmp_path / "a.txt", [STRONG])
    r = run(["practice", "--answers-text", str(answers), "--voice-out", "none", "--out", str(blocked / "s")], tmp_path)
    assert r.returncode == 6
    assert "Cannot write sessions" in r.stderr and "Interviewer:" not in r.stdout


def test_packs_and_doctor(tmp_path: Path) -> None:
    r = run(["packs"], tmp_path)
    assert r.returncode == 0 and "uploads-drop" in r.stdout and "pm-execution" in r.stdout
    d = run(["doctor"], tmp_path, timeout=120)
    assert "speech model: tiny.en" in d.stdout
    assert "microphone" in d.stdout and "text to speech" in d.stdout


def test_transcribe_json_gives_file_text_and_segments(tmp_path: Path, corpus_dir: Path) -> None:
    wav = corpus_dir / "librispeech_61-70968-0000.wav"
    r = run(["transcribe", str(wav), "--json"], tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert isinstance(out, list) and len(out) == 1
    item = out[0]
    assert item["file"] == str(wav)
    assert "wizard" in item["text"].lower() and "curtain" in item["text"].lower()
    assert item["segments"] and all(s["end_s"] > s["start_s"] for s in item["segments"])


def test_devices_lists_or_explains(tmp_path: Path) -> None:
    r = run(["devices"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()  # either the device list or how to do without one


def _walk(ap: argparse.ArgumentParser, path: str) -> list[str]:
    """Every argument (and subcommand) without help text, named by where it is."""
    missing = []
    for action in ap._actions:
        if isinstance(action, argparse._SubParsersAction):
            named = {a.dest for a in action._choices_actions if a.help}
            for name, sub in action.choices.items():
                if name not in named:
                    missing.append(f"{path} {name}")
                missing.extend(_walk(sub, f"{path} {name}"))
        elif not action.help or action.help == argparse.SUPPRESS:
            missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_argument_has_help_text() -> None:
    from voicecoach.cli import parser

    ap = parser()
    assert _walk(ap, "voicecoach") == []
    sub = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    assert {"practice", "demo", "resume", "export", "sessions", "progress", "doctor"} <= set(sub.choices)


def _practice(home: Path, *args: str, answers: list[str] | None = None) -> Path:
    f = write_answers(home / f"a{len(list(home.glob('a*.txt')))}.txt", answers or [STRONG])
    r = run(["practice", "--answers-text", str(f), "--voice-out", "none", *args], home)
    assert r.returncode == 0, r.stderr
    return Path(r.stdout.strip().splitlines()[-1])


def test_last_works_wherever_a_session_id_is_expected(tmp_path: Path) -> None:
    first = _practice(tmp_path, "--case", "uploads-drop")
    second = _practice(tmp_path, "--case", "uploads-drop", answers=["I'd compare the last two Android releases."])
    assert second.name > first.name  # ids sort by creation time, even within one second

    out = tmp_path / "last.md"
    r = run(["export", "last", "--format", "md", "-o", str(out)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "last two Android releases" in out.read_text()

    r = run(["sessions", "--delete", "last"], tmp_path)
    assert r.returncode == 0 and second.name in r.stdout
    assert not second.exists() and first.exists()

    # an interrupted session is the newest: `resume last` continues it
    from voicecoach.model import Session, Turn
    from voicecoach.store import SessionStore

    store = SessionStore(tmp_path / "sessions")
    data = json.loads((first / "session.json").read_text())
    aborted = Session(id=store.new_id(), pack="pm-execution", case="uploads-drop", question=data["question"],
                      status="aborted", turns=[Turn(role="interviewer", kind="question", text=data["question"])])
    store.create(aborted)
    answers = write_answers(tmp_path / "rest.txt", ["I'd start with the upload error rate by version."])
    r = run(["resume", "last", "--answers-text", str(answers), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads((store.dir(aborted.id) / "session.json").read_text())["status"] == "completed"

    empty = tmp_path / "empty"
    r = run(["export", "last"], empty)
    assert r.returncode == 1 and "No sessions yet" in r.stderr and "Traceback" not in r.stderr


def test_retake_asks_the_same_case_again(tmp_path: Path) -> None:
    first = _practice(tmp_path, "--case", "referral-credits")
    _practice(tmp_path, "--case", "uploads-drop")  # a later session, so the retake must use the id, not `last`
    retake = _practice(tmp_path, "--retake", first.name[:17])  # a unique start of the id is enough
    before = json.loads((first / "session.json").read_text())
    after = json.loads((retake / "session.json").read_text())
    assert after["retake_of"] == before["id"] and after["case"] == "referral-credits"
    assert after["question"] == before["question"] and after["pack"] == before["pack"]
    assert before["retake_of"] is None

    again = _practice(tmp_path, "--retake", "last")  # a retake of the retake
    assert json.loads((again / "session.json").read_text())["retake_of"] == after["id"]


def test_retake_of_an_adhoc_question_asks_that_question(tmp_path: Path) -> None:
    first = _practice(tmp_path, "--question", "How would you decide whether to launch dark mode?")
    retake = _practice(tmp_path, "--retake", "last")
    after = json.loads((retake / "session.json").read_text())
    assert after["case"] == "adhoc" and after["question"] == "How would you decide whether to launch dark mode?"
    assert after["retake_of"] == first.name


def test_retake_with_a_case_is_refused(tmp_path: Path) -> None:
    first = _practice(tmp_path, "--case", "uploads-drop")
    answers = write_answers(tmp_path / "x.txt", [STRONG])
    r = run(["practice", "--retake", first.name, "--case", "referral-credits", "--answers-text", str(answers)],
            tmp_path)
    assert r.returncode == 2 and "--retake" in r.stderr and "--case" in r.stderr
    r = run(["practice", "--retake", "20990101-no-such", "--answers-text", str(answers)], tmp_path)
    assert r.returncode == 1 and "voicecoach sessions" in r.stderr
    assert len(list((tmp_path / "sessions").iterdir())) == 1  # nothing new was created


def test_practice_ends_with_the_report_and_how_to_open_it(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", [STRONG])
    r = run(["practice", "--answers-text", str(answers), "--voice-out", "none"], tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    folder = Path(lines[-1])
    report = folder / f"{folder.name}.html"
    assert lines[-3] == f"Report: {report}"
    assert lines[-2].startswith("Open it in your browser: ") and lines[-2].endswith(f" {report}")
    assert "<html" in report.read_text().lower() and "kill switch" in report.read_text()  # this session's report


def test_devices_without_a_sound_card_does_not_blame_portaudio(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA")}
    for asoundrc, expect in (
        ("pcm.!default { type hw; card 99 }", "No sound card found"),  # PortAudio loads, no device
        ("pcm.!default { type null }", "[0] default"),  # one device
    ):
        (tmp_path / ".asoundrc").write_text(asoundrc + "\n")
        r = subprocess.run([BIN, "devices"], capture_output=True, check=False, text=True, timeout=60,
                           env={**env, "HOME": str(tmp_path)})
        assert r.returncode == 0, r.stderr
        assert expect in r.stdout and "libportaudio2" not in r.stdout + r.stderr


def test_doctor_exits_non_zero_when_something_required_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA")}
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw; card 99 }\n")
    base = {**env, "HOME": str(tmp_path), "VOICECOACH_HOME": str(tmp_path / "data")}
    ok = subprocess.run([BIN, "doctor"], capture_output=True, text=True, timeout=120, env=base, check=False)
    assert ok.returncode == 0, ok.stdout  # no microphone or speaker is fine: there are other ways to practise
    assert "MISSING microphone" in ok.stdout
    bad = subprocess.run([BIN, "doctor"], capture_output=True, text=True, timeout=120, check=False,
                         env={**base, "VOICECOACH_STT_MODEL": "huge-nonexistent.en"})
    assert bad.returncode == 1 and "MISSING speech model" in bad.stdout
