"""Eco re-ranking, hard filters, greener swaps and reasons on planted data."""

from __future__ import annotations

import numpy as np
import pytest

from greencart.catalog.models import Product
from greencart.errors import InvalidParameter, NotFound
from greencart.footprint.models import Footprint
from greencart.recommend.engine import RecommendEngine
from greencart.recommend.factory import make_recommender
from greencart.recommend.itemtable import table_from_records
from greencart.recommend.rerank import RerankParams, eco_rerank, eco_rerank_batch, greenness

from .conftest import ITEMS_A, ITEMS_B


def footprint(kg, rel_band=0.5, method="spend"):
    """A band of relative width ``rel_band`` ((high - low) / kg), low end at kg / 2 at most."""
    low = kg * max(0.5, 1 - rel_band / 2)
    return Footprint(kg, low, low + kg * rel_band, method, "test", None, 0.8)


@pytest.fixture(scope="module")
def table(planted):
    # a-items in "home": footprint rises with the index (a0 greenest); price 10 + i
    products, fps = {}, {}
    for n, pid in enumerate(ITEMS_A + ITEMS_B):
        i = int(pid[1:])
        cat = "home" if pid[0] == "a" else "garden"
        products[pid] = Product(id=pid, title=f"Item {pid}", category=cat, price=10.0 + i,
                                attributes={"type": "mug" if i % 2 == 0 else "bowl"})
        fps[pid] = footprint(1.0 + i)
    fps["a1"] = footprint(0.5, rel_band=5.0)  # lowest in its category but a very wide band
    return table_from_records(planted.item_ids, products, fps)


@pytest.fixture(scope="module")
def engine(planted, table):
    return RecommendEngine(make_recommender("ease").fit(planted), table, default_alpha=0.7)


def test_greenness_orders_within_category_and_discounts_wide_bands(table):
    g = greenness(table)
    idx = {p: i for i, p in enumerate(table.item_ids)}
    assert g[idx["a0"]] > g[idx["a2"]] > g[idx["a9"]]
    assert g[idx["b0"]] == pytest.approx(1.0) and g[idx["b9"]] == pytest.approx(0.0)
    # a1 is the lowest central figure, but its band is 10x the usual: pulled to neutral
    assert abs(g[idx["a1"]] - 0.5) < abs(g[idx["a0"]] - 0.5)


def test_alpha_one_is_pure_relevance_and_zero_is_greenest():
    rel = np.array([3.0, 2.0, 1.0, -np.inf])
    green = np.array([0.0, 0.5, 1.0, 1.0])
    assert [r.item for r in eco_rerank(rel, green, 1.0, 3)] == [0, 1, 2]
    assert [r.item for r in eco_rerank(rel, green, 0.0, 3)] == [2, 1, 0]  # item 3 excluded stays out
    assert eco_rerank_batch(rel[None, :], green, 0.0, 3).tolist() == [[2, 1, 0]]


def test_bad_alpha_is_rejected_with_a_clear_message(engine):
    with pytest.raises(InvalidParameter, match=r"Expected alpha in \[0.0, 1.0\], got 1.4"):
        engine.recommend("A0", alpha=1.4)
    with pytest.raises(InvalidParameter, match="Expected alpha"):
        RerankParams(alpha=-0.1)
    with pytest.raises(InvalidParameter, match="Expected k"):
        engine.recommend("A0", k=0)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.7, 1.0])
def test_hard_filters_are_never_violated(engine, table, alpha):
    rng = np.random.default_rng(0)
    for _ in range(10):
        user = f"{'AB'[rng.integers(2)]}{rng.integers(30)}"
        max_price = float(rng.uniform(9, 20))
        category = ["home", "garden", None][rng.integers(3)]
        for rec in engine.recommend(user, 10, alpha=alpha, max_price=max_price, category=category):
            assert rec.price <= max_price
            assert category is None or rec.category == category


def test_lower_alpha_lowers_the_footprint(engine):
    def mean_kg(alpha):
        return np.mean([r.footprint_kg_co2e for r in engine.recommend("B3", 4, alpha=alpha)])

    assert mean_kg(0.0) < mean_kg(1.0)


def test_reasons_name_real_history_and_the_footprint_when_moved(engine, planted):
    history = {planted.item_ids[i] for i in planted.matrix[planted.user_index("B3")].indices}
    recs = engine.recommend("B3", 5, alpha=0.2)
    assert all(set(r.because) <= history for r in recs)
    assert all(r.because for r in recs if r.id.startswith("b"))
    assert next(r for r in recs if r.id.startswith("b")).reason.startswith("Because you bought 'Item b")
    assert all(r.reason.startswith("Suggested for its lower footprint") for r in recs if not r.because)
    moved = [r for r in engine.recommend("B3", 5, alpha=0.5) if r.moved_by_footprint and r.because]
    assert moved and "Moved up for its lower footprint" in moved[0].reason
    assert moved[0].reason.startswith("Because you bought")
    assert f"{moved[0].footprint_kg_co2e:.3g} kg CO2e" in moved[0].reason
    assert not any(r.moved_by_footprint for r in engine.recommend("B3", 5, alpha=1.0))


def test_new_shopper_from_session_items_and_cold_start(engine):
    recs = engine.recommend(None, 3, alpha=1.0, session_items=["a3", "a4"])
    assert {r.id for r in recs} <= set(ITEMS_A) - {"a3", "a4"}
    assert len(engine.recommend(None, 3, alpha=1.0)) == 3  # no history: popularity
    assert engine.recommend(None, 3)[0].reason == "Popular with shoppers like you"


def test_greener_swaps_are_same_need_and_lower(engine, table):
    swaps = engine.greener("b8", k=10)
    assert swaps and {s.id for s in swaps} <= {"b0", "b2", "b4", "b6"}  # same type ("mug"), lower
    for s in swaps:
        assert s.saving_kg_co2e == pytest.approx(9.0 - s.footprint_kg_co2e)
        assert s.saving_low_kg_co2e <= s.saving_kg_co2e <= s.saving_high_kg_co2e
    assert engine.greener("b0") == []  # already the lowest
    assert all(s.price <= 13 for s in engine.greener("b8", k=10, max_price=13))
    with pytest.raises(NotFound):
        engine.greener("nope")


def test_never_bought_items_reach_shoppers_through_content(planted, table):
    from greencart.recommend.content import ContentVectors
    from greencart.recommend.data import Interactions

    # add a never-bought column "b_new" whose text vector sits with the b-items
    ids = planted.item_ids + ("b_new",)
    matrix = planted.matrix.copy()
    matrix.resize((planted.n_users, len(ids)))
    data = Interactions(matrix.tocsr(), planted.user_ids, ids)
    vectors = np.zeros((len(ids), 2), dtype=np.float32)
    vectors[[i for i, p in enumerate(ids) if p.startswith("b")], 1] = 1.0
    vectors[[i for i, p in enumerate(ids) if p.startswith("a")], 0] = 1.0
    content = ContentVectors(vectors, np.bincount(matrix.indices, minlength=len(ids)) == 0)
    fps_table = table_from_records(ids, {}, {})
    model = make_recommender("ease").fit(data)
    without = RecommendEngine(model, fps_table, default_alpha=1.0)
    with_content = RecommendEngine(model, fps_table, default_alpha=1.0, content=content)
    assert "b_new" not in {r.id for r in without.recommend("B2", 5)}
    assert "b_new" in {r.id for r in with_content.recommend("B2", 5)}
    assert "b_new" not in {r.id for r in with_content.recommend("A2", 5)}
    cold = next(r for r in with_content.recommend("B2", 5) if r.id == "b_new")
    assert cold.because and all(b.startswith("b") for b in cold.because)
