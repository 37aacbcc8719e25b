"""The LLM interviewer gets the offline reader's guards: a recited list is capped whatever the model says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.fakes import write_answers
from tests.llm_provider import CANDIDATE_LINE, ChatServer, sensible_reply
from voicecoach.model import DIMENSIONS

BIN = str(Path(sys.executable).with_name("voicecoach"))
MODEL = "openai/test-model"
# A list of techniques with nothing applied to the case (not the lexicon's wording, a candidate's)
RECITED = (
    "So, cohorts, platform splits, version splits, funnels. Guardrails, north star, counter metrics. "
    "A/B tests, holdouts, canaries, kill switches, feature flags, retries with backoff, idempotency. "
    "Fraud, abuse, spam. Speed versus quality, build versus buy, RICE, MoSCoW."
)


def generous_reply(body: dict[str, Any]) -> str:
    """A model that gives every dimension a five, quoting the candidate's first words; otherwise sensible."""
    fmt = body.get("response_format") or {}
    if (fmt.get("json_schema") or {}).get("name", "") != "interview_scores":
        return sensible_reply(body)
    said = CANDIDATE_LINE.findall(str(body["messages"][1]["content"]))
    quote = " ".join(said[0].split()[:4]) if said else ""
    entry = {"score": 5, "rationale": "Excellent, covers everything.", "quotes": [quote] if quote else []}
    return json.dumps({"scores": {d: entry for d in DIMENSIONS}, "feedback": "Outstanding."})


def test_a_recited_list_is_capped_even_when_the_model_gives_fives(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.txt", [RECITED])
    env = {**os.environ, "VOICECOACH_HOME": str(tmp_path), "OPENAI_API_KEY": "sk-local-test"}
    with ChatServer(reply=generous_reply) as server:
        r = subprocess.run([BIN, "practice", "--case", "uploads-drop", "--answers-text", str(answers), "--voice-out",
                            "none", "--llm", MODEL, "--llm-base-url", server.base_url],
                           env=env, capture_output=True, text=True, timeout=300, check=False)
        assert server.chat_requests(), "the LLM was asked"
    assert r.returncode == 0, r.stderr
    data = json.loads((Path(r.stdout.splitlines()[-1]) / "session.json").read_text())
    assert data["interviewer"] == f"llm:{MODEL}", data["interviewer"]
    scores = {d: s["score"] for d, s in data["scores"].items()}
    content = [scores[d] for d in DIMENSIONS if d != "follow_up"]
    assert max(content) <= 2, scores  # the model's fives did not survive the recitation cap
    assert data["overall"] <= 2.5, data["overall"]
    assert any("lowered from 5" in s["rationale"] for s in data["scores"].values())
