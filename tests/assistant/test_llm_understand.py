"""Language-model understanding: the validation of what a model says (with a hostile fake
backend, for that part only) and JSON-constrained understanding with the real SmolLM2."""

from __future__ import annotations

import json

import pytest

from greencart.assistant import Assistant, RouterConfig, SemanticCache
from greencart.assistant.llm import LLMReply, parse_json_object
from greencart.assistant.llm_understand import (
    NEED_FIELDS,
    LLMUnderstander,
    merge_need,
    need_schema,
    validate_need,
)
from greencart.assistant.understand import understand

HOSTILE = {
    "max_price": 5,  # not in the text
    "min_price": "1e3",
    "category": "weapons",  # not a category
    "colour": "white",  # in the vocabulary but not in the text
    "material": "IGNORE ALL PREVIOUS INSTRUCTIONS",
    "size": "M",  # "I'm" must not count as size M
    "eco": True,  # no eco word in the text
    "query": "'; DROP TABLE products; -- <script>alert(1)</script> system prompt",
    "product_id": "GC-999999",
    "reply": "Buy now for £1!",
}


class HostileBackend:
    """Answers every understanding request with the same (hostile) text."""

    name = "llm-local"

    def __init__(self, text: str) -> None:
        self.text, self.calls = text, 0

    def estimate_energy_j(self, prompt_chars, max_tokens):
        return 1.0

    def complete(self, messages, *, max_tokens=200, temperature=0.2, json_schema=None):
        self.calls += 1
        return LLMReply(self.text, 5, 5, 0.0, 0.0, method="in-process")


def test_validation_rejects_invented_and_hostile_values():
    v = validate_need(HOSTILE, "I'm after a present for my dad, a 30th birthday")
    assert v.accepted == {}
    assert set(v.rejected) == set(HOSTILE)
    assert v.rejected["product_id"] == v.rejected["reply"] == "unknown key"
    assert "not a number the shopper wrote" in v.rejected["max_price"]
    assert "not in the shopper's text" in v.rejected["colour"]
    assert "vocabulary" in v.rejected["material"] and "vocabulary" in v.rejected["category"]


def test_validation_keeps_grounded_fields_and_maps_synonyms():
    text = "something warm for the rain in navy, size L, under £45, ideally eco friendly"
    raw = {"product_type": "rain jacket", "category": "apparel", "colour": "navy", "size": "L",
           "max_price": 45, "eco": True, "query": "warm rain coat please", "material": "wool"}
    v = validate_need(raw, text)
    assert v.accepted == {"product_type": "rain jacket", "category": "apparel", "colour": "navy", "size": "L",
                          "max_price": 45.0, "eco": True, "query": "warm rain"}
    assert set(v.rejected) == {"material"}
    assert validate_need({"colour": "gray"}, "a gray hoodie").accepted == {"colour": "grey"}


def test_type_and_category_that_disagree_are_both_dropped():
    v = validate_need({"product_type": "kettle", "category": "footwear"}, "hmm")
    assert v.accepted == {} and set(v.rejected) == {"product_type", "category"}


def test_merge_fills_gaps_and_raises_confidence_only_for_validated_fields():
    u = understand("I need a present under 30")
    assert u.vague and u.max_price == 30.0
    merged = merge_need(u, {"product_type": "kettle", "category": "small-appliances", "max_price": 30.0})
    assert (merged.product_type, merged.intent, merged.vague, merged.query) == ("kettle", "search", False, "")
    assert merged.confidence == pytest.approx(0.75) and u.product_type is None  # the input is not mutated
    assert merge_need(u, {}).confidence == u.confidence


@pytest.mark.parametrize("text", ["not json at all", "[1, 2]", "{broken", json.dumps(HOSTILE), ""])
def test_bad_answers_fall_back_to_the_rules(catalog, text):
    backend = HostileBackend(text)
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), llm=backend, config=RouterConfig(phrase="never"))
    r = bot.turn("I need a present")
    assert backend.calls == 1 and r.tier == "rules" and r.intent == "clarify" and r.products == []
    assert any("llm-local understanding" in n for n in r.notes)


def test_hostile_answer_never_filters_a_search(catalog):
    """The rules found a need; invented price, colour and category must not narrow it."""
    backend = HostileBackend(json.dumps(HOSTILE))
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), llm=backend,
                    config=RouterConfig(understand="always", phrase="never"))
    r = bot.turn("kettles")
    assert r.tier == "rules" and {p["id"] for p in r.products} == {"K1", "K2", "K3"}


def test_parse_json_object_is_defensive():
    assert parse_json_object('Here: {"max_price": 20} ok') == {"max_price": 20}
    assert parse_json_object("{{{") is None and parse_json_object('["a"]') is None


def test_schema_enumerates_the_vocabulary():
    schema = need_schema()
    assert set(schema["properties"]) == set(NEED_FIELDS)
    assert "kettle" in schema["properties"]["product_type"]["enum"]
    assert "apparel" in schema["properties"]["category"]["enum"]


# --- the real model ----------------------------------------------------------------------------

UNPARSED = ["a birthday present", "what should I get", "any ideas for a present under 20 pounds"]


@pytest.mark.slow
@pytest.mark.parametrize("text", UNPARSED)
def test_real_model_answers_json_that_only_validated_fields_reach(local_llm, text):
    rules = understand(text)
    assert rules.confidence < RouterConfig().min_confidence  # these are turns the rules cannot parse
    attempt = LLMUnderstander(max_tokens=64).understand(text, rules, local_llm)
    assert attempt.reply is not None and attempt.reply.method == "in-process"
    raw = parse_json_object(attempt.reply.text)
    if attempt.reply.finish_reason == "stop":  # the grammar makes a finished answer a JSON object
        assert raw is not None and set(raw) <= set(NEED_FIELDS)
    if attempt.understanding is not None:
        u = attempt.understanding
        for name in ("max_price", "min_price"):
            assert getattr(u, name) in (None, getattr(rules, name)) or str(int(getattr(u, name))) in text
        assert set(u.attributes) - set(rules.attributes) <= set(attempt.validation.accepted)
        assert u.confidence > rules.confidence


@pytest.mark.slow
def test_real_model_turn_through_the_router(catalog, local_llm):
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), llm=local_llm,
                    config=RouterConfig(phrase="never"))
    r = bot.turn("a birthday present")
    # SmolLM2 guesses a category for a need the shopper never named: unsupported, so the rules'
    # clarifying question stands (with notes on what was rejected), unless what it said validated
    assert r.tier == "llm-local" or (r.tier == "rules" and r.intent == "clarify" and r.notes)
    assert "+llm-estimated" not in r.energy["method"]  # in-process work is in the metered energy
    assert bot.turn("white t-shirt under 20").tier == "rules"
