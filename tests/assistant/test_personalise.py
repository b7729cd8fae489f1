"""Personalisation and swaps through the recommender's interface (a stub standing in for a trained model)."""

from __future__ import annotations

from dataclasses import dataclass

from greencart.assistant import Assistant, SemanticCache
from greencart.errors import NotFound


@dataclass
class Rec:
    id: str


@dataclass
class SwapStub:
    id: str
    saving_kg_co2e: float


class StubRecommender:
    def recommend(self, user_id, k=10, *, alpha=None, category=None, max_price=None):
        if user_id != "U1":
            raise NotFound(f"No shopper with id {user_id!r}")
        return [Rec("K3"), Rec("T5")]

    def greener(self, product_id, k=5, *, max_price=None):
        return [SwapStub("K2", 9.5)] if product_id == "K1" else []


def _bot(catalog):
    return Assistant(catalog, StubRecommender(), cache=SemanticCache(embedder=None))


def test_known_user_gets_their_products_first(catalog):
    bot = _bot(catalog)
    r = bot.turn("kettles", user="U1")
    assert r.products[0]["id"] == "K3" and "Personalised" in r.reply
    anon = bot.turn("kettles", user="nobody")  # unknown shopper: no personalisation, no error
    assert anon.products and "Personalised" not in anon.reply


def test_recommender_swap_is_used_with_its_saving(catalog):
    bot = _bot(catalog)
    r = bot.turn("black stainless steel kettle")
    assert r.products[0]["id"] == "K1"
    r = bot.turn("greener", session=r.session)
    assert [p["id"] for p in r.products] == ["K1", "K2"] and "9.50 kg CO2e" in r.reply


def test_vague_turn_for_known_user_recommends(catalog):
    r = _bot(catalog).turn("what would you recommend?", user="U1")
    assert r.intent == "recommend" and [p["id"] for p in r.products] == ["K3", "T5"]
