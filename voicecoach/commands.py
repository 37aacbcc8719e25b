"""What each CLI command does, given parsed arguments and a Config; raises VoicecoachError."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from voicecoach.config import Config
from voicecoach.content import Case, Pack, adhoc_case
from voicecoach.errors import ConfigError
from voicecoach.model import Session
from voicecoach.runner import Inputs, out, run_existing, run_new
from voicecoach.store import SessionStore

DEMO_CASE = "uploads-drop"
DEMO_ANSWERS = ("demo-01-clarify.wav", "demo-02-weak.wav", "demo-03-strong.wav")


def dispatch(args: argparse.Namespace, cfg: Config) -> int:
    """Run the command named in args."""
    handler = {
        "practice": cmd_practice,
        "demo": cmd_demo,
        "resume": cmd_resume,
        "transcribe": cmd_transcribe,
        "export": cmd_export,
        "sessions": cmd_sessions,
        "progress": cmd_progress,
        "packs": cmd_packs,
        "devices": cmd_devices,
        "doctor": cmd_doctor,
    }[args.command]
    return handler(args, cfg)


def store_for(cfg: Config, out_dir: Path | None = None) -> SessionStore:
    """The session store: --out DIR for this session, else <data dir>/sessions."""
    return SessionStore(out_dir.expanduser() if out_dir else cfg.sessions_dir)


def choose_case(pack: Pack, cfg: Config, store: SessionStore) -> Case:
    """--question, --case, or the case practised least (demo and unanswered sessions do not count)."""
    if cfg.interview.question:
        return adhoc_case(cfg.interview.question)
    if cfg.interview.case:
        try:
            return pack.case(cfg.interview.case)
        except KeyError as e:
            raise ConfigError(f"{e.args[0]}. Run `voicecoach packs` to see them.") from e
    done = [s.case for s in store.list() if s.pack == pack.id and not s.demo and s.status != "no_answer"]
    return min(pack.cases, key=lambda c: done.count(c.id))  # the least practised; ties in pack order


def _inputs(args: argparse.Namespace) -> Inputs:
    return Inputs(
        answers=args.answers or (), answers_text=args.answers_text, typed=getattr(args, "type", False),
        fast=args.fast,
    )


def cmd_practice(args: argparse.Namespace, cfg: Config) -> int:
    """A spoken (or typed) interview; --retake asks an earlier session's case again."""
    from voicecoach.packs import load_pack

    store = store_for(cfg, args.out)
    _inputs(args).check()
    if args.retake:
        pack, case, earlier = retake_case(args, cfg, store)
        return run_new(cfg, store, pack, case, _inputs(args), retake_of=earlier.id)
    pack = load_pack(cfg.interview.pack)
    return run_new(cfg, store, pack, choose_case(pack, cfg, store), _inputs(args))


def retake_case(args: argparse.Namespace, cfg: Config, store: SessionStore) -> tuple[Pack, Case, Session]:
    """The pack, case and session that --retake ID|last names: the same case (or ad-hoc question) again."""
    from voicecoach.packs import load_pack

    clash = [flag for flag, given in (("--case", args.case), ("--question", args.question), ("--pack", args.pack))
             if given]  # fmt: skip
    if clash:
        raise ConfigError(f"--retake asks the earlier session's case again; leave out {', '.join(clash)}.")
    earlier = load_session(store, args.retake)
    pack = load_pack(earlier.pack)
    if earlier.case == "adhoc":
        return pack, adhoc_case(earlier.question, earlier.case), earlier
    try:
        return pack, pack.case(earlier.case), earlier
    except KeyError as e:
        raise ConfigError(f"Session {earlier.id}'s case {earlier.case!r} is no longer in pack {pack.id}.") from e


def load_session(store: SessionStore, session_id: str) -> Session:
    """A session by id, id prefix, folder or `last`, from this store or else the default one."""
    folder = store.resolve(session_id)
    return SessionStore(folder.parent).load(folder.name)


def cmd_demo(args: argparse.Namespace, cfg: Config) -> int:
    """A complete interview on the demo case with the recorded answers; marked as a demo."""
    from voicecoach.packs import load_pack

    pack = load_pack("pm-execution")
    fixtures = fixtures_dir()
    answers = [fixtures / name for name in DEMO_ANSWERS]
    out("Demo: recorded answers play the candidate. It is marked as a demo and kept out of `voicecoach sessions` "
        "and `progress` (add --all to see it).")
    return run_new(cfg, store_for(cfg, args.out), pack, pack.case(DEMO_CASE), Inputs(answers=answers), demo=True)


def fixtures_dir() -> Path:
    """The recorded demo answers: the repo's audio_fixtures/ or the copy inside the installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "audio_fixtures", here.parent / "audio_fixtures"):
        if (candidate / DEMO_ANSWERS[0]).exists():
            return candidate
    raise ConfigError("The demo's recorded answers are missing; reinstall voicecoach or run from the source tree.")


def cmd_resume(args: argparse.Namespace, cfg: Config) -> int:
    """Continue an aborted session at the interrupted question."""
    from voicecoach.packs import load_pack

    store = store_for(cfg, args.out)
    folder = store.resolve(args.id)
    store = SessionStore(folder.parent)
    session = store.load(folder.name)
    if session.status in ("completed", "no_answer"):
        raise ConfigError(
            f"Session {session.id} has ended ({session.status}); ask its case again with "
            f"`voicecoach practice --retake {session.id}`."
        )
    pack = load_pack(session.pack)
    case = adhoc_case(session.question, session.case) if session.case == "adhoc" else pack.case(session.case)
    return run_existing(cfg, store, pack, case, session, _inputs(args))


def cmd_transcribe(args: argparse.Namespace, cfg: Config) -> int:
    """Transcribe files; --json prints one array of {file, text, segments}."""
    from voicecoach.build import build_transcriber

    # Verbatim unless --clean (or [stt] verbatim = false): as sessions hear it, and more accurate (bench/wer.py).
    verbatim = cfg.stt.verbatim if getattr(args, "verbatim", None) is None else bool(args.verbatim)
    transcriber = build_transcriber(replace(cfg.stt, verbatim=verbatim))
    results = []
    for path in args.files:
        tr = transcriber.transcribe_file(path)
        segs = [{"start_s": round(s.start_s, 2), "end_s": round(s.end_s, 2), "text": s.text} for s in tr.segments]
        results.append({"file": str(path), "text": tr.text, "segments": segs, "notes": list(tr.notes)})
        if not args.json:
            out(f"{path}: {tr.text}")
            for note in tr.notes:
                out(f"  note: {note}")
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        out()
    return 0


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    """Write a session as md, json, html, srt, vtt or all of them."""
    from voicecoach.export import export_session

    folder = store_for(cfg).resolve(args.id)
    session = SessionStore(folder.parent).load(folder.name)
    for path in export_session(session, folder, args.format, args.output):
        out(str(path))
    return 0


def cmd_sessions(args: argparse.Namespace, cfg: Config) -> int:
    """List past sessions, or delete one."""
    from voicecoach.history import format_sessions_table, session_rows

    store = store_for(cfg)
    if args.delete:
        out(f"Deleted {store.delete(args.delete)}")
        return 0
    rows = session_rows(store, include_all=args.all)
    out(format_sessions_table(rows) if rows else f"No sessions yet in {store.root}. Try `voicecoach demo`.")
    return 0


def cmd_progress(args: argparse.Namespace, cfg: Config) -> int:
    """Each dimension's score over time, with trends."""
    from voicecoach.history import format_progress_terminal, progress, progress_html

    prog = progress(store_for(cfg), args.pack, include_all=args.all)
    out(format_progress_terminal(prog))
    if args.html:
        args.html.write_text(progress_html(prog), encoding="utf-8")
        out(f"Wrote {args.html}")
    return 0


def cmd_packs(args: argparse.Namespace, cfg: Config) -> int:
    """List packs and their cases."""
    from voicecoach.packs import list_packs, load_pack

    for pack_id, title, n in list_packs():
        out(f"{pack_id}: {title} ({n} cases)")
        for case in load_pack(pack_id).cases:
            out(f"  {case.id:<28} {case.title}")
    return 0


def cmd_devices(args: argparse.Namespace, cfg: Config) -> int:
    """List audio devices."""
    from voicecoach.audio.mic import list_devices

    devices = list_devices()  # a missing PortAudio is a DeviceError that names libportaudio2
    if not devices:
        out(
            "No sound card found (PortAudio is installed and sees no audio device). Plug in a headset or "
            "microphone, or practise without one: `voicecoach practice --type`, `--answers FILE…` or "
            "`--answers-text FILE`; `--voice-out none` prints the interviewer's lines."
        )
    for d in devices:
        out(f"  [{d['index']}] {d['name']}  in:{d.get('max_input_channels', 0)} out:{d.get('max_output_channels', 0)}")
    return 0


def cmd_doctor(args: argparse.Namespace, cfg: Config) -> int:
    """Check each piece and say how to fix what is missing."""
    from voicecoach.doctor import run_checks

    ok = True
    for name, passed, detail in run_checks(cfg):
        ok = ok and (passed or name in ("microphone", "speaker"))
        out(f"{'ok ' if passed else 'MISSING'} {name}: {detail}")
    return 0 if ok else 1
