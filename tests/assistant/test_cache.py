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
