"""Measure the offline interviewer against tests/labelled_answers.toml and write the figures to docs/offline_interviewer.md.

Run: .venv/bin/python bench/offline_quality.py  (add --no-write to only print; --labels FILE measures one batch kept in
its own file, such as a blind batch before it joins the set)
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from voicecoach.brain.clarify import is_clarifying_question, matching_facts
from voicecoach.brain.reading import clear_caches
from voicecoach.brain.relevance import NOT_HEARD
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.content import Pack
from voicecoach.model import Turn
from voicecoach.packs import load_pack
from voicecoach.ports import Context

LABELS = REPO / "tests" / "labelled_answers.toml"
DOC = REPO / "docs" / "offline_interviewer.md"
COMMAND = ".venv/bin/python bench/offline_quality.py"
START, END = "<!-- offline-quality:start -->", "<!-- offline-quality:end -->"
FOLLOW_UP_TEXT = "Let me push on that a little."
REPEATS = 3
NOTHING_SAID = 5  # labelled weak on at least this many of the six content dimensions
T = TypeVar("T")


@dataclass
class Result:
    """Counts and misses from one run over the labelled set."""

    labels_met: int = 0
    labels_total: int = 0
    weak_as_strong: int = 0  # a dimension labelled weak that scored 4 or more: the grader talked into credit
    first_hit: int = 0
    first_total: int = 0
    clar_right: int = 0
    clar_total: int = 0
    reveal_right: int = 0
    reveal_total: int = 0
    grade_ms: list[float] = field(default_factory=list)
    react_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    answers: int = 0
    cases: set[str] = field(default_factory=set)

    def pct(self, a: int, b: int) -> float:
        """a as a percentage of b (100 when b is 0)."""
        return 100.0 * a / b if b else 100.0


def load_items(path: Path = LABELS) -> list[dict[str, Any]]:
    """The labelled answers."""
    with path.open("rb") as f:
        return list(tomllib.load(f)["answer"])


# The columns after "All": the tuning set (no `set` key), the first two held-out batches (`holdout`), then holdout3,
# holdout4 to holdout12, each written before the grader was tuned on it (see docs/offline_interviewer.md).
SETS = {
    "Tuning set": None,
    "Held out": "holdout",
    "Holdout3": "holdout3",
    "Holdout4": "holdout4",
    "Holdout5": "holdout5",
    "Holdout6": "holdout6",
    "Holdout7": "holdout7",
    "Holdout8": "holdout8",
    "Holdout9": "holdout9",
    "Holdout10": "holdout10",
    "Holdout11": "holdout11",
    "Holdout12": "holdout12",
    "Holdout13": "holdout13",
}


def subset(items: list[dict[str, Any]], key: str | None) -> list[dict[str, Any]]:
    """The items of one set (key None: the tuning set, items with no `set`)."""
    return [i for i in items if i.get("set") == key]


def conversation(pack: Pack, item: dict[str, Any]) -> Context:
    """The turns for one labelled item: the case question, the answer, and the follow-up and reply if any."""
    case = pack.case(item["case"])
    turns = [Turn("interviewer", "question", case.question), Turn("candidate", "answer", item["text"])]
    if "follow_up" in item:
        turns.append(Turn("interviewer", "follow_up", FOLLOW_UP_TEXT, targets=(item["follow_up"],)))
        turns.append(Turn("candidate", "answer", item["reply"]))
    return Context(pack=pack, case=case, turns=tuple(turns), max_follow_ups=2)


def _timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its best cold wall time in ms over REPEATS runs (the machine is shared; the best run
    is the cost of the code, the others add other people's load)."""
    best = float("inf")
    result = call()
    for _ in range(REPEATS):
        clear_caches()  # time the cold path: every turn read from scratch
        t0 = time.perf_counter()
        result = call()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return result, best


def evaluate(pack: Pack, items: list[dict[str, Any]]) -> Result:
    """Run the interviewer over every labelled item."""
    brain = OfflineInterviewer()
    r = Result()
    for item in items:
        r.cases.add(item["case"])
        is_clar = item["kind"] == "clarification"
        r.clar_total += 1
        if is_clarifying_question(item["text"]) == is_clar:
            r.clar_right += 1
        else:
            r.misses.append(f"{item['id']}: clarifying question detection wrong (expected {is_clar})")
        if is_clar:
            r.reveal_total += 1
            got = sorted(f.topic for f in matching_facts(pack.case(item["case"]), item["text"]))
            if got == sorted(item["reveals"]):
                r.reveal_right += 1
            else:
                r.misses.append(f"{item['id']}: revealed {got}, expected {sorted(item['reveals'])}")
            continue
        r.answers += 1
        ctx = conversation(pack, item)
        verdict, ms = _timed(functools.partial(brain.assess, ctx))
        r.grade_ms.append(ms)
        scores = {s.dimension: s.score for s in verdict.scores}
        for dim in item["weak"]:
            r.labels_total += 1
            if scores[dim] <= 2:
                r.labels_met += 1
            else:
                r.misses.append(f"{item['id']}: {dim} labelled weak, scored {scores[dim]}")
                r.weak_as_strong += scores[dim] >= 4
        for dim in item["strong"]:
            r.labels_total += 1
            if scores[dim] >= 4:
                r.labels_met += 1
            else:
                r.misses.append(f"{item['id']}: {dim} labelled strong, scored {scores[dim]}")
        probeable = [d for d in item["weak"] if d != "follow_up"]
        if probeable:
            first = Context(pack=ctx.pack, case=ctx.case, turns=ctx.turns[:2], max_follow_ups=2)
            move, ms = _timed(functools.partial(brain.react, first))
            r.react_ms.append(ms)
            r.first_total += 1
            if move.kind == "follow_up" and move.targets and move.targets[0] in probeable:
                r.first_hit += 1
            elif move.text.startswith(NOT_HEARD) and len(probeable) >= NOTHING_SAID:
                # an answer labelled weak on (nearly) every dimension that the interviewer hears as not answering the
                # question at all: saying so and asking again is the right first move, not a probe (issue 12)
                r.first_hit += 1
            else:
                r.misses.append(f"{item['id']}: first follow-up {move.kind} {move.targets}, weak {probeable}")
    return r


def table(results: dict[str, Result]) -> str:
    """The figures as a Markdown table, one column per set of answers."""

    def frac(a: int, b: int) -> str:
        return f"{100.0 * a / b:.1f}% ({a}/{b})" if b else "-"

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} / {max(values):.1f} ms" if values else "-"

    rows: list[tuple[str, list[str], str]] = [
        ("Items / answers / cases", [f"{r.clar_total} / {r.answers} / {len(r.cases)}" for r in results.values()], ""),
        (
            "Labels met (weak <= 2, strong >= 4)",
            [frac(r.labels_met, r.labels_total) for r in results.values()],
            ">= 90%",
        ),
        ("Labelled weak but scored 4 or more", [str(r.weak_as_strong) for r in results.values()], "0"),
        (
            "First follow-up on a labelled weak dimension",
            [frac(r.first_hit, r.first_total) for r in results.values()],
            ">= 90%",
        ),
        ("Clarifying question recognised (yes/no)", [frac(r.clar_right, r.clar_total) for r in results.values()], ""),
        (
            "Clarification answered with the right fact(s)",
            [frac(r.reveal_right, r.reveal_total) for r in results.values()],
            "",
        ),
        (
            "Grading a conversation (assess), best of 3: median / max",
            [ms(r.grade_ms) for r in results.values()],
            "< 100 ms",
        ),
        (
            "Choosing a follow-up (react), best of 3: median / max",
            [ms(r.react_ms) for r in results.values()],
            "< 100 ms",
        ),
    ]
    head = "| Measure | " + " | ".join(results) + " | Target |"
    sep = "|---|" + "---|" * len(results) + "---|"
    return "\n".join([head, sep] + [f"| {a} | " + " | ".join(vals) + f" | {t} |" for a, vals, t in rows])


def write_doc(text: str) -> None:
    """Replace the figures block in docs/offline_interviewer.md (created if missing)."""
    block = f"{START}\nCommand: `{COMMAND}`\n\n{text}\n{END}"
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# The offline interviewer\n\n"
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + block + doc[doc.index(END) + len(END) :]
    else:
        doc = doc.rstrip() + "\n\n## Figures\n\n" + block + "\n"
    DOC.write_text(doc, encoding="utf-8")


def targets(pack: Pack, items: list[dict[str, Any]]) -> str:
    """Issue 12's targets on the scripted answers of tests/test_case_reading.py and the labelled strong answers."""
    from tests.test_case_reading import LISTS, PLAIN_SEARCH, PLAIN_UPLOADS, SEARCH, SMALL_TALK, UPLOADS

    brain = OfflineInterviewer()

    def run(case_id: str, *answers: str) -> tuple[float, dict[str, int], str]:
        case = pack.case(case_id)
        turns = (Turn("interviewer", "question", case.question), *(Turn("candidate", "answer", a) for a in answers))
        c = Context(pack=pack, case=case, turns=turns)
        v = brain.assess(c)
        return v.overall, {s.dimension: s.score for s in v.scores}, brain.react(c).text

    lists = [run(c.id, t) for t in LISTS for c in pack.cases]
    strong = [i for i in items if i["kind"] == "answer" and len(i["strong"]) >= 3]
    moved = [run(c.id, i["text"])[0] for i in strong for c in pack.cases if c.id != i["case"]]
    own = [run(i["case"], i["text"])[0] for i in strong]
    mine_wrong = [run(c.id, t)[0] for cid, t in (("uploads-drop", UPLOADS), ("search-latency", SEARCH))
                  for c in pack.cases if c.id != cid]
    plain = [run("uploads-drop", PLAIN_UPLOADS)[0], run("search-latency", PLAIN_SEARCH)[0]]
    off = [run(c.id, SMALL_TALK) for c in pack.cases]
    meta = [run(c.id, "Could you repeat the question?")[1]["clarify"] for c in pack.cases]
    rows = [
        ("Three recited lists x 13 cases: highest overall / most dimensions at 4+",
         f"{max(o for o, _, _ in lists):.2f} / {max(sum(v >= 4 for v in d.values()) for _, d, _ in lists)}",
         "<= 2.5 / <= 1"),
        ("Labelled answers with 3+ strong labels on their own case: median overall",
         f"{statistics.median(own):.2f} ({len(own)} answers)", ""),
        ("... moved to each other case: over 2.5", f"{sum(o > 2.5 for o in moved)} of {len(moved)}", "0"),
        ("The two strong answers of tests/test_case_reading.py moved to each other case: highest overall",
         f"{max(mine_wrong):.2f}", "<= 2.5"),
        ("Two strong answers in plain words (tests/test_case_reading.py), on their own case",
         " / ".join(f"{o:.2f}" for o in plain), ">= 3.5"),
        ("Small talk on each case: highest overall / replies starting 'I didn't hear an answer'",
         f"{max(o for o, _, _ in off):.2f} / {sum(r.startswith(NOT_HEARD) for _, _, r in off)} of {len(off)}",
         "<= 1.5 / all"),
        ("'Could you repeat the question?' on each case: highest clarify", str(max(meta)), "<= 2"),
    ]
    return "\n".join(["| Target (issue 12) | Measured | Target |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def main(argv: list[str]) -> int:
    """Print the figures and misses; write them into the doc unless --no-write."""
    pack = load_pack("pm-execution")
    if "--labels" in argv:  # a batch kept in its own file (a blind batch before it joins the set): its figures only
        path = Path(argv[argv.index("--labels") + 1])
        r = evaluate(pack, load_items(path))
        print(f"{path}: labels met {r.pct(r.labels_met, r.labels_total):.1f}% ({r.labels_met}/{r.labels_total}), "
              f"weak read as strong {r.weak_as_strong}, first follow-up on a weak dimension "
              f"{r.pct(r.first_hit, r.first_total):.1f}% ({r.first_hit}/{r.first_total})")
        print(*("  " + m for m in r.misses), sep="\n")
        return 0
    items = load_items()
    results = {"All": evaluate(pack, items)} | {name: evaluate(pack, subset(items, key)) for name, key in SETS.items()}
    text = table(results) + "\n\n" + targets(pack, items)
    print(text)
    if results["All"].misses:
        print("\nMisses:")
        for m in results["All"].misses:
            print("  " + m)
    if "--no-write" not in argv:
        write_doc(text)
        print(f"\nwrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
