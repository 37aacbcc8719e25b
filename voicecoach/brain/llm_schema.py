"""JSON schemas for the LLM interviewer's replies, and a small validator for the subset they use."""

from __future__ import annotations

import json
from typing import Any

from voicecoach.model import DIMENSIONS

MOVE_KINDS: tuple[str, ...] = ("follow_up", "clarification_answer", "next_question", "wrap_up")
SCORE_VALUES: list[int] = [1, 2, 3, 4, 5]  # an enum, not minimum/maximum: llama-server's grammar needs that

# No string lengths: OpenAI strict mode rejects them; max_tokens bounds replies instead.
# Property order matters: kind and facts stream before text, so the spoken text can be checked as it arrives.
REACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": list(MOVE_KINDS)},
        "facts": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "targets": {"type": "array", "items": {"type": "string", "enum": list(DIMENSIONS)}, "maxItems": 3},
        "text": {"type": "string"},
    },
    "required": ["kind", "facts", "targets", "text"],
    "additionalProperties": False,
}

_SCORE_ENTRY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "enum": SCORE_VALUES},
        "rationale": {"type": "string"},
        "quotes": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["score", "rationale", "quotes"],
    "additionalProperties": False,
}

ASSESS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "scores": {
            "type": "object",
            "properties": {dim: _SCORE_ENTRY for dim in DIMENSIONS},
            "required": list(DIMENSIONS),
            "additionalProperties": False,
        },
        "feedback": {"type": "string"},
    },
    "required": ["scores", "feedback"],
    "additionalProperties": False,
}


# Sent only to self-hosted OpenAI-compatible servers (llama.cpp, vLLM), whose grammars enforce them and so
# keep a small model from rambling until max_tokens cuts the JSON off; replies are validated without them.
SERVER_MAX_LENGTHS: dict[str, int] = {"text": 240, "facts": 40, "rationale": 120, "quotes": 80, "feedback": 300}


def with_max_lengths(schema: dict[str, Any], limits: dict[str, int]) -> dict[str, Any]:
    """A copy of schema whose string properties (and string items of array properties) named in limits get maxLength."""
    out = dict(schema)
    props = schema.get("properties")
    if isinstance(props, dict):
        new_props: dict[str, Any] = {}
        for key, sub in props.items():
            sub = with_max_lengths(sub, limits)
            if key in limits and sub.get("type") == "string":
                sub["maxLength"] = limits[key]
            elif key in limits and sub.get("type") == "array" and sub.get("items", {}).get("type") == "string":
                sub["items"] = {**sub["items"], "maxLength": limits[key]}
            new_props[key] = sub
        out["properties"] = new_props
    return out


class ReplyError(ValueError):
    """A reply that is not valid JSON or does not match its schema; the message goes back to the model."""


def response_format(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAI-style response_format asking for JSON that matches schema."""
    return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}


def parse_reply(content: str | None, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply as a dict matching schema, or ReplyError saying exactly what is wrong."""
    if not content or not content.strip():
        raise ReplyError("the reply was empty; reply with one JSON object")
    text = _strip_fence(content.strip())
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise ReplyError(f"the reply is not valid JSON ({e.msg} at character {e.pos})") from e
    problems = validate(value, schema)
    if problems:
        raise ReplyError("the reply does not match the schema: " + "; ".join(problems[:8]))
    assert isinstance(value, dict)
    return value


def _strip_fence(text: str) -> str:
    """JSON without a Markdown code fence around it (some models add one despite response_format)."""
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if text.rstrip().endswith("```"):
            text = text.rstrip()[:-3]
    return text.strip()


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Every way value breaks schema (the subset: type, enum, properties, required, items, lengths)."""
    kind = schema.get("type")
    checker = _TYPES.get(kind) if isinstance(kind, str) else None
    if checker is not None and not checker(value):
        return [f"{path} must be {kind}, got {type(value).__name__}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path} must be one of {schema['enum']}, got {value!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{path} must not be empty" if not value else f"{path} is too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{path} is longer than {schema['maxLength']} characters")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{path} has more than {schema['maxItems']} items")
        item_schema = schema.get("items")
        if isinstance(item_schema, dict):
            for i, item in enumerate(value):
                problems += validate(item, item_schema, f"{path}[{i}]")
    if isinstance(value, dict):
        props: dict[str, Any] = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{path} is missing {key!r}")
        for key, item in value.items():
            if key in props:
                problems += validate(item, props[key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path} has an unexpected key {key!r}")
    return problems


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}
