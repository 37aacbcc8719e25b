"""The built-in offline interviewer: deterministic, no network, reads answers against the rubric."""

from __future__ import annotations

from voicecoach.brain.analysis import strip_instructions
from voicecoach.brain.clarify import answer_clarification, is_clarifying_question, leading_question, matching_facts
from voicecoach.brain.evidence import locate
from voicecoach.brain.feedback import Notes, compose
from voicecoach.brain.fixes import stronger_for, what_to_fix
from voicecoach.brain.followups import pin_down, pin_order
from voicecoach.brain.meta import is_meta_turn, meta_reply
from voicecoach.brain.overall import overall_score
from voicecoach.brain.probes import (
    CLOSING,
    PROBED_DIMS,
    asked_follow_ups,
    choose_target,
    open_question,
    phrase_probe,
    probed_dims,
    strip_reask,
    was_reasked,
)
from voicecoach.brain.reading import read_turn, read_turns
from voicecoach.brain.relevance import NOT_HEARD
from voicecoach.brain.scoring import answer_readings, assess_turns, case_start
from voicecoach.model import Move, Verdict
from voicecoach.ports import Context

__all__ = ["OfflineInterviewer", "is_clarifying_question"]


class OfflineInterviewer:
    """Answers clarifying questions from hidden facts, probes the weakest dimension, scores with located evidence."""

    name = "offline"

    def __init__(self, *, answer_leading_questions: bool = True) -> None:
        self.answer_leading_questions = answer_leading_questions

    def react(self, ctx: Context) -> Move:
        """Clarification answer, follow-up on the weakest uncovered dimension, or wrap-up."""
        last = ctx.turns[-1] if ctx.turns else None
        if last is None or last.role != "candidate":
            return Move(kind="wrap_up", text=CLOSING, note="no candidate turn to react to")
        if is_meta_turn(last.text):  # "could you repeat the question?": the question again, or time to think
            return Move(kind="clarification_answer", text=meta_reply(last.text, open_question(ctx.turns)), note="meta turn")
        if last.kind == "clarification" or is_clarifying_question(last.text):
            text = answer_clarification(ctx.case, strip_instructions(last.text) or last.text)
            return Move(kind="clarification_answer", text=text, targets=("clarify",))
        reask = self._reask(ctx)
        if reask is not None:
            return reask
        used = len(asked_follow_ups(ctx.turns))
        if used >= ctx.max_follow_ups:
            return Move(kind="wrap_up", text=CLOSING, note=f"{used} follow-up(s) used")
        readings = answer_readings(ctx.turns, case_start(ctx.turns), ctx.case, ctx.pack, keys=False)
        keyed = {kp.dimension for kp in ctx.case.answer_key}
        keyless = {d for d in readings if d not in keyed} if keyed else set()
        target = choose_target(readings, probed_dims(ctx.turns), keyless)
        if target is None:
            return Move(kind="wrap_up", text=CLOSING, note="every dimension covered or probed")
        pinned = self._pin_down(ctx) if used == 0 else None
        if pinned is not None:
            return pinned
        text = phrase_probe(ctx.case, target, ctx.turns, pick=used, focus=self._missed_point(ctx, target))
        prefix = self._answer_opening_question(ctx, last.text)
        note = f"{target} scored {readings[target].score} so far" if target in readings else "all six covered well"
        return Move(kind="follow_up", text=f"{prefix}{text}", targets=(target,), note=note)

    def _pin_down(self, ctx: Context) -> Move | None:
        """A first follow-up on an answer that recites: the listed term of its weakest dimension, pinned to the case."""
        idx = len(ctx.turns) - 1
        rec = read_turn(ctx.turns[idx].text, idx, False, ctx.case, ctx.pack).recitation
        if not rec.whole:
            return None
        terms = sorted(rec.terms, key=pin_order)
        term = next((t for t in terms if locate(t.phrase, ctx.turns) is not None), None)
        if term is None:
            return None
        return Move(kind="follow_up", text=pin_down(term), targets=(term.dim,), note="recited a list of techniques")

    def _missed_point(self, ctx: Context, dim: str) -> str:
        """The first key point on dim the candidate has not made yet (what a probe should aim at), or ""."""
        start = case_start(ctx.turns)
        made = {m.point.id for r in read_turns(ctx.turns, start, ctx.case, ctx.pack, []) for m in r.made}
        kp = next((k for k in ctx.case.answer_key if k.dimension == dim and k.id not in made), None)
        return f"{kp.point} {kp.stronger}" if kp is not None else ""

    def _reask(self, ctx: Context) -> Move | None:
        """An answer about something else is not an answer: say so and ask the open question again (once)."""
        idx = len(ctx.turns) - 1
        why = read_turn(ctx.turns[idx].text, idx, False, ctx.case, ctx.pack).off_topic
        if not why or was_reasked(ctx.turns):
            return None
        open_turn = next((t for t in reversed(ctx.turns) if t.role == "interviewer" and t.kind in ("question", "follow_up")), None)
        if open_turn is None or open_turn.kind == "question":
            return Move(kind="next_question", text=f"{NOT_HEARD} {ctx.case.question}", note=f"off topic: {why}")
        return Move(kind="follow_up", text=f"{NOT_HEARD} {strip_reask(open_turn.text)}", targets=open_turn.targets,
                    note=f"off topic: {why}")

    def _answer_opening_question(self, ctx: Context, text: str) -> str:
        """An answer that opens with a question gets that question answered first, when a hidden fact fits."""
        if not self.answer_leading_questions:
            return ""
        q = leading_question(text)
        if q is None or not matching_facts(ctx.case, q):
            return ""
        return f"To your question: {answer_clarification(ctx.case, q)} "

    def assess(self, ctx: Context) -> Verdict:
        """All seven dimensions scored 1-5 with located evidence, and the spoken feedback."""
        result = assess_turns(ctx.turns, ctx.case, ctx.pack)
        overall = overall_score(result.scores, ctx.case)
        names = {d.id: d.name.lower() for d in ctx.pack.dimensions}
        fixes = what_to_fix(result.scores, result.readings, result.turns, ctx.case, ctx.turns, names)
        answered = [r for r in result.turns if not r.meta]
        made = {m.point.id for r in result.turns for m in r.made}
        notes = Notes(
            recited=any(r.recitation.whole for r in answered),
            off_topic=bool(answered) and all(r.off_topic for r in answered),
            stronger={d: stronger_for(ctx.case, d, made)[0] for d in PROBED_DIMS} if ctx.case.answer_key else {},
        )
        feedback = compose(result.scores, result.readings, ctx.case, ctx.turns, ctx.pack, notes)
        return Verdict(scores=result.scores, overall=overall, feedback=feedback, interviewer=self.name, fixes=fixes)
