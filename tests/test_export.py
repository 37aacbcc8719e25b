"""Exports of a session built from real tiny.en transcripts of the spontaneous corpus: every format checked."""

from __future__ import annotations

import base64
import json
import re
import stat
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from corpus_sessions import HOSTILE, build_session

from voicecoach.errors import ConfigError
from voicecoach.export import FORMATS, export_session
from voicecoach.export.html import to_html
from voicecoach.export.subtitles import MAX_CUE_S, MAX_LINE_CHARS
from voicecoach.export.summary import mmss
from voicecoach.model import Session

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path, dict[str, Path]]:
    """A session with three real answers (and hostile text), exported in every format."""
    folder = tmp_path_factory.mktemp("session")
    session = build_session(corpus_dir, folder, hostile=True)
    paths = export_session(session, folder, "all", None)
    return session, folder, {p.suffix[1:]: p for p in paths}


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def test_all_formats_written_user_only(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, folder, paths = made
    assert sorted(paths) == sorted(FORMATS)
    for fmt, p in paths.items():
        assert p == folder / f"{session.id}.{fmt}" and p.stat().st_size > 0
        assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_json_is_the_session_plus_summary(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    assert Session.from_dict(data) == session  # the export is still a loadable session
    s = data["summary"]
    answers = [t for t in session.turns if t.role == "candidate"]
    assert s["answers"] == 3 and s["turns"] == len(session.turns)
    assert s["answer_s"] == pytest.approx(sum(t.end_s - t.start_s for t in answers), abs=0.01)
    assert s["scores"] == {"clarify": 2, "metrics": 3, "edge_cases": 2} and s["overall"] == 2.3
    assert s["word_count"] == sum(t.delivery.word_count for t in answers if t.delivery)
    assert s["length"] == mmss(session.elapsed_s())


def test_markdown_has_conversation_scores_feedback_delivery(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    md = paths["md"].read_text(encoding="utf-8")
    for t in session.turns:
        assert f"[{mmss(t.start_s)}]" in md
        assert t.text.strip()[:30].replace("<", "&lt;") in md
    assert "| Dimension | Score | Rationale | Evidence |" in md
    for dim, score in session.scores.items():
        assert f"| {dim.replace('_', ' ').capitalize()} | {score.score}/5 |" in md
        for ev in score.evidence:
            assert f"\u201c{ev.quote}\u201d (turn {ev.turn}" in md
    assert "Then name one metric & a baseline." in md
    assert f"| Words per minute | {session.delivery.words_per_minute:.0f} |" in md  # type: ignore[union-attr]
    assert "<script>" not in md and "&lt;script>alert(1)&lt;/script>" in md


def test_html_is_self_contained_and_escaped(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, folder, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    doc = parse(html)
    assert not doc.find("script") and not doc.find("link") and not doc.find("img") and not doc.find("iframe")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands" in html
    assert HTML_TEXT_OK(doc, HOSTILE)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from the network
    bars = doc.find("rect", class_="bar")
    assert [(b["data-dimension"], b["data-score"]) for b in bars] == [
        ("clarify", "2"),
        ("metrics", "3"),
        ("edge_cases", "2"),
    ]
    assert doc.find("svg", id="score-chart")
    audios = doc.find("audio")
    candidates = [(i, t) for i, t in session.candidate_turns()]
    assert len(audios) == len(candidates) == 3
    for (i, turn), audio in zip(candidates, audios, strict=True):
        src = audio["src"] or ""
        assert src.startswith("data:audio/wav;base64,")
        assert base64.b64decode(src.split(",", 1)[1]) == (folder / str(turn.audio)).read_bytes()
        assert doc.find("svg", id=f"timeline-{i}")
        assert doc.find("div", id=f"turn-{i}")


def HTML_TEXT_OK(doc: Elements, hostile: str) -> bool:
    """The hostile string survives as text the reader sees, not as markup."""
    return any(hostile in chunk for chunk in doc.text)


def test_html_links_big_audio_relatively(made: tuple[Session, Path, dict[str, Path]], tmp_path: Path) -> None:
    session, folder, _ = made
    out = tmp_path / "reports" / "r.html"
    out.parent.mkdir()
    html = to_html(session, folder, out, limit=1000)
    audios = parse(html).find("audio")
    assert audios and all(not (a["src"] or "").startswith("data:") for a in audios)
    for a in audios:
        assert (out.parent / (a["src"] or "")).resolve().is_file()
    assert "Audio not embedded" in html


def test_html_says_when_audio_is_missing(made: tuple[Session, Path, dict[str, Path]], tmp_path: Path) -> None:
    session, _, _ = made
    html = to_html(session, tmp_path)
    assert html.count("is missing from the session folder") == 3 and "<audio" not in html


def _blocks(text: str) -> list[list[str]]:
    return [b.splitlines() for b in text.strip().split("\n\n")]


def _secs(stamp: str) -> float:
    h, m, rest = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def _check_cues(blocks: list[list[str]], sep: str, session: Session) -> list[tuple[float, float, str]]:
    """Numbering, time format, monotonic non-overlapping times, line and duration limits."""
    stamp = rf"\d{{2}}:\d{{2}}:\d{{2}}{re.escape(sep)}\d{{3}}"
    prev_end = 0.0
    cues = []
    for n, block in enumerate(blocks, 1):
        assert block[0] == str(n)
        assert re.fullmatch(rf"({stamp}) --> ({stamp})", block[1]), block[1]
        start, end = (_secs(x) for x in block[1].split(" --> "))
        assert prev_end <= start < end and end - start <= MAX_CUE_S + 1e-9
        prev_end = end
        lines = block[2:]
        assert 1 <= len(lines) <= 2
        text = " ".join(lines)
        text = re.sub(r"^<v (Interviewer|Candidate)>", "", text)
        assert all(len(unescape(re.sub(r"^<v \w+>", "", x))) <= MAX_LINE_CHARS for x in lines)
        assert text.startswith(("Interviewer: ", "Candidate: "))
        cues.append((start, end, text))
    assert prev_end <= session.elapsed_s() + 0.01
    return cues


def test_srt_is_valid_and_timed_from_the_words(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    cues = _check_cues(_blocks(paths["srt"].read_text(encoding="utf-8")), ",", session)
    for _, turn in session.candidate_turns():
        inside = [c for c in cues if turn.start_s - 0.001 <= c[0] and c[1] <= turn.end_s + 0.001]
        words = [w.text.strip() for s in turn.segments for w in s.words if w.text.strip()]
        said = " ".join(c[2].removeprefix("Candidate: ") for c in inside)
        assert said.split() == words  # every word, in order, inside its turn
        first = turn.start_s + turn.segments[0].words[0].start_s
        assert inside[0][0] == pytest.approx(first, abs=0.002)
    interviewer = [c for c in cues if c[2].startswith("Interviewer: ")]
    assert interviewer[0][0] == 0.0 and "Uploads on the mobile app" in interviewer[0][2]
    assert any("<script>alert(1)</script>" in c[2] for c in interviewer)


def test_vtt_is_valid_escaped_and_speaker_tagged(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    text = paths["vtt"].read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    blocks = _blocks(text)[1:]
    cues = _check_cues(blocks, ".", session)
    srt = _check_cues(_blocks(paths["srt"].read_text(encoding="utf-8")), ",", session)
    assert [(a, b) for a, b, _ in cues] == [(a, b) for a, b, _ in srt]
    assert all(re.match(r"<v (Interviewer|Candidate)>", b[2]) for b in blocks)
    assert '&lt;script&gt;alert(1)&lt;/script&gt; "quotes" &amp;' in text and "<script>" not in text


def test_single_format_to_a_chosen_file_and_bad_format(
    made: tuple[Session, Path, dict[str, Path]], tmp_path: Path
) -> None:
    session, folder, _ = made
    out = tmp_path / "deep" / "report.vtt"
    assert export_session(session, folder, "vtt", out) == [out] and out.read_text().startswith("WEBVTT")
    with pytest.raises(ConfigError, match="use one of md, json, html, srt, vtt or all"):
        export_session(session, folder, "docx", None)


def test_empty_and_unscored_session_exports(tmp_path: Path) -> None:
    """A session aborted before any turn still exports every format without errors."""
    s = Session(id="20261130-050000-0000", pack="pm-execution", case="uploads-drop", question="Q?", status="aborted")
    paths = {p.suffix[1:]: p for p in export_session(s, tmp_path, "all", tmp_path / "out")}
    assert paths["srt"].read_text() == "" and paths["vtt"].read_text() == "WEBVTT\n"
    assert "Not scored yet." in paths["md"].read_text() and "Not scored yet" in paths["html"].read_text()
    assert json.loads(paths["json"].read_text())["summary"]["answers"] == 0
