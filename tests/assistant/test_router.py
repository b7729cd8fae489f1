"""The router's decisions and the LLM tier's grounding fallback, with scripted backends
(the real models are in test_llm_*.py); the OpenAI-compatible backend's wire format
against httpx's mock transport."""

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
    """Phrasing: ``rewrite(draft)``; understanding (json_schema given): ``need`` as JSON."""

    def __init__(self, rewrite=lambda d: d, energy_j: float = 5.0, *, name: str = "llm-remote",
                 need: dict | None = None, fail: bool = False) -> None:
        self.rewrite, self.energy_j, self.name, self.need, self.fail = rewrite, energy_j, name, need, fail
        self.calls: list[str] = []

    def estimate_energy_j(self, prompt_chars, max_tokens):
        return self.energy_j

    def complete(self, messages, *, max_tokens=200, temperature=0.2, json_schema=None):
        self.calls.append("understand" if json_schema else "phrase")
        if self.fail:
            raise ModelUnavailable("scripted backend is down")
        if json_schema is not None:
            return LLMReply(json.dumps(self.need or {}), 10, 10, 0.01, self.energy_j)
        draft = messages[-1]["content"].split("Draft reply:\n", 1)[1]
        return LLMReply(self.rewrite(draft), 10, 10, 0.01, self.energy_j)


BOILS = "a present for someone who boils water a lot"


def _bot(catalog, backend, **cfg):
    return Assistant(catalog, cache=SemanticCache(embedder=None), llm=backend, config=RouterConfig(**cfg))


def test_confident_turns_stay_on_rules(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d)
    r = _bot(catalog, backend).turn("white t-shirt under 20")
    assert r.tier == "rules" and backend.calls == []


def test_repeated_turn_is_a_cache_hit_without_a_model_call(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d, name="llm-local")
    bot = _bot(catalog, backend, min_confidence=0.95, understand="never")
    first = bot.turn("something with lanterns")
    again = bot.turn("something with lanterns")
    assert first.tier == "llm-local" and again.tier == "cache" and backend.calls == ["phrase"]
    assert again.reply == first.reply


def test_low_confidence_turn_is_phrased_and_grounded(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d)
    r = _bot(catalog, backend, min_confidence=0.95, understand="never").turn("something with lanterns")
    assert r.tier == "llm-remote" and r.reply.startswith("Sure! ") and backend.calls == ["phrase"]
    assert r.energy["method"].endswith("+llm-estimated") and r.energy["energy_j"] >= 5.0


def test_invented_number_is_rejected_and_template_kept(catalog):
    backend = ScriptedBackend(lambda d: "Best deal: only £1.99 today!")
    r = _bot(catalog, backend, min_confidence=0.95, understand="never").turn("something with lanterns")
    assert r.tier == "rules" and "1.99" not in r.reply and "£3.75" in r.reply
    assert any("rejected" in n and "1.99" in n for n in r.notes)
    assert r.energy["method"].endswith("+llm-estimated")  # the rejected call still cost energy


def test_rewrite_that_leaks_the_prompt_labels_is_rejected(catalog):
    backend = ScriptedBackend(lambda d: "Draft reply:\n" + d)  # SmolLM2 did this for "ok"
    r = _bot(catalog, backend, min_confidence=0.95, understand="never").turn("something with lanterns")
    assert r.tier == "rules" and "Draft reply" not in r.reply
    assert any("prompt's labels" in n for n in r.notes)


def test_rewrite_that_drops_a_figure_is_rejected(catalog):
    backend = ScriptedBackend(lambda d: "Here are some lanterns you may like.")
    r = _bot(catalog, backend, min_confidence=0.95, understand="never").turn("something with lanterns")
    assert "£3.75" in r.reply and any("dropped figures" in n for n in r.notes)


def test_unparsed_turn_goes_to_local_understanding(catalog):
    local = ScriptedBackend(name="llm-local", need={"product_type": "kettle", "query": "boil water"})
    remote = ScriptedBackend(name="llm-remote", need={"product_type": "t-shirt"})
    bot = _bot(catalog, [remote, local], phrase="never", min_confidence=0.7)
    r = bot.turn(BOILS)  # free text, no catalogue word: the rules' confidence is 0.6
    assert r.tier == "llm-local" and local.calls == ["understand"] and remote.calls == []
    assert {p["id"] for p in r.products} <= {"K1", "K2", "K3"} and r.products
    assert r.confidence == pytest.approx(0.75)


def test_vague_turn_keeps_its_question_when_the_model_guesses_a_need(catalog):
    local = ScriptedBackend(name="llm-local", need={"product_type": "kettle"})
    r = _bot(catalog, local, phrase="never").turn("I need a present")  # vague: 0.3
    assert local.calls == ["understand"] and r.tier == "rules" and r.intent == "clarify"
    assert any("supports it" in n for n in r.notes)


def test_local_that_validates_nothing_escalates_to_remote(catalog):
    local = ScriptedBackend(name="llm-local", need={"category": "spaceships"})
    remote = ScriptedBackend(name="llm-remote", need={"product_type": "kettle"})
    r = _bot(catalog, [local, remote], phrase="never", min_confidence=0.7).turn(BOILS)
    assert local.calls == remote.calls == ["understand"] and r.tier == "llm-remote"
    assert any("llm-local understanding rejected category" in n for n in r.notes)
    assert r.products and {p["id"] for p in r.products} <= {"K1", "K2", "K3"}


def test_prefer_remote_reorders_the_cascade(catalog):
    local = ScriptedBackend(name="llm-local", need={"product_type": "kettle"})
    remote = ScriptedBackend(name="llm-remote", need={"product_type": "kettle"})
    r = _bot(catalog, [local, remote], phrase="never", prefer="remote", min_confidence=0.7).turn(BOILS)
    assert r.tier == "llm-remote" and remote.calls == ["understand"] and local.calls == []


def test_budget_too_small_stays_on_rules(catalog):
    backend = ScriptedBackend(energy_j=500.0, name="llm-local", need={"product_type": "kettle"})
    r = _bot(catalog, backend, energy_budget_j=50.0).turn("I need a present")
    assert r.tier == "rules" and backend.calls == [] and r.intent == "clarify"
    assert any("energy budget" in n for n in r.notes)


def test_budget_is_shared_by_understanding_and_phrasing(catalog):
    backend = ScriptedBackend(energy_j=30.0, name="llm-local", need={"product_type": "kettle"})
    r = _bot(catalog, backend, energy_budget_j=50.0, phrase="always", min_confidence=0.7).turn(BOILS)
    assert backend.calls == ["understand"] and r.tier == "llm-local"
    assert any("phrasing skipped" in n for n in r.notes)


def test_failing_backend_falls_back_to_rules_with_a_note(catalog):
    backend = ScriptedBackend(name="llm-local", fail=True)
    r = _bot(catalog, backend, phrase="always").turn("I need a present")
    assert r.tier == "rules" and r.intent == "clarify" and backend.calls == ["understand", "phrase"]
    assert any("understanding failed" in n for n in r.notes) and any("phrasing unavailable" in n for n in r.notes)


def test_llm_every_turn_sends_confident_turns_to_the_model(catalog):
    backend = ScriptedBackend(lambda d: "Sure! " + d, name="llm-local", need={"product_type": "t-shirt"})
    bot = _bot(catalog, backend)
    bot.router.config = RouterConfig.llm_every_turn()
    for _ in range(2):  # no cache in this mode
        r = bot.turn("white t-shirt under 20")
        assert r.tier == "llm-local" and r.reply.startswith("Sure! ")
    assert backend.calls == ["understand", "phrase"] * 2


def test_router_config_is_validated():
    with pytest.raises(InvalidParameter, match="phrase"):
        RouterConfig(phrase="sometimes")
    with pytest.raises(InvalidParameter, match="understand"):
        RouterConfig(understand="maybe")
    with pytest.raises(InvalidParameter, match="prefer"):
        RouterConfig(prefer="cloud")
    with pytest.raises(InvalidParameter):
        RouterConfig(min_confidence=2)
    every = RouterConfig.llm_every_turn()
    assert (every.understand, every.phrase, every.cache) == ("always", "always", False)


def test_openai_backend_wire_format_and_errors():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"], seen["auth"] = str(request.url), request.headers.get("authorization")
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json={"choices": [{"message": {"content": " Hello "}, "finish_reason": "length"}],
                                         "usage": {"prompt_tokens": 12, "completion_tokens": 3}})

    cfg = OpenAIConfig("http://127.0.0.1:9/v1", "smollm2", api_key="k", energy_j_per_token=0.1)
    client = httpx.Client(base_url=cfg.base_url, transport=httpx.MockTransport(handler),
                          headers={"Authorization": "Bearer k"})
    backend = OpenAICompatibleBackend(cfg, client)
    reply = backend.complete([{"role": "user", "content": "hi"}], max_tokens=7)
    assert reply.text == "Hello" and reply.energy_j == pytest.approx(1.5) and reply.finish_reason == "length"
    assert seen["url"].endswith("/v1/chat/completions") and seen["auth"] == "Bearer k"
    assert seen["body"]["model"] == "smollm2" and seen["body"]["max_tokens"] == 7
    assert "response_format" not in seen["body"]
    backend.complete([{"role": "user", "content": "hi"}], json_schema={"type": "object"})
    assert seen["body"]["response_format"] == {"type": "json_object", "schema": {"type": "object"}}
    down = OpenAICompatibleBackend(OpenAIConfig("http://127.0.0.1:9/v1", "m", timeout_s=0.5))
    with pytest.raises(ModelUnavailable, match="GREENCART_LLM_URL"):
        down.complete([{"role": "user", "content": "hi"}])


def test_openai_config_from_env():
    assert OpenAIConfig.from_env({}) is None
    cfg = OpenAIConfig.from_env({"GREENCART_LLM_URL": "http://h:1/v1/", "GREENCART_LLM_MODEL": "m"})
    assert cfg.base_url == "http://h:1/v1"
    with pytest.raises(InvalidParameter):
        OpenAIConfig.from_env({"GREENCART_LLM_URL": "ftp://x", "GREENCART_LLM_MODEL": "m"})


def test_steps_record_every_model_call(catalog):
    import dataclasses

    from greencart.assistant.state import DialogueState
    from greencart.assistant.tiers import Action, Step, TierName, TurnContext, Verdict
    from greencart.assistant.understand import understand

    backend = ScriptedBackend(lambda d: d, name="llm-local", need={})  # says nothing new, echoes the draft
    router = _bot(catalog, backend).router
    router.config = RouterConfig.llm_every_turn()
    result = router.route(TurnContext("kettles", DialogueState(session_id="s1"), understand("kettles")))
    assert result.tier is TierName.RULES and backend.calls == ["understand", "phrase"]
    assert result.steps == (Step(Action.UNDERSTAND, TierName.LLM_LOCAL, Verdict.REJECTED),
                            Step(Action.PHRASE, TierName.LLM_LOCAL, Verdict.REJECTED))
    assert [str(s) for s in result.steps] == ["understand:llm-local:rejected", "phrase:llm-local:rejected"]
    assert any("unchanged" in n for n in result.notes) and not result.degraded  # answered: cacheable
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tier = TierName.LLM_LOCAL  # results are immutable: a tier makes a new one


def test_a_failing_model_marks_the_turn_degraded_and_it_is_not_cached(catalog):
    from greencart.assistant.tiers import Verdict

    backend = ScriptedBackend(name="llm-local", need={"product_type": "kettle"}, fail=True)
    bot = _bot(catalog, backend)
    first = bot.turn("I need a present")
    assert first.model_calls == ["understand:llm-local:failed"]
    again = bot.turn("I need a present")
    assert again.tier != "cache" and backend.calls.count("understand") == 2
    assert Verdict("failed") is Verdict.FAILED


def test_a_backend_must_name_a_model_tier(catalog):
    with pytest.raises(InvalidParameter, match="llm-local' or 'llm-remote"):
        _bot(catalog, ScriptedBackend(name="gpt"))


def test_turn_reports_model_calls_even_when_rules_answer(catalog):
    """A turn resolved by the rules after rejected model answers still says which calls ran (and
    their joules are in its energy); a rules-only turn reports none."""
    backend = ScriptedBackend(lambda d: d, name="llm-local", need={})
    bot = _bot(catalog, backend)
    bot.router.config = RouterConfig.llm_every_turn()
    r = bot.turn("kettles")
    assert r.tier == "rules" and r.model_calls == ["understand:llm-local:rejected", "phrase:llm-local:rejected"]
    assert r.to_dict()["model_calls"] == r.model_calls
    plain = _bot(catalog, ScriptedBackend(name="llm-local")).turn("kettles under 30")
    assert plain.tier == "rules" and plain.model_calls == []
