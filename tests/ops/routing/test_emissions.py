"""Emission arithmetic against hand-computed values (GLEC-style empty-to-full interpolation)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from tests.ops.routing.conftest import matrix_problem, vehicle

from conftest import shared_file
from greencart.errors import InvalidParameter
from greencart.ops.routing.emissions import (
    DIESEL_UK_2025,
    GridIntensity,
    arc_emission,
    consumption_per_100km,
    route_loads_kg,
)
from greencart.ops.routing.evaluate import reorder

# depot 0, A 1, B 2: d(0,1)=10, d(1,2)=5, d(2,0)=12 km
D3 = np.array([[0, 10, 12], [10, 0, 5], [12, 5, 0]], dtype=float)


def test_consumption_interpolates_and_clamps():
    assert consumption_per_100km(8, 12, 0, 1000) == 8
    assert consumption_per_100km(8, 12, 250, 1000) == pytest.approx(9.0)
    assert consumption_per_100km(8, 12, 5000, 1000) == 12  # overload clamps at full
    with pytest.raises(InvalidParameter, match="capacity_kg"):
        consumption_per_100km(8, 12, 1, 0)


def test_arc_diesel_by_hand():
    # 10 km at 500/1000 kg: 10 x (8 + 4 x 0.5) / 100 = 1.0 l; WTW 3.19747, TTW 2.57082 kg/l
    a = arc_emission(10, 500, empty_per_100km=8, full_per_100km=12, capacity_kg=1000, carrier=DIESEL_UK_2025)
    assert a.energy == pytest.approx(1.0)
    assert a.wtw_kg_co2e == pytest.approx(3.19747)
    assert a.ttw_kg_co2e == pytest.approx(2.57082)


def test_arc_electric_uses_grid_and_has_no_tailpipe():
    from greencart.ops.routing.models import ELECTRICITY

    a = arc_emission(20, 0, empty_per_100km=25, full_per_100km=30, capacity_kg=900, carrier=ELECTRICITY,
                     grid=GridIntensity(200.0, "test", "static"))
    assert a.energy == pytest.approx(5.0)  # kWh
    assert a.wtw_kg_co2e == pytest.approx(1.0) and a.ttw_kg_co2e == 0
    with pytest.raises(InvalidParameter, match="grid"):
        arc_emission(1, 0, empty_per_100km=1, full_per_100km=1, capacity_kg=1, carrier=ELECTRICITY)


def test_route_loads_fall_after_each_drop():
    assert route_loads_kg([600, 200]) == [800, 200, 0]


def test_route_co2e_by_hand_and_reorder_keeps_heavy_first():
    van = vehicle("diesel_van", empty_per_100km=8.0, full_per_100km=12.0, capacity_kg=1000.0)
    p = matrix_problem(D3, [600.0, 200.0], (van,))
    # 0->A 10 km at 800 kg: 1.12 l; A->B 5 km at 200 kg: 0.44 l; B->0 12 km empty: 0.96 l => 2.52 l
    rp = p.route(van, [1, 2])
    assert rp.energy == pytest.approx(2.52)
    assert rp.co2e_kg == pytest.approx(2.52 * 3.19747)
    assert rp.ttw_co2e_kg == pytest.approx(2.52 * 2.57082)
    assert rp.distance_km == pytest.approx(27) and rp.load_kg == 800
    # the other direction: 12 km at 800 (1.344 l) + 5 km at 600 (0.52 l) + 10 km empty (0.8 l) = 2.664 l
    assert p.co2e_kg(van, [2, 1]) == pytest.approx(2.664 * 3.19747)
    assert reorder(p, van, [2, 1]) == [1, 2]


def test_hourly_grid_series_is_used_for_electric_trips():
    from greencart.energy.intensity import HourlySeriesIntensity

    series = HourlySeriesIntensity.from_csv(shared_file("grid/GB_2024_hourly.csv"), column="lifecycle")
    van = vehicle("electric_van")
    p = matrix_problem(D3, [100.0, 50.0], (van,))
    p.day, p.intensity = date(2024, 1, 1), series
    g = p.grid(8 * 60)
    assert g.kind == "hourly" and "Electricity Maps" in g.source
    expected = series.intensity_at(__import__("datetime").datetime(2024, 1, 1, 8)).intensity_g_per_kwh
    assert g.g_per_kwh == pytest.approx(expected)
    energy = p.route(van, [1, 2]).energy
    assert p.route(van, [1, 2]).co2e_kg == pytest.approx(energy * expected / 1000)
    p.day = date(2030, 1, 1)  # outside the series: the country's annual average, labelled
    p._grid_cache.clear()
    assert p.grid(8 * 60).kind == "annual"
