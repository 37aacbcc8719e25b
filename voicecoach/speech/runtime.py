"""How the speech model shares the CPU: its thread count and OpenMP wait policy, chosen before it loads.

CTranslate2 runs its decoder on GNU OpenMP (the libgomp bundled in its wheel). By default every OpenMP
thread spins for a while after each parallel region, waiting for the next one: with one thread per core
that fights any other busy program for every core, and a turn that took 0.01 s on an idle laptop took
6.5 s beside two busy processes (issue 13). Passive waiting (threads sleep at once) and a thread count that
leaves a core free let the decode slow gracefully instead. libgomp reads its environment once, when it is
loaded, so `prepare()` must run before the first `import ctranslate2` / `faster_whisper`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# libgomp: sleep instead of spinning between parallel regions (GOMP_SPINCOUNT=0 says the same to libgomp
# builds that read the spin count first). Set only when the user set no wait policy of their own.
_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "0"}
MAX_AUTO_THREADS = 4  # tiny.en on short utterances gains little past four threads (bench/stt_threads.py)


@dataclass(frozen=True)
class RuntimeChoice:
    """The threads and wait policy the speech model runs with, and why."""

    threads: int
    wait_policy: str
    reason: str


def _cores() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_threads(cores: int | None = None) -> int:
    """Threads for the speech model when the user chose none: all cores but one, at least two, at most four.

    On two cores both are used: with passive waiting an idle thread sleeps, so the second thread costs
    other programs little, while one thread alone got a third of the CPU beside two busy processes (the
    scheduler shares time per thread) and decoded 1.5x slower (bench/stt_threads.py, docs/benchmarks.md).
    """
    n = _cores() if cores is None else cores
    return max(1, min(n, max(2, min(MAX_AUTO_THREADS, n - 1))))


def choose(threads: int = 0) -> RuntimeChoice:
    """The thread count (0 = automatic) and the wait policy in force, with the reason in words."""
    cores = _cores()
    policy = os.environ.get("OMP_WAIT_POLICY", _ENV["OMP_WAIT_POLICY"]).upper()
    if threads > 0:
        why = f"{threads} thread(s) as configured (stt.threads) on {cores} core(s)"
        n = threads
    else:
        n = auto_threads(cores)
        left = "one core left for other programs" if n < cores else "all cores (one thread alone starves under load)"
        why = f"{n} thread(s) on {cores} core(s): {left}"
    if policy == "PASSIVE":
        why += "; passive OpenMP wait (idle threads sleep, so a busy laptop slows a turn instead of stalling it)"
    else:
        why += f"; OMP_WAIT_POLICY={policy} from the environment (threads spin while idle)"
    return RuntimeChoice(n, policy, why)


def prepare() -> None:
    """Set the OpenMP environment for the speech model, unless the user set it; call before importing it."""
    if "OMP_WAIT_POLICY" in os.environ or "GOMP_SPINCOUNT" in os.environ:
        return
    os.environ.update(_ENV)
