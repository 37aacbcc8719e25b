"""Test helper: `voicecoach demo` run once for the whole test run, with no sound card and no network.

A demo run costs ~14 s (three real transcriptions, the natural voice, the report), and two tests need one:
test_cli checks it is marked and keeps its voice in its own folder, test_faults that it attempts no connection.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BIN = str(Path(sys.executable).with_name("voicecoach"))

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


@dataclass(frozen=True)
class DemoRun:
    """The finished demo: its process, data directory and session folder, and what sessions/ held right after."""

    result: subprocess.CompletedProcess[str]
    home: Path
    folder: Path
    sessions_after: list[Path]
    socket_log: Path


def offline_env(root: Path, data_home: Path) -> tuple[dict[str, str], Path]:
    """An environment with no sound card (HOME's .asoundrc names a missing one) and every connection refused.

    Returns it with the socket log it writes to (absent while nothing tried to connect). The Hugging Face
    offline switches are cleared so that only the product's own settings keep it off the network.
    """
    root.mkdir(parents=True, exist_ok=True)
    alsa_home, site = root / "alsa-home", root / "site"
    alsa_home.mkdir(exist_ok=True)
    site.mkdir(exist_ok=True)
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


def run_demo(root: Path) -> DemoRun:
    """`voicecoach demo` with its defaults (sessions in the data directory), offline and without a sound card."""
    home = root / "data"
    env, log = offline_env(root / "env", home)
    r = subprocess.run([BIN, "demo"], env=env, capture_output=True, check=False, text=True, timeout=600)
    lines = r.stdout.strip().splitlines()
    folder = Path(lines[-1]) if lines else home / "missing"
    sessions = home / "sessions"
    after = sorted(sessions.iterdir()) if sessions.is_dir() else []
    return DemoRun(r, home, folder, after, log)


def copy_sessions(demo: DemoRun, data_home: Path) -> Path:
    """The demo's sessions copied into another data directory (a test's own); returns the demo's folder there."""
    shutil.copytree(demo.home / "sessions", data_home / "sessions", dirs_exist_ok=True)
    return data_home / "sessions" / demo.folder.name
