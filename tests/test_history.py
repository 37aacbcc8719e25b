"""Sessions table, progress over time (terminal sparklines, plain-language trends, HTML), and deleting a session."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from corpus_sessions import build_session

from voicecoach.errors import VoicecoachError
from voicecoach.export import export_session
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

# metrics 2 -> 4, edge cases stuck at 2, clarify 4 -> 3, over five sessions
HISTORY = [
    {"clarify": 4, "metrics": 2, "edge_cases": 2},
    {"clarify": 4, "metrics": 2, "edge_cases": 2},
    {"clarify": 3, "metrics": 3, "edge_cases": 2},
    {"clarify": 3, "metrics": 3, "edge_cases": 2},
    {"clarify": 3, "metrics": 4, "edge_cases": 2},
]


def _session(i: int, scores: dict[str, int], pack: str = "pm-execution") -> Session:
    turns = [
        Turn("interviewer", "question", "How would you investigate?", start_s=0, end_s=4),
        Turn("candidate", "answer", "I would segment by platform.", start_s=4.5, end_s=4.5 + 60 + i * 10),
    ]
    return Session(
        id=f"2026110{i}-090000-00{i}{i}",
        pack=pack,
        case=f"case-{i}",
        question="How would you investigate?",
        status="completed",
        created_at=f"2026-11-0{i}T09:00:00+00:00",
        turns=turns,
        scores={k: Score(k, v, "r") for k, v in scores.items()},
        overall=sum(scores.values()) / len(scores),
    )


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    st = SessionStore(tmp_path / "sessions")
    for i, scores in enumerate(HISTORY, 1):
        st.create(_session(i, scores))
    st.create(_session(6, {"clarify": 1}, pack="other-pack"))
    aborted = Session(
        id="20261107-090000-0077",
        pack="pm-execution",
        case="c",
        question="q",
        status="aborted",
        created_at="2026-11-07T09:00:00+00:00",
    )
    st.create(aborted)
    return st


def test_session_rows_and_table(store: SessionStore) -> None:
    rows = session_rows(store)
    assert [r["id"] for r in rows][:2] == ["20261107-090000-0077", "20261106-090000-0066"]  # newest first
    first = next(r for r in rows if r["id"] == "20261101-090000-0011")
    assert (
        first["date"] == "2026-11-01 09:00 UTC"
        and first["length"] == "01:14"
        and first["overall"] == pytest.approx(8 / 3)
    )
    assert first["pack"] == "pm-execution" and first["case"] == "case-1" and first["status"] == "completed"
    table = format_sessions_table(rows).splitlines()
    assert table[0].split() == ["ID", "DATE", "PACK", "CASE", "STATUS", "SCORE", "LENGTH"]
    assert len(table) == 1 + 7
    aborted_line = next(line for line in table if "0077" in line)
    assert "aborted" in aborted_line and " - " in aborted_line
    assert any("2.7" in line and "01:14" in line for line in table)
    assert format_sessions_table([]) == "No sessions yet."


def test_progress_series_and_pack_filter(store: SessionStore) -> None:
    prog = progress(store, "pm-execution")
    assert len(prog.points) == 5  # the unscored aborted one and the other pack are left out
    assert prog.dimensions == ("clarify", "metrics", "edge_cases")  # rubric order
    assert prog.series("metrics") == [2, 2, 3, 3, 4]
    everything = progress(store)
    assert len(everything.points) == 6 and everything.series("metrics")[-1] is None


def test_plain_language_trends(store: SessionStore) -> None:
    text = trends(progress(store, "pm-execution"))
    assert (
        text[0]
        == "Over your last five sessions: clarify fell from 4 to 3; metrics rose from 2 to 4; edge cases still at 2."
    )
    assert text[1] == "Work on next: edge cases (2 of 5 last time)."
    assert trends(progress(SessionStore(Path("/nonexistent")))) == [
        "No scored sessions yet; finish an interview to start tracking progress."
    ]


def test_terminal_chart(store: SessionStore) -> None:
    out = format_progress_terminal(progress(store, "pm-execution"))
    lines = out.splitlines()
    assert lines[0] == "Progress (pm-execution): 5 scored sessions, 2026-11-01 09:00 UTC to 2026-11-05 09:00 UTC"
    metrics = next(line for line in lines if line.strip().startswith("Metrics"))
    assert sparkline([2, 2, 3, 3, 4]) in metrics and metrics.endswith("4  \u2191 from 2")
    assert sparkline([1, 5, None]) == "\u2581\u2588\u00b7"
    assert "metrics rose from 2 to 4" in out


def test_progress_html(store: SessionStore) -> None:
    html = progress_html(progress(store, "pm-execution"))
    assert 'id="progress-chart"' in html and "<script" not in html
    assert html.count('class="line"') == 3 and html.count('class="point"') == 15
    assert "metrics rose from 2 to 4" in html


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
