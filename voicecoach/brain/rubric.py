"""The built-in offline interviewer: deterministic, no network, reads answers against the rubric."""

from __future__ import annotations

from voicecoach.brain.analysis import strip_instructions
from voicecoach.brain.clarify import answer_clarification, is_clarifying_question, leading_question, matching_facts
from voicecoach.brain.feedback import compose
from voicecoach.brain.probes import CLOSING, asked_follow_ups, choose_target, phrase_probe, probed_dims
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
        if last.kind == "clarification" or is_clarifying_question(last.text):
            text = answer_clarification(ctx.case, strip_instructions(last.text) or last.text)
            return Move(kind="clarification_answer", text=text, targets=("clarify",))
        used = len(asked_follow_ups(ctx.turns))
        if used >= ctx.max_follow_ups:
            return Move(kind="wrap_up", text=CLOSING, note=f"{used} follow-up(s) used")
        readings = answer_readings(ctx.turns, case_start(ctx.turns))
        target = choose_target(readings, probed_dims(ctx.turns))
        if target is None:
            return Move(kind="wrap_up", text=CLOSING, note="every dimension covered or probed")
        text = phrase_probe(ctx.case, target, ctx.turns, pick=used)
        prefix = self._answer_opening_question(ctx, last.text)
        note = f"{target} scored {readings[target].score} so far" if target in readings else "all six covered well"
        return Move(kind="follow_up", text=f"{prefix}{text}", targets=(target,), note=note)

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
        result = assess_turns(ctx.turns)
        overall = round(sum(s.score for s in result.scores) / len(result.scores), 2)
        feedback = compose(result.scores, result.readings, ctx.case, ctx.turns, ctx.pack)
        return Verdict(scores=result.scores, overall=overall, feedback=feedback, interviewer=self.name)
