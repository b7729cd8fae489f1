"""The router's decisions and the LLM tier's grounding fallback, with a scripted backend;
the OpenAI-compatible backend's wire format against httpx's mock transport."""

from __future__ import annotations

import json

import httpx
import pytest

from greencart.assistant import (
    Assistant,
    OpenAICompatibleBackend,
    OpenAIConfig,
    RouterConfig,
    SemanticCache,
)
from greencart.assistant.llm import LLMReply
from greencart.errors import InvalidParameter, ModelUnavailable


class ScriptedBackend:
    name = "llm-remote"

    def __init__(self, rewrite, energy_j: float = 5.0) -> None:
        self.rewrite, self.energy_j, self.calls = rewrite, energy_j, 0

    def estimate_energy_j(self, prompt_chars, max_tokens):
        return self.energy_j

    def complete(self, messages, *, max_tokens=200, temperature=0.2):
        self.calls += 1
        draft = messages[-1]["content"].split("Draft reply:\n", 1)[1]
        return LLMReply(self.rewrite(draft), 10, 10, 0.01, self.energy_j)


def _bot(catalog, backend, **cfg):
    return Assistant(catalog, cache=SemanticCache(embedder=None), llm=backend, config=RouterConfig(**cfg))


def test_confident_turns_stay_on_rules(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d)
    r = _bot(catalog, backend).turn("white t-shirt under 20")
    assert r.tier == "rules" and backend.calls == 0


def test_low_confidence_turn_is_phrased_and_grounded(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d)
    r = _bot(catalog, backend, min_confidence=0.7).turn("something with lanterns")  # free text: 0.6
    assert r.tier == "llm-remote" and r.reply.startswith("Sure! ") and backend.calls == 1
    assert r.energy["method"].endswith("+llm-estimated") and r.energy["energy_j"] >= 5.0


def test_invented_number_is_rejected_and_template_kept(catalog):
    backend = ScriptedBackend(lambda d: "Best deal: only £1.99 today!")
    r = _bot(catalog, backend, min_confidence=0.7).turn("something with lanterns")
    assert r.tier == "llm-remote" and "1.99" not in r.reply and "£3.75" in r.reply
    assert any("rejected" in n for n in r.notes)


def test_energy_budget_keeps_the_llm_off(catalog):
    backend = ScriptedBackend(lambda d: d, energy_j=500.0)
    r = _bot(catalog, backend, min_confidence=0.7, energy_budget_j=50.0).turn("something with lanterns")
    assert r.tier == "rules" and backend.calls == 0


def test_router_config_is_validated():
    with pytest.raises(InvalidParameter):
        RouterConfig(phrase="sometimes")
    with pytest.raises(InvalidParameter):
        RouterConfig(min_confidence=2)


def test_openai_backend_wire_format_and_errors():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"], seen["auth"] = str(request.url), request.headers.get("authorization")
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json={"choices": [{"message": {"content": " Hello "}}],
                                         "usage": {"prompt_tokens": 12, "completion_tokens": 3}})

    cfg = OpenAIConfig("http://127.0.0.1:9/v1", "smollm2", api_key="k", energy_j_per_token=0.1)
    client = httpx.Client(base_url=cfg.base_url, transport=httpx.MockTransport(handler),
                          headers={"Authorization": "Bearer k"})
    reply = OpenAICompatibleBackend(cfg, client).complete([{"role": "user", "content": "hi"}], max_tokens=7)
    assert reply.text == "Hello" and reply.energy_j == pytest.approx(1.5)
    assert seen["url"].endswith("/v1/chat/completions") and seen["auth"] == "Bearer k"
    assert seen["body"]["model"] == "smollm2" and seen["body"]["max_tokens"] == 7
    down = OpenAICompatibleBackend(OpenAIConfig("http://127.0.0.1:9/v1", "m", timeout_s=0.5))
    with pytest.raises(ModelUnavailable, match="GREENCART_LLM_URL"):
        down.complete([{"role": "user", "content": "hi"}])


def test_openai_config_from_env():
    assert OpenAIConfig.from_env({}) is None
    cfg = OpenAIConfig.from_env({"GREENCART_LLM_URL": "http://h:1/v1/", "GREENCART_LLM_MODEL": "m"})
    assert cfg.base_url == "http://h:1/v1"
    with pytest.raises(InvalidParameter):
        OpenAIConfig.from_env({"GREENCART_LLM_URL": "ftp://x", "GREENCART_LLM_MODEL": "m"})
