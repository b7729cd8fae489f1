"""Production planning: known answers, the epsilon-constraint front, infeasibility named, MILP setups,
the watchdog, and the carbon-aware hourly plan."""

from __future__ import annotations

import time

import pytest

from greencart.errors import InvalidParameter
from greencart.ops import plan as lp
from greencart.ops.plan_carbon import plan_hourly
from greencart.ops.plan_model import Machine, ProcessOption, ProductDemand, ProductionProblem, example_problem
from greencart.ops.solver import PlanInfeasible, SolverTimeout


def one_product(capacity_h: float = 100.0) -> ProductionProblem:
    # fast: 2 kWh and 1 h per unit; eco: 1.5 kWh and 1.3 h per unit; 10 units.
    return ProductionProblem(
        (ProductDemand("p", 10),), (Machine("m", capacity_h),),
        (ProcessOption("p", "m", "fast", 2.0, 1.0), ProcessOption("p", "m", "eco", 1.5, 1.3)))


@pytest.mark.parametrize("lam, energy, makespan", [(0.0, 15.0, 13.0), (1.6, 15.0, 13.0), (1.7, 20.0, 10.0),
                                                   (50.0, 20.0, 10.0)])
def test_weighted_known_answer(lam, energy, makespan):
    # (2 + lam) x_f + (1.5 + 1.3 lam) x_e: eco wins below lam = 5/3, fast above.
    r = lp.plan_weighted(one_product(), lam)
    assert r["status"] == "optimal"
    assert r["energy_kwh"] == pytest.approx(energy, abs=1e-6)
    assert r["makespan_h"] == pytest.approx(makespan, abs=1e-6)


def test_epsilon_known_answer_and_front():
    r = lp.plan_epsilon(one_product(), 11.5)  # 0.3 x_e <= 1.5: 5 eco + 5 fast
    assert r["energy_kwh"] == pytest.approx(17.5, abs=1e-6) and r["makespan_h"] == pytest.approx(11.5, abs=1e-6)
    front = lp.pareto_front(one_product(), 5)
    assert [round(p["makespan_h"], 3) for p in front] == [10.0, 10.75, 11.5, 12.25, 13.0]
    energies = [p["energy_kwh"] for p in front]
    assert energies == sorted(energies, reverse=True) and energies[0] == pytest.approx(20.0)


def test_two_machines_split_known_answer():
    pb = ProductionProblem((ProductDemand("p", 10),), (Machine("a", 100), Machine("b", 100)),
                           (ProcessOption("p", "a", "fast", 1.0, 1.0), ProcessOption("p", "b", "fast", 3.0, 1.0)))
    assert lp.plan_fastest(pb)["makespan_h"] == pytest.approx(5.0)  # 5 units on each machine
    assert lp.plan_weighted(pb, 0.0)["energy_kwh"] == pytest.approx(10.0)  # all on the efficient one
    assert lp.plan_epsilon(pb, 6.0)["energy_kwh"] == pytest.approx(6 * 1.0 + 4 * 3.0)


def test_setup_makes_it_a_milp():
    opts = (ProcessOption("p", "a", "fast", 1.0, 1.0, setup_kwh=50.0), ProcessOption("p", "b", "fast", 2.0, 1.0))
    pb = ProductionProblem((ProductDemand("p", 10),), (Machine("a", 100), Machine("b", 100)), opts)
    r = lp.plan_weighted(pb, 0.0)
    assert r["energy_kwh"] == pytest.approx(20.0)  # 10 on b (20 kWh) beats setup 50 + 10 on a
    assert r["mip_gap"] is not None and r["mip_gap"] <= 1e-6


def test_infeasible_names_the_binding_constraint():
    with pytest.raises(PlanInfeasible, match=r"capacity of machine 'm' \(8 h\) is short by 2 h"):
        lp.plan_weighted(one_product(capacity_h=8.0), 0.0)
    with pytest.raises(PlanInfeasible, match=r"shortest feasible makespan is 10 h"):
        lp.plan_epsilon(one_product(), 5.0)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), 1e9])
def test_absurd_lambda(bad):
    with pytest.raises(InvalidParameter, match="lambda"):
        lp.plan_weighted(one_product(), bad)


def test_bad_problems_are_named():
    with pytest.raises(InvalidParameter, match="demand_units"):
        ProductDemand("p", -3)
    with pytest.raises(InvalidParameter, match="no.*|none for"):
        ProductionProblem((ProductDemand("p", 1), ProductDemand("q", 1)), (Machine("m", 1),),
                          (ProcessOption("p", "m", "fast", 1, 1),))


def test_baselines_save_energy_against_all_fast():
    pb = example_problem({f"p{i}": 50 + 10 * i for i in range(8)})
    b = lp.compare_baselines(pb)
    assert b["energy_kwh_saved"] >= -1e-6
    assert b["optimised_at_equal_makespan"]["makespan_h"] <= b["all_fast"]["makespan_h"] * (1 + 1e-6)
    assert b["energy_kwh_saved_at_10pct_longer"] > b["energy_kwh_saved"]
    assert b["all_eco"]["energy_kwh"] < b["all_fast"]["energy_kwh"]


def test_watchdog(monkeypatch):
    import scipy.optimize

    real = scipy.optimize.milp

    def slow(**kwargs):
        time.sleep(3)
        return real(**kwargs)

    monkeypatch.setattr(scipy.optimize, "milp", slow)
    from greencart.ops import solver

    with pytest.raises(SolverTimeout, match="watchdog"):
        solver.solve([1.0], [[1.0]], [1.0], [1.0], bounds=([0.0], [10.0]), time_limit_s=0.5, watchdog_grace_s=0.5)


def test_hourly_plan_moves_work_to_clean_hours():
    pb = ProductionProblem((ProductDemand("p", 4),), (Machine("m", 100),),
                           (ProcessOption("p", "m", "fast", 1.0, 0.5), ProcessOption("p", "m", "eco", 0.8, 1.0)))
    intensity = [300.0, 300.0, 50.0, 50.0, 50.0, 300.0]
    dispatch = {"p": [0, 0, 0, 0, 0, 4.0]}
    r = plan_hourly(pb, intensity, dispatch=dispatch)
    ca = r["carbon_aware"]
    assert ca["status"] == "optimal"
    assert sum(ca["kwh_by_hour"][i] for i in (0, 1, 5)) == pytest.approx(0.0, abs=1e-6)
    # 3 clean hours: 2 eco (2 h) + 2 fast (1 h) = 3.6 kWh at 50 g beats 3 eco clean + 1 eco at 300 g
    assert ca["energy_kwh"] == pytest.approx(3.6)
    assert ca["carbon_kg_co2e"] == pytest.approx(3.6 * 50 / 1000)
    assert ca["units_by_mode"] == {"fast": pytest.approx(2.0), "eco": pytest.approx(2.0)}
    assert r["least_energy_asap"]["kwh_by_hour"][0] > 0  # the blind plan starts at once
    assert r["saved_vs_least_energy_asap"]["carbon_kg_co2e"] > 0


def test_hourly_infeasible():
    pb = one_product()
    with pytest.raises(PlanInfeasible, match="cannot be met within 3 h"):
        plan_hourly(pb, [100.0, 100.0, 100.0], dispatch={"p": [0, 0, 10.0]})
