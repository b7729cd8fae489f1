"""The contract every language-model backend meets (assistant.llm.LLMBackend), run against the
real ones: SmolLM2 in this process (llm-local) and a llama.cpp OpenAI-compatible server
(llm-remote). Both skip with the reason where llama-cpp-python or the GGUF is missing
(required under CI); the failure contract runs everywhere."""

from __future__ import annotations

import pytest

from greencart.assistant.llm import LLMBackend, LLMReply, OpenAIConfig, OpenAICompatibleBackend
from greencart.assistant.tiers import TierName
from greencart.errors import ModelUnavailable

MESSAGES = [{"role": "user", "content": "Name one colour in one word."}]


@pytest.fixture(params=["llm-local", "llm-remote"])
def backend(request):
    if request.param == "llm-local":
        yield request.getfixturevalue("local_llm")
        return
    url = request.getfixturevalue("llama_server_url")
    remote = OpenAICompatibleBackend(OpenAIConfig(url, "smollm2", timeout_s=120.0, energy_j_per_token=0.1))
    yield remote
    remote.close()


def _down(kind: str) -> LLMBackend:
    if kind == "llm-remote":
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return OpenAICompatibleBackend(OpenAIConfig(f"http://127.0.0.1:{port}/v1", "m", timeout_s=2.0))
    from pathlib import Path

    from greencart.assistant.llm_local import LlamaCppBackend, LocalLLMConfig

    return LlamaCppBackend(LocalLLMConfig(model_path=Path("/nonexistent/model.gguf")))


@pytest.mark.slow
def test_is_a_backend_of_a_model_tier(backend):
    assert isinstance(backend, LLMBackend) and TierName.of_backend(backend).is_model


@pytest.mark.slow
def test_estimates_energy_before_the_call(backend):
    small, large = backend.estimate_energy_j(100, 16), backend.estimate_energy_j(100, 160)
    assert 0 <= small <= large


@pytest.mark.slow
def test_completes_within_max_tokens_with_usage_and_energy(backend):
    reply = backend.complete(MESSAGES, max_tokens=8, temperature=0.0)
    assert isinstance(reply, LLMReply) and isinstance(reply.text, str)
    assert reply.prompt_tokens > 0 and 0 <= reply.completion_tokens <= 8
    assert reply.energy_j >= 0 and reply.method in ("estimated", "in-process")
    assert reply.finish_reason in ("stop", "length")


@pytest.mark.parametrize("kind", ["llm-local", "llm-remote"])
def test_an_unavailable_model_raises_model_unavailable(kind):
    down = _down(kind)
    assert TierName.of_backend(down).value == kind
    with pytest.raises(ModelUnavailable):
        down.complete(MESSAGES, max_tokens=4)
