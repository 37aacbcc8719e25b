"""Exports of a session of real tiny.en transcripts and real TTS interviewer lines: every format, and that they agree."""

from __future__ import annotations

import base64
import io
import json
import re
import stat
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import av
import pytest
from corpus_sessions import HOSTILE, build_session, wav_seconds
from report_sessions import with_voice

from voicecoach.errors import ConfigError
from voicecoach.export import FORMATS, export_session
from voicecoach.export.assets import CSP, SCRIPT, script_hash
from voicecoach.export.html import to_html
from voicecoach.export.moments import quote_audio_s
from voicecoach.export.subtitles import MAX_CUE_S, MAX_LINE_CHARS
from voicecoach.export.summary import mmss
from voicecoach.fillers import filler_events
from voicecoach.model import Fix, Session

pytestmark = pytest.mark.slow
TITLE = "Weekly photo uploads dropped twelve percent"  # the uploads-drop case's title in the installed pack


@pytest.fixture(scope="module")
def made(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path, dict[str, Path]]:
    """A session with three real answers, spoken interviewer lines (and hostile text), exported in every format."""
    folder = tmp_path_factory.mktemp("session")
    session = with_voice(build_session(corpus_dir, folder, hostile=True), folder, tmp_path_factory.mktemp("tts"))
    paths = export_session(session, folder, "all", None)
    return session, folder, {p.suffix[1:]: p for p in paths}


class Elements(HTMLParser):
    """Collects every start tag with its attributes, the text, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)

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
    assert s["case_title"] == TITLE and s["attempt"] == 1
    # evidence: the candidate's count of the turn, and the quote's own moment (its first word), not the turn start
    ev = s["evidence"]
    assert [(e["dimension"], e["turn"], e["answer"]) for e in ev] == [("clarify", 1, 1), ("metrics", 1, 1)]
    for e in ev:
        turn = session.turns[e["turn"]]
        word = quote_audio_s(turn, e["quote"])
        assert word is not None and e["audio_s"] == pytest.approx(word, abs=0.01)
        assert e["at_s"] == pytest.approx(turn.start_s + word, abs=0.01)
    assert ev[1]["audio_s"] > ev[0]["audio_s"] + 0.5  # "corpus. I'm talking" comes after "This is the acoustic"
    assert s["top_fixes_derived"] is True and [f["dimension"] for f in s["top_fixes"]] == [
        "clarify",
        "edge_cases",
        "metrics",
    ]


def test_markdown_has_fixes_conversation_scores_feedback_delivery(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    md = paths["md"].read_text(encoding="utf-8")
    assert md.startswith(f"# Mock interview: {TITLE}\n") and "- Case: `uploads-drop`" in md
    for t in session.turns:
        assert f"[{mmss(t.start_s)}]" in md
        assert t.text.strip()[:30].replace("<", "&lt;") in md
    # candidate turns are numbered as the candidate sees them: 1, 2, 3
    assert re.findall(r"\] Candidate \u00b7 answer (\d)", md) == ["1", "2", "3"]
    assert "| Dimension | Score | Rationale | Evidence |" in md
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    for dim, score in session.scores.items():
        assert f"| {dim.replace('_', ' ').capitalize()} | {score.score}/5 |" in md
        for ev in score.evidence:
            at = next(e["at_s"] for e in data["summary"]["evidence"] if e["quote"] == ev.quote)
            assert f"\u201c{ev.quote}\u201d (answer 1, {mmss(at)})" in md
    assert md.index("## What to fix first") < md.index("## Conversation") < md.index("## Scores")
    assert "Then name one metric & a baseline." in md
    assert f"| Words per minute | {session.delivery.words_per_minute:.0f} |" in md  # type: ignore[union-attr]
    assert "<script>" not in md and "&lt;script>alert(1)&lt;/script>" in md


def _decode(uri: str) -> tuple[str, float]:
    """The codec and length of a data: URI's audio, read back with PyAV."""
    mime, data = uri.removeprefix("data:").split(";base64,", 1)
    with av.open(io.BytesIO(base64.b64decode(data))) as c:
        stream = c.streams.audio[0]
        frames = sum(f.samples for f in c.decode(stream))
        return f"{mime}/{stream.codec_context.name}", frames / stream.rate


def test_html_replays_every_turn_with_small_opus_audio(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, folder, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    doc = parse(html)
    assert len(session.turns) == 7 and all(t.audio for t in session.turns)
    for i, turn in enumerate(session.turns):
        (audio,) = [a for t, a in _inside_turn(doc, i) if t == "audio"]
        kind, seconds = _decode(audio["src"] or "")
        assert kind == "audio/ogg/opus"
        assert seconds == pytest.approx(wav_seconds(folder / str(turn.audio)), abs=0.08)
    embedded = sum(len((a["src"] or "").split(",", 1)[1]) for a in doc.find("audio"))
    assert f"The audio of 7 turns is inside this file ({embedded / 1048576:.1f} MB)." in html
    wav_html = to_html(session, folder, codec="wav")
    assert len(html) < 0.2 * len(wav_html)  # Opus at 24 kb/s against 16-22 kHz PCM


def _inside_turn(doc: Elements, index: int) -> list[tuple[str, dict[str, str | None]]]:
    """Tags from the turn's div to the next turn's div."""
    out, on = [], False
    for tag, attrs in doc.tags:
        if tag == "div" and "turn" in (attrs.get("class") or "").split():
            on = attrs.get("id") == f"turn-{index}"
        elif on:
            out.append((tag, attrs))
    return out


def test_html_is_self_contained_escaped_and_runs_only_its_own_script(
    made: tuple[Session, Path, dict[str, Path]],
) -> None:
    session, _, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    doc = parse(html)
    assert not doc.find("link") and not doc.find("img") and not doc.find("iframe")
    assert len(doc.find("script")) == 1 and doc.scripts == [SCRIPT]  # the candidate's <script> stayed text
    (meta,) = doc.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert meta["content"] == CSP and CSP.endswith(f"script-src {script_hash(SCRIPT)}")
    assert "'unsafe-inline'" not in CSP.split("script-src")[1]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands" in html
    assert any(HOSTILE in chunk for chunk in doc.text)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from the network
    assert f"<title>Mock interview: {TITLE}</title>" in html
    bars = doc.find("rect", class_="bar")
    assert [(b["data-dimension"], b["data-score"]) for b in bars] == [
        ("clarify", "2"),
        ("metrics", "3"),
        ("edge_cases", "2"),
    ]
    for i, _ in session.candidate_turns():
        assert doc.find("svg", id=f"timeline-{i}") and doc.find("div", id=f"turn-{i}")
    whos = re.findall(r'<span class="who">([^<]*)</span>', html)
    assert [w for w in whos if w.startswith("Candidate")] == [f"Candidate \u00b7 answer {n}" for n in (1, 2, 3)]


def test_fillers_and_hedges_are_marked_in_the_transcript(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    for i, turn in session.candidate_turns():
        chunk = html.split(f'id="turn-{i}"', 1)[1].split('<div class="turn', 1)[0]
        fillers = re.findall(r'<mark class="filler" title="filler: ([^"]+)">(.*?)</mark>', chunk)
        assert len(fillers) == len(filler_events(turn.segments)) == turn.delivery.filler_count  # type: ignore[union-attr]
        hedges = re.findall(r'<mark class="hedge" title="hedge: ([^"]+)">', chunk)
        assert sorted(hedges) == sorted(h for h, n in turn.delivery.hedges.items() for _ in range(n))  # type: ignore[union-attr]
        for label, inner in fillers:  # the mark holds the filler's own words
            said = re.sub(r"<[^>]+>", "", inner).lower().strip(" ,.")
            assert said in ("um", "uh", "umm", "hmm", "you know", "like", "er") and (
                label == said or label[0] == said[0]
            )
    turn1 = html.split('id="turn-1"', 1)[1].split('<div class="turn', 1)[0]
    assert re.search(r'<mark class="filler" title="filler: you know"><span data-t="[\d.]+">you</span> <span', turn1)
    assert '<mark class="hedge" title="hedge: probably"><span data-t="5.22">probably</span></mark>' in html


def test_evidence_links_to_the_moment_of_the_quote(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    html = paths["html"].read_text(encoding="utf-8")
    links = re.findall(r'<a class="moment" href="#turn-(\d+)" data-turn="(\d+)" data-t="([\d.]+)">([^<]+)</a>', html)
    assert links
    for ev in (e for s in session.scores.values() for e in s.evidence):
        turn = session.turns[ev.turn]
        word = quote_audio_s(turn, ev.quote)
        assert word is not None
        expected = (str(ev.turn), str(ev.turn), f"{word:.2f}", f"answer 1 at {mmss(turn.start_s + word)}")
        assert expected in links
    # the quote's first word is a clickable word of the transcript at the same time
    first = session.scores["metrics"].evidence[0]
    t = quote_audio_s(session.turns[first.turn], first.quote)
    assert f'<span data-t="{t:.2f}">corpus.</span>' in html


def test_top_fixes_come_first_with_quote_why_and_stronger(
    made: tuple[Session, Path, dict[str, Path]], tmp_path: Path
) -> None:
    session, folder, _ = made
    quote = session.scores["metrics"].evidence[0].quote
    fixes = [
        Fix(
            "metrics",
            "No baseline, so a 20% drop can't be judged.",
            "I'd compare with the same week last year.",
            quote,
            1,
            "baseline",
        ),
        Fix(
            "edge_cases", "Flaky networks were never mentioned.", "I'd make sure a retried upload isn't counted twice."
        ),
        Fix("clarify", "Jumped to causes.", "I'd ask which platform first.", "This is the acoustic", 1),
        Fix("data", "A fourth fix is never shown.", "x"),
    ]
    html = to_html(Session(**{**session.__dict__, "fixes": fixes}), folder, tmp_path / "r.html")
    top = html.split('<section id="top-fixes">', 1)[1].split("</section>", 1)[0]
    assert html.index('id="top-fixes"') < html.index("<h2>Scores</h2>") < html.index("<h2>Conversation</h2>")
    items = re.findall(r'<li class="fix" data-dimension="(\w+)"', top)
    assert items == ["metrics", "edge_cases", "clarify"]  # at most three, in the grader's order
    assert "No baseline, so a 20% drop can&#x27;t be judged." in top
    assert "<strong>Stronger:</strong> I&#x27;d compare with the same week last year." in top
    word = quote_audio_s(session.turns[1], quote)
    assert f'data-turn="1" data-t="{word:.2f}">answer 1 at {mmss(session.turns[1].start_s + word)}</a>' in top
    assert "A fourth fix" not in html and "Drawn from your lowest scores" not in top


def test_html_links_big_audio_relatively(made: tuple[Session, Path, dict[str, Path]], tmp_path: Path) -> None:
    session, folder, _ = made
    out = tmp_path / "reports" / "r.html"
    out.parent.mkdir()
    html = to_html(session, folder, out, limit=1000)
    audios = parse(html).find("audio")
    assert len(audios) == 7 and all(not (a["src"] or "").startswith("data:") for a in audios)
    for a in audios:
        assert (out.parent / (a["src"] or "")).resolve().is_file()
    assert "Audio not embedded" in html


def test_html_says_when_audio_is_missing(made: tuple[Session, Path, dict[str, Path]], tmp_path: Path) -> None:
    session, _, _ = made
    html = to_html(session, tmp_path)
    assert html.count("is missing from the session folder") == 7 and "<audio" not in html


def _blocks(text: str) -> list[list[str]]:
    return [b.splitlines() for b in text.strip().split("\n\n")]


def _secs(stamp: str) -> float:
    h, m, rest = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def _check_cues(blocks: list[list[str]], sep: str, session: Session) -> list[tuple[float, float, str, str]]:
    """Numbering, time format, monotonic non-overlapping times, line and duration limits; (start, end, speaker, text)."""
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
        voice = re.match(r"<v (Interviewer|Candidate)>", lines[0])
        if voice:  # WebVTT: the voice span names the speaker; the text does not repeat it
            lines = [lines[0][voice.end() :], *lines[1:]]
            speaker, text = voice.group(1), " ".join(lines)
            assert not text.startswith(("Interviewer:", "Candidate:"))
        else:  # SRT has no voice spans, so the speaker leads the text
            speaker, text = " ".join(lines).split(": ", 1)
        assert all(len(unescape(x)) <= MAX_LINE_CHARS for x in lines)
        cues.append((start, end, speaker, text))
    assert prev_end <= session.elapsed_s() + 0.01
    return cues


def test_srt_is_valid_and_timed_from_the_words(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    cues = _check_cues(_blocks(paths["srt"].read_text(encoding="utf-8")), ",", session)
    assert {c[2] for c in cues} == {"Interviewer", "Candidate"}
    for _, turn in session.candidate_turns():
        inside = [c for c in cues if turn.start_s - 0.001 <= c[0] and c[1] <= turn.end_s + 0.001]
        words = [w.text.strip() for s in turn.segments for w in s.words if w.text.strip()]
        assert " ".join(c[3] for c in inside).split() == words  # every word, in order, inside its turn
        first = turn.start_s + turn.segments[0].words[0].start_s
        assert inside[0][0] == pytest.approx(first, abs=0.002)
    interviewer = [c for c in cues if c[2] == "Interviewer"]
    assert interviewer[0][0] == 0.0 and "Uploads on the mobile app" in interviewer[0][3]
    assert any("<script>alert(1)</script>" in c[3] for c in interviewer)


def test_vtt_has_the_same_cues_with_the_speaker_only_in_the_voice(made: tuple[Session, Path, dict[str, Path]]) -> None:
    session, _, paths = made
    text = paths["vtt"].read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    blocks = _blocks(text)[1:]
    vtt = _check_cues(blocks, ".", session)
    srt = _check_cues(_blocks(paths["srt"].read_text(encoding="utf-8")), ",", session)
    assert [(a, b, who, unescape(said).split()) for a, b, who, said in vtt] == [
        (a, b, who, said.split()) for a, b, who, said in srt
    ]
    assert all(re.match(r"<v (Interviewer|Candidate)>", b[2]) for b in blocks)
    assert "<v Interviewer>Interviewer:" not in text and "<v Candidate>Candidate:" not in text
    assert "<v Interviewer>Uploads on the mobile app" in text
    assert "<v Interviewer>What about &lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert '\n"quotes" &amp;' in text


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
    assert 'id="top-fixes"' not in paths["html"].read_text()
    assert json.loads(paths["json"].read_text())["summary"]["answers"] == 0


def test_unknown_pack_and_adhoc_case_still_export(tmp_path: Path) -> None:
    """No pack on disk: the case id stands in for the title; an ad-hoc question is its own title."""
    gone = Session(id="20261130-050000-0001", pack="no-such-pack", case="mystery", question="Q?", status="completed")
    assert "<title>Mock interview: mystery</title>" in to_html(gone, tmp_path)
    adhoc = Session(
        id="20261130-050000-0002", pack="pm-execution", case="adhoc", question="How would you launch dark mode?"
    )
    assert "Mock interview: Ad-hoc question: How would you launch dark mode?" in to_html(adhoc, tmp_path)


def _doc_section(doc: str, heading: str) -> str:
    return doc.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def _table_keys(section: str) -> set[str]:
    return {k for row in re.findall(r"^\| `([^`]+)`", section, re.MULTILINE) for k in re.split(r"`, `", row)}


def test_session_json_doc_names_every_key_the_exports_write(repo_root: Path, tmp_path: Path) -> None:
    """docs/session-json.md and the JSON export agree: the session's fields, a fix's, and the summary's."""
    import dataclasses as dc

    from voicecoach.export.json_export import to_json_dict
    from voicecoach.model import Turn

    doc = (repo_root / "docs" / "session-json.md").read_text(encoding="utf-8")
    session = Session(
        "20261130-050000-0003",
        "pm-execution",
        "uploads-drop",
        "Q?",
        "completed",
        turns=[Turn("candidate", "answer", "x")],
    )
    data = to_json_dict(session)
    assert _table_keys(_doc_section(doc, "Session (top level)")) == set(data) - {"summary"}
    assert _table_keys(_doc_section(doc, "Turn")) == set(data["turns"][0])
    assert _table_keys(_doc_section(doc, "Fix")) == {f.name for f in dc.fields(Fix)}
    summary_doc = _doc_section(doc, "The JSON export's `summary`")
    named = set(re.findall(r"`([a-z_]+)`", summary_doc.split("| Key | Meaning |")[0])) - {"summary"}
    named |= _table_keys(summary_doc)
    assert named == set(data["summary"])
