"""Supplier / transport-mode choice: known answers, the carbon price at work, infeasibility named."""

from __future__ import annotations

import pytest

from greencart.errors import InvalidParameter
from greencart.ops.solver import PlanInfeasible
from greencart.ops.supply import SupplyOption, choose_supply

SEA = SupplyOption("sea", unit_cost=1.0, kg_co2e_per_unit=0.1, lead_time_periods=6, fixed_cost=50)
ROAD = SupplyOption("road", unit_cost=1.2, kg_co2e_per_unit=0.5, lead_time_periods=1)
AIR = SupplyOption("air", unit_cost=1.5, kg_co2e_per_unit=5.0, lead_time_periods=0, max_units=40)


def test_fixed_cost_and_carbon_price_known_answers():
    # 100 units: sea costs 100 + 50 = 150, road 120: cost-only picks road.
    cheap = choose_supply(100, [SEA, ROAD], carbon_price_per_kg=0.0)
    assert cheap["chosen"]["allocation"] == {"road": 100.0} and cheap["chosen"]["cost"] == pytest.approx(120.0)
    # at 1 per kg: sea 150 + 10 = 160 beats road 120 + 50 = 170
    green = choose_supply(100, [SEA, ROAD], carbon_price_per_kg=1.0)
    assert green["chosen"]["allocation"] == {"sea": 100.0}
    assert green["kg_co2e_saved"] == pytest.approx(50.0 - 10.0) and green["extra_cost"] == pytest.approx(30.0)


def test_lead_time_and_capacity():
    with pytest.raises(PlanInfeasible, match="max_units sum to 40"):
        choose_supply(60, [SEA, ROAD, AIR], max_lead_time_periods=0)  # only air is fast enough, 40 max
    r = choose_supply(60, [SEA, ROAD, AIR], carbon_price_per_kg=0.0, max_lead_time_periods=1)
    assert r["chosen"]["allocation"] == {"road": 60.0}
    with pytest.raises(PlanInfeasible, match="lead time <= 0"):
        choose_supply(10, [SEA, ROAD], max_lead_time_periods=0)


def test_bad_input():
    with pytest.raises(InvalidParameter, match="unit_cost"):
        SupplyOption("x", unit_cost=-1, kg_co2e_per_unit=0)
    with pytest.raises(InvalidParameter, match="units"):
        choose_supply(float("nan"), [SEA])
