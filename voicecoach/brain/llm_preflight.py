"""Checks before the first question: the provider's key is set and a self-hosted server answers; else say what is wrong."""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request

from voicecoach.brain.llm_client import LOCAL_NO_KEY, import_litellm, key_env, provider_of
from voicecoach.config import LlmOptions

PROBE_S = 2.0  # a server that cannot answer a model list this fast will not answer a turn in time either
OFFLINE = "continuing with the offline interviewer."


def preflight(options: LlmOptions, probe_s: float = PROBE_S) -> str | None:
    """None when the LLM can be tried; else one sentence saying what is wrong, ending in OFFLINE."""
    if not options.model:
        return None
    missing = missing_keys(options)
    if missing:
        return f"{_not_set(missing)}; {OFFLINE}"
    if options.base_url:
        problem = probe_server(options, probe_s)
        if problem:
            return f"{problem}; {OFFLINE}"
    return None


def missing_keys(options: LlmOptions) -> list[str]:
    """The environment variables litellm says this model's provider needs and that are not set (no network)."""
    model = options.model or ""
    provider = provider_of(model)
    if "/" not in model and provider != model:  # litellm cannot place every bare name ("claude-3-5-haiku-latest")
        model = f"{provider}/{model}"
    litellm = import_litellm()
    placeholder = LOCAL_NO_KEY if options.base_url and provider == "openai" else None
    try:
        found = litellm.validate_environment(model=model, api_key=placeholder, api_base=options.base_url)
    except Exception:  # noqa: BLE001 - a provider litellm cannot check: the first call will say what is wrong
        return []
    missing = [k for k in found.get("missing_keys", []) if isinstance(k, str)]
    # Only plain API keys prove anything: AWS, Vertex and Azure settings may come from profiles or gcloud instead.
    return missing if missing and all(k.endswith("_API_KEY") for k in missing) else []


def _not_set(names: list[str]) -> str:
    if len(names) == 1:
        return f"{names[0]} is not set"
    if len(names) == 2:
        return f"neither {names[0]} nor {names[1]} is set"
    return f"none of {', '.join(names)} is set"


def probe_server(options: LlmOptions, probe_s: float) -> str | None:
    """None when the server at options.base_url answers GET /models within probe_s; else what went wrong."""
    url = options.base_url or ""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"--llm-base-url {url!r} is not a URL like http://127.0.0.1:8080/v1"
    request = urllib.request.Request(url.rstrip("/") + "/models", method="GET")
    key_name = key_env(options.model or "")
    key = os.environ.get(key_name)
    if key:  # the calls will send it too; a server that wants one would refuse the check without it
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=probe_s) as response:
            response.read(65536)
        return None
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            return f"The server at {url} refused the API key (HTTP {e.code}); set {key_name} to a key it accepts"
        if e.code >= 500:
            return f"The server at {url} answered a test request with HTTP {e.code} ({e.reason})"
        return None  # it answers; not every server lists its models
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            return f"The server at {url} did not answer a test request within {probe_s:g} s"
        if isinstance(e.reason, ConnectionRefusedError):
            return (f"Nothing answers at {url} (connection refused): start the server "
                    "(e.g. bash scripts/llama_server.sh start PORT) or fix --llm-base-url")
        return f"Could not reach the server at {url} ({e.reason})"
    except TimeoutError:
        return f"The server at {url} did not answer a test request within {probe_s:g} s"
    except OSError as e:  # a connection reset or closed mid-answer
        return f"The server at {url} broke off a test request ({e})"
