"""The OpenAI-compatible backend against a real llama.cpp server (``llama_cpp.server``
serving SmolLM2 in a subprocess): completion, JSON output, understanding and the
phrasing tier with its grounding check."""

from __future__ import annotations

import pytest

from greencart.assistant import (
    Assistant,
    OpenAICompatibleBackend,
    OpenAIConfig,
    RouterConfig,
    SemanticCache,
)
from greencart.assistant.grounding import check_grounded, extract_numbers
from greencart.assistant.llm import external_energy_j, parse_json_object
from greencart.assistant.llm_understand import NEED_FIELDS, LLMUnderstander, need_schema
from greencart.assistant.state import DialogueState
from greencart.assistant.tiers import LLMPhrasingTier, RulesTier, TurnContext
from greencart.assistant.understand import understand

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def remote(llama_server_url):
    backend = OpenAICompatibleBackend(OpenAIConfig(llama_server_url, "smollm2", timeout_s=120.0,
                                                   energy_j_per_token=0.1))
    yield backend
    backend.close()


def test_server_completes_with_usage_and_estimated_energy(remote):
    reply = remote.complete([{"role": "user", "content": "Say hello in one word."}], max_tokens=8, temperature=0.0)
    assert reply.text and reply.prompt_tokens > 5 and 1 <= reply.completion_tokens <= 8
    assert reply.method == "estimated" and external_energy_j(reply) == pytest.approx(
        (reply.prompt_tokens + reply.completion_tokens) * 0.1)


def test_server_honours_the_json_schema(remote):
    reply = remote.complete([{"role": "user", "content": "a red t-shirt under 20 pounds"}], max_tokens=64,
                            temperature=0.0, json_schema=need_schema())
    raw = parse_json_object(reply.text)
    assert raw is not None and set(raw) <= set(NEED_FIELDS)
    attempt = LLMUnderstander().understand("a red t-shirt under 20 pounds", understand("a red t-shirt under 20 pounds"),
                                           remote)
    assert attempt.reply is not None and attempt.validation is not None  # parsed and validated, whatever it said


def test_phrasing_through_the_server_keeps_grounding(catalog, remote):
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), llm=remote,
                    config=RouterConfig(phrase="always", understand="never", energy_budget_j=1e4))
    r = bot.turn("kettles under 30")
    assert r.products and r.tier in ("llm-remote", "rules")
    assert r.energy["method"].endswith("+llm-estimated")  # the server's work is estimated, not metered
    template = Assistant(catalog, cache=SemanticCache(embedder=None)).turn("kettles under 30").reply
    if r.tier == "llm-remote":  # accepted: it stated no figure the tools did not return
        assert r.reply != template
    else:  # rejected: the template was kept and the note says why
        assert r.reply == template and any("rejected" in n or "unchanged" in n for n in r.notes)


@pytest.mark.parametrize("draft", [
    "The Recycled Plastic Kettle costs £24.00.",
    "Kettle K2 is £24.00. Ask me about its capacity, wattage and warranty years.",  # invites new figures
])
def test_real_rewrite_is_kept_only_when_grounded(catalog, remote, draft):
    """Whatever the real model writes for a crafted draft, a reply stating a figure or product
    the tools did not return never reaches the shopper: the draft stays, with a note."""
    rules = RulesTier(Assistant(catalog, cache=SemanticCache(embedder=None)).tools)
    ctx = TurnContext("kettles under 30", DialogueState(session_id="s-test"), understand("kettles under 30"))
    base = rules.resolve(ctx)
    base.outcome.reply = draft
    result = LLMPhrasingTier(rules, remote, max_tokens=60).phrase(ctx, base)
    evidence = [*base.outcome.tool_results, {"draft": draft}]
    if result.outcome.reply == draft:
        assert any("rejected" in n or "unchanged" in n for n in result.notes)
    else:
        assert check_grounded(result.outcome.reply, evidence).ok
        assert set(extract_numbers(draft)) <= set(extract_numbers(result.outcome.reply))
