"""Replenishment policies on a known world, and on the planted store."""

from __future__ import annotations

import numpy as np
import pytest

from greencart.errors import InvalidParameter
from greencart.ops.replenish import Distribution, ReplenishParams, run_replenishment, simulate
from greencart.ops.demand import DemandSpec, load_demand
from greencart.store.ops_repo import product_facts


def _known(demand, mean, scores=0.0):
    demand = np.asarray(demand, dtype=float)
    periods = demand.shape[1]
    return Distribution(["a"], demand, np.asarray(mean, dtype=float), np.ones(1),
                        np.full((periods, 5), scores), demand[:, 0].copy())


def test_perfect_forecast_no_waste_full_service():
    d = _known([[5, 5, 5, 5]], [[5, 5, 5, 5]])
    r = simulate("newsvendor", d, np.array([10.0]), np.array([2.0]), ReplenishParams(shelf_life_periods=1))
    assert r["fill_rate"] == 1.0 and r["wasted_units"] == 0 and r["cycle_service_level"] == 1.0


def test_naive_wastes_on_a_drop_and_waste_carries_the_footprint():
    d = _known([[10, 0, 0, 0]], [[0, 0, 0, 0]])  # last_before = 10
    r = simulate("naive_last_period", d, np.array([10.0]), np.array([2.0]), ReplenishParams(shelf_life_periods=1))
    # t0 orders 10 (sold); t1 orders 10 (demand 0: wasted); t2, t3 order 0
    assert r["wasted_units"] == 10 and r["waste_kg_co2e"] == pytest.approx(20.0)
    assert r["sold_units"] == 10


def test_carbon_price_lowers_the_order_level():
    p = ReplenishParams()
    cheap = p.critical_ratio(np.array([10.0]), np.array([0.0]))
    dirty = p.critical_ratio(np.array([10.0]), np.array([50.0]))
    assert dirty[0] < cheap[0]


def test_bad_params():
    with pytest.raises(InvalidParameter, match="shelf_life_periods"):
        ReplenishParams(shelf_life_periods=0)
    with pytest.raises(InvalidParameter, match="unit_cost_share"):
        ReplenishParams(unit_cost_share=1.4)


def test_policies_on_the_planted_store(planted_db):
    d = load_demand(planted_db, DemandSpec(level="product", freq="W"))
    with planted_db.read() as s:
        facts = product_facts(s, list(d.series.unique_id.unique()))
    assert facts["P1"]["footprint_method"] == "declared"
    r = run_replenishment(d.series, facts, ReplenishParams(holdout_periods=6, calibration_periods=4))
    names = [p["policy"] for p in r["policies"]]
    assert names == ["naive_last_period", "newsvendor", "s_S"]
    nv = r["policies"][1]
    assert nv["demand_units"] == r["policies"][0]["demand_units"] > 0
    assert 0 < nv["fill_rate"] <= 1 and "vs_naive" in nv
