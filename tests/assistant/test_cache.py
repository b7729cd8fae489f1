"""Tier 1: the semantic cache hits on a repeated turn and misses when the state differs."""

from __future__ import annotations

import numpy as np

from greencart.assistant import Assistant, SemanticCache


class BagOfWordsEmbedder:
    """A deterministic stand-in for MiniLM: hashed bag of words, L2-normalised."""

    name, dim = "bow", 64

    def embed(self, texts, *, is_query=False):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.split():
                out[i, sum(map(ord, w.rstrip("s"))) % self.dim] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_repeated_turn_hits_the_cache(assistant):
    first = assistant.turn("white t-shirt under 20")
    second = assistant.turn("White T-shirt under 20!")
    assert first.tier == "rules" and second.tier == "cache"
    assert second.reply == first.reply and second.products == first.products
    assert second.session != first.session
    # the cached turn still moved the new session's state on
    follow = assistant.turn("compare the first two", session=second.session)
    assert follow.intent == "compare" and len(follow.products) == 2


def test_different_state_misses(assistant):
    a = assistant.turn("kettles")
    b = assistant.turn("kettles", user="U9")  # a known user: personalisation may change the answer
    c = assistant.turn("kettles", eco=1.0)  # an eco preference changes the ranking
    d = assistant.turn("kettles", session=a.session)  # something is already shown
    assert a.tier == "rules" and b.tier == "rules" and c.tier == "rules" and d.tier == "rules"
    assert assistant.turn("kettles").tier == "cache"


def test_semantic_hit_needs_equal_slots(catalog):
    cache = SemanticCache(embedder=BagOfWordsEmbedder(), threshold=0.9)
    bot = Assistant(catalog, cache=cache)
    assert bot.turn("show me lanterns please").tier == "rules"
    assert bot.turn("please show me lantern").tier == "cache"  # paraphrase: same words, other order
    assert bot.turn("show me lanterns please under 4").tier == "rules"  # a budget is a different slot
    assert cache.stats()["semantic_hits"] == 1


def test_cache_is_bounded_and_expires():
    cache = SemanticCache(max_entries=2, ttl_s=1.0, embedder=None)
    for i in range(3):
        cache.store(f"t{i}", "k", (), {"n": i})
    assert cache.lookup("t0", "k", ()) is None and cache.lookup("t2", "k", ()) == {"n": 2}
    cache._entries[("k", "t2")].created_s -= 5
    assert cache.lookup("t2", "k", ()) is None


def test_a_catalogue_change_invalidates_cached_turns(tmp_path):
    """Cache a turn, change a product's price in the database: the same turn is
    recomputed (not replayed) and shows the new price."""
    from dataclasses import replace

    from greencart.config import Settings
    from greencart.catalog.service import CatalogService
    from greencart.store import catalog_repo, open_database

    from .conftest import PRODUCTS

    db = open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    svc = CatalogService(Settings(var_dir=tmp_path), db)
    cache = SemanticCache(embedder=None)
    bot = Assistant(svc, cache=cache)
    try:
        first = bot.turn("lanterns")
        assert first.tier == "rules" and bot.turn("lanterns").tier == "cache"
        l1 = next(p for p in PRODUCTS if p.id == "L1")
        assert any(p["id"] == "L1" and p["price"] == 3.75 for p in first.products)
        with db.transaction() as s:
            catalog_repo.upsert_products(s, [replace(l1, price=3.25)])
        again = bot.turn("lanterns")
        assert again.tier == "rules" and cache.stats()["invalidations"] == 1
        assert any(p["id"] == "L1" and p["price"] == 3.25 for p in again.products)
        assert "3.25" in again.reply and "3.75" not in again.reply
        assert bot.turn("lanterns").tier == "cache"  # cached again, under the new version
    finally:
        svc.close()


def test_an_unreadable_catalogue_version_bypasses_the_cache():
    calls = []

    def version():
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("database down")
        return (1, None)

    cache = SemanticCache(embedder=None, version=version)
    assert cache.lookup("t", "k", ()) is None
    cache.store("t", "k", (), {"n": 1})
    assert cache.stats()["entries"] == 1 and len(calls) == 1  # store reused the lookup's version
    assert cache.lookup("t", "k", ()) is None  # version unreadable: no replay
    assert cache.stats()["entries"] == 1
