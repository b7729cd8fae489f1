"""Planted data: two taste clusters with a known right answer."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from greencart.catalog.models import Interaction
from greencart.recommend.data import EventLog, Interactions, build_interactions

N_PER_CLUSTER_USERS = 30
ITEMS_A = [f"a{i}" for i in range(10)]
ITEMS_B = [f"b{i}" for i in range(10)]
T0 = datetime(2025, 1, 1)


def planted_interactions(seed: int = 0) -> list[Interaction]:
    """Cluster A users buy from a*, cluster B users from b*; each user buys 5 of 10."""
    rng = np.random.default_rng(seed)
    out = []
    for c, items in (("A", ITEMS_A), ("B", ITEMS_B)):
        for u in range(N_PER_CLUSTER_USERS):
            chosen = rng.choice(items, size=5, replace=False)
            for t, item in enumerate(chosen):
                out.append(Interaction(f"{c}{u}", str(item), "purchase", T0 + timedelta(days=int(t) * 3 + u % 3)))
    return out


@pytest.fixture(scope="session")
def planted_log() -> EventLog:
    return EventLog.from_interactions(planted_interactions())


@pytest.fixture(scope="session")
def planted(planted_log) -> Interactions:
    return build_interactions(planted_log, item_ids=ITEMS_A + ITEMS_B)
