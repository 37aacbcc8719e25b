"""What each CLI command does, given parsed arguments and a Config; raises VoicecoachError."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from voicecoach.config import Config
from voicecoach.content import Case, Pack, adhoc_case
from voicecoach.errors import ConfigError
from voicecoach.model import Session
from voicecoach.store import SessionStore

DEMO_CASE = "uploads-drop"
DEMO_ANSWERS = ("demo-01-clarify.wav", "demo-02-weak.wav", "demo-03-strong.wav")


def out(text: str = "") -> None:
    """Print a line to stdout at once (the conversation shows as it happens)."""
    print(text, flush=True)


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
    """--question, --case, or the case practised least recently."""
    if cfg.interview.question:
        return adhoc_case(cfg.interview.question)
    if cfg.interview.case:
        try:
            return pack.case(cfg.interview.case)
        except KeyError as e:
            raise ConfigError(f"{e.args[0]}. Run `voicecoach packs` to see them.") from e
    done = [s.case for s in store.list() if s.pack == pack.id]
    return min(pack.cases, key=lambda c: done.count(c.id))  # the least practised; ties in pack order


def cmd_practice(args: argparse.Namespace, cfg: Config) -> int:
    """A spoken interview."""
    from voicecoach.packs import load_pack

    pack = load_pack(cfg.interview.pack)
    store = store_for(cfg, args.out)
    case = choose_case(pack, cfg, store)
    return run_new(cfg, store, pack, case, args.answers or (), args.answers_text, args.fast)


def cmd_demo(args: argparse.Namespace, cfg: Config) -> int:
    """A complete interview on the demo case with the recorded answers."""
    from voicecoach.packs import load_pack

    pack = load_pack("pm-execution")
    fixtures = fixtures_dir()
    answers = [fixtures / name for name in DEMO_ANSWERS]
    store = store_for(cfg, args.out)
    if cfg.tts.voice_out == "speaker" and not _has_output_device():
        folder = store.root / "interviewer-voice"
        out(f"No speaker found: the interviewer's lines are written as WAVs to {folder}")
        cfg = replace(cfg, tts=replace(cfg.tts, voice_out=str(folder)))
    code = run_new(cfg, store, pack, pack.case(DEMO_CASE), answers, None, False, exports=("md", "json"))
    return code


def run_new(
    cfg: Config,
    store: SessionStore,
    pack: Pack,
    case: Case,
    answers: Sequence[Path],
    answers_text: Path | None,
    fast: bool,
    exports: Sequence[str] = (),
) -> int:
    """Create a session and run it."""
    from voicecoach.interview import new_session

    store.check_writable()
    settings = {"stt_model": cfg.stt.model, "llm": cfg.llm.model or "offline", "voice_out": cfg.tts.voice_out}
    session = new_session(store, pack, case, "offline" if not cfg.llm.model else f"llm:{cfg.llm.model}", settings)
    return run_existing(cfg, store, pack, case, session, answers, answers_text, fast, exports)


def run_existing(
    cfg: Config,
    store: SessionStore,
    pack: Pack,
    case: Case,
    session: Session,
    answers: Sequence[Path],
    answers_text: Path | None,
    fast: bool,
    exports: Sequence[str] = (),
) -> int:
    """Build the parts, run the session to its feedback, export, and print where it is."""
    from voicecoach import build
    from voicecoach.audio.echo import PlaybackClock
    from voicecoach.interview import Parts, run_session

    folder = store.dir(session.id)
    echo = PlaybackClock()
    speaker = build.build_speaker(cfg.tts, folder, echo)
    interviewer = build.build_interviewer(cfg.llm)
    notice = build.provider_notice(cfg.llm)
    if notice:
        out(notice)
    transcriber = None if answers_text else build.build_transcriber(cfg.stt)
    if transcriber is not None:
        out("Loading the speech model in the background…")
        build.Preload(transcriber, on_ready=lambda s: out(f"[speech model ready in {s:.1f} s]"))
    def nudge(line: str) -> None:
        if not session.is_paused():
            _echo("interviewer", line)
            speaker.say(line)

    listener = build.build_listener(cfg, transcriber, answers, answers_text, nudge=nudge, fast=fast, echo=echo)
    parts = Parts(
        speaker=speaker, listener=listener, interviewer=interviewer, store=store, pack=pack, case=case,
        max_follow_ups=cfg.interview.max_follow_ups, echo=_echo,
    )
    out(f"Session {session.id}: {pack.title} — {case.title}")
    try:
        run_session(parts, session)
    finally:
        close = getattr(listener, "close", None)  # the microphone and the transcription threads
        if callable(close):
            close()
    _summary(session)
    if exports:
        from voicecoach.export import export_session

        for fmt in exports:
            for path in export_session(session, folder, fmt, None):
                out(f"Exported {path}")
    out(str(folder))
    return 0


def _echo(who: str, text: str) -> None:
    label = {"interviewer": "Interviewer", "candidate": "You", "note": "Note"}.get(who, who)
    out(f"\n{label}: {text}")


def _summary(session: Session) -> None:
    out("\nScores")
    for dim, score in session.scores.items():
        out(f"  {dim:<11} {score.score}/5  {score.rationale}")
    if session.overall is not None:
        out(f"  overall     {session.overall:.1f}/5")


def _has_output_device() -> bool:
    try:
        import sounddevice as sd

        sd.query_devices(kind="output")
        return True
    except Exception:  # noqa: BLE001 - any failure means no usable output device
        return False


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
    if session.status == "completed":
        raise ConfigError(f"Session {session.id} is already completed; start a new one with `voicecoach practice`.")
    pack = load_pack(session.pack)
    case = adhoc_case(session.question, session.case) if session.case == "adhoc" else pack.case(session.case)
    return run_existing(cfg, store, pack, case, session, args.answers or (), args.answers_text, args.fast)


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

    store = store_for(cfg)
    folder = store.resolve(args.id)
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
    rows = session_rows(store)
    out(format_sessions_table(rows) if rows else f"No sessions yet in {store.root}. Try `voicecoach demo`.")
    return 0


def cmd_progress(args: argparse.Namespace, cfg: Config) -> int:
    """Each dimension's score over time, with trends."""
    from voicecoach.history import format_progress_terminal, progress, progress_html

    prog = progress(store_for(cfg), args.pack)
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

    devices = list_devices()
    if not devices:
        out("No audio devices found. On Debian/Ubuntu install libportaudio2; without a microphone use --answers.")
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
