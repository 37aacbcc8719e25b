"""Sessions table (retakes as attempts), progress over time (terminal, trends, next case, HTML), deleting a session."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from corpus_sessions import build_session
from report_sessions import keyed_pack

from voicecoach.content import KeyPoint, Pack
from voicecoach.errors import VoicecoachError
from voicecoach.export import export_session
from voicecoach.export.context import find_case
from voicecoach.export.progress_charts import MIN_LABEL_GAP_PX, date_labels
from voicecoach.history import (
    format_progress_terminal,
    format_sessions_table,
    progress,
    progress_html,
    session_rows,
    sparkline,
    trends,
)
from voicecoach.model import Score, Session, Turn
from voicecoach.store import SessionStore

# sessions 1-5 (the five before) then 6-10 (the last five); 5-10 all on one day
EARLIER = [(4, 2, 2), (4, 2, 2), (4, 2, 2), (4, 3, 2), (4, 3, 2)]
RECENT = [(3, 3, 2), (3, 4, 2), (3, 4, 2), (3, 3, 2), (4, 4, 2)]
DATES = ["2026-11-01T09", "2026-11-02T09", "2026-11-03T09", "2026-11-04T09"] + [
    f"2026-11-05T{h:02d}" for h in range(8, 14)
]


def _session(i: int, scores: dict[str, int], when: str, case: str = "uploads-drop", **extra: object) -> Session:
    turns = [
        Turn("interviewer", "question", "How would you investigate?", start_s=0, end_s=4),
        Turn("candidate", "answer", "I would segment by platform.", start_s=4.5, end_s=4.5 + 60 + i * 10),
    ]
    session = Session(
        id=f"{when[:10].replace('-', '')}-{when[11:13]}0000-{i:04d}",
        pack="pm-execution",
        case=case,
        question="How would you investigate?",
        status="completed",
        created_at=f"{when}:00:00+00:00",
        turns=turns,
        scores={k: Score(k, v, "r") for k, v in scores.items()},
        overall=round(sum(scores.values()) / len(scores), 1) if scores else None,
    )
    return dataclasses.replace(session, **extra)


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    st = SessionStore(tmp_path / "sessions")
    for i, (c, m, e) in enumerate(EARLIER + RECENT, 1):
        st.create(_session(i, {"clarify": c, "metrics": m, "edge_cases": e}, DATES[i - 1]))
    st.create(_session(20, {"clarify": 1, "metrics": 1, "edge_cases": 1}, "2026-11-06T09", demo=True))
    st.create(_session(21, {}, "2026-11-06T10", status="no_answer"))
    return st


def test_demo_and_no_answer_sessions_only_when_asked(store: SessionStore) -> None:
    assert len(session_rows(store)) == 10 and len(progress(store, "pm-execution").points) == 10
    everything = session_rows(store, include_all=True)
    assert len(everything) == 12 and {r["id"][-4:] for r in everything[:2]} == {"0020", "0021"}
    table = format_sessions_table(everything)
    assert "uploads-drop (demo)" in table and "no answer" in table
    assert len(progress(store, "pm-execution", include_all=True).points) == 11  # the no-answer one has no scores


def test_retakes_show_as_attempts_of_one_case(tmp_path: Path) -> None:
    st = SessionStore(tmp_path / "s")
    first = _session(1, {"clarify": 2}, "2026-11-01T09")
    second = _session(2, {"clarify": 3}, "2026-11-02T09", retake_of=first.id)
    third = _session(3, {"clarify": 4}, "2026-11-03T09", retake_of=second.id)
    orphan = _session(4, {"clarify": 3}, "2026-11-04T09", case="referral-credits", retake_of="20261001-000000-gone")
    other = _session(5, {"clarify": 3}, "2026-11-05T09", case="search-latency")
    for s in (first, second, third, orphan, other):
        st.create(s)
    rows = session_rows(st)
    assert [(r["case"], r["attempt"], r["attempts"]) for r in rows] == [
        ("search-latency", 1, 1),
        ("referral-credits", 2, 2),
        ("uploads-drop", 3, 3),
        ("uploads-drop", 2, 3),
        ("uploads-drop", 1, 3),
    ]
    assert rows[2]["case_title"] == "Weekly photo uploads dropped twelve percent"
    cells = [line.split("  ")[3:] for line in format_sessions_table(rows).splitlines()[1:]]
    case_col = [next(c for c in line if c.strip()).strip() for line in cells]
    assert case_col == [
        "search-latency",
        "attempt 2 of referral-credits",
        "attempt 3 of uploads-drop",
        "attempt 2 of uploads-drop",
        "attempt 1 of uploads-drop",
    ]


def test_progress_series_and_pack_filter(store: SessionStore) -> None:
    store.create(_other_pack())
    prog = progress(store, "pm-execution")
    assert len(prog.points) == 10
    assert prog.dimensions == ("clarify", "metrics", "edge_cases")  # rubric order
    assert prog.series("metrics") == [2, 2, 2, 3, 3, 3, 4, 4, 3, 4]
    assert prog.points[0].case_title == "Weekly photo uploads dropped twelve percent"
    everything = progress(store)
    assert len(everything.points) == 11 and everything.series("metrics")[-1] is None


def _other_pack() -> Session:
    return dataclasses.replace(_session(30, {"clarify": 1}, "2026-11-07T09"), pack="other-pack")


KEYS = {
    "referral-credits": tuple(KeyPoint(f"e{i}", "edge_cases", "p", (("x",),), "s") for i in range(3)),
    "uploads-drop": tuple(KeyPoint(f"e{i}", "edge_cases", "p", (("x",),), "s") for i in range(3)),
    "friend-payments": (KeyPoint("e", "edge_cases", "p", (("x",),), "s"),),
}


def _keyed_pack() -> Pack:
    pack, _ = find_case("pm-execution", "")
    assert pack is not None
    return keyed_pack(pack, KEYS)


def test_trends_compare_the_same_window_the_text_names(store: SessionStore) -> None:
    prog = progress(store, "pm-execution", content=_keyed_pack())
    text = trends(prog)
    assert text[0] == (
        "Comparing your last five sessions against the five before: overall steady at 2.9; "
        "clarify fell from 4 to 3.2; metrics rose from 2.4 to 3.6; edge cases still at 2."
    )
    # the weakest dimension, linked to the case with most answer-key points on it that was practised least:
    # uploads-drop has as many edge-case points but was practised ten times
    assert text[1] == (
        "Work on next: edge cases (2 of 5 on average over your last five sessions). Next: referral-credits works "
        "edge cases (\u201cLaunching referral credits without being gamed\u201d: 3 points of its answer key are "
        "about edge cases; practised 0 times). Run `voicecoach practice --case referral-credits`."
    )
    assert prog.next_case is not None and prog.next_case.case == "referral-credits"
    assert trends(progress(SessionStore(Path("/nonexistent")))) == [
        "No scored sessions yet; finish an interview to start tracking progress."
    ]


def test_without_answer_keys_the_least_practised_case_is_named(store: SessionStore) -> None:
    pack, _ = find_case("pm-execution", "")
    assert pack is not None
    keyless = dataclasses.replace(pack, cases=tuple(dataclasses.replace(c, answer_key=()) for c in pack.cases))
    prog = progress(store, "pm-execution", content=keyless)
    nc = prog.next_case
    assert nc is not None and nc.dimension == "edge_cases" and nc.practised == 0 and nc.case != "uploads-drop"
    assert trends(prog)[1].endswith(
        f"Next: {nc.case} (\u201c{nc.title}\u201d, practised 0 times), with edge cases in mind. "
        f"Run `voicecoach practice --case {nc.case}`."
    )


def test_short_history_compares_halves(store: SessionStore, tmp_path: Path) -> None:
    st = SessionStore(tmp_path / "three")
    for i, m in enumerate((2, 3, 4), 1):
        st.create(_session(i, {"metrics": m}, DATES[i - 1]))
    text = trends(progress(st))
    assert (
        text[0]
        == "Comparing your last session against the one before: overall rose from 3 to 4; metrics rose from 3 to 4."
    )
    assert text[1].startswith("Work on next: metrics (4 of 5 last time).")


def test_terminal_arrows_agree_with_the_text(store: SessionStore) -> None:
    out = format_progress_terminal(progress(store, "pm-execution"))
    lines = out.splitlines()
    assert lines[0] == "Progress (pm-execution): 10 scored sessions, 2026-11-01 09:00 UTC to 2026-11-05 13:00 UTC"
    assert lines[2] == "Arrows compare your last five sessions against the five before (mean scores)."
    metrics = next(line for line in lines if line.strip().startswith("Metrics"))
    assert sparkline([2, 2, 2, 3, 3, 3, 4, 4, 3, 4]) in metrics and metrics.endswith("4  \u2191 2.4 \u2192 3.6")
    said = out.split("Comparing", 1)[1]
    for line in lines:
        arrow = re.search(r"([\u2191\u2193=]) ([\d.]+) \u2192 ([\d.]+)$", line)
        if arrow:
            name = line.strip().split("  ")[0].lower()
            verb = {"\u2191": "rose from", "\u2193": "fell from", "=": ""}[arrow.group(1)]
            if verb:
                assert f"{name} {verb} {arrow.group(2)} to {arrow.group(3)}" in said
            else:
                assert re.search(rf"{name} (still|steady) at {arrow.group(3)}", said)
    assert next(line for line in lines if line.strip().startswith("Overall"))
    assert sparkline([1, 5, None]) == "\u2581\u2588\u00b7"


def test_progress_html_overall_band_and_small_multiples(store: SessionStore) -> None:
    html = progress_html(progress(store, "pm-execution", content=_keyed_pack()))  # type: ignore[arg-type]
    assert "<script" not in html and 'id="overall-chart"' in html
    overall = html.split('id="overall-chart"', 1)[1].split("</svg>", 1)[0]
    assert overall.count('class="overall-line"') == 1 and overall.count('class="overall-point"') == 10
    band = re.search(r'<polygon class="band" points="([^"]+)"', overall)
    assert band and len(band.group(1).split()) == 20  # the highest scores forward, the lowest back
    ys = [float(p.split(",")[1]) for p in band.group(1).split()]
    assert ys[0] < ys[-1]  # top edge (highest score 4) above bottom edge (lowest score 2) for session 1
    for dim in ("clarify", "metrics", "edge_cases"):
        small = html.split(f'id="dim-{dim}"', 1)[1].split("</svg>", 1)[0]
        assert small.count('class="line"') == 1 and small.count('class="point"') == 10
    assert html.count('class="chart small-multiple"') == 3
    # dates only where a day starts: the six sessions of 5 Nov share one label
    labels = re.findall(r'class="date-label" data-index="(\d+)" x="([\d.]+)"[^>]*>([^<]+)<', overall)
    assert [(int(i), d) for i, _, d in labels] == [(0, "1 Nov"), (1, "2 Nov"), (2, "3 Nov"), (3, "4 Nov"), (4, "5 Nov")]
    assert '<p class="next" id="next">' in html and "Next: referral-credits works edge cases" in html
    assert "<td>Weekly photo uploads dropped twelve percent</td>" not in html  # (titles carry the slug as a tooltip)
    assert 'title="uploads-drop">Weekly photo uploads dropped twelve percent</td>' in html


@pytest.mark.parametrize("n, days", [(3, 1), (40, 3), (120, 30), (200, 200)])
def test_date_labels_never_crowd(n: int, days: int) -> None:
    created = [f"2026-{1 + (i * days // n) // 28:02d}-{1 + (i * days // n) % 28:02d}T{i % 24:02d}" for i in range(n)]
    xs = [36 + 628 * i / max(1, n - 1) for i in range(n)]
    shown = date_labels(created, xs)
    assert shown[0] == 0
    assert all(b - a >= MIN_LABEL_GAP_PX - 1e-9 for a, b in zip([xs[i] for i in shown], [xs[i] for i in shown[1:]]))
    assert all(i == 0 or created[i][:10] != created[i - 1][:10] for i in shown)  # each at the first session of a day
    if days <= 3:
        assert len(shown) == days  # room for every day


@pytest.mark.slow
def test_delete_removes_session_files_audio_and_exports(corpus_dir: Path, tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    store.root.mkdir()
    session = build_session(corpus_dir, store.dir("20261130-050000-dead"), session_id="20261130-050000-dead")
    store.save(session)
    folder = store.dir(session.id)
    exports = export_session(session, folder, "all", None)
    wavs = sorted(folder.glob("turn-*.wav"))
    assert len(wavs) == 3 and all(p.exists() for p in exports)
    assert json.loads((folder / "session.json").read_text())["id"] == session.id
    assert store.delete("20261130-050000") == folder  # an id prefix is enough
    assert not folder.exists() and not any(p.exists() for p in [*wavs, *exports])
    assert store.list() == [] and session_rows(store) == []
    with pytest.raises(VoicecoachError, match="voicecoach sessions"):
        store.load(session.id)
    with pytest.raises(VoicecoachError):
        store.delete(session.id)


@pytest.mark.slow
def test_rows_read_real_session_length(corpus_dir: Path, tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s")
    store.root.mkdir()
    session = build_session(corpus_dir, store.dir("20261130-050000-beef"), session_id="20261130-050000-beef")
    store.save(dataclasses.replace(session))
    (row,) = session_rows(store)
    assert row["answers"] == 3 and row["length_s"] == pytest.approx(session.elapsed_s(), abs=0.01)


def test_the_installed_pack_names_a_case_whose_key_trains_the_weakest_dimension(store: SessionStore) -> None:
    prog = progress(store, "pm-execution")  # the shipped pack, answer keys and all
    nc = prog.next_case
    pack, _ = find_case("pm-execution", "")
    assert pack is not None and nc is not None and nc.dimension == "edge_cases"
    most = max(sum(k.dimension == "edge_cases" for k in c.answer_key) for c in pack.cases)
    assert sum(k.dimension == "edge_cases" for k in pack.case(nc.case).answer_key) == most
    assert f"Next: {nc.case} works edge cases" in trends(prog)[1]
