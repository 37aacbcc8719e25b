"""Exports of a saved session: Markdown, JSON, one self-contained HTML file, SRT and WebVTT subtitles."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from voicecoach.errors import ConfigError, StorageError
from voicecoach.model import Session

FORMATS: tuple[str, ...] = ("md", "json", "html", "srt", "vtt")


def render(session: Session, session_dir: Path, fmt: str, out_path: Path | None = None) -> str:
    """The text of one export format."""
    from voicecoach.export import html, json_export, md, subtitles
    from voicecoach.export.context import load_context

    if fmt not in FORMATS:
        raise ConfigError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)} or all.")
    ctx = load_context(session, session_dir) if fmt in ("md", "json", "html") else None
    renderers: dict[str, Callable[[], str]] = {
        "md": lambda: md.to_markdown(session, ctx),
        "json": lambda: json_export.to_json(session, ctx),
        "html": lambda: html.to_html(session, session_dir, out_path, context=ctx),
        "srt": lambda: subtitles.to_srt(session),
        "vtt": lambda: subtitles.to_vtt(session),
    }
    return renderers[fmt]()


def export_session(session: Session, session_dir: Path, fmt: str, out: Path | None = None) -> list[Path]:
    """Write one format (out = the file) or all five (out = a folder); default: <id>.<ext> in the session folder."""
    if fmt != "all" and fmt not in FORMATS:
        raise ConfigError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)} or all.")
    if fmt == "all":
        folder = out or session_dir
        targets = [(f, folder / f"{session.id}.{f}") for f in FORMATS]
    else:
        targets = [(fmt, out or session_dir / f"{session.id}.{fmt}")]
    written: list[Path] = []
    for f, path in targets:
        text = render(session, session_dir, f, path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except OSError as e:
            raise StorageError(f"Cannot write {path} ({e.strerror or e}); choose another place with -o FILE.") from e
        written.append(path)
    return written
