"""The shipped pm-execution pack loads, and every kind of malformed pack fails with a message that says where."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voicecoach.content import Pack
from voicecoach.errors import PackError
from voicecoach.model import DIMENSIONS
from voicecoach.packs import list_packs, load_pack, packs_root

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "prompts" / "pm-execution"
UPLOADS_QUESTION = (
    "You're the product manager for a photo-sharing app. Last week, weekly photo uploads dropped by twelve percent. "
    "Walk me through how you'd figure out what happened, and what you'd do about it."
)
REQUIRED_CATEGORIES = {
    "metric-drop",
    "launch-success",
    "scope-cut",
    "risky-rollout",
    "reliability-regression",
    "stakeholder-priorities",
    "experiment-decision",
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    """The shipped pack, loaded once."""
    return load_pack("pm-execution")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped pack to break."""
    dest = tmp_path / "broken"
    shutil.copytree(SHIPPED, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old in path with new (old must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_of(folder: Path) -> str:
    """The PackError message from loading folder."""
    with pytest.raises(PackError) as info:
        load_pack(str(folder))
    msg = str(info.value)
    assert "Fix" in msg, f"message does not say the fix: {msg}"
    return msg


def test_packs_root_is_the_repo_prompts_in_a_source_tree() -> None:
    assert packs_root() == REPO / "prompts"


def test_shipped_pack_loads_with_enough_cases_and_categories(pack: Pack) -> None:
    assert pack.id == "pm-execution"
    assert pack.root == SHIPPED.resolve()
    assert [d.id for d in pack.dimensions] == list(DIMENSIONS)
    assert all(sorted(d.descriptors) == [1, 3, 5] for d in pack.dimensions)
    assert len(pack.cases) >= 10
    missing = REQUIRED_CATEGORIES - {c.category for c in pack.cases}
    assert not missing, f"no case for categories {missing}"
    assert len({c.id for c in pack.cases}) == len(pack.cases)


def test_every_case_has_facts_and_probes_for_all_dimensions(pack: Pack) -> None:
    for case in pack.cases:
        assert len(case.hidden_facts) >= 3, case.id
        assert set(case.probes) == set(DIMENSIONS), case.id
        for dim, phrasings in case.probes.items():
            assert any("{quote}" not in p for p in phrasings), (case.id, dim)
            for p in phrasings:
                assert p.replace("{quote}", "a short quote").format() == p.replace("{quote}", "a short quote")
        assert len(case.strong_answer) >= 4, case.id
        assert all(f.keywords and f.answer for f in case.hidden_facts), case.id


def test_hidden_fact_keywords_are_lowercase_and_point_at_one_fact(pack: Pack) -> None:
    for case in pack.cases:
        seen: dict[str, str] = {}
        for fact in case.hidden_facts:
            for kw in fact.keywords:
                assert kw == kw.lower().strip(), (case.id, kw)
                assert seen.setdefault(kw, fact.topic) == fact.topic, (case.id, kw, "asks for two facts")


def test_spoken_text_has_nothing_tts_would_mangle(pack: Pack) -> None:
    bad = re.compile(r"%|&|\be\.g\.|\bi\.e\.|\bvs\b|\bPM\b|\bKPI|\bp9\d|\d+(\.\d+)+|[•*#]")
    for case in pack.cases:
        spoken = [case.question, case.no_data_answer, *(f.answer for f in case.hidden_facts)]
        spoken += [p for ps in case.probes.values() for p in ps]
        for text in spoken:
            assert not bad.search(text), (case.id, text)
        assert len(re.findall(r"[.?!](\s|$)", case.question)) <= 3, (case.id, "question too long to speak")
        assert len(case.question.split()) <= 50, (case.id, "question too long to speak")


def test_uploads_drop_case_matches_the_demo(pack: Pack) -> None:
    case = pack.case("uploads-drop")
    assert case.question == UPLOADS_QUESTION
    facts = {f.topic: f for f in case.hidden_facts}
    assert "android" in facts["platform"].keywords and "ios" in facts["platform"].keywords
    assert "android" in facts["platform"].answer.lower() and "flat" in facts["platform"].answer
    assert "release" in facts["timing and release"].keywords
    assert "tuesday" in facts["timing and release"].answer.lower()
    assert "five point two" in facts["timing and release"].answer
    assert "error" in facts["errors"].keywords
    assert "nine percent" in facts["errors"].answer and "background upload service" in facts["errors"].answer
    assert "campaign" in facts["marketing and seasonality"].keywords
    assert "cohort" in facts["user segments"].keywords


def test_list_packs_finds_pm_execution(pack: Pack) -> None:
    assert ("pm-execution", pack.title, len(pack.cases)) in list_packs()


def test_wheel_style_layout_loads(tmp_path: Path, pack: Pack) -> None:
    installed = tmp_path / "site-packages" / "voicecoach" / "prompts"
    shutil.copytree(REPO / "prompts", installed)
    by_path = load_pack(str(installed / "pm-execution"))
    by_root = load_pack("pm-execution", root=installed)
    assert by_path.cases == pack.cases == by_root.cases
    assert by_path.root == (installed / "pm-execution").resolve()
    assert list_packs(installed) == [("pm-execution", pack.title, len(pack.cases))]


def test_templates_are_every_md_file_by_stem(copy: Path) -> None:
    (copy / "llm_extra.md").write_text("Hello {case}", encoding="utf-8")
    loaded = load_pack(str(copy))
    assert loaded.templates["llm_extra"] == "Hello {case}"
    assert set(loaded.templates) == {p.stem for p in copy.glob("*.md")}


def test_unknown_pack_lists_available() -> None:
    with pytest.raises(PackError, match=r"unknown pack 'nope'.*pm-execution.*Fix"):
        load_pack("nope")


def test_malformed_toml_names_file_and_line(copy: Path) -> None:
    edit(copy / "cases" / "uploads-drop.toml", 'title = "', "title = ")
    msg = error_of(copy)
    assert "uploads-drop.toml" in msg and "line 2" in msg and "Fix" in msg


def test_unknown_key_in_case_names_file_case_key_and_valid_keys(copy: Path) -> None:
    edit(copy / "cases" / "uploads-drop.toml", "no_data_answer =", "no_data_anwser =")
    msg = error_of(copy)
    assert "uploads-drop.toml:5" in msg and "case 'uploads-drop'" in msg and "'no_data_anwser'" in msg
    assert "valid keys: id, title, category, question" in msg and "Fix" in msg


def test_unknown_key_in_hidden_fact_and_probes_and_rubric(copy: Path) -> None:
    case_file = copy / "cases" / "uploads-drop.toml"
    edit(case_file, 'topic = "errors"', 'topic = "errors"\nsynonyms = ["x"]')
    msg = error_of(copy)
    assert "[[hidden_facts]] #3" in msg and "'synonyms'" in msg and "valid keys: topic, keywords, answer" in msg
    edit(case_file, 'synonyms = ["x"]', "")
    edit(case_file, "follow_up = [", 'followup = ["x"]\nfollow_up = [')
    msg = error_of(copy)
    assert "[probes]" in msg and "'followup'" in msg and "follow_up" in msg
    edit(case_file, 'followup = ["x"]', "")
    edit(copy / "rubric.toml", 'name = "Clarifying the problem"', 'name = "C"\nweight = "2"')
    msg = error_of(copy)
    assert "rubric.toml" in msg and "'weight'" in msg and "valid keys: id, name, question, descriptors" in msg
    edit(copy / "rubric.toml", 'weight = "2"', "")
    edit(copy / "pack.toml", "title =", 'author = "me"\ntitle =')
    msg = error_of(copy)
    assert "pack.toml:2" in msg and "'author'" in msg and "valid keys: title, description, cases" in msg


def test_missing_required_key(copy: Path) -> None:
    edit(copy / "cases" / "uploads-drop.toml", 'category = "metric-drop"', "")
    msg = error_of(copy)
    assert "uploads-drop.toml" in msg and "missing required key 'category'" in msg and "Fix: add category" in msg


def test_duplicate_case_ids(copy: Path) -> None:
    shutil.copy(copy / "cases" / "uploads-drop.toml", copy / "cases" / "zz-copy.toml")
    msg = error_of(copy)
    assert "zz-copy.toml" in msg and "duplicate case id" in msg and "uploads-drop.toml" in msg


def test_rubric_needs_exactly_the_seven_ids(copy: Path) -> None:
    edit(copy / "rubric.toml", 'id = "follow_up"', 'id = "charisma"')
    msg = error_of(copy)
    assert "rubric.toml" in msg and "charisma" in msg and "follow_up" in msg and "Fix" in msg


def test_case_needs_probes_for_all_seven_dimensions(copy: Path) -> None:
    text = (copy / "cases" / "uploads-drop.toml").read_text(encoding="utf-8")
    start = text.index("follow_up = [")
    end = text.index("]\n", start) + 2
    (copy / "cases" / "uploads-drop.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    msg = error_of(copy)
    assert "uploads-drop.toml" in msg and "[probes]" in msg and "missing required key 'follow_up'" in msg


def test_probes_need_one_phrasing_without_quote(copy: Path) -> None:
    case_file = copy / "cases" / "uploads-drop.toml"
    edit(case_file, '"Which cuts of the data would you pull first', '"Given {quote}, which cuts would you pull first')
    msg = error_of(copy)
    assert "[probes]" in msg and "'data'" in msg and "without a quote" in msg


def test_descriptors_exactly_1_3_5(copy: Path) -> None:
    edit(copy / "rubric.toml", '5 = "Narrows', '4 = "Narrows')
    msg = error_of(copy)
    assert "rubric.toml" in msg and "[descriptors]" in msg and "exactly 1, 3 and 5" in msg


def test_empty_strings_rejected(copy: Path) -> None:
    edit(copy / "cases" / "uploads-drop.toml", 'title = "Weekly photo uploads dropped twelve percent"', 'title = "  "')
    msg = error_of(copy)
    assert "uploads-drop.toml:2" in msg and "'title' is empty" in msg


def test_other_placeholders_rejected(copy: Path) -> None:
    case_file = copy / "cases" / "uploads-drop.toml"
    edit(case_file, "You said {quote}. What would you check", "You said {answer}. What would you check")
    msg = error_of(copy)
    assert "uploads-drop.toml:" in msg and "'clarify'" in msg and "{answer}" in msg and "only {quote}" in msg
    edit(case_file, "You said {answer}.", "You said {quote}.")
    edit(case_file, "Walk me through", "Walk me {quote} through")
    msg = error_of(copy)
    assert "'question'" in msg and "only for probes" in msg


def test_wrong_type_rejected(copy: Path) -> None:
    edit(copy / "cases" / "uploads-drop.toml", 'category = "metric-drop"', "category = 3")
    msg = error_of(copy)
    assert "uploads-drop.toml:3" in msg and "'category' must be a string, not int" in msg and "Fix" in msg


def test_case_file_not_in_pack_order_is_rejected(copy: Path) -> None:
    other = copy / "cases" / "zz-extra.toml"
    shutil.copy(copy / "cases" / "uploads-drop.toml", other)
    edit(other, 'id = "uploads-drop"', 'id = "zz-extra"')
    msg = error_of(copy)
    assert "pack.toml" in msg and "zz-extra" in msg and "list every case id exactly once" in msg


def test_missing_files_and_empty_lists(copy: Path, tmp_path: Path) -> None:
    assert "no pack.toml there" in error_of(tmp_path / "nowhere")
    edit(copy / "cases" / "uploads-drop.toml", "strong_answer = [", "strong_answer = []\nunused = [")
    assert "'unused'" in error_of(copy)
    text = (copy / "cases" / "uploads-drop.toml").read_text(encoding="utf-8")
    start, end = text.index("strong_answer = []"), text.index("[[hidden_facts]]")
    (copy / "cases" / "uploads-drop.toml").write_text(text[:start] + "strong_answer = []\n\n" + text[end:])
    assert "'strong_answer' is an empty list" in error_of(copy)
    (copy / "rubric.toml").unlink()
    assert "rubric.toml: missing" in error_of(copy)
    shutil.rmtree(copy / "cases")
    shutil.copy(SHIPPED / "rubric.toml", copy / "rubric.toml")
    msg = error_of(copy)
    assert "pack.toml" in msg and "no case files" in msg


def test_installed_package_finds_its_own_prompts(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    shutil.copytree(REPO / "voicecoach", site / "voicecoach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "prompts", site / "voicecoach" / "prompts")
    code = "from voicecoach.packs import packs_root, list_packs; print(packs_root()); print(list_packs()[0][0])"
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == [str((site / "voicecoach" / "prompts").resolve()), "pm-execution"]


# A natural clarifying question for every hidden fact of every case, and the fact it should reveal.
CLARIFYING: dict[str, list[tuple[str, str]]] = {
    "uploads-drop": [
        ("Is the drop on all platforms?", "platform"),
        ("When did it start?", "timing and release"),
        ("Did error rates change?", "errors"),
        ("Was there a marketing campaign that ended?", "marketing and seasonality"),
        ("Is it new users or existing users?", "user segments"),
    ],
    "group-video-launch": [
        ("Why are we building this?", "goal"),
        ("Which countries does it launch in?", "rollout and audience"),
        ("How much does it cost to run the servers?", "capacity and cost"),
        ("How many people make video calls today?", "baseline"),
        ("How was quality in the beta?", "call quality"),
    ],
    "shared-lists-deadline": [
        ("Can the date move?", "deadline"),
        ("What's in the full plan?", "scope"),
        ("How long does each piece take?", "estimates"),
        ("What did users say in research?", "user research"),
        ("How much time do we need for testing?", "quality bar"),
    ],
    "friend-payments": [
        ("Are there legal constraints?", "regulation"),
        ("How does the payments partner work?", "payments partner"),
        ("What fraud do similar apps see?", "fraud patterns"),
        ("Is there a limit on how much people can send?", "limits"),
        ("How will support handle disputes?", "support and disputes"),
    ],
    "referral-credits": [
        ("What's the goal?", "goal"),
        ("How much does a rider cost from paid ads?", "acquisition cost"),
        ("Have we seen fraud before?", "past abuse"),
        ("What signals can we use to detect fake accounts?", "signals"),
        ("Do we have enough drivers?", "driver supply"),
    ],
    "search-latency": [
        ("How much slower is it?", "size of the slowdown"),
        ("Which queries are slow?", "which searches"),
        ("What changed in the release?", "what changed"),
        ("What's the impact on conversion?", "business impact"),
        ("Can we roll back?", "rollback options"),
    ],
    "stakeholder-roadmap": [
        ("How big is the deal?", "the deal"),
        ("What are the support tickets about?", "support complaints"),
        ("Do we have evidence the free plan would work?", "free plan"),
        ("What are the engineering estimates?", "effort"),
        ("What is the company strategy?", "company goals"),
    ],
    "onboarding-experiment": [
        ("Are the results significant?", "results"),
        ("How big was the sample?", "sample and power"),
        ("What changed in the new flow?", "what changed"),
        ("Did beginners and advanced learners differ?", "segments"),
        ("What does it cost to maintain both?", "cost"),
    ],
    "notification-volume": [
        ("What did the test show?", "experiment results"),
        ("Did opt outs go up?", "opt-outs"),
        ("What about long term retention?", "long-term effect"),
        ("Is it different on iOS?", "platform rules"),
        ("How are pushes chosen today?", "content"),
    ],
    "cleaner-marketplace": [
        ("How many weekend requests go unfilled?", "size of the gap"),
        ("Why don't cleaners work weekends?", "cleaner supply"),
        ("How does pricing work?", "pricing"),
        ("What happens to customers who can't book?", "customer impact"),
        ("Can we move cleaners from other cities?", "other cities"),
    ],
    "feed-ranking": [
        ("How much better is it offline?", "offline results"),
        ("What's the serving cost and latency?", "serving cost"),
        ("What data does it use?", "data pipeline"),
        ("How does it affect new creators?", "creator effects"),
        ("How much traffic can we test with?", "experiment capacity"),
    ],
    "japan-launch": [
        ("Why Japan?", "market"),
        ("Which banks do we support?", "product gaps"),
        ("What is our pricing?", "pricing"),
        ("Do we have a local team?", "team and support"),
        ("Are there privacy regulations?", "legal and data"),
    ],
    "checkout-fees": [
        ("Was it sudden or gradual?", "shape over time"),
        ("Which cities or segments?", "segments"),
        ("Did fees change?", "fees"),
        ("What are competitors doing?", "competition"),
        ("Where in the funnel do people drop off?", "funnel"),
    ],
}


def test_every_hidden_fact_is_reached_by_a_natural_question(pack: Pack) -> None:
    from voicecoach.brain.clarify import matching_facts  # the offline interviewer's matcher, real

    assert set(CLARIFYING) == {c.id for c in pack.cases}
    for case in pack.cases:
        assert {topic for _, topic in CLARIFYING[case.id]} == {f.topic for f in case.hidden_facts}, case.id
        for question, topic in CLARIFYING[case.id]:
            got = [f.topic for f in matching_facts(case, question)]
            assert got[:1] == [topic], (case.id, question, got)
