"""The HTML reports in real headless Chromium: no console errors, charts present, audio decodes, screenshot."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from corpus_sessions import HOSTILE, build_session, wav_seconds

from voicecoach.export import export_session
from voicecoach.export.html import CSP
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
    """The HTML report of a session of real transcribed answers, with hostile text in it."""
    folder = tmp_path_factory.mktemp("session")
    session = build_session(corpus_dir, folder, hostile=True)
    (html,) = export_session(session, folder, "html", None)
    return session, html


def test_detector_sees_console_errors_and_blocked_loads(chromium: str, tmp_path: Path) -> None:
    """Control: the console scan below would catch a script error and a blocked network load."""
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


def test_report_renders_without_errors_with_charts(chromium: str, report: tuple[Session, Path], tmp_path: Path) -> None:
    session, html = report
    dom_text, console = run(chromium, html, tmp_path, "--dump-dom")
    assert console == []
    dom = Dom(dom_text)
    assert dom.all("script") == []  # the candidate's <script> stayed text
    assert any(HOSTILE in t for t in dom.text)
    bars = dom.all("rect", class_="bar")
    assert len(bars) == len(session.scores) == 3
    widths = {b["data-dimension"]: float(b["width"] or 0) for b in bars}
    assert widths["metrics"] > widths["clarify"] == widths["edge_cases"] > 0
    assert dom.all("svg", id="score-chart")
    for i, turn in session.candidate_turns():
        assert dom.all("svg", id=f"timeline-{i}")
        assert dom.inside("svg", f"timeline-{i}", "polyline", "pace") == 1
        assert dom.inside("svg", f"timeline-{i}", "path", "filler") == len(filler_events(turn.segments))
    shot = tmp_path / "report.png"
    _, console = run(chromium, html, tmp_path, f"--screenshot={shot}")
    assert console == []
    png_check(shot)


def test_embedded_audio_decodes_in_the_browser(chromium: str, report: tuple[Session, Path], tmp_path: Path) -> None:
    """Each data: URI WAV loads under the report's own media policy and has the recording's length."""
    session, html = report
    text = html.read_text(encoding="utf-8")
    probe_csp = CSP.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    text = text.replace(f'content="{CSP}"', f'content="{probe_csp}"', 1)
    text = text.replace(
        "</body>",
        """<script>
const a = [...document.querySelectorAll("audio")], out = []; let n = 0;
const done = () => { if (++n === a.length) document.body.dataset.durations = out.join(","); };
a.forEach((el, i) => { el.onloadedmetadata = () => { out[i] = el.duration.toFixed(2); done(); };
  el.onerror = () => { out[i] = "error"; done(); }; el.load(); });
</script></body>""",
    )
    probe = html.with_name("probe.html")
    probe.write_text(text, encoding="utf-8")
    dom_text, console = run(chromium, probe, tmp_path, "--virtual-time-budget=15000", "--dump-dom")
    assert console == []
    found = re.search(r'data-durations="([^"]*)"', dom_text)
    assert found, "the audio elements never loaded"
    durations = [float(x) for x in found.group(1).split(",")]
    wavs = [wav_seconds(html.parent / str(t.audio)) for _, t in session.candidate_turns()]
    assert durations == pytest.approx(wavs, abs=0.05)


def test_progress_page_renders(chromium: str, tmp_path: Path) -> None:
    points = tuple(
        ProgressPoint(
            f"s{i}",
            f"2026-11-0{i}T09:00:00+00:00",
            "uploads-drop",
            None,
            {"clarify": 2 + i % 3, "metrics": min(5, 1 + i), "edge_cases": 2},
        )
        for i in range(1, 6)
    )
    page = tmp_path / "progress.html"
    page.write_text(progress_html(Progress("pm-execution", points, ("clarify", "metrics", "edge_cases"))))
    dom_text, console = run(chromium, page, tmp_path, "--dump-dom")
    assert console == []
    dom = Dom(dom_text)
    assert dom.all("svg", id="progress-chart")
    assert len(dom.all("polyline", class_="line")) == 3 and len(dom.all("circle", class_="point")) == 15
    shot = tmp_path / "progress.png"
    run(chromium, page, tmp_path, f"--screenshot={shot}")
    png_check(shot, 15_000)
