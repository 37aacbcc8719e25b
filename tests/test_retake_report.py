"""A retake's report beside the attempt before: spoken answers (real TTS, transcribed by the real tiny.en)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from corpus_sessions import build_session, transcribe, wav_seconds
from report_sessions import keyed_case, with_voice

from voicecoach.brain.evidence import locate_all
from voicecoach.delivery import analyse_session, analyse_turn
from voicecoach.export import export_session
from voicecoach.export.context import load_context
from voicecoach.export.html import to_html
from voicecoach.export.md import to_markdown
from voicecoach.export.summary import session_delivery
from voicecoach.model import Fix, Score, Session, Turn
from voicecoach.speech.tts import synthesize
from voicecoach.store import SessionStore

pytestmark = pytest.mark.slow
BEFORE_ID, AFTER_ID, THIRD_ID = "20261130-040000-aaaa", "20261201-090000-bbbb", "20261202-090000-cccc"
ANSWERS = (
    (
        "Before guessing at causes, I would ask whether the drop shows up on Android, on iPhone, or on both, "
        "and which app version it started with."
    ),
    (
        "If the connection is weak, an upload can stop halfway. I would make it resume from where it stopped "
        "instead of starting over."
    ),
)


def _retake(folder: Path, tts: Path) -> Session:
    """The second attempt: two answers spoken by espeak-ng and transcribed by tiny.en, then scored."""
    folder.mkdir(parents=True)
    turns: list[Turn] = [Turn("interviewer", "question", "Uploads on the mobile app dropped 20% week over week.")]
    for n, text in enumerate(ANSWERS):
        wav = folder / f"turn-{len(turns):02d}.wav"
        synthesize(text, wav, None, 160)
        tr = transcribe(wav, False)
        length = wav_seconds(wav)
        turns.append(
            Turn(
                "candidate",
                "answer",
                tr.text,
                audio=wav.name,
                end_s=length,
                segments=tr.segments,
                delivery=analyse_turn(tr.segments, length, main_answer=n == 0),
            )
        )
        if n == 0:
            turns.append(Turn("interviewer", "follow_up", "What could go wrong while users upload?"))
    turns.append(Turn("interviewer", "feedback", "Thanks. Here is my feedback."))
    session = Session(
        AFTER_ID,
        "pm-execution",
        "uploads-drop",
        turns[0].text,
        "completed",
        created_at="2026-12-01T09:00:00+00:00",
        turns=turns,
        retake_of=BEFORE_ID,
    )
    session = with_voice(session, folder, tts)
    first = session.turns[1].text.split()
    session.scores = {
        "clarify": Score("clarify", 4, "You asked which platform.", locate_all([" ".join(first[:5])], session.turns)),
        "metrics": Score("metrics", 3, "Still no baseline."),
        "edge_cases": Score("edge_cases", 3, "A weak connection, but not retries."),
    }
    session.overall = 3.3
    session.delivery = analyse_session(session.turns)
    return session


@pytest.fixture(scope="module")
def store(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SessionStore:
    """Two attempts of uploads-drop in one store; the first saved what to fix first."""
    root = tmp_path_factory.mktemp("sessions")
    st = SessionStore(root)
    before = build_session(corpus_dir, root / BEFORE_ID, session_id=BEFORE_ID)
    before.fixes = [
        Fix("clarify", "Never asked where the drop is.", "Ask about platform first.", key_point="platform-split"),
        Fix("edge_cases", "No edge cases.", "Name retries.", key_point="retry-storm"),
        Fix("metrics", "No baseline.", "Compare with last year.", key_point="baseline"),
    ]
    st.save(before)
    st.save(_retake(root / AFTER_ID, tmp_path_factory.mktemp("tts")))
    return st


def _section(html: str) -> str:
    return html.split('<section id="compare">', 1)[1].split("</section>", 1)[0]


def _row(section: str, key: str) -> tuple[str, str, str, str]:
    found = re.search(
        rf'<tr data-key="{key}"><th>[^<]*</th><td class="before">([^<]*)</td><td class="after">([^<]*)</td>'
        r'<td class="change (\w+)">([^<]*)</td></tr>',
        section,
    )
    assert found, key
    return found.group(1), found.group(2), found.group(3), found.group(4).strip()


def test_retake_report_compares_scores_delivery_and_fixes(store: SessionStore) -> None:
    before, after = store.load(BEFORE_ID), store.load(AFTER_ID)
    assert "android" in after.turns[1].text.lower()  # tiny.en heard the spoken answer
    (path,) = export_session(after, store.dir(AFTER_ID), "html", None)
    html = path.read_text(encoding="utf-8")
    assert html.index('id="top-fixes"') < html.index('id="compare"') < html.index("<h2>Scores</h2>")
    section = _section(html)
    assert f"Attempt 2 of this case; the one before was session {BEFORE_ID} on 2026-11-30 04:00 UTC." in section
    assert _row(section, "overall") == ("2.3", "3.3", "better", "\u25b2 +1.0")
    assert _row(section, "clarify") == ("2", "4", "better", "\u25b2 +2")
    assert _row(section, "metrics") == ("3", "3", "same", "same")
    assert _row(section, "edge_cases") == ("2", "3", "better", "\u25b2 +1")
    b, a = session_delivery(before), session_delivery(after)
    assert _row(section, "filler_count")[:2] == (str(b.filler_count), str(a.filler_count))
    assert _row(section, "words_per_minute")[:2] == (f"{b.words_per_minute:.0f}", f"{a.words_per_minute:.0f}")
    assert b.filler_count > a.filler_count  # espeak never says "um"
    fillers = _row(section, "filler_count")
    assert fillers[2] == "better" and fillers[3] == f"\u25bc {a.filler_count - b.filler_count:+d}"  # fewer: down, green
    assert _row(section, "word_count")[2] == "same"  # a longer answer is not by itself a better one
    # the real pack has no answer key yet, so fixes count as fixed when their dimension rose
    outcomes = re.findall(
        r'<li class="(fixed|not-fixed)" data-dimension="(\w+)"><strong>[^<]*</strong> [^\u2014]*\u2014 ([^<]*)</li>',
        section,
    )
    assert outcomes == [
        ("fixed", "clarify", "clarify rose from 2 to 4."),
        ("fixed", "edge_cases", "edge cases rose from 2 to 3."),
        ("not-fixed", "metrics", "metrics still at 3."),
    ]
    assert "You fixed 2 of the 3 things to fix first from last time." in section
    assert "Attempt 2" in html.split("</ul>", 1)[0]  # in the header too


def test_with_the_answer_key_a_point_now_made_counts_as_fixed(store: SessionStore) -> None:
    after = store.load(AFTER_ID)
    ctx = load_context(after, store.dir(AFTER_ID))
    assert ctx.previous is not None and ctx.previous.id == BEFORE_ID and ctx.attempt == 2 and ctx.case is not None
    keyed = dataclasses.replace(ctx, case=keyed_case(ctx.case))
    section = _section(to_html(after, store.dir(AFTER_ID), context=keyed))
    clarify = re.search(r'<li class="fixed" data-dimension="clarify">.*?</li>', section)
    assert clarify and "you made the point this time: \u201c" in clarify.group(0)
    assert re.search(r"\w[.?!]\u201d</li>$", clarify.group(0))  # the quote ends the sentence: no second stop
    assert "Android" in clarify.group(0) or "android" in clarify.group(0)
    assert re.search(
        r'data-dimension="metrics"><strong>Not yet:</strong> Metrics \u2014 metrics still at 3 and the '
        r"point is still missing\.</li>",
        section,
    )
    md = to_markdown(after, keyed)
    assert "## Compared with your last attempt" in md and "| Clarify | 2 | 4 | +2 |" in md
    assert "- Not yet: Metrics \u2014 metrics still at 3 and the point is still missing." in md


def test_third_attempt_and_a_deleted_earlier_attempt(store: SessionStore, tmp_path: Path) -> None:
    after = store.load(AFTER_ID)
    third = dataclasses.replace(after, id=THIRD_ID, created_at="2026-12-02T09:00:00+00:00", retake_of=AFTER_ID)
    folder = store.dir(THIRD_ID)
    folder.mkdir()
    store.save(third)
    ctx = load_context(third, folder)
    assert ctx.attempt == 3 and ctx.previous is not None and ctx.previous.id == AFTER_ID
    assert "Attempt 3 of this case" in to_html(third, folder, context=ctx)
    orphan = dataclasses.replace(after, id="20261203-090000-dddd", retake_of="20261101-000000-gone")
    html = to_html(orphan, tmp_path)
    assert "This is a retake of session 20261101-000000-gone, which is not in" in _section(html)
