"""Commands only: parse, configure, build, run; errors become exit codes here and nowhere else."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from voicecoach import __version__
from voicecoach.config import Config, load_config, override
from voicecoach.errors import VoicecoachError

ID_HELP = "session id, a unique start of one, its folder, or `last` for the newest"


def _count(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least low, or a clear usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is too small; give {low} or more")
        return value

    return parse


def _add_answer_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--answers", type=Path, nargs="+", metavar="FILE",
        help="the candidate's turns from audio files (or a folder of them), in order",
    )
    p.add_argument(
        "--answers-text", type=Path, metavar="FILE", help="the candidate's turns from a text file, separated by ---"
    )
    p.add_argument(
        "--type", action="store_true",
        help="type each turn as the interview goes (an empty line sends it; Ctrl-D ends the interview)",
    )


def _add_session_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--voice-out", help="speaker (play), none (print only) or a folder for one WAV per line")
    p.add_argument("--voice", help="joe (the natural voice, default), en-us or another espeak voice, or a Piper .onnx file (see `voicecoach doctor`)")
    p.add_argument("--rate-wpm", type=_count(1), help="speaking rate of the interviewer, words per minute")
    p.add_argument("--stt-model", help="tiny.en (built in), base.en, small.en … or a CTranslate2 folder")
    p.add_argument("--llm", help="any litellm model string, e.g. openai/gpt-4o-mini; default: offline interviewer")
    p.add_argument("--llm-base-url", help="base URL of an OpenAI-compatible server")
    p.add_argument("--max-follow-ups", type=_count(0), help="follow-up questions per case (default 2)")
    p.add_argument("--input-device", help="microphone index or name, or file:PATH to stream an audio file")
    p.add_argument("--fast", action="store_true", help="with --input-device file:PATH, stream as fast as possible")
    p.add_argument("--out", type=Path, help="folder to keep this session in (default: the data directory)")


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    ap = argparse.ArgumentParser(prog="voicecoach", description="Spoken mock interviews on your laptop.")
    ap.add_argument("--version", action="version", version=f"voicecoach {__version__}")
    ap.add_argument("--config", type=Path, help="config file (default: <data dir>/config.toml)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("practice", help="a spoken interview (live microphone unless answers are given)")
    p.add_argument("--pack", help="content pack id (default pm-execution)")
    p.add_argument("--case", help="case id (see `voicecoach packs`)")
    p.add_argument("--question", help="an ad-hoc question outside the pack, graded with the pack's rubric")
    p.add_argument("--retake", metavar="ID", help=f"ask an earlier session's case again ({ID_HELP})")
    _add_answer_flags(p)
    _add_session_flags(p)

    p = sub.add_parser("demo", help="a complete interview with recorded answers")
    _add_session_flags(p)

    p = sub.add_parser("resume", help="continue an interrupted session")
    p.add_argument("id", help=ID_HELP)
    _add_answer_flags(p)
    _add_session_flags(p)

    p = sub.add_parser("transcribe", help="transcribe audio files with the local speech model")
    p.add_argument("files", type=Path, nargs="+", help="audio files (WAV, FLAC, MP3, OGG …)")
    p.add_argument("--json", action="store_true", help="one JSON array: file, text and segments per file")
    p.add_argument("--stt-model", help="tiny.en (built in), base.en, small.en … or a CTranslate2 folder")
    p.add_argument("--verbatim", action="store_true", default=None, help='keep "um", "uh" and other fillers (default)')
    p.add_argument("--clean", dest="verbatim", action="store_false", help="Whisper's clean text, without fillers")

    p = sub.add_parser("export", help="export a session for review")
    p.add_argument("id", help=ID_HELP)
    p.add_argument(
        "--format", default="md", choices=["md", "json", "html", "srt", "vtt", "all"],
        help="md (default), json, html (the report), srt, vtt, or all of them",
    )
    p.add_argument("-o", "--output", type=Path, help="output file (or folder for --format all)")

    p = sub.add_parser("sessions", help="list past sessions")
    p.add_argument("--delete", metavar="ID", help=f"delete a session with its audio ({ID_HELP})")
    p.add_argument("--all", action="store_true", help="also list demo sessions and sessions with no answer")

    p = sub.add_parser("progress", help="scores over time")
    p.add_argument("--pack", help="only this content pack's sessions")
    p.add_argument("--html", type=Path, help="also write an HTML progress report here")
    p.add_argument("--all", action="store_true", help="also count demo sessions and sessions with no answer")

    sub.add_parser("packs", help="list content packs and their cases")
    sub.add_parser("devices", help="list audio devices")
    sub.add_parser("doctor", help="check microphone, speaker, TTS, speech model and LLM settings")
    return ap


def configure(args: argparse.Namespace) -> Config:
    """Defaults < config file < environment < flags."""
    cfg = load_config(getattr(args, "config", None))
    cfg = override(cfg, "stt", model=getattr(args, "stt_model", None))
    cfg = override(
        cfg, "tts", voice_out=getattr(args, "voice_out", None), voice=getattr(args, "voice", None),
        rate_wpm=getattr(args, "rate_wpm", None),
    )
    cfg = override(cfg, "llm", model=getattr(args, "llm", None), base_url=getattr(args, "llm_base_url", None))
    cfg = override(
        cfg, "interview", pack=getattr(args, "pack", None), case=getattr(args, "case", None),
        question=getattr(args, "question", None), max_follow_ups=getattr(args, "max_follow_ups", None),
    )
    device = getattr(args, "input_device", None)
    if device is not None:
        from dataclasses import replace

        cfg = replace(cfg, input_device=device)
    return cfg


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        from voicecoach import commands

        return commands.dispatch(args, configure(args))
    except VoicecoachError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(
            "\nStopped. A session that had started is saved as aborted; `voicecoach resume last` continues it.",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
