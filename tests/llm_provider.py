"""The LLM's edge for tests: a scripted in-process litellm provider, and a real local HTTP server that fails on purpose."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from voicecoach.brain.llm_client import import_litellm
from voicecoach.model import DIMENSIONS

litellm = import_litellm()
CustomLLM = litellm.CustomLLM

PROVIDER = "scripted"

# Run first in a child interpreter: every socket connection is refused and counted in `attempts`.
BLOCK_SOCKETS = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
"""


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


# ---- a real OpenAI-compatible HTTP server on 127.0.0.1, for the failure modes a candidate can meet ---------------
CANDIDATE_LINE = re.compile(r"^\[turn \d+\] candidate \((?:answer|clarification)\): (.+)$", re.MULTILINE)


def sensible_reply(body: dict[str, Any]) -> str:
    """A valid reply to a voicecoach request: two follow-ups then a wrap-up, or scores quoting the candidate."""
    fmt = body.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name", "")
    prompt = str(body["messages"][1]["content"])
    if name == "interview_scores":
        said = CANDIDATE_LINE.findall(prompt)
        quote = " ".join(said[0].split()[:5]) if said else ""
        entry = {"score": 3, "rationale": "Judged on the answer.", "quotes": [quote] if quote else []}
        return json.dumps({"scores": {d: entry for d in DIMENSIONS}, "feedback": "A clear start. Add a guardrail."})
    if prompt.count("interviewer (follow_up)") < 2:
        return json.dumps({"kind": "follow_up", "facts": [], "targets": ["metrics"],
                           "text": "Fair enough. Which number would tell you that uploads really recovered?"})
    return json.dumps({"kind": "wrap_up", "facts": [], "targets": [], "text": "Thanks, that's all. Feedback next."})


@dataclass
class Received:
    """One request the server got: its path and when (monotonic)."""

    path: str
    at: float


class ChatServer:
    """A real HTTP server in a thread, speaking the OpenAI chat API; each path answers, fails or hangs on purpose.

    chat / models: "ok" (answer), "hang" (accept, read the request, never reply), "error" (HTTP 500),
    and for chat "stall" (stream the first sentence, then nothing). delay_s: wait before the first byte of a chat
    reply; chunk_delay_s: between streamed pieces.
    """

    def __init__(self, chat: str = "ok", models: str = "ok", delay_s: float = 0.0, chunk_delay_s: float = 0.0,
                 reply: Callable[[dict[str, Any]], str] = sensible_reply) -> None:
        self.chat, self.models, self.delay_s, self.chunk_delay_s, self.reply = chat, models, delay_s, chunk_delay_s, reply
        self.received: list[Received] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="chat-server", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # releases the handlers that hang
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

    def chat_requests(self) -> list[Received]:
        """The chat-completion requests received so far."""
        return [r for r in self.received if r.path.endswith("/chat/completions")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _fail_or_hang(self, mode: str) -> bool:
                if mode == "hang":
                    server.stopping.wait()
                    return True
                if mode == "error":
                    self._json(500, {"error": {"message": "the model failed to load", "type": "server_error"}})
                    return True
                return False

            def do_GET(self) -> None:
                server.received.append(Received(self.path, time.monotonic()))
                if self._fail_or_hang(server.models):
                    return
                if self.path.endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                server.received.append(Received(self.path, time.monotonic()))
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if self._fail_or_hang(server.chat):
                    return
                server.stopping.wait(server.delay_s)
                content = server.reply(body)
                if not body.get("stream"):
                    self._json(200, {
                        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": "test",
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                cut = content.index(". ") + 2 if server.chat == "stall" else len(content)
                for i in range(0, cut, 16):
                    self._event({"role": "assistant", "content": content[i : min(i + 16, cut)]}, None)
                    server.stopping.wait(server.chunk_delay_s)
                if server.chat == "stall":
                    server.stopping.wait()
                    return
                self._event({}, "stop")
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, delta: dict[str, Any], finish: str | None) -> None:
                chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": "test", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

        return Handler
