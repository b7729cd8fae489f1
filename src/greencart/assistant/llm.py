"""Language-model backends. They only *phrase* text around tool results; a reply
that states anything the tools did not return is rejected (see ``grounding``).

- :class:`LLMBackend`: the protocol.
- :class:`OpenAICompatibleBackend`: any ``/v1/chat/completions`` server (vLLM,
  llama.cpp server, Ollama, a hosted API), configured by URL, key and model.
- :class:`~greencart.assistant.llm_local.LlamaCppBackend`: SmolLM2-135M in
  this process (llama-cpp-python), in ``llm_local``.

Remote energy is not metered here: it is *estimated* from tokens at a
configurable J per token and labelled so (``method="estimated"``). A local
model's work is CPU time of this process, already metered by the turn's energy
unit: its replies say ``method="in-process"`` and add nothing on top
(:func:`external_energy_j`).

Both backends take an optional ``json_schema``: the reply is then a JSON object
(constrained by llama.cpp's grammar where the server supports it; callers still
parse and validate it, see ``llm_understand``).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from greencart.errors import InvalidParameter, ModelUnavailable, check_range


@dataclass(frozen=True)
class LLMReply:
    text: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    energy_j: float  # estimated from tokens
    method: str = "estimated"  # "estimated" (outside this process) or "in-process" (already metered)
    finish_reason: str = "stop"  # "length" when max_tokens cut the reply short


def external_energy_j(reply: LLMReply) -> float:
    """Energy to add to the turn's metered energy: only work done outside this process."""
    return reply.energy_j if reply.method == "estimated" else 0.0


@runtime_checkable
class LLMBackend(Protocol):
    name: str  # the tier label: "llm-local" or "llm-remote"

    def estimate_energy_j(self, prompt_chars: int, max_tokens: int) -> float: ...

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 200,
                 temperature: float = 0.2, json_schema: dict[str, Any] | None = None) -> LLMReply:
        """A chat completion; with ``json_schema`` the reply text is asked to be one JSON
        object of that schema. Raises ModelUnavailable when the model cannot answer."""
        ...


@dataclass(frozen=True)
class OpenAIConfig:
    base_url: str  # e.g. http://127.0.0.1:8080/v1
    model: str
    api_key: str = ""
    timeout_s: float = 10.0
    energy_j_per_token: float = 0.5  # an assumption for a small served model; set per deployment

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise InvalidParameter(f"Expected GREENCART_LLM_URL to start with http:// or https://, got {self.base_url!r}")
        if not self.model:
            raise InvalidParameter("Expected GREENCART_LLM_MODEL to name the model the server serves")
        check_range("timeout_s", self.timeout_s, 0.1, 600.0)
        check_range("energy_j_per_token", self.energy_j_per_token, 0.0, 1e4)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> OpenAIConfig | None:
        """None when ``GREENCART_LLM_URL`` is unset (no generative tier)."""
        env = os.environ if environ is None else environ
        url = env.get("GREENCART_LLM_URL")
        if not url:
            return None
        try:
            timeout = float(env.get("GREENCART_LLM_TIMEOUT_S", "10"))
            per_token = float(env.get("GREENCART_LLM_J_PER_TOKEN", "0.5"))
        except ValueError as exc:
            raise InvalidParameter(f"Expected GREENCART_LLM_TIMEOUT_S and _J_PER_TOKEN to be numbers: {exc}") from None
        return cls(url.rstrip("/"), env.get("GREENCART_LLM_MODEL", ""), env.get("GREENCART_LLM_API_KEY", ""),
                   timeout, per_token)


class OpenAICompatibleBackend:
    name = "llm-remote"

    def __init__(self, config: OpenAIConfig, client: Any = None) -> None:
        self.config = config
        self._client = client

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
            self._client = httpx.Client(base_url=self.config.base_url, headers=headers,
                                        timeout=httpx.Timeout(self.config.timeout_s, connect=min(3.0, self.config.timeout_s)))
        return self._client

    def estimate_energy_j(self, prompt_chars: int, max_tokens: int) -> float:
        return (prompt_chars / 4 + max_tokens) * self.config.energy_j_per_token

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 200,
                 temperature: float = 0.2, json_schema: dict[str, Any] | None = None) -> LLMReply:
        import httpx

        body: dict[str, Any] = {"model": self.config.model, "messages": messages, "max_tokens": max_tokens,
                                "temperature": temperature, "stream": False}
        if json_schema is not None:  # llama.cpp's server and vLLM read "schema"; others keep json_object
            body["response_format"] = {"type": "json_object", "schema": json_schema}
        t0 = time.perf_counter()
        try:
            r = self._http().post("/chat/completions", json=body)
            r.raise_for_status()
            data = r.json()
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelUnavailable(f"The language model at {self.config.base_url} did not answer usably "
                                   f"({type(exc).__name__}: {exc}); check GREENCART_LLM_URL and _MODEL") from None
        usage = data.get("usage") or {}
        prompt = int(usage.get("prompt_tokens") or sum(len(m["content"]) for m in messages) // 4)
        completion = int(usage.get("completion_tokens") or len(text) // 4)
        return LLMReply(text.strip(), prompt, completion, time.perf_counter() - t0,
                        (prompt + completion) * self.config.energy_j_per_token,
                        finish_reason=str(choice.get("finish_reason") or "stop"))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in a model's reply, or None (never raises). An object cut short
    by max_tokens keeps its complete members (``{"a": 1, "b": tr`` -> ``{"a": 1}``)."""
    start = text.find("{")
    while start != -1:
        body = text[start:]
        for candidate in (body, body[:body.rfind(",")] + "}" if "," in body else body):
            try:
                obj, _ = json.JSONDecoder().raw_decode(candidate)
            except ValueError:
                continue
            return obj if isinstance(obj, dict) else None
        start = text.find("{", start + 1)
    return None


PHRASE_SYSTEM = (
    "You rewrite a shopping assistant's draft reply so it reads naturally, in the same language as the draft. "
    "Keep every product name, price and number exactly as written. Never add a product, price, number or claim "
    "that is not in the draft. Reply with the rewritten text only."
)


# The labels of the phrasing prompt: a reply that repeats them leaked the prompt and is rejected.
PROMPT_LABELS = ("Shopper said:", "Draft reply:")


def phrase_messages(user_text: str, draft: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": PHRASE_SYSTEM},
            {"role": "user", "content": f"{PROMPT_LABELS[0]} {user_text[:500]}\n\n{PROMPT_LABELS[1]}\n{draft}"}]


def backend_from_env(environ: dict[str, str] | None = None) -> LLMBackend | None:
    config = OpenAIConfig.from_env(environ)
    return OpenAICompatibleBackend(config) if config else None
