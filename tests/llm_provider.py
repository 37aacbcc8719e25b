"""A scripted in-process litellm provider: the network edge replaced, litellm itself kept real."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from voicecoach.brain.llm_client import import_litellm

litellm = import_litellm()
CustomLLM = litellm.CustomLLM

PROVIDER = "scripted"


@dataclass
class Fail:
    """A scripted failure: raise this litellm exception class with this message (after delay_s)."""

    error: str  # a litellm exception class name: Timeout, APIConnectionError, AuthenticationError ...
    message: str = "scripted failure"
    delay_s: float = 0.0


@dataclass
class Slow:
    """A reply that takes delay_s; if the caller's timeout is shorter, litellm.Timeout is raised at the timeout."""

    content: str
    delay_s: float


Reply = str | Fail | Slow | Callable[[list[dict[str, Any]]], str]


@dataclass
class Call:
    """What the provider received on one call."""

    messages: list[dict[str, Any]]
    params: dict[str, Any]
    timeout: float | None
    stream: bool
    api_key: str | None = None


@dataclass
class ScriptedProvider(CustomLLM):  # type: ignore[misc]
    """Answers each call with the next scripted reply; records every call."""

    replies: list[Reply] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    chunk_chars: int = 12
    chunk_delay_s: float = 0.0

    def __post_init__(self) -> None:
        super().__init__()

    def _next(
        self, messages: list[dict[str, Any]], params: dict[str, Any], timeout: Any, stream: bool, api_key: Any
    ) -> str:
        self.calls.append(Call(list(messages), dict(params), float(timeout) if timeout else None, stream, api_key))
        if not self.replies:
            raise AssertionError("the scripted provider ran out of replies")
        reply = self.replies.pop(0)
        if isinstance(reply, Fail):
            time.sleep(reply.delay_s)
            raise getattr(litellm, reply.error)(message=reply.message, llm_provider=PROVIDER, model="x")
        if isinstance(reply, Slow):
            if timeout is not None and reply.delay_s > float(timeout):
                time.sleep(float(timeout))
                raise litellm.Timeout(
                    message=f"scripted reply took longer than {timeout} s", model="x", llm_provider=PROVIDER
                )
            time.sleep(reply.delay_s)
            return reply.content
        if callable(reply):
            return reply(messages)
        return reply

    def completion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        api_base: str,
        custom_prompt_dict: dict[str, Any],
        model_response: Any,
        print_verbose: Any,
        encoding: Any,
        api_key: Any,
        logging_obj: Any,
        optional_params: dict[str, Any],
        acompletion: Any = None,
        litellm_params: Any = None,
        logger_fn: Any = None,
        headers: Any = None,
        timeout: Any = None,
        client: Any = None,
    ) -> Any:
        """One whole reply."""
        content = self._next(messages, optional_params, timeout, False, api_key)
        return litellm.completion(model="gpt-4o-mini", messages=messages, mock_response=content)

    def streaming(
        self,
        model: str,
        messages: list[dict[str, Any]],
        api_base: str,
        custom_prompt_dict: dict[str, Any],
        model_response: Any,
        print_verbose: Any,
        encoding: Any,
        api_key: Any,
        logging_obj: Any,
        optional_params: dict[str, Any],
        acompletion: Any = None,
        litellm_params: Any = None,
        logger_fn: Any = None,
        headers: Any = None,
        timeout: Any = None,
        client: Any = None,
    ) -> Iterator[Any]:
        """The reply in pieces of chunk_chars, chunk_delay_s apart."""
        content = self._next(messages, optional_params, timeout, True, api_key)
        pieces = [content[i : i + self.chunk_chars] for i in range(0, len(content), self.chunk_chars)] or [""]
        for n, piece in enumerate(pieces):
            if n:
                time.sleep(self.chunk_delay_s)
            last = n == len(pieces) - 1
            yield {
                "finish_reason": "stop" if last else None,
                "index": 0,
                "is_finished": last,
                "text": piece,
                "tool_use": None,
                "usage": None,
            }


def install(provider: ScriptedProvider) -> None:
    """Register provider for model strings 'scripted/...'."""
    litellm.custom_provider_map = [{"provider": PROVIDER, "custom_handler": provider}]
