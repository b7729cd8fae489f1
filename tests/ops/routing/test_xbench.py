"""The CVRPLIB X reader (vrplib) and one short PyVRP solve against the best known."""

from __future__ import annotations

import pytest

from conftest import shared_file
from greencart.errors import ImportFileError, InvalidParameter
from greencart.ops.routing.xbench import (
    customers_of,
    read_x_instance,
    solution_cost,
    solve_x,
    time_limit_s,
)

pytestmark = pytest.mark.shared_data


def test_reader_recomputes_the_best_known_cost():
    inst = read_x_instance(shared_file("vrp/cvrp-x/X-n101-k25.vrp"))
    assert (inst.name, inst.n_customers, inst.capacity) == ("X-n101-k25", 100, 206)
    assert inst.demand[0] == 0 and inst.distance.shape == (101, 101)
    assert inst.bks_cost == 27591
    assert solution_cost(inst, inst.bks_routes) == 27591  # rounded Euclidean, CVRPLIB convention
    assert sorted(c for r in inst.bks_routes for c in r) == list(range(1, 101))


def test_short_solve_is_feasible_and_not_better_than_the_bks():
    inst = read_x_instance(shared_file("vrp/cvrp-x/X-n101-k25.vrp"))
    row = solve_x(inst, seed=1, limit_s=1.0)
    assert row["feasible"] and row["gap_pct"] >= 0 and row["cost"] >= 27591
    assert row["gap_pct"] < 15  # a 1-second run is rough, not absurd


def test_bad_files_and_limits(tmp_path):
    bad = tmp_path / "X-n3-k1.vrp"
    bad.write_text("NAME : x\nTYPE : CVRP\nDIMENSION : 2\n")
    with pytest.raises(ImportFileError):
        read_x_instance(bad)
    with pytest.raises(ImportFileError, match="no such instance"):
        read_x_instance(tmp_path / "missing.vrp")
    with pytest.raises(InvalidParameter, match="time limit"):
        time_limit_s(100, 1000.0)
    assert time_limit_s(100) == pytest.approx(20.0) and customers_of("X-n101-k25") == 100
