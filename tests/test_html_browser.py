"""The HTML reports in real headless Chromium: no console errors, every turn's audio loads, a quote seeks its moment."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from corpus_sessions import HOSTILE, build_session, wav_seconds
from report_sessions import with_voice

from voicecoach.export import export_session
from voicecoach.export.assets import BASE_CSP, CSP, SCRIPT, script_hash
from voicecoach.export.moments import quote_audio_s
from voicecoach.fillers import filler_events
from voicecoach.history import Progress, ProgressPoint, progress_html
from voicecoach.model import Session

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
WINDOW = (1000, 2400)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",  # a probe's synthetic click counts as no gesture
    "--v=0",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary, installed with the project's sysdeps script when missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "sysdeps.sh"), "chromium"], check=False, capture_output=True, text=True
        )
        found = shutil.which("chromium")
        assert found, f"Chromium is needed for this test and could not be installed:\n{done.stdout}{done.stderr}"
    return found


def run(chromium: str, page: Path, tmp: Path, *args: str) -> tuple[str, list[str]]:
    """Load page in a fresh profile; returns stdout and the page's console lines from Chromium's log."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return done.stdout, console


class Dom(HTMLParser):
    """Start tags with attributes, and text, of a dumped DOM."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def inside(self, tag: str, id_: str, inner: str, cls: str) -> int:
        """How many `inner` elements of class cls follow the element tag#id_ before the next element of that tag."""
        count, on = 0, False
        for t, a in self.tags:
            if t == tag:
                on = a.get("id") == id_
            elif on and t == inner and a.get("class") == cls:
                count += 1
        return count


def png_check(path: Path, min_bytes: int = 50_000) -> None:
    """A real PNG of the window's size whose pixels are far from uniform."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == WINDOW
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    assert len(set(raw)) > 100 and len(data) > min_bytes  # text, charts and colours, not a blank page


@pytest.fixture(scope="module")
def report(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path]:
    """The HTML report of real transcribed answers and real TTS interviewer lines, with hostile text in it."""
    folder = tmp_path_factory.mktemp("session")
    session = with_voice(build_session(corpus_dir, folder, hostile=True), folder, tmp_path_factory.mktemp("tts"))
    (html,) = export_session(session, folder, "html", None)
    return session, html


def with_probe(page: Path, probe: str, policy: str) -> Path:
    """A copy of the page with a probe script appended, its hash added to the page's own policy (nothing else)."""
    text = page.read_text(encoding="utf-8")
    allowed = (
        f"{policy} {script_hash(probe)}" if "script-src" in policy else f"{policy}; script-src {script_hash(probe)}"
    )
    assert f'content="{policy}"' in text
    text = text.replace(f'content="{policy}"', f'content="{allowed}"', 1)
    out = page.with_name(f"probe-{page.name}")
    out.write_text(text.replace("</body>", f"<script>{probe}</script></body>"), encoding="utf-8")
    return out


def probe_result(dom_text: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'data-probe="([^"]*)"', dom_text)
    assert found, "the probe never finished"
    return json.loads(unescape(found.group(1)))  # type: ignore[no-any-return]


def test_detector_sees_console_errors_and_blocked_loads(chromium: str, tmp_path: Path) -> None:
    """Control: the console scan below would catch a script error, a blocked load and a script the policy does not list."""
    page = tmp_path / "broken.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}"></head><body>'
        '<img src="https://example.com/x.png"><script>throw new Error("boom")</script></body></html>'
    )
    _, console = run(chromium, page, tmp_path, "--dump-dom")
    assert any("Content Security Policy" in line for line in console), console
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
    _, console = run(chromium, page, tmp_path, "--dump-dom")
    assert any("Uncaught Error: boom" in line for line in console), console
    # the report's own script with one character changed no longer matches the hash and is refused
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}"></head><body>'
        f"<script>{SCRIPT.replace('chain = false', 'chain = true', 1)}</script></body></html>"
    )
    _, console = run(chromium, page, tmp_path, "--dump-dom")
    assert any("inline script violates" in line and "Content Security Policy" in line for line in console), console


def test_report_renders_without_errors_with_charts(chromium: str, report: tuple[Session, Path], tmp_path: Path) -> None:
    session, html = report
    dom_text, console = run(chromium, html, tmp_path, "--dump-dom")
    assert console == []  # the page's own script ran under the policy: a refused script would be logged here
    dom = Dom(dom_text)
    assert len(dom.all("script")) == 1  # its own; the candidate's <script> stayed text
    assert any(HOSTILE in t for t in dom.text)
    bars = dom.all("rect", class_="bar")
    assert len(bars) == len(session.scores) == 3
    widths = {b["data-dimension"]: float(b["width"] or 0) for b in bars}
    assert widths["metrics"] > widths["clarify"] == widths["edge_cases"] > 0
    assert dom.all("svg", id="score-chart") and dom.all("section", id="top-fixes")
    for i, turn in session.candidate_turns():
        assert dom.all("svg", id=f"timeline-{i}")
        assert dom.inside("svg", f"timeline-{i}", "polyline", "pace") == 1
        assert dom.inside("svg", f"timeline-{i}", "path", "filler") == len(filler_events(turn.segments))
    assert len([m for m in dom.all("mark", class_="filler") if m.get("title")]) == sum(
        len(filler_events(t.segments)) for _, t in session.candidate_turns()
    )
    shot = tmp_path / "report.png"
    _, console = run(chromium, html, tmp_path, f"--screenshot={shot}")
    assert console == []
    png_check(shot)


PLAYER_PROBE = """
(async () => {
  const audios = [...document.querySelectorAll(".turn audio")];
  const ready = a => new Promise(r => {
    if (a.readyState >= 1) r(); else { a.addEventListener("loadedmetadata", r, {once: true});
      a.addEventListener("error", r, {once: true}); } });
  await Promise.all(audios.map(ready));
  const out = {players: audios.map(a => ({turn: a.closest(".turn").id, ready: a.readyState, duration: a.duration,
    error: a.error ? a.error.code : null})), seeks: []};
  const click = async (el, audio) => {
    const seeked = new Promise(r => audio.addEventListener("seeked", r, {once: true}));
    el.click();
    await Promise.race([seeked, new Promise(r => setTimeout(r, 3000))]);
    out.seeks.push({kind: el.tagName, turn: audio.closest(".turn").id, t: parseFloat(el.dataset.t),
      at: audio.currentTime, playing: !audio.paused, others: audios.filter(a => a !== audio && !a.paused).length});
    audio.pause();
  };
  for (const link of document.querySelectorAll("a.moment")) {
    await click(link, document.getElementById("turn-" + link.dataset.turn).querySelector("audio"));
  }
  const word = document.querySelectorAll("#turn-5 .text [data-t]")[10];
  await click(word, document.querySelector("#turn-5 audio"));
  document.getElementById("replay").click();
  await new Promise(r => setTimeout(r, 200));
  out.replay = audios.map(a => !a.paused);
  document.body.dataset.probe = JSON.stringify(out);
})();
"""


def test_audio_players_load_and_a_click_on_a_quote_seeks(
    chromium: str, report: tuple[Session, Path], tmp_path: Path
) -> None:
    """Every turn's Opus loads with the recording's length; quote links and words seek their own moment and play."""
    session, html = report
    dom_text, console = run(
        chromium, with_probe(html, PLAYER_PROBE, CSP), tmp_path, "--virtual-time-budget=30000", "--dump-dom"
    )
    assert console == []
    got = probe_result(dom_text)
    assert [p["turn"] for p in got["players"]] == [f"turn-{i}" for i in range(len(session.turns))]
    for p, turn in zip(got["players"], session.turns, strict=True):
        assert p["error"] is None and p["ready"] >= 1
        assert p["duration"] == pytest.approx(wav_seconds(html.parent / str(turn.audio)), abs=0.08)
    quotes = [
        (f"turn-{e.turn}", quote_audio_s(session.turns[e.turn], e.quote))
        for s in session.scores.values()
        for e in s.evidence
    ]
    links = [s for s in got["seeks"] if s["kind"] == "A"]
    assert len(links) >= len(quotes) >= 2  # the scores' evidence, and the fixes' quotes
    for turn_id, t in quotes:
        seek = next(s for s in links if s["turn"] == turn_id and s["t"] == pytest.approx(t, abs=0.006))
        assert seek["at"] == pytest.approx(t, abs=0.05) and seek["at"] > 0.5  # the moment, not the turn's start
        assert seek["playing"] and seek["others"] == 0
    (word,) = [s for s in got["seeks"] if s["kind"] == "SPAN"]
    assert word["turn"] == "turn-5" and word["at"] == pytest.approx(word["t"], abs=0.05) and word["t"] > 1
    assert got["replay"] == [True] + [False] * (len(session.turns) - 1)  # the replay starts at the first question


def test_progress_page_renders_labels_apart(chromium: str, tmp_path: Path) -> None:
    """Forty sessions, twelve of them on one day: no session number or date touches another in the real layout."""
    days = ["2026-11-01"] * 12 + [f"2026-11-{d:02d}" for d in range(2, 30)]
    points = tuple(
        ProgressPoint(
            f"s{i}",
            f"{day}T{8 + i % 12:02d}:00:00+00:00",
            "uploads-drop",
            round((2 + i % 3 + min(5, 1 + i // 8) + 2) / 3, 1),
            {"clarify": 2 + i % 3, "metrics": min(5, 1 + i // 8), "edge_cases": 2},
        )
        for i, day in enumerate(days)
    )
    page = tmp_path / "progress.html"
    page.write_text(progress_html(Progress("pm-execution", points, ("clarify", "metrics", "edge_cases"))))
    probe = """
const boxes = sel => [...document.querySelectorAll(sel)].map(t => t.getBoundingClientRect())
  .map(r => [r.left, r.right, r.top, r.bottom]);
const overlaps = b => b.some((x, i) => b.some((y, j) => i < j && x[0] < y[1] && y[0] < x[1] && x[2] < y[3] && y[2] < x[3]));
document.body.dataset.probe = JSON.stringify({
  dates: boxes("#overall-chart .date-label").length, numbers: boxes("#overall-chart .session-number").length,
  overlap: overlaps([...boxes("#overall-chart .date-label"), ...boxes("#overall-chart .session-number")]),
  smallOverlap: [...document.querySelectorAll(".small-multiple")].some(s =>
    overlaps([...s.querySelectorAll(".session-number")].map(t => t.getBoundingClientRect()).map(r => [r.left, r.right, r.top, r.bottom]))),
  multiples: document.querySelectorAll(".small-multiple").length});
"""
    dom_text, console = run(chromium, with_probe(page, probe, BASE_CSP), tmp_path, "--dump-dom")
    assert console == []
    got = probe_result(dom_text)
    assert got["multiples"] == 3 and not got["overlap"] and not got["smallOverlap"]
    assert 5 <= got["dates"] < 29 and got["numbers"] >= 10  # sparse, yet every label that is drawn is readable
    dom = Dom(run(chromium, page, tmp_path, "--dump-dom")[0])
    assert len(dom.all("polyline", class_="overall-line")) == 1 and len(dom.all("polygon", class_="band")) == 1
    assert len(dom.all("polyline", class_="line")) == 3 and len(dom.all("circle", class_="point")) == 120
    shot = tmp_path / "progress.png"
    run(chromium, page, tmp_path, f"--screenshot={shot}")
    png_check(shot, 15_000)
