"""Descriptions come from the product's data; a polished text that adds a fact is rejected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from greencart.assistant.llm import LLMReply
from greencart.content.describe import grounding_problems, polish, template_description
from greencart.errors import InvalidParameter, ModelUnavailable
from greencart.catalog.service import ProductCard

FP = {"footprint_kg_co2e": 2.1, "footprint_low": 1.5, "footprint_high": 3.0, "footprint_method": "declared",
      "footprint_source": "Test declaration"}
CARD = ProductCard("T1", "White Organic Cotton T-Shirt", "白色有机棉T恤", "apparel", 18.0, "GBP", 0.3,
                   {"colour": "white", "material": "organic cotton", "type": "t-shirt", "size": "M"}, "", FP)


def test_template_en_and_zh_state_only_the_data():
    en = template_description(CARD, "en")
    assert en.text.startswith("White Organic Cotton T-Shirt.") and "18.00 GBP" in en.text
    assert "about 2.1 kg CO2e (range 1.5-3)" in en.text and "declared" in en.text and "Test declaration" in en.text
    assert grounding_problems(en.text, en.facts) == []
    zh = template_description(CARD, "zh")
    assert zh.text.startswith("白色有机棉T恤。") and "千克二氧化碳当量" in zh.text and "18.00 GBP" in zh.text
    unknown = ProductCard("X", "Mystery Box", None, "misc", 5.0, "GBP", None, {}, "", {})
    assert "not known" in template_description(unknown, "en").text
    with pytest.raises(InvalidParameter, match="lang"):
        template_description(CARD, "fr")


@pytest.mark.parametrize("text, problem", [
    ("A lovely white organic cotton t-shirt, now 25% off.", "number 25"),
    ("A soft red t-shirt.", "word 'red'"),
    ("Made of bamboo fibre.", "word 'bamboo'"),
    ("Fully biodegradable and certified.", "claim 'biodegradable'"),
    ("100% 可降解的T恤", "claim '可降解'"),
    ("Free delivery on this shirt!", "claim 'free delivery'"),
])
def test_grounding_catches_new_facts(text, problem):
    assert problem in grounding_problems(text, template_description(CARD, "en").facts)


def test_grounding_accepts_restated_facts():
    facts = template_description(CARD, "en").facts
    assert grounding_problems("This white organic cotton t-shirt (size M) costs 18.00 GBP; about 2.1 kg CO2e.",
                              facts) == []


@dataclass
class _Backend:
    """A test double for the LLMBackend protocol: returns a fixed text (the real model is tested below)."""

    text: str
    name: str = "llm-test"
    finish: str = "stop"

    def estimate_energy_j(self, prompt_chars: int, max_tokens: int) -> float:
        return 1.0

    def complete(self, messages, *, max_tokens=200, temperature=0.2, json_schema=None) -> LLMReply:
        if self.text == "RAISE":
            raise ModelUnavailable("no model here")
        return LLMReply(self.text, 10, 10, 0.1, 2.5, "estimated", self.finish)


def test_polish_keeps_grounded_text_and_rejects_inventions():
    draft = template_description(CARD, "en")
    good, j = polish(draft, _Backend("Our white organic cotton t-shirt in size M, 18.00 GBP. About 2.1 kg CO2e."))
    assert good.method == "template+llm-test" and j == 2.5
    bad, _ = polish(draft, _Backend("A white t-shirt, rated 5 stars, carbon neutral. About 2.1 kg CO2e."))
    assert bad.text == draft.text and "polish rejected" in bad.method and "number 5" in bad.notes
    dropped, _ = polish(draft, _Backend("A white organic cotton t-shirt."))
    assert "footprint line dropped" in dropped.notes
    cut, _ = polish(draft, _Backend("A white organic cotton t-shirt. About 2.1 kg CO2e and", finish="length"))
    assert "cut off" in cut.notes
    gone, j = polish(draft, _Backend("RAISE"))
    assert gone.text == draft.text and gone.method == "template (model unavailable)" and j == 0.0


def test_polish_with_the_real_local_model():
    from tests.assistant.conftest import require_llama

    require_llama()
    from greencart.assistant.llm_local import LlamaCppBackend

    draft = template_description(CARD, "en")
    result, _ = polish(draft, LlamaCppBackend())
    # Either the model's text passed the grounding check, or the template stayed with the reason.
    if result.method.startswith("template+"):
        assert grounding_problems(result.text, draft.facts) == []
    else:
        assert result.text == draft.text and result.notes
