"""LiteLLMInterviewer: any litellm model decides and phrases each move and scores the interview, within guards."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from voicecoach.brain.analysis import split_sentences, strip_instructions
from voicecoach.brain.clarify import matching_facts
from voicecoach.brain.evidence import locate, locate_all, normalise
from voicecoach.brain.llm_client import Deadline, LLMCallError, LlmClient, provider_notice
from voicecoach.brain.llm_schema import (
    ASSESS_SCHEMA,
    REACT_SCHEMA,
    SERVER_MAX_LENGTHS,
    ReplyError,
    parse_reply,
    response_format,
    with_max_lengths,
)
from voicecoach.brain.llm_stream import SentenceStream
from voicecoach.brain.overall import counts_half_note, low_barely_tested, overall_score
from voicecoach.brain.probes import asked_follow_ups
from voicecoach.brain.scoring import NO_EVIDENCE_CAP, assess_turns
from voicecoach.config import LlmOptions
from voicecoach.content import HiddenFact
from voicecoach.errors import LLMError
from voicecoach.model import DIMENSIONS, Evidence, Move, Score, Turn, Verdict
from voicecoach.ports import Context

__all__ = ["Caps", "LiteLLMInterviewer", "provider_notice"]

# Per dimension, the highest score the answers support (recitation, off-topic, meta turns); see brain/guards.py.
Caps = Callable[[Context], dict[str, int]]

_NUMBERISH = re.compile(
    r"^(?:\d[\d.,%]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|percent|point|half|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$"
)


def fill(template: str, values: dict[str, str]) -> str:
    """template with every {{name}} replaced; an unknown name is an error, not a silent gap."""
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise LLMError(f"prompt template uses {{{{{m.group(1)}}}}}, which the interviewer does not provide; fix the template")
        return values[m.group(1)]
    return re.sub(r"\{\{(\w+)\}\}", sub, template)


# Aimed at a model grader, on top of the shared instruction patterns of the offline analysis.
_TO_THE_MODEL = re.compile(
    r"\b(?:as (?:the|my|an?) (?:grader|judge|evaluator|assessor|ai|model|llm|language model)\b|"
    r"(?:award|assign|output|return) (?:me|this|it|my answer|the candidate)?\s*(?:a |the )?"
    r"(?:maximum|max|full|top|perfect|highest)\b|"
    r"(?:every|all|each) (?:dimension|category|score)s? (?:as |at |to be |should be )?(?:a )?(?:five|5|maximum|max|top)\b|"
    r"(?:end|close) (?:of )?(?:the )?(?:transcript|data)\b|</?\s*interview_transcript)",
    re.IGNORECASE,
)


def strip_for_model(text: str) -> str:
    """A candidate turn without the sentences that try to instruct the grader."""
    kept = strip_instructions(text)
    return " ".join(s for s in split_sentences(kept) if not _TO_THE_MODEL.search(s))


def sanitised(turns: Sequence[Turn]) -> tuple[Turn, ...]:
    """The turns with sentences that address the grader removed from candidate turns (same indices)."""
    return tuple(replace(t, text=strip_for_model(t.text)) if t.role == "candidate" else t for t in turns)


def render_transcript(turns: Sequence[Turn]) -> str:
    """The conversation as numbered DATA lines; angle brackets removed so no turn can close the tag."""
    lines = []
    for i, t in enumerate(turns):
        if t.kind == "note":
            continue
        text = re.sub(r"[<>]", " ", t.text).strip() or "(silence)"
        lines.append(f"[turn {i}] {t.role} ({t.kind}): {text}")
    return "\n".join(lines)


def _fact_spans(fact: HiddenFact) -> list[tuple[str, ...]]:
    """Word sequences whose appearance in a line reveals the fact: 4-word runs and number phrases."""
    words = normalise(fact.answer).split()
    spans = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    spans += [tuple(words[i : i + 2]) for i in range(len(words) - 1) if _NUMBERISH.match(words[i]) or _NUMBERISH.match(words[i + 1])]
    return spans


def _contains(haystack: list[str], span: tuple[str, ...]) -> bool:
    n = len(span)
    return any(tuple(haystack[i : i + n]) == span for i in range(len(haystack) - n + 1))


def revealed(text: str, fact: HiddenFact, allowed_text: str) -> bool:
    """True when text gives away fact (a telling span of its answer that allowed_text does not already hold)."""
    said, known = normalise(text).split(), normalise(allowed_text).split()
    return any(_contains(said, s) and not _contains(known, s) for s in _fact_spans(fact))


class LiteLLMInterviewer:
    """The interviewer brain backed by any litellm model; see docs/llm.md."""

    def __init__(
        self, options: LlmOptions, max_tokens_react: int = 300, max_tokens_assess: int = 2000, caps: Caps | None = None
    ) -> None:
        self.options = options
        self.client = LlmClient(options)
        self.caps = caps
        self.name = f"llm:{options.model}"
        self.max_tokens_react = max_tokens_react
        self.max_tokens_assess = max_tokens_assess
        self.last_timings: dict[str, float] = {}

    # ---- facts -------------------------------------------------------------------------------
    def _facts_state(self, ctx: Context) -> tuple[list[HiddenFact], list[HiddenFact]]:
        """(facts the last candidate turn asks for, facts revealed in earlier interviewer turns)."""
        last = next((t for t in reversed(ctx.turns) if t.role == "candidate"), None)
        asked = matching_facts(ctx.case, last.text) if last else []
        earlier = " ".join(t.text for t in ctx.turns if t.role == "interviewer")
        before = [f for f in ctx.case.hidden_facts if revealed(earlier, f, ctx.case.question)]
        return asked, before

    def _allowed_text(self, ctx: Context) -> str:
        """Everything a move may repeat without revealing anything: the question, probes, what was said."""
        probes = " ".join(p for ps in ctx.case.probes.values() for p in ps)
        return " ".join([ctx.case.question, probes, *(t.text for t in ctx.turns)])

    def check_move(self, data: dict[str, Any], ctx: Context) -> None:
        """ReplyError if the move breaks the case rules: a fact not asked for, or too many follow-ups."""
        if not str(data["text"]).strip():
            raise ReplyError('"text" is empty; say one to three sentences')
        asked, _ = self._facts_state(ctx)
        may = asked if data["kind"] == "clarification_answer" else []
        allowed = self._allowed_text(ctx)
        for fact in ctx.case.hidden_facts:
            if fact not in may and revealed(str(data["text"]), fact, allowed):
                raise ReplyError(f"the text reveals the held-back fact about {fact.topic!r}, which the candidate did not "
                                 "ask for; do not reveal it")
        if data["kind"] == "follow_up" and self._follow_ups_used(ctx) >= ctx.max_follow_ups:
            raise ReplyError(f"{ctx.max_follow_ups} follow-ups were already asked; choose next_question or wrap_up")

    @staticmethod
    def _follow_ups_used(ctx: Context) -> int:
        return len(asked_follow_ups(ctx.turns))

    # ---- prompts -----------------------------------------------------------------------------
    def _template(self, ctx: Context, name: str) -> str:
        try:
            return ctx.pack.templates[name]
        except KeyError as e:
            raise LLMCallError(f"pack {ctx.pack.id!r} has no {name}.md prompt template; add it to the pack folder",
                               "missing template") from e

    def _offline_reading(self, turns: Sequence[Turn], ctx: Context) -> str:
        scores = assess_turns(turns, ctx.case, ctx.pack).scores  # the case-grounded reading, as offline
        return "\n".join(f"- {s.dimension}: {s.score}/5. {s.rationale}" for s in scores)

    def react_messages(self, ctx: Context) -> list[dict[str, str]]:
        """The chat messages for choosing the next move."""
        turns = sanitised(ctx.turns)
        asked, before = self._facts_state(ctx)
        facts = [f"- {f.topic}: {f.answer}" for f in [*before, *(a for a in asked if a not in before)]]
        probes = [f"- {dim}: {ps[0]}" for dim, ps in ctx.case.probes.items() if ps]
        values = {
            "case_question": ctx.case.question,
            "facts": "\n".join(facts) or "(none)",
            "no_data_answer": ctx.case.no_data_answer,
            "offline_reading": self._offline_reading(turns, ctx),
            "follow_ups_used": str(self._follow_ups_used(ctx)),
            "max_follow_ups": str(ctx.max_follow_ups),
            "probes": "\n".join(probes) or "(none)",
            "transcript": render_transcript(turns),
        }
        return [{"role": "system", "content": self._template(ctx, "llm_system")},
                {"role": "user", "content": fill(self._template(ctx, "llm_react"), values)}]

    def assess_messages(self, ctx: Context) -> list[dict[str, str]]:
        """The chat messages for the final scores."""
        turns = sanitised(ctx.turns)
        dims = [f"- {d.id} ({d.name}): {d.question} 1 = {d.descriptors.get(1, '')} 3 = {d.descriptors.get(3, '')} "
                f"5 = {d.descriptors.get(5, '')}" for d in ctx.pack.dimensions]
        values = {
            "case_question": ctx.case.question,
            "strong_answer": "\n".join(f"- {s}" for s in ctx.case.strong_answer) or "(not given)",
            "dimensions": "\n".join(dims),
            "offline_reading": self._offline_reading(turns, ctx),
            "score_caps": self._caps_text(ctx),
            "transcript": render_transcript(turns),
        }
        return [{"role": "system", "content": self._template(ctx, "llm_system")},
                {"role": "user", "content": fill(self._template(ctx, "llm_assess"), values)}]

    def _caps_text(self, ctx: Context) -> str:
        """The offline checks' limits as prompt lines, so the model's rationale agrees with the post-check."""
        limits = self._caps(ctx)
        lines = [f"- {dim}: at most {limits[dim]}" for dim in DIMENSIONS if dim in limits and limits[dim] < 5]
        return "\n".join(lines) or "(none)"

    def _caps(self, ctx: Context) -> dict[str, int]:
        return dict(self.caps(ctx)) if self.caps is not None else {}

    # ---- the calls ---------------------------------------------------------------------------
    def _ask(
        self, ctx: Context, messages: list[dict[str, str]], name: str, schema: dict[str, Any], max_tokens: int,
        check: Callable[[dict[str, Any]], None], deadline: Deadline, stream: SentenceStream | None = None,
    ) -> tuple[dict[str, Any], int]:
        """A reply that parses and passes check, with one repair round, all within deadline; LLMCallError otherwise."""
        sent = with_max_lengths(schema, SERVER_MAX_LENGTHS) if self.options.base_url else schema
        fmt = response_format(name, sent)
        for attempt in (1, 2):
            if stream is not None and attempt == 1:
                content = self.client.stream(messages, fmt, stream.feed, max_tokens, deadline)
            else:
                content = self.client.complete(messages, fmt, max_tokens, deadline)
            try:
                data = parse_reply(content, schema)
                check(data)
                return data, attempt
            except ReplyError as e:
                if attempt == 2:
                    raise LLMCallError(f"The LLM's reply was malformed twice ({e}); the offline interviewer takes over.",
                                       "malformed output") from e
                repair = fill(self._template(ctx, "llm_repair"), {"error": str(e)})
                messages = [*messages, {"role": "assistant", "content": content[:2000]},
                            {"role": "user", "content": repair}]
        raise AssertionError("unreachable")

    def react(self, ctx: Context) -> Move:
        """The next move after the last candidate turn."""
        return self.react_stream(ctx, None)

    def react_stream(self, ctx: Context, on_sentence: Callable[[str], None] | None) -> Move:
        """The next move; on_sentence gets each complete sentence of its text as soon as it has streamed in."""
        started = time.monotonic()
        deadline = Deadline.after(self.options.turn_deadline_s)
        allowed = self._allowed_text(ctx)
        asked, _ = self._facts_state(ctx)

        def safe(kind: str | None, sentence: str) -> bool:
            may = asked if kind == "clarification_answer" else []
            return not any(f not in may and revealed(sentence, f, allowed) for f in ctx.case.hidden_facts)

        stream = SentenceStream(on_sentence, safe, started) if on_sentence is not None else None
        data, attempts = self._ask(ctx, self.react_messages(ctx), "interviewer_move", REACT_SCHEMA,
                                   self.max_tokens_react, lambda d: self.check_move(d, ctx), deadline, stream)
        text = " ".join(str(data["text"]).split())
        if stream is not None:
            stream.finish(text)
        total = time.monotonic() - started
        first = stream.first_sentence_s if stream is not None and stream.first_sentence_s is not None else total
        self.last_timings = {"llm_s": total, "time_to_first_sentence_s": first, "attempts": float(attempts)}
        topics = {f.topic for f in ctx.case.hidden_facts}
        facts = [f for f in data["facts"] if f in topics] if data["kind"] == "clarification_answer" else []
        targets = tuple(dict.fromkeys(t for t in data["targets"] if t in DIMENSIONS))
        return Move(kind=data["kind"], text=text, targets=targets, note=("facts: " + ", ".join(facts)) if facts else "")

    def assess(self, ctx: Context) -> Verdict:
        """Seven scores, each backed only by quotes found in the candidate's words."""
        started = time.monotonic()
        deadline = Deadline.after(self.scoring_deadline_s)
        data, attempts = self._ask(ctx, self.assess_messages(ctx), "interview_scores", ASSESS_SCHEMA,
                                   self.max_tokens_assess, lambda d: None, deadline)
        clean = sanitised(ctx.turns)
        limits = self._caps(ctx)
        scores = [cap_score(self._guard(dim, data["scores"][dim], ctx.turns, clean), limits.get(dim))
                  for dim in DIMENSIONS]
        feedback = " ".join(str(data["feedback"]).split())
        if any(f"[capped at {NO_EVIDENCE_CAP}:" in s.rationale for s in scores):
            feedback += f" Some scores were capped at {NO_EVIDENCE_CAP} because no quote from your answers backed them."
        if any(LIMIT_NOTE in s.rationale for s in scores):
            feedback += (" Some scores were lowered: listing techniques without applying them to this case, talking "
                         "about something else, or asking for the question again does not earn credit.")
        if any(c.text != t.text for c, t in zip(clean, ctx.turns, strict=True)):
            feedback += " Instructions addressed to the grader in your answers were ignored."
        names = {d.id: d.name.lower() for d in ctx.pack.dimensions}
        feedback += " " + counts_half_note(low_barely_tested(scores, ctx.case), names)
        self.last_timings = {"llm_s": time.monotonic() - started, "attempts": float(attempts)}
        overall = overall_score(scores, ctx.case)
        return Verdict(scores=tuple(scores), overall=overall, feedback=feedback.strip(), interviewer=self.name)

    @property
    def scoring_deadline_s(self) -> float:
        """The longest wait for the final scores: a longer reply than a move, so timeout_s rather than a turn's."""
        return max(self.options.timeout_s, self.options.turn_deadline_s)

    @staticmethod
    def _guard(dim: str, entry: dict[str, Any], turns: Sequence[Turn], clean: Sequence[Turn]) -> Score:
        """The model's score for dim, keeping only quotes found in the candidate's own (non-instruction) words."""
        quotes = [q for q in entry["quotes"] if isinstance(q, str)]
        kept: list[Evidence] = []
        for ev in locate_all(quotes, clean):
            original = locate(ev.quote, turns)
            if original is not None and original not in kept:
                kept.append(original)
        score = int(entry["score"])
        rationale = " ".join(str(entry["rationale"]).split())
        dropped = len(quotes) - len(kept)
        if dropped > 0:
            rationale += f" [{dropped} quote(s) given by the model were not found in the candidate's words and were dropped.]"
        if score > NO_EVIDENCE_CAP and not kept:
            score = NO_EVIDENCE_CAP
            rationale += f" [capped at {NO_EVIDENCE_CAP}: the model scored {int(entry['score'])} without a quote found " \
                         "in the transcript.]"
        return Score(dimension=dim, score=score, rationale=rationale, evidence=tuple(kept))


LIMIT_NOTE = "by the checks for recitation, off-topic answers and meta turns"


def cap_score(score: Score, limit: int | None) -> Score:
    """score lowered to limit (the highest the answers support), the rationale saying so; unchanged otherwise."""
    if limit is None or score.score <= limit:
        return score
    limit = max(1, limit)
    note = f" [lowered from {score.score} to {limit} {LIMIT_NOTE}: the answers do not support more.]"
    return replace(score, score=limit, rationale=score.rationale + note)
