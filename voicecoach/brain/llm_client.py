"""The one place litellm is called: offline-safe import, timeout, retry, streaming, errors that say the fix."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

from voicecoach.config import LlmOptions
from voicecoach.errors import LLMError

log = logging.getLogger("voicecoach.llm")

KEY_ENV: dict[str, str] = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "xai": "XAI_API_KEY",
}
PROVIDER_NAMES: dict[str, str] = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "gemini": "Google (Gemini)",
    "vertex_ai": "Google Cloud (Vertex AI)",
    "groq": "Groq",
    "mistral": "Mistral AI",
    "openrouter": "OpenRouter",
    "deepseek": "DeepSeek",
    "together_ai": "Together AI",
    "azure": "Microsoft Azure OpenAI",
    "bedrock": "Amazon Bedrock",
    "xai": "xAI",
}
LOCAL_NO_KEY = "sk-no-key-required"  # OpenAI-compatible local servers ignore it, but the OpenAI client insists on one


class LLMCallError(LLMError):
    """An LLMError with a short reason ('timeout', 'connection', 'auth', 'malformed output' ...) for notes."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


MIN_ATTEMPT_S = 0.5  # a request with less time than this left is not started


@dataclass(frozen=True)
class Deadline:
    """The monotonic time by which a reply must be complete, and the budget it came from (for messages)."""

    at: float
    budget_s: float

    @classmethod
    def after(cls, budget_s: float) -> Deadline:
        """The deadline budget_s from now."""
        return cls(time.monotonic() + budget_s, budget_s)

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - time.monotonic()

    def passed(self) -> bool:
        """True once the deadline is past."""
        return self.remaining() <= 0


def import_litellm() -> ModuleType:
    """litellm, imported so that it fetches nothing on import (local cost map, offline mode)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")
    import litellm

    litellm.suppress_debug_info = True
    if not os.environ.get("LITELLM_LOG"):  # litellm's debug log prints whole requests, i.e. the candidate's answers
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logging.getLogger(name).setLevel(logging.WARNING)
    litellm.drop_params = True  # a provider without response_format still answers; our validator checks it
    return litellm


def provider_of(model: str) -> str:
    """The litellm provider prefix of a model string, guessed for bare OpenAI/Anthropic/Gemini names."""
    if "/" in model:
        return model.split("/", 1)[0]
    if model.startswith(("gpt-", "o1", "o3", "o4", "chatgpt")):
        return "openai"
    if model.startswith("claude"):
        return "anthropic"
    if model.startswith("gemini"):
        return "gemini"
    return model


def key_env(model: str) -> str:
    """The environment variable that holds the API key for this model's provider."""
    provider = provider_of(model)
    return KEY_ENV.get(provider, f"{provider.upper()}_API_KEY")


def provider_notice(options: LlmOptions) -> str:
    """One sentence saying who will receive the transcript."""
    if not options.model:
        return "Your answers stay on this computer (offline interviewer)."
    if options.base_url:
        host = urlparse(options.base_url).hostname or options.base_url
        where = "on this computer" if host in ("127.0.0.1", "localhost", "::1") else "over the network"
        return f"Your answers will be sent to the server at {options.base_url} ({options.model}, {where})."
    provider = provider_of(options.model)
    return f"Your answers will be sent to {PROVIDER_NAMES.get(provider, provider)} ({options.model})."


def scrub(text: str) -> str:
    """text with the value of every key-like environment variable replaced by ***."""
    for name, value in os.environ.items():
        if len(value) >= 8 and name.endswith(("_API_KEY", "_TOKEN", "_SECRET", "_KEY")) and value in text:
            text = text.replace(value, "***")
    return text


_AUTH_MARKS = ("missing credentials", "incorrect api key", "invalid api key", "api_key client option must be set",
               "invalid x-api-key", "unauthorized")
_CONNECT_MARKS = ("connection error", "connection refused", "failed to establish", "name or service not known",
                  "nodename nor servname", "server disconnected", "connection reset")


def _chain(e: BaseException) -> list[BaseException]:
    """e and the exceptions it was raised from, outermost first (litellm wraps httpx/openai errors)."""
    seen: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and cur not in seen and len(seen) < 8:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


class LlmClient:
    """Chat completions through litellm with a timeout, options.retries retries and mapped errors."""

    def __init__(self, options: LlmOptions) -> None:
        if not options.model:
            raise LLMError("No LLM model is configured; pass --llm MODEL (e.g. openai/gpt-4o-mini) or use the offline interviewer.")
        self.options = options
        self.model = options.model

    def _kwargs(
        self, messages: list[dict[str, str]], fmt: dict[str, Any], max_tokens: int, timeout_s: float | None = None
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "response_format": fmt,
            "timeout": self.options.timeout_s if timeout_s is None else timeout_s,
            "max_tokens": max_tokens,
            "temperature": 0,
            "seed": 7,
            "num_retries": 0,  # retries are counted here, once, not again inside litellm or the OpenAI client
            "max_retries": 0,
        }
        if self.options.base_url:
            kwargs["api_base"] = self.options.base_url
            # Self-hosted small models fall into loops ("1.1.1.1...") until max_tokens cuts the JSON off.
            kwargs["frequency_penalty"] = 0.5
            if provider_of(self.model) == "openai" and not os.environ.get("OPENAI_API_KEY"):
                kwargs["api_key"] = LOCAL_NO_KEY
        return kwargs

    def complete(
        self, messages: list[dict[str, str]], fmt: dict[str, Any], max_tokens: int = 600, deadline: Deadline | None = None
    ) -> str:
        """The reply text of one completion, within deadline (retries included)."""
        litellm = import_litellm()

        def call(timeout_s: float) -> str:
            response = litellm.completion(**self._kwargs(messages, fmt, max_tokens, timeout_s))
            content = response.choices[0].message.content
            return content if isinstance(content, str) else ""

        return self._with_retry(call, deadline)

    def stream(
        self, messages: list[dict[str, str]], fmt: dict[str, Any], on_delta: Callable[[str], None], max_tokens: int = 600,
        deadline: Deadline | None = None,
    ) -> str:
        """The reply text, streamed: on_delta gets every new piece as it arrives; a stall past deadline ends it."""
        litellm = import_litellm()
        delivered: list[str] = []

        def call(timeout_s: float) -> str:
            for chunk in litellm.completion(stream=True, **self._kwargs(messages, fmt, max_tokens, timeout_s)):
                if deadline is not None and deadline.passed():
                    raise self.deadline_error(deadline)
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if piece:
                    delivered.append(piece)
                    on_delta(piece)
            return "".join(delivered)

        # A retry after pieces went out could not un-say them, so only a stream that never started is retried.
        return self._with_retry(call, deadline, can_retry=lambda: not delivered)

    def _with_retry(
        self, call: Callable[[float], str], deadline: Deadline | None, can_retry: Callable[[], bool] = lambda: True
    ) -> str:
        attempts = max(0, self.options.retries) + 1
        for attempt in range(1, attempts + 1):
            timeout_s = self.options.timeout_s
            if deadline is not None:
                if deadline.remaining() < MIN_ATTEMPT_S:  # no time left for a useful request: do not start one
                    raise self.deadline_error(deadline)
                timeout_s = min(timeout_s, deadline.remaining())
            started = time.monotonic()
            try:
                return call(timeout_s)
            except LLMError:
                raise
            except Exception as e:  # litellm raises its own classes, httpx and openai ones leak through too
                mapped = self.map_error(e)
                if mapped.reason == "timeout" and deadline is not None and deadline.remaining() < MIN_ATTEMPT_S:
                    mapped = self.deadline_error(deadline)
                log.info("LLM call failed (%s) after %.1f s, attempt %d/%d", mapped.reason,
                         time.monotonic() - started, attempt, attempts)
                if attempt >= attempts or mapped.reason in ("auth", "bad request", "not found") or not can_retry():
                    raise mapped from e
        raise AssertionError("unreachable")

    def where(self) -> str:
        """Who answers this client's calls, in words."""
        url = self.options.base_url
        return f"the server at {url}" if url else PROVIDER_NAMES.get(provider_of(self.model), provider_of(self.model))

    def deadline_error(self, deadline: Deadline) -> LLMCallError:
        """The error for a reply that did not come within its deadline."""
        return LLMCallError(f"{self.where()} did not reply within {deadline.budget_s:g} s; raise [llm] turn_deadline_s, "
                            "choose a faster model, or check that it is not overloaded.", "deadline")

    def map_error(self, e: Exception) -> LLMCallError:
        """An LLMCallError whose message says what to do about e (never containing a key)."""
        name = " ".join(type(c).__name__ for c in _chain(e))
        text = " ".join(str(c) for c in _chain(e)).lower()
        url = self.options.base_url
        where = self.where()
        if "Timeout" in name or isinstance(e, TimeoutError):
            return LLMCallError(
                f"{where} did not answer within {self.options.timeout_s:g} s; "
                "raise [llm] timeout_s, choose a faster model, or check that it is not overloaded.", "timeout")
        if "Authentication" in name or "PermissionDenied" in name or any(m in text for m in _AUTH_MARKS):
            if url:
                return LLMCallError(f"{where} refused the API key; set {key_env(self.model)} to a key it accepts.", "auth")
            return LLMCallError(f"{where} rejected the request for lack of a valid API key; set {key_env(self.model)} "
                                "in the environment (e.g. export OPENAI_API_KEY=...).", "auth")
        if "Connect" in name or "ServiceUnavailable" in name or any(m in text for m in _CONNECT_MARKS):
            if url:
                return LLMCallError(f"Could not reach {where}: is the server at {url} running? "
                                    "Start it (e.g. bash scripts/llama_server.sh start PORT) or fix --llm-base-url.",
                                    "connection")
            return LLMCallError(f"Could not reach {where}; check the network connection and try again.", "connection")
        if "NotFound" in name:
            return LLMCallError(f"{where} does not know the model {self.model!r}; check the --llm model name.", "not found")
        codes = [getattr(c, "status_code", None) for c in _chain(e)]
        status = next((c for c in codes if isinstance(c, int)), 0)
        if "InternalServerError" in name or status >= 500:
            return LLMCallError(f"{where} answered with a server error (HTTP {status or 500}); check its log, or use "
                                "the offline interviewer.", "server error")
        if "RateLimit" in name:
            return LLMCallError(f"{where} is rate-limiting requests; wait a minute or use another model.", "rate limit")
        if "BadRequest" in name or "UnsupportedParams" in name:
            detail = scrub(str(e))[:300]
            return LLMCallError(f"{where} rejected the request ({detail}); try another model.", "bad request")
        detail = scrub(str(e))[:300]
        return LLMCallError(f"The LLM call to {where} failed ({name}: {detail}); try again or use the offline interviewer.",
                            "error")
