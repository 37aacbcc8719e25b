"""Pack validation of answer keys: every malformed [[answer_key]] entry fails with file, line, point and fix."""
# ruff: noqa: F811 - pytest fixtures imported from the sibling module are named again as test parameters

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_packs import copy, edit, error_of, pack  # noqa: F401 - fixtures and helpers shared with test_packs
from voicecoach.content import Pack
from voicecoach.packs import load_pack

# --- answer keys: every malformed [[answer_key]] entry fails with file, line, point and fix ---

UPLOADS = Path("cases") / "uploads-drop.toml"


def line_no(path: Path, text: str) -> int:
    """The 1-based line on which text first occurs in path."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def key_tables(path: Path) -> tuple[str, list[str]]:
    """The case file split into what precedes its [[answer_key]] tables and the tables themselves."""
    head, *tables = path.read_text(encoding="utf-8").split("[[answer_key]]\n")
    return head, tables


def test_every_pack_case_has_an_answer_key_and_adhoc_has_none(pack: Pack) -> None:
    from voicecoach.content import adhoc_case

    assert all(len(c.answer_key) >= 5 for c in pack.cases)
    assert adhoc_case("How would you launch dark mode?").answer_key == ()


def test_answer_key_is_required_and_made_of_tables(copy: Path) -> None:
    path = copy / UPLOADS
    head, _ = key_tables(path)
    path.write_text(head, encoding="utf-8")
    msg = error_of(copy)
    assert "uploads-drop.toml" in msg and "missing required key 'answer_key'" in msg
    path.write_text('answer_key = ["android"]\n' + head, encoding="utf-8")
    msg = error_of(copy)
    assert f"uploads-drop.toml:{line_no(path, 'answer_key =')}" in msg and "[[answer_key]] tables" in msg


def test_answer_key_unknown_missing_and_wrongly_typed_keys(copy: Path) -> None:
    path = copy / UPLOADS
    edit(path, 'id = "android-only"', 'id = "android-only"\nweight = 2')
    msg = error_of(copy)
    assert f"uploads-drop.toml:{line_no(path, 'weight = 2')}:" in msg and "[[answer_key]] #2 (android-only)" in msg
    assert "'weight'" in msg and "valid keys: id, dimension, point, anchors, stronger" in msg
    edit(path, "weight = 2\n", "")
    edit(path, "stronger = \"I'd split uploads", "said = \"I'd split uploads")
    msg = error_of(copy)
    assert "#2 (android-only)" in msg and "'said'" in msg
    edit(path, "said = \"I'd split uploads", "stronger = \"I'd split uploads")
    edit(path, 'dimension = "data"\npoint = "Splits', 'point = "Splits')
    msg = error_of(copy)
    assert "#2 (android-only)" in msg and "missing required key 'dimension'" in msg
    header = line_no(path, 'id = "android-only"') - 1  # the [[answer_key]] line above the id
    assert f"uploads-drop.toml:{header}:" in msg
    edit(path, 'point = "Splits', 'dimension = "data"\npoint = "Splits')
    text = path.read_text(encoding="utf-8")
    start = text.index('anchors = [["android"], ')
    path.write_text(text[:start] + 'anchors = "android"' + text[text.index("\n", start) :], encoding="utf-8")
    msg = error_of(copy)
    at = line_no(path, 'anchors = "android"')
    assert f":{at}:" in msg and "'anchors' must be a list, not str" in msg


def test_answer_key_ids_are_kebab_and_unique(copy: Path) -> None:
    path = copy / UPLOADS
    edit(path, 'id = "android-only"', 'id = "Android only"')
    msg = error_of(copy)
    at = line_no(path, 'id = "Android only')
    assert f":{at}:" in msg and "'Android only' is not kebab-case" in msg
    edit(path, 'id = "Android only"', 'id = "drop-is-real"')
    msg = error_of(copy)
    assert "'drop-is-real' is used twice" in msg and "give each point its own id" in msg
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == 'id = "drop-is-real"']
    assert f"uploads-drop.toml:{lines[1]}:" in msg


def test_answer_key_dimension_must_be_a_rubric_one_other_than_follow_up(copy: Path) -> None:
    path = copy / UPLOADS
    edit(path, 'dimension = "technical"', 'dimension = "follow_up"')
    msg = error_of(copy)
    at = line_no(path, 'dimension = "follow_up')
    assert f":{at}:" in msg and "#5 (background-service)" in msg
    assert "'follow_up' is not one a key point can show" in msg
    assert "clarify, metrics, technical, edge_cases, tradeoffs, data" in msg
    edit(path, 'dimension = "follow_up"', 'dimension = "charisma"')
    assert "'charisma' is not one a key point can show" in error_of(copy)


@pytest.mark.parametrize(
    ("anchors", "problem"),
    [
        ("[]", "must be a non-empty list of non-empty lists"),
        ('["android", "5.2"]', "must be a non-empty list of non-empty lists"),
        ('[["android"], []]', "must be a non-empty list of non-empty lists"),
        ('[["android"], ["  "]]', "'anchors' is empty"),
        ('[["android"], [5.2]]', "'anchors' must hold strings, not float"),
        ('[["Android"], ["5.2"]]', "anchor term 'Android' is not a lower-case word"),
        ('[["andr*oid"], ["5.2"]]', "anchor term 'andr*oid' is not a lower-case word"),
        ('[["android"], ["!?"]]', "anchor term '!?' is not a lower-case word"),
        ('[["an*"], ["5.2"]]', "prefix term 'an*' is too short"),
        ('[["android {quote}"], ["5.2"]]', "placeholder {quote}"),
    ],
)
def test_answer_key_anchors_shape(copy: Path, anchors: str, problem: str) -> None:
    path = copy / UPLOADS
    old = 'anchors = [["android"], ["5.2", "five point two", "release*",'
    text = path.read_text(encoding="utf-8")
    start = text.index(old)
    end = text.index("\n", start)
    path.write_text(text[:start] + f"anchors = {anchors}" + text[end:], encoding="utf-8")
    msg = error_of(copy)
    assert f"uploads-drop.toml:{line_no(path, f'anchors = {anchors}')}:" in msg, msg
    assert "[[answer_key]] #2 (android-only)" in msg and problem in msg, msg


def test_answer_key_point_needs_a_group_of_case_terms(copy: Path) -> None:
    path = copy / UPLOADS
    text = path.read_text(encoding="utf-8")
    start = text.index('anchors = [["android"]')
    end = text.index("\n", start)
    generic = 'anchors = [["platform", "segment*"], ["staged rollout", "guardrail"]]'
    path.write_text(text[:start] + generic + text[end:], encoding="utf-8")
    msg = error_of(copy)
    assert f":{line_no(path, generic)}:" in msg and "#2 (android-only)" in msg
    assert "every anchor group holds a generic rubric word" in msg and "this case's own things" in msg
    # one group free of rubric words is enough, even beside a generic one
    path.write_text(text[:start] + 'anchors = [["android"], ["platform*", "segment*"]]' + text[end:], encoding="utf-8")
    edit(path, "I'd split uploads by platform and app version", "I'd split uploads by platform")
    points = {p.id: p for p in load_pack(str(copy)).case("uploads-drop").answer_key}
    assert points["android-only"].anchors[1] == ("platform*", "segment*")


def test_answer_key_stronger_must_make_its_own_point(copy: Path) -> None:
    path = copy / UPLOADS
    sentence = "I'd split uploads by platform and app version, and if it's only Android from the day five point two"
    edit(path, sentence, "I'd split uploads by device and look at what changed")
    msg = error_of(copy)
    assert f":{line_no(path, 'by device and look')}:" in msg and "#2 (android-only)" in msg
    assert "'stronger' does not make its own point" in msg and "['android']" in msg


def test_answer_key_needs_five_to_ten_points_over_four_dimensions(copy: Path) -> None:
    path = copy / UPLOADS
    head, tables = key_tables(path)
    path.write_text(head + "".join("[[answer_key]]\n" + t for t in tables[:4]), encoding="utf-8")
    msg = error_of(copy)
    assert "uploads-drop.toml" in msg and "the answer key has 4 points; it needs 5 to 10" in msg
    extra = [t.replace('id = "', f'id = "copy{n}-', 1) for n, t in enumerate(tables[:2])]
    path.write_text(head + "".join("[[answer_key]]\n" + t for t in tables + extra), encoding="utf-8")
    assert "the answer key has 11 points" in error_of(copy)
    one_dim = re.sub(r'dimension = "\w+"', 'dimension = "data"', "".join("[[answer_key]]\n" + t for t in tables))
    path.write_text(head + one_dim, encoding="utf-8")
    msg = error_of(copy)
    assert "covers only 1 dimension (data)" in msg and "cover at least 4 of" in msg
