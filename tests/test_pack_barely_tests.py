"""Pack validation of barely_tests: every bad entry fails with the file, its line, the case and the fix."""
# ruff: noqa: F811 - pytest fixtures imported from the sibling module are named again as test parameters

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_packs import copy, error_of  # noqa: F401 - fixture and helper shared with test_packs
from voicecoach.packs import load_pack

CHECKOUT = Path("cases") / "checkout-fees.toml"
UPLOADS = Path("cases") / "uploads-drop.toml"
SHIPPED = 'barely_tests = ["technical", "edge_cases"]'


def write(path: Path, line: str) -> int:
    """Replace checkout-fees' barely_tests line with line; the 1-based line number it sits on."""
    text = path.read_text(encoding="utf-8")
    assert SHIPPED in text
    path.write_text(text.replace(SHIPPED, line, 1), encoding="utf-8")
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row == line)


@pytest.mark.parametrize(
    ("line", "problem", "fix"),
    [
        ('barely_tests = ["technicl"]', "'technicl', which is not a dimension id",
         "use one of clarify, metrics, technical, edge_cases, tradeoffs, data"),
        ('barely_tests = ["follow_up"]', "lists follow_up, which every case tests", "remove follow_up"),
        ('barely_tests = ["technical", "technical"]', "lists 'technical' twice", "list each dimension once"),
        ('barely_tests = ["technical", "edge_cases", "metrics"]', "lists 3 dimensions; at most 2 may be barely tested",
         "keep the 2 the question turns on least"),
        ("barely_tests = []", "'barely_tests' is an empty list", "name a dimension or delete the line"),
        ('barely_tests = "technical"', "'barely_tests' must be a list, not str", "write barely_tests as a list"),
        ('barely_tests = ["technical", 3]', "'barely_tests' must hold strings, not int", "quote the text"),
    ],
)
def test_bad_barely_tests_name_file_line_case_and_fix(copy: Path, line: str, problem: str, fix: str) -> None:
    at = write(copy / CHECKOUT, line)
    msg = error_of(copy)
    assert msg.startswith(f"{copy / CHECKOUT}:{at}: case 'checkout-fees': "), msg
    assert problem in msg and f"Fix: {fix}" in msg, msg


def test_barely_tests_is_optional_and_loads_in_file_order(copy: Path) -> None:
    text = (copy / UPLOADS).read_text(encoding="utf-8")
    (copy / UPLOADS).write_text(text.replace("strong_answer = [", 'barely_tests = ["edge_cases", "clarify"]\n'
                                             "strong_answer = [", 1), encoding="utf-8")
    write(copy / CHECKOUT, "# this copy barely tests nothing")
    pack = load_pack(str(copy))
    assert pack.case("uploads-drop").barely_tests == ("edge_cases", "clarify")
    assert pack.case("checkout-fees").barely_tests == ()
