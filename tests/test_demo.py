"""`voicecoach demo` as a user runs it, once for this module: with its defaults, no sound card and no network.

A demo run costs ~14 s (three real transcriptions, the natural voice, the report); both tests read that one
run and work on copies of its session, so neither sees what the other did.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_cli import BIN, _practice, run

# sitecustomize for the child interpreters: every IP connection or name lookup is refused and logged.
BLOCK_SOCKETS = """
import socket, os
LOG = os.environ["VOICECOACH_TEST_SOCKET_LOG"]
def _refuse(kind):
    def f(*a, **k):
        with open(LOG, "a") as fh:
            fh.write(f"{kind} {a[1:] if len(a) > 1 else a}\\n")
        raise OSError("network blocked by test")
    return f
_orig_connect = socket.socket.connect
def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        return _refuse("connect")(self, address)
    return _orig_connect(self, address)
socket.socket.connect = _connect
socket.socket.connect_ex = lambda self, address: _connect(self, address)
socket.getaddrinfo = _refuse("getaddrinfo")
socket.create_connection = _refuse("create_connection")
"""


def offline_env(root: Path, data_home: Path) -> tuple[dict[str, str], Path]:
    """An environment with no sound card (HOME's .asoundrc names a missing one) and every connection refused.

    Returns it with the socket log it writes to (absent while nothing tried to connect). The Hugging Face
    offline switches are cleared so that only the product's own settings keep it off the network.
    """
    alsa_home, site = root / "alsa-home", root / "site"
    alsa_home.mkdir(parents=True, exist_ok=True)
    site.mkdir(parents=True, exist_ok=True)
    (alsa_home / ".asoundrc").write_text("pcm.!default { type hw; card 99 }\n")  # no sound card: WAVs instead
    (site / "sitecustomize.py").write_text(BLOCK_SOCKETS)
    log = root / "sockets.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALSA")}
    env.update(
        VOICECOACH_HOME=str(data_home),
        HOME=str(alsa_home),
        PYTHONPATH=str(site),
        VOICECOACH_TEST_SOCKET_LOG=str(log),
        HF_HUB_OFFLINE="",
        TRANSFORMERS_OFFLINE="",
    )
    return env, log


@dataclass(frozen=True)
class DemoRun:
    """The finished demo: its process, data directory and session folder, and what sessions/ held right after."""

    result: subprocess.CompletedProcess[str]
    home: Path
    folder: Path
    sessions_after: list[Path]
    socket_log: Path

    def copy_to(self, data_home: Path) -> Path:
        """The demo's sessions copied into another data directory (a test's own); its folder there."""
        shutil.copytree(self.home / "sessions", data_home / "sessions", dirs_exist_ok=True)
        return data_home / "sessions" / self.folder.name


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`voicecoach demo` with no options (sessions go to the data directory), offline and without a sound card."""
    root = tmp_path_factory.mktemp("demo")
    home = root / "data"
    env, log = offline_env(root / "env", home)
    r = subprocess.run([BIN, "demo"], env=env, capture_output=True, check=False, text=True, timeout=600)
    lines = r.stdout.strip().splitlines()
    sessions = home / "sessions"
    after = sorted(sessions.iterdir()) if sessions.is_dir() else []
    return DemoRun(r, home, Path(lines[-1]) if lines else sessions / "none", after, log)


def test_demo_is_marked_and_keeps_its_voice_in_its_own_folder(tmp_path: Path, demo: DemoRun) -> None:
    r = demo.result
    assert r.returncode == 0, r.stderr
    assert demo.folder.parent == demo.home / "sessions"  # in the data directory by default
    assert demo.sessions_after == [demo.folder]  # nothing beside the session
    assert "kept out of `voicecoach sessions`" in r.stdout
    folder = demo.copy_to(tmp_path)
    data = json.loads((folder / "session.json").read_text())
    assert data["demo"] is True and data["status"] == "completed"
    voices = [t["audio"] for t in data["turns"] if t["role"] == "interviewer"]
    assert voices and all(v.startswith("voice/") and (folder / v).exists() for v in voices)

    typed = _practice(tmp_path, "--case", "uploads-drop")
    assert json.loads((typed / "session.json").read_text())["demo"] is False
    listing = run(["sessions"], tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert typed.name in listing.stdout and folder.name not in listing.stdout
    everything = run(["sessions", "--all"], tmp_path)
    assert folder.name in everything.stdout and typed.name in everything.stdout
    prog = run(["progress", "--all"], tmp_path)
    assert prog.returncode == 0, prog.stderr


def test_offline_demo_attempts_no_connection(tmp_path: Path, demo: DemoRun) -> None:
    """The demo, then exporting it in every format and the progress report: no connection is even tried."""
    r = demo.result
    assert r.returncode == 0, r.stderr
    assert not demo.socket_log.exists(), f"connections attempted: {demo.socket_log.read_text()}"
    folder = demo.copy_to(tmp_path)
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "completed"
    assert (folder / f"{folder.name}.md").exists() and (folder / f"{folder.name}.json").exists()
    # the demo session exported in every format, and the progress report, still with no network
    env, log = offline_env(tmp_path / "env", tmp_path)
    exported = subprocess.run(
        [BIN, "export", str(folder), "--format", "all", "-o", str(tmp_path / "exports")],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    names = {p.suffix for p in (tmp_path / "exports").iterdir()}
    assert names >= {".md", ".json", ".html", ".srt", ".vtt"}
    html = next((tmp_path / "exports").glob("*.html")).read_text()
    assert "score-chart" in html and "data:audio/ogg;base64," in html
    prog = subprocess.run(
        [BIN, "progress", "--all", "--html", str(tmp_path / "progress.html")],  # --all: a demo is not practice
        env=env, capture_output=True, check=False, text=True, timeout=120,
    )  # fmt: skip
    assert prog.returncode == 0, prog.stderr
    assert "Metrics" in prog.stdout and "progress-chart" in (tmp_path / "progress.html").read_text()
    assert not log.exists(), f"connections attempted: {log.read_text()}"
