"""Session folders: session.json rewritten atomically after every turn, one WAV per answer."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from voicecoach.errors import StorageError, VoicecoachError
from voicecoach.model import Session

SESSION_FILE = "session.json"
LAST = "last"  # stands for the newest session wherever an id is expected


class SessionStore:
    """All sessions under one folder (<home>/sessions); files readable by the user only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def new_id(self) -> str:
        """A unique session id that sorts by creation time: UTC time, then milliseconds and a random digit (hex)."""
        now = datetime.now(UTC)
        return now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03x}{secrets.randbelow(16):x}"

    def check_writable(self) -> None:
        """Refuse to start when the folder cannot be written (or the disk is full), before any question."""
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            probe = self.root / f".probe-{secrets.token_hex(4)}"
            with open(probe, "wb") as f:
                f.write(b"\0" * 1_048_576)  # room for at least a few seconds of audio and the JSON
                f.flush()
                os.fsync(f.fileno())
            probe.unlink()
        except OSError as e:
            raise StorageError(
                f"Cannot write sessions to {self.root} ({e.strerror or e}). Free some disk space, fix the "
                "folder's permissions, or choose another folder with --out DIR or VOICECOACH_HOME."
            ) from e

    def dir(self, session_id: str) -> Path:
        """The folder of one session."""
        return self.root / session_id

    def create(self, session: Session) -> Path:
        """Make the session's folder (mode 700) and write its first session.json."""
        folder = self.dir(session.id)
        folder.mkdir(parents=True, exist_ok=False, mode=0o700)
        os.chmod(folder, 0o700)
        if not session.created_at:
            session.created_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.save(session)
        return folder

    def save(self, session: Session) -> None:
        """Write session.json atomically: a temp file in the same folder, fsync, os.replace."""
        folder = self.dir(session.id)
        data = json.dumps(session.to_dict(), indent=2, ensure_ascii=False)
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".session-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, folder / SESSION_FILE)
        except OSError as e:
            raise StorageError(f"Cannot save the session to {folder} ({e}); free disk space or fix permissions.") from e

    def load(self, session_id: str) -> Session:
        """Read a session back; a clear error for an unknown id or a damaged file."""
        path = self.resolve(session_id) / SESSION_FILE
        try:
            return Session.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as e:
            raise VoicecoachError(f"No session {session_id!r} in {self.root}. Run `voicecoach sessions` to list them.") from e
        except (ValueError, KeyError) as e:
            raise VoicecoachError(f"{path} is damaged or from another version ({e}).") from e

    def resolve(self, session_id: str) -> Path:
        """The folder for an id, a unique id prefix, a path to a session folder, or `last` (the newest session)."""
        if session_id == LAST:
            return self.last()
        as_path = Path(session_id).expanduser()
        if (as_path / SESSION_FILE).exists():
            return as_path
        exact = self.dir(session_id)
        if exact.exists():
            return exact
        matches = [p for p in self.root.glob(f"{session_id}*") if (p / SESSION_FILE).exists()] if self.root.exists() else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise VoicecoachError(f"{session_id!r} matches {len(matches)} sessions; give more of the id.")
        return exact

    def last(self) -> Path:
        """The folder of the newest session (ids sort by creation time)."""
        folders = sorted(p for p in self.root.glob("*") if (p / SESSION_FILE).exists()) if self.root.exists() else []
        if not folders:
            raise VoicecoachError(f"No sessions yet in {self.root}, so there is no `last` one. Try `voicecoach demo`.")
        return folders[-1]

    def list(self) -> list[Session]:
        """Every readable session, oldest first; damaged ones are skipped."""
        if not self.root.exists():
            return []
        out: list[Session] = []
        for folder in sorted(self.root.iterdir()):
            f = folder / SESSION_FILE
            if f.exists():
                try:
                    out.append(Session.from_dict(json.loads(f.read_text(encoding="utf-8"))))
                except (ValueError, KeyError):
                    continue
        return out

    def delete(self, session_id: str) -> Path:
        """Remove a session's folder with its audio and exports."""
        folder = self.resolve(session_id)
        if not (folder / SESSION_FILE).exists():
            raise VoicecoachError(f"No session {session_id!r} in {self.root}. Run `voicecoach sessions` to list them.")
        shutil.rmtree(folder)
        return folder

    def answer_wav(self, session: Session, turn_index: int) -> Path:
        """Where the audio of the candidate turn at turn_index is saved."""
        return self.dir(session.id) / f"turn-{turn_index:02d}.wav"
