"""Plan requests (JSON in, plan out), shared by the CLI and the API.

Production: ``{"problem": {...}}`` (products, machines, options) or ``{"from_forecast": {"top": 10}}`` (the
illustrative plant of ``plan_model.example_problem`` over the newest stored product forecast), with
``mode`` = weighted (``lambda_kwh_per_h``), epsilon (``max_makespan_h``), pareto (front + baselines) or hourly
(``intensity_g_per_kwh`` list: the carbon-aware hourly plan). Replenishment: ``{"top": 50, "params": {...}}``.
"""

from __future__ import annotations

from typing import Any

from greencart.errors import InvalidParameter

MODES = ("weighted", "epsilon", "pareto", "hourly")
KEYS = {"problem", "from_forecast", "mode", "lambda_kwh_per_h", "max_makespan_h", "points", "time_limit_s",
        "intensity_g_per_kwh", "intensity_source"}


def forecast_demand(db: Any, *, top: int = 10, freq: str = "W") -> dict[str, float]:
    """Units per product over the horizon of the newest stored product forecast (the ``top`` largest)."""
    from greencart.store.ops_repo import forecast_points, latest_forecast_run

    if not (1 <= top <= 500):
        raise InvalidParameter(f"Expected top in [1, 500], got {top}")
    with db.read() as s:
        run = latest_forecast_run(s, level="product", freq=freq)
        if run is None:
            raise InvalidParameter("Expected a stored product forecast: run `greencart forecast --level product` first")
        points = forecast_points(s, run.id)
    demand: dict[str, float] = {}
    for p in points:
        demand[p["series_id"]] = demand.get(p["series_id"], 0.0) + float(p["mean"])
    ranked = sorted(((v, k) for k, v in demand.items() if v > 0), reverse=True)[:top]
    if not ranked:
        raise InvalidParameter("Expected some positive forecast demand; the newest forecast is all zero")
    return {k: round(v, 3) for v, k in ranked}


def build_problem(request: dict[str, Any], db: Any = None) -> Any:
    from greencart.ops.plan_model import ProductionProblem, example_problem

    unknown = sorted(set(request) - KEYS)
    if unknown:
        raise InvalidParameter(f"Expected request keys from {sorted(KEYS)}, got unknown {unknown}")
    if "problem" in request:
        return ProductionProblem.from_dict(request["problem"])
    spec = request.get("from_forecast")
    if spec is None:
        raise InvalidParameter("Expected 'problem' (products, machines, options) or 'from_forecast' in the request")
    if db is None:
        raise InvalidParameter("'from_forecast' needs the store")
    demand = forecast_demand(db, top=int(spec.get("top", 10)))
    return example_problem(demand, machines=int(spec.get("machines", 3)),
                           capacity_slack=float(spec.get("capacity_slack", 1.5)),
                           safety_share=float(spec.get("safety_share", 0.1)))


def run_production(request: dict[str, Any], db: Any = None) -> dict[str, Any]:
    from greencart.ops import plan as lp
    from greencart.ops.plan_carbon import plan_hourly

    pb = build_problem(request, db)
    mode = request.get("mode", "pareto")
    if mode not in MODES:
        raise InvalidParameter(f"Expected mode in {MODES}, got {mode!r}")
    limit = float(request.get("time_limit_s", 10.0))
    head = {"mode": mode, "problem": {"products": len(pb.products), "machines": len(pb.machines),
                                      "options": len(pb.options), "notes": list(pb.notes)}}
    if mode == "weighted":
        if "lambda_kwh_per_h" not in request:
            raise InvalidParameter("Expected lambda_kwh_per_h for mode 'weighted'")
        plan = lp.plan_weighted(pb, float(request["lambda_kwh_per_h"]), time_limit_s=limit)
        return {**head, **plan, "objective": plan["energy_kwh"] + plan["lambda_kwh_per_h"] * plan["makespan_h"]}
    if mode == "epsilon":
        if "max_makespan_h" not in request:
            raise InvalidParameter("Expected max_makespan_h for mode 'epsilon'")
        plan = lp.plan_epsilon(pb, float(request["max_makespan_h"]), time_limit_s=limit)
        return {**head, **plan, "objective": plan["energy_kwh"]}
    if mode == "hourly":
        intensity = request.get("intensity_g_per_kwh")
        if not isinstance(intensity, list) or not intensity:
            raise InvalidParameter("Expected intensity_g_per_kwh: a list of hourly gCO2e/kWh for mode 'hourly'")
        out = plan_hourly(pb, [float(v) for v in intensity], source=str(request.get("intensity_source", "given")),
                          time_limit_s=limit)
        return {**head, **out, "status": out["carbon_aware"]["status"],
                "objective": out["carbon_aware"]["carbon_kg_co2e"]}
    front = lp.pareto_front(pb, int(request.get("points", 9)), time_limit_s=limit)
    baselines = lp.compare_baselines(pb, time_limit_s=limit)
    return {**head, "status": "optimal" if all(p["status"] == "optimal" for p in front) else "partial",
            "objective": None, "front": front, "baselines": baselines,
            "carbon_method": f"modelled: kWh x {pb.intensity_g_per_kwh:g} gCO2e/kWh ({pb.intensity_source})"}


def run_replenishment_request(db: Any, request: dict[str, Any]) -> dict[str, Any]:
    from greencart.ops.demand import DemandSpec, load_demand
    from greencart.ops.replenish import ReplenishParams, run_replenishment
    from greencart.store.ops_repo import product_facts

    unknown = sorted(set(request) - {"top", "params", "freq", "source", "supply"})
    if unknown:
        raise InvalidParameter(f"Expected request keys from ['freq', 'params', 'source', 'supply', 'top'], "
                               f"got unknown {unknown}")
    top = int(request.get("top", 50))
    if not (1 <= top <= 1000):
        raise InvalidParameter(f"Expected top in [1, 1000], got {top}")
    try:
        params = ReplenishParams(**(request.get("params") or {}))
    except TypeError as exc:
        raise InvalidParameter(f"Expected replenishment params from ReplenishParams: {exc}") from None
    freq = request.get("freq", "W")
    data = load_demand(db, DemandSpec(level="product", freq=freq, top=top, source=request.get("source")))
    with db.read() as s:
        facts = product_facts(s, list(data.series["unique_id"].unique()))
    out = run_replenishment(data.series, facts, params, freq)
    if request.get("supply"):
        out["supply"] = _supply(request["supply"], out, params)
    return {"status": "simulated", "objective": None, **out}


def _supply(spec: dict[str, Any], out: dict[str, Any], params: Any) -> dict[str, Any]:
    """Supplier / transport choice (``ops.supply``) for the units the newsvendor policy ordered."""
    from greencart.ops.supply import SupplyOption, choose_supply

    try:
        options = [SupplyOption(**o) for o in spec["options"]]
    except (KeyError, TypeError) as exc:
        raise InvalidParameter(f"Expected supply.options: a list of SupplyOption fields: {exc}") from None
    units = next(p["ordered_units"] for p in out["policies"] if p["policy"] == "newsvendor")
    if units <= 0:
        return {"note": "the newsvendor policy ordered nothing"}
    return choose_supply(units, options, carbon_price_per_kg=params.carbon_price_per_kg,
                         max_lead_time_periods=spec.get("max_lead_time_periods"))
