"""Energy-aware production planning as an LP/MILP solved by HiGHS.

Variables: x[o] units made through process option o (product x machine x mode), y[o] in {0, 1} where an
option has a setup (MILP), and the makespan T. Constraints: every product's required units (forecast demand
plus safety stock) are made; each machine's hours (run + setup) are <= T and <= its capacity. Objectives:
- weighted: min E + lambda T (kWh + kWh/h x h); a tiny tie-break on T keeps T meaningful at lambda = 0;
- epsilon-constraint: min E subject to T <= epsilon, which also finds Pareto points a weighted sum misses.
The Pareto front sweeps epsilon from the shortest makespan to the makespan of the least-energy plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from greencart.errors import InvalidParameter
from greencart.ops.plan_model import ProductionProblem
from greencart.ops.solver import SOLVER, PlanInfeasible, Solution, solve

MAX_LAMBDA = 1e6
TIE = 1e-6


@dataclass
class _Matrices:
    c_energy: Any
    a: Any
    lb: Any
    ub: Any
    lower: Any
    upper: Any
    integrality: Any
    n_opt: int
    setup_idx: list[int]
    row_names: list[str]


def _matrices(pb: ProductionProblem, epsilon_h: float | None) -> _Matrices:
    import numpy as np

    opts = pb.options
    setup_idx = [i for i, o in enumerate(opts) if o.setup_h > 0 or o.setup_kwh > 0]
    n_opt, n_y = len(opts), len(setup_idx)
    n = n_opt + n_y + 1  # x..., y..., T
    t_col = n - 1
    rows, lb, ub, names = [], [], [], []
    p_index = {p.id: k for k, p in enumerate(pb.products)}
    for p in pb.products:  # demand
        r = np.zeros(n)
        r[[i for i, o in enumerate(opts) if o.product_id == p.id]] = 1.0
        rows.append(r), lb.append(p.required_units), ub.append(p.required_units)
        names.append(f"demand of product {p.id!r} ({p.required_units:g} units)")
    for m in pb.machines:  # load <= T and load <= capacity
        load = np.zeros(n)
        for i, o in enumerate(opts):
            if o.machine_id == m.id:
                load[i] = o.hours_per_unit
        for j, i in enumerate(setup_idx):
            if opts[i].machine_id == m.id:
                load[n_opt + j] = opts[i].setup_h
        span = load.copy()
        span[t_col] = -1.0
        rows += [span, load]
        lb += [-np.inf, -np.inf]
        ub += [0.0, m.capacity_h]
        names += [f"makespan of machine {m.id!r}", f"capacity of machine {m.id!r} ({m.capacity_h:g} h)"]
    for j, i in enumerate(setup_idx):  # x <= M y
        r = np.zeros(n)
        r[i], r[n_opt + j] = 1.0, -pb.products[p_index[opts[i].product_id]].required_units
        rows.append(r), lb.append(-np.inf), ub.append(0.0), names.append(f"setup link of option {i}")
    c_energy = np.zeros(n)
    c_energy[:n_opt] = [o.energy_kwh_per_unit for o in opts]
    for j, i in enumerate(setup_idx):
        c_energy[n_opt + j] = opts[i].setup_kwh
    integrality = np.zeros(n)
    integrality[n_opt : n_opt + n_y] = 1
    if pb.integer_units:
        integrality[:n_opt] = 1
    upper = np.full(n, np.inf)
    upper[n_opt : n_opt + n_y] = 1.0
    upper[t_col] = np.inf if epsilon_h is None else epsilon_h
    return _Matrices(c_energy, np.array(rows), np.array(lb), np.array(ub), np.zeros(n), upper,
                     integrality if integrality.any() else None, n_opt, setup_idx, names)


def _scale(pb: ProductionProblem) -> float:
    """kWh per hour of the problem, for tie-breaks that stay tiny whatever the units."""
    e = sum(p.required_units * min(o.energy_kwh_per_unit for o in pb.options if o.product_id == p.id)
            for p in pb.products)
    h = sum(p.required_units * min(o.hours_per_unit for o in pb.options if o.product_id == p.id)
            for p in pb.products)
    return (e + 1e-9) / (h + 1e-9)


def _run(pb: ProductionProblem, *, lam: float | None, epsilon_h: float | None, time_limit_s: float,
         minimise_time: bool = False) -> tuple[Solution, _Matrices]:
    mat = _matrices(pb, epsilon_h)
    c = mat.c_energy.copy()
    scale = _scale(pb)
    if minimise_time:
        c = c * TIE / scale
        c[-1] = 1.0
    else:
        c[-1] = (lam or 0.0) + TIE * scale
    sol = solve(c, mat.a, mat.lb, mat.ub, bounds=(mat.lower, mat.upper), integrality=mat.integrality,
                time_limit_s=time_limit_s)
    if sol.status == "infeasible":
        raise PlanInfeasible(diagnose(pb, epsilon_h, time_limit_s))
    if not sol.ok and sol.status != "time_limit":
        raise InvalidParameter(f"HiGHS returned status {sol.status!r} ({sol.message}); no plan was made")
    return sol, mat


def diagnose(pb: ProductionProblem, epsilon_h: float | None, time_limit_s: float = 10.0) -> str:
    """Name the binding constraint(s) of an infeasible plan: solve an elastic copy in which capacities and
    the makespan bound may stretch, minimising the stretch, and report what had to stretch and by how much."""
    import numpy as np

    mat = _matrices(pb, None)
    cap_rows = [k for k, name in enumerate(mat.row_names) if name.startswith("capacity")]
    n = mat.a.shape[1]
    n_slack = len(cap_rows) + (1 if epsilon_h is not None else 0)
    a = np.hstack([mat.a, np.zeros((mat.a.shape[0], n_slack))])
    for j, k in enumerate(cap_rows):
        a[k, n + j] = -1.0
    upper = np.concatenate([mat.upper, np.full(n_slack, np.inf)])
    extra_rows, extra_ub = [], []
    if epsilon_h is not None:  # T - s_eps <= epsilon
        r = np.zeros(n + n_slack)
        r[n - 1], r[-1] = 1.0, -1.0
        extra_rows.append(r), extra_ub.append(epsilon_h)
    a_all = np.vstack([a] + extra_rows) if extra_rows else a
    ub_all = np.concatenate([mat.ub, extra_ub]) if extra_rows else mat.ub
    lb_all = np.concatenate([mat.lb, [-np.inf] * len(extra_rows)]) if extra_rows else mat.lb
    c = np.concatenate([np.zeros(n), np.ones(n_slack)])
    sol = solve(c, a_all, lb_all, ub_all, bounds=(np.zeros(n + n_slack), upper), integrality=None,
                time_limit_s=time_limit_s)
    if not sol.ok:
        return f"the plan is infeasible and the elastic diagnosis failed ({sol.status})"
    slack = sol.x[n:]
    parts = [f"{mat.row_names[k]} is short by {slack[j]:.4g} h" for j, k in enumerate(cap_rows) if slack[j] > 1e-7]
    if epsilon_h is not None and slack[-1] > 1e-7:
        parts.append(f"makespan <= {epsilon_h:g} h cannot hold: the shortest feasible makespan is "
                     f"{epsilon_h + slack[-1]:.4g} h")
    return ("Infeasible plan: " + "; ".join(parts) + ". Add capacity, relax the bound or lower the demand"
            if parts else "Infeasible plan: no single capacity or makespan bound explains it")


def _report(pb: ProductionProblem, sol: Solution, mat: _Matrices, **extra: Any) -> dict[str, Any]:
    import numpy as np

    x = np.asarray(sol.x)
    energy = float(mat.c_energy @ x)
    loads = {m.id: 0.0 for m in pb.machines}
    for i, o in enumerate(pb.options):
        loads[o.machine_id] += o.hours_per_unit * x[i]
    for j, i in enumerate(mat.setup_idx):
        loads[pb.options[i].machine_id] += pb.options[i].setup_h * x[mat.n_opt + j]
    alloc = [{"product_id": o.product_id, "machine_id": o.machine_id, "mode": o.mode,
              "units": round(float(x[i]), 6)} for i, o in enumerate(pb.options) if x[i] > 1e-9]
    return {"status": sol.status, "mip_gap": sol.mip_gap, "solver": SOLVER, "solve_s": round(sol.solve_s, 5),
            "energy_kwh": round(energy, 6), "makespan_h": round(float(max(loads.values())), 6),
            "carbon_kg_co2e": round(energy * pb.intensity_g_per_kwh / 1000.0, 6),
            "carbon_method": f"modelled: kWh x {pb.intensity_g_per_kwh:g} gCO2e/kWh ({pb.intensity_source})",
            "machine_hours": {k: round(float(v), 6) for k, v in loads.items()}, "allocation": alloc, **extra}


def plan_weighted(pb: ProductionProblem, lam_kwh_per_h: float, *, time_limit_s: float = 10.0) -> dict[str, Any]:
    """min E + lambda T."""
    if not (0.0 <= lam_kwh_per_h <= MAX_LAMBDA):
        raise InvalidParameter(f"Expected lambda in [0, {MAX_LAMBDA:g}] kWh per hour of makespan, got {lam_kwh_per_h}")
    sol, mat = _run(pb, lam=lam_kwh_per_h, epsilon_h=None, time_limit_s=time_limit_s)
    return _report(pb, sol, mat, mode="weighted", lambda_kwh_per_h=lam_kwh_per_h)


def plan_epsilon(pb: ProductionProblem, max_makespan_h: float, *, time_limit_s: float = 10.0) -> dict[str, Any]:
    """min E subject to T <= epsilon (an infeasible epsilon names the shortest feasible makespan)."""
    if not (0.0 < max_makespan_h <= 1e6):
        raise InvalidParameter(f"Expected max_makespan_h in (0, 1e6], got {max_makespan_h}")
    sol, mat = _run(pb, lam=0.0, epsilon_h=max_makespan_h, time_limit_s=time_limit_s)
    return _report(pb, sol, mat, mode="epsilon", max_makespan_h=max_makespan_h)


def plan_fastest(pb: ProductionProblem, *, time_limit_s: float = 10.0) -> dict[str, Any]:
    """The shortest makespan (energy only as a tie-break): every line run as soon and as fast as it can."""
    sol, mat = _run(pb, lam=None, epsilon_h=None, time_limit_s=time_limit_s, minimise_time=True)
    return _report(pb, sol, mat, mode="fastest")


def pareto_front(pb: ProductionProblem, points: int = 9, *, time_limit_s: float = 10.0) -> list[dict[str, Any]]:
    """Epsilon-constraint sweep between the shortest makespan and the makespan of the least-energy plan;
    dominated and repeated points are dropped."""
    import numpy as np

    if not (2 <= points <= 101):
        raise InvalidParameter(f"Expected points in [2, 101], got {points}")
    t_min = plan_fastest(pb, time_limit_s=time_limit_s)["makespan_h"]
    t_max = plan_weighted(pb, 0.0, time_limit_s=time_limit_s)["makespan_h"]
    front: list[dict[str, Any]] = []
    for eps in np.linspace(t_min, max(t_min, t_max), points):
        p = plan_epsilon(pb, float(eps) * (1 + 1e-7) + 1e-6, time_limit_s=time_limit_s)
        front.append({k: p[k] for k in ("energy_kwh", "makespan_h", "carbon_kg_co2e", "status", "mip_gap")}
                     | {"epsilon_h": round(float(eps), 6)})
    front.sort(key=lambda q: (q["makespan_h"], q["energy_kwh"]))
    kept: list[dict[str, Any]] = []
    for q in front:
        if not kept or q["energy_kwh"] < kept[-1]["energy_kwh"] - 1e-6:
            kept.append(q)
    return kept


def compare_baselines(pb: ProductionProblem, *, time_limit_s: float = 10.0) -> dict[str, Any]:
    """kWh and kg CO2e saved at equal makespan: the least-energy plan within the makespan of the "all fast"
    plan (every unit in fast mode, lines balanced as soon as possible) against that plan; and the
    "all eco" plan for reference."""
    fast = plan_fastest(pb.restricted("fast"), time_limit_s=time_limit_s)
    best = plan_epsilon(pb, fast["makespan_h"] * (1 + 1e-7) + 1e-6, time_limit_s=time_limit_s)
    out = {"all_fast": _summary(fast), "optimised_at_equal_makespan": _summary(best)}
    if "eco" in pb.modes:
        out["all_eco"] = _summary(plan_weighted(pb.restricted("eco"), 0.0, time_limit_s=time_limit_s))
    saved = fast["energy_kwh"] - best["energy_kwh"]
    longer = plan_epsilon(pb, fast["makespan_h"] * 1.1, time_limit_s=time_limit_s)
    out["optimised_at_10pct_longer_makespan"] = _summary(longer)
    out["energy_kwh_saved_at_10pct_longer"] = round(fast["energy_kwh"] - longer["energy_kwh"], 6)
    out.update(energy_kwh_saved=round(saved, 6),
               energy_saved_share=round(saved / fast["energy_kwh"], 6) if fast["energy_kwh"] else None,
               carbon_kg_co2e_saved=round(saved * pb.intensity_g_per_kwh / 1000.0, 6))
    return out


def _summary(p: dict[str, Any]) -> dict[str, Any]:
    return {k: p[k] for k in ("energy_kwh", "makespan_h", "carbon_kg_co2e", "status", "mip_gap")}
