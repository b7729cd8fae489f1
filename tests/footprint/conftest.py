"""Fixtures for footprint tests: one shared MiniLM embedder per session."""

from __future__ import annotations

import pytest

from greencart.catalog.embed import get_embedder


@pytest.fixture(scope="session")
def embedder():
    return get_embedder("minilm-int8")
