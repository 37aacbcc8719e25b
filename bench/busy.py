"""Busy processes for benchmarks under load: started and stopped by the bench itself, bounded in time."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# A busy loop on one core, like `yes > /dev/null`; the interpreter is used so no other tool is needed.
_SPIN = "import time\nend = time.monotonic() + {limit}\nwhile time.monotonic() < end:\n    pass\n"


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def busy(count: int, limit_s: float = 900.0) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Run `count` processes that each keep one core busy; they stop on exit, or after limit_s whatever happens."""
    procs: list[subprocess.Popen[bytes]] = []
    if threading.current_thread() is threading.main_thread():  # `kill BENCH` still stops the busy processes
        signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        for _ in range(count):
            if shutil.which("yes") and shutil.which("timeout"):  # exactly the issue's `yes > /dev/null`
                cmd = ["timeout", f"{limit_s:.0f}", "yes"]
            else:
                cmd = [sys.executable, "-c", _SPIN.format(limit=limit_s)]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield procs
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
