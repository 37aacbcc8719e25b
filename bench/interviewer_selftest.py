"""Self-test of the interviewer: scripted candidates (tests/interviewer_selftest.toml) through the real `practice` path.

Each candidate's turns go to `voicecoach practice --case CASE --answers-text FILE --voice-out none --out DIR`, run
in-process with VOICECOACH_HOME in a temporary folder; the saved session.json is then checked against its class's
expectation (EXPECTATIONS). Prints a table per class; --write also records it in docs/interviewer_selftest.md.

    .venv/bin/python bench/interviewer_selftest.py [--write] [--only CLASS]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from voicecoach import cli

DATA = REPO / "tests" / "interviewer_selftest.toml"
DOC = REPO / "docs" / "interviewer_selftest.md"
COMMAND = ".venv/bin/python bench/interviewer_selftest.py --write"
# The off-topic contract agreed with the grader's author: the next interviewer line says this (any case, "did not" ok).
NO_ANSWER = re.compile(r"i\s+(?:didn['’]t|did\s+not)\s+hear\s+an\s+answer\s+to\s+the\s+question", re.IGNORECASE)


@dataclass(frozen=True)
class Expectation:
    """What a good interviewer does with a class of candidate; None means not checked."""

    max_overall: float | None = None
    min_overall: float | None = None
    max_dims_at_4: int | None = None  # dimensions scored 4 or more
    max_any_dim: int | None = None
    max_clarify: int | None = None
    own_case_min: float | None = None  # wrong_case: the same turns on their own case score at least this
    says_no_answer: bool = False  # the interviewer's next line after the first turn matches NO_ANSWER
    always_heard: bool = False  # no interviewer line tells this candidate it heard no answer (a real answer is heard)


# The targets (issue 12, "Targets"); "low" for one-word, gibberish and pleas is read as off-topic's 1.5 with no
# dimension above 2. The coordinator sets the test floors from here once the new grader is merged.
EXPECTATIONS: dict[str, Expectation] = {
    "buzzword": Expectation(max_overall=2.5, max_dims_at_4=1),
    "wrong_case": Expectation(max_overall=2.5, own_case_min=3.5),
    "off_topic": Expectation(max_overall=1.5, says_no_answer=True),
    "one_word": Expectation(max_overall=1.5, max_any_dim=2),
    "gibberish": Expectation(max_overall=1.5, max_any_dim=2),
    "plea": Expectation(max_overall=1.5, max_any_dim=2),
    "repeat": Expectation(max_clarify=2),
    "plain": Expectation(min_overall=3.5, always_heard=True),
    "strong": Expectation(min_overall=3.5, always_heard=True),
}
CLASSES = tuple(EXPECTATIONS)
# Words that make an answer "rubric vocabulary": a `plain` candidate says none of them (checked on the data).
RUBRIC_WORDS = (
    "metric", "guardrail", "segment", "trade-off", "tradeoff", "trade off", "edge case", "stakeholder", "cohort",
    "kpi", "a/b", "funnel", "north star", "baseline", "staged", "kill switch", "hypothes", "framework", "prioriti",
    "retention", "conversion", "churn", "fraud", "abuse", "mitigat", "root cause", "dashboard", "experiment",
    "latency", "percentile", "rollout", "roll out", "data", "clarif", "holdout", "success", "activation", "localis",
)


@dataclass(frozen=True)
class Candidate:
    """One scripted candidate: what they say, on which case, and what class of answer it is."""

    id: str
    cls: str
    case: str
    turns: tuple[str, ...]
    same_as: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What the interviewer made of one candidate, read back from the saved session.json."""

    overall: float
    scores: dict[str, int]
    interviewer_lines: tuple[str, ...]  # every interviewer turn, in order
    next_line: str  # the interviewer's first line after the candidate's first turn
    ms: float  # wall time of the in-process run (contaminated on a busy machine)


@dataclass
class Result:
    """A candidate, its outcome, and the expectation checks it failed (empty = passed)."""

    candidate: Candidate
    outcome: Outcome
    failures: list[str] = field(default_factory=list)
    own: Outcome | None = None  # wrong_case: the same turns on their own case
    own_case: str | None = None


def load_candidates(path: Path = DATA) -> list[Candidate]:
    """The scripted candidates, `same_as` resolved to the source's turns word for word."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["candidate"]
    by_id: dict[str, dict[str, Any]] = {}
    for c in raw:
        if c["id"] in by_id:
            raise ValueError(f"{path.name}: duplicate candidate id {c['id']}")
        if c["class"] not in EXPECTATIONS:
            raise ValueError(f"{path.name}: {c['id']} has unknown class {c['class']!r}; one of {', '.join(CLASSES)}")
        by_id[c["id"]] = c
    out = []
    for c in raw:
        src = c.get("same_as")
        turns = by_id[src]["turns"] if src else c["turns"]
        out.append(Candidate(c["id"], c["class"], c["case"], tuple(turns), src))
    return out


@contextlib.contextmanager
def _isolated_home(home: Path) -> Iterator[None]:
    """VOICECOACH_HOME set to home and no other VOICECOACH_* variable, restored afterwards."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("VOICECOACH_")}
    for k in saved:
        del os.environ[k]
    os.environ["VOICECOACH_HOME"] = str(home)
    try:
        yield
    finally:
        del os.environ["VOICECOACH_HOME"]
        os.environ.update(saved)


def run(turns: tuple[str, ...], case: str, work: Path) -> Outcome:
    """One practice session over the real CLI, in-process; the outcome read from its session.json."""
    work.mkdir(parents=True, exist_ok=True)
    answers = work / "answers.txt"
    answers.write_text("\n---\n".join(turns) + "\n", encoding="utf-8")
    out_dir = work / "sessions"
    argv = ["practice", "--case", case, "--answers-text", str(answers), "--voice-out", "none", "--out", str(out_dir)]
    printed = io.StringIO()
    start = time.perf_counter()
    with _isolated_home(work / "home"), contextlib.redirect_stdout(printed):
        code = cli.main(argv)
    ms = (time.perf_counter() - start) * 1000
    if code != 0:
        raise RuntimeError(f"practice exited {code} on {case}:\n{printed.getvalue()[-2000:]}")
    files = sorted(out_dir.glob("*/session.json"))
    if len(files) != 1:
        raise RuntimeError(f"expected one session.json under {out_dir}, found {len(files)}")
    return read_session(json.loads(files[0].read_text(encoding="utf-8")), ms)


def read_session(d: dict[str, Any], ms: float = 0.0) -> Outcome:
    """Scores, overall and the interviewer's lines from a session.json dict."""
    turns = d["turns"]
    first = next(i for i, t in enumerate(turns) if t["role"] == "candidate")
    after = [t["text"] for t in turns[first + 1 :] if t["role"] == "interviewer"]
    return Outcome(
        overall=float(d["overall"]),
        scores={k: int(v["score"]) for k, v in d["scores"].items()},
        interviewer_lines=tuple(t["text"] for t in turns if t["role"] == "interviewer"),
        next_line=after[0] if after else "",
        ms=ms,
    )


def check(c: Candidate, o: Outcome, own: Outcome | None = None, e: Expectation | None = None) -> list[str]:
    """The checks of e (by default the class's target) this outcome fails, each as a readable line."""
    e, bad = e or EXPECTATIONS[c.cls], []
    if e.max_overall is not None and o.overall > e.max_overall:
        bad.append(f"overall {o.overall} > {e.max_overall}")
    if e.min_overall is not None and o.overall < e.min_overall:
        bad.append(f"overall {o.overall} < {e.min_overall}")
    high = sorted(k for k, v in o.scores.items() if v >= 4)
    if e.max_dims_at_4 is not None and len(high) > e.max_dims_at_4:
        bad.append(f"{len(high)} dimensions at 4+ ({', '.join(high)}) > {e.max_dims_at_4}")
    if e.max_any_dim is not None and max(o.scores.values()) > e.max_any_dim:
        over = {k: v for k, v in o.scores.items() if v > e.max_any_dim}
        bad.append(f"dimensions above {e.max_any_dim}: {over}")
    if e.max_clarify is not None and o.scores.get("clarify", 0) > e.max_clarify:
        bad.append(f"clarify {o.scores.get('clarify')} > {e.max_clarify}")
    if e.says_no_answer and not NO_ANSWER.search(o.next_line):
        bad.append(f"next line does not say it heard no answer: {o.next_line!r}")
    if e.always_heard and (told := next((x for x in o.interviewer_lines if NO_ANSWER.search(x)), None)):
        bad.append(f"a real answer was told it was not heard: {told[:80]!r}")
    if e.own_case_min is not None and own is not None and own.overall < e.own_case_min:
        bad.append(f"on its own case ({c.same_as}) overall {own.overall} < {e.own_case_min}")
    return bad


def evaluate(candidates: list[Candidate], work: Path, pool: list[Candidate] | None = None) -> list[Result]:
    """Run every candidate (and each wrong_case's source, from pool, on its own case, once) and check it."""
    by_id = {c.id: c for c in (pool or candidates)}
    cache: dict[tuple[str, str], Outcome] = {}

    def outcome(c: Candidate, case: str) -> Outcome:
        key = (c.same_as or c.id, case)
        if key not in cache:
            cache[key] = run(c.turns, case, work / f"{key[0]}--{case}")
        return cache[key]

    results = []
    for c in candidates:
        src = by_id[c.same_as] if c.same_as else None
        own = outcome(src, src.case) if src else None
        o = outcome(c, c.case)
        results.append(Result(c, o, check(c, o, own), own, src.case if src else None))
    return results


def _worst(cls: str, rs: list[Result]) -> Result:
    """The item furthest on the wrong side of its class's target."""
    e = EXPECTATIONS[cls]
    if e.max_clarify is not None:
        return max(rs, key=lambda r: r.outcome.scores.get("clarify", 0))
    if e.min_overall is not None:
        return min(rs, key=lambda r: r.outcome.overall)
    return max(rs, key=lambda r: r.outcome.overall)


def _target(e: Expectation) -> str:
    """The class's expectation in a few words."""
    parts = []
    if e.max_overall is not None:
        parts.append(f"overall ≤ {e.max_overall}")
    if e.min_overall is not None:
        parts.append(f"overall ≥ {e.min_overall}")
    if e.max_dims_at_4 is not None:
        parts.append(f"≤ {e.max_dims_at_4} dim at 4+")
    if e.max_any_dim is not None:
        parts.append(f"no dim > {e.max_any_dim}")
    if e.max_clarify is not None:
        parts.append(f"clarify ≤ {e.max_clarify}")
    if e.own_case_min is not None:
        parts.append(f"own case ≥ {e.own_case_min}")
    if e.says_no_answer:
        parts.append('says "I didn\'t hear an answer to the question"')
    return ", ".join(parts)


def table(results: list[Result]) -> str:
    """Markdown: per class, count, passed, mean/min/max overall and the worst item; then every failure."""
    lines = [
        "| Class | Target | Candidates | Passed | Mean overall | Min | Max | Worst item |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for cls in CLASSES:
        rs = [r for r in results if r.candidate.cls == cls]
        if not rs:
            continue
        ov = [r.outcome.overall for r in rs]
        w = _worst(cls, rs)
        shown = f"clarify {w.outcome.scores.get('clarify')}" if cls == "repeat" else f"{w.outcome.overall}"
        lines.append(
            f"| {cls} | {_target(EXPECTATIONS[cls])} | {len(rs)} | {sum(not r.failures for r in rs)} "
            f"| {statistics.mean(ov):.2f} | {min(ov)} | {max(ov)} | {w.candidate.id} ({shown}) |"
        )
    passed = sum(not r.failures for r in results)
    lines.append(f"| **all** | | {len(results)} | {passed} | | | | |")
    fails = [r for r in results if r.failures]
    if fails:
        lines += ["", "Failures:", ""]
        lines += [f"- `{r.candidate.id}` ({r.candidate.case}): {'; '.join(r.failures)} [{_brief(r.outcome)}]"
                  for r in fails]
    own = [r for r in results if r.own is not None]
    if own:
        lines += ["", "Strong answers moved to another case (same words on both):", ""]
        lines += ["| Answer | Own case | Overall there | Moved to | Overall there |", "|---|---|---:|---|---:|"]
        for r in own:
            assert r.own is not None
            src = r.candidate.same_as
            lines.append(f"| {src} | {r.own_case} | {r.own.overall} | {r.candidate.case} | {r.outcome.overall} |")
    return "\n".join(lines)


def _brief(o: Outcome) -> str:
    """Scores in one short string, e.g. `clarify 2, metrics 5, ... follow_up 1`."""
    return ", ".join(f"{k} {v}" for k, v in o.scores.items())


def _commit() -> str:
    """The short commit the figures were taken at (with + when the tree has changes)."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=False)
        return rev.stdout.strip() + ("+" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def write_doc(text: str, ms: list[float]) -> None:
    """Record the table in docs/interviewer_selftest.md, replacing the previous figures."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Self-test of the interviewer\n"
    head = doc.split("\n## Latest figures")[0].rstrip()
    med = statistics.median(ms) if ms else 0.0
    doc = (f"{head}\n\n## Latest figures\n\n`{COMMAND}` at commit {_commit()} "
           f"({time.strftime('%Y-%m-%d', time.gmtime())}; median {med:.0f} ms per in-process session on a shared "
           f"machine):\n\n{text}\n")
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the self-test and print (and with --write, record) the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--write", action="store_true", help=f"record the table in {DOC.relative_to(REPO)}")
    ap.add_argument("--only", choices=CLASSES, help="run one class only")
    ap.add_argument("--data", type=Path, default=DATA, help="candidates file (default: %(default)s)")
    args = ap.parse_args(argv)
    pool = load_candidates(args.data)
    candidates = [c for c in pool if args.only in (None, c.cls)]
    with tempfile.TemporaryDirectory(prefix="selftest-") as tmp:
        results = evaluate(candidates, Path(tmp), pool)
    text = table(results)
    print(text)
    if args.write:
        write_doc(text, [r.outcome.ms for r in results])
        print(f"\nwritten to {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
