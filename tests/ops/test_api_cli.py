"""The API on a real `greencart serve` process and the CLI, over the planted store; runs stored with energy."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import live_server
from greencart.cli.main import app
from greencart.store import open_database
from greencart.store import ops_repo
from tests.ops.conftest import fill, planted_products

ONE = {"products": [{"id": "p", "demand_units": 10}], "machines": [{"id": "m", "capacity_h": 100}],
       "options": [{"product_id": "p", "machine_id": "m", "mode": "fast", "energy_kwh_per_unit": 2,
                    "hours_per_unit": 1},
                   {"product_id": "p", "machine_id": "m", "mode": "eco", "energy_kwh_per_unit": 1.5,
                    "hours_per_unit": 1.3}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("opsapi")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    fill(db)
    db.dispose()
    with live_server(var, planted_products()) as client:
        yield client


def test_forecast_endpoint(server):
    r = server.get("/v1/forecasts", params={"level": "total"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["history"]) == 60 and len(body["forecast"]) == 4
    p = body["forecast"][0]
    assert p["lo_95"] <= p["lo_80"] <= p["mean"] <= p["hi_80"] <= p["hi_95"]
    assert body["run"]["energy_j"] > 0 and body["run"]["energy_method"] in ("modelled", "measured")
    again = server.get("/v1/forecasts", params={"level": "total"}).json()
    assert again["run"]["id"] == body["run"]["id"]  # read from the store, not recomputed
    prod = server.get("/v1/forecasts", params={"level": "product", "product": "P1"})
    assert prod.status_code == 200 and prod.json()["series_id"] == "P1"
    top = server.get("/v1/forecasts", params={"level": "product"})  # no id: the top product by revenue
    assert top.status_code == 200 and top.json()["series_id"] and top.json()["level"] == "product"


@pytest.mark.parametrize("params, status, text", [
    ({"level": "product", "product": "NOPE"}, 404, "NOPE"),
    ({"level": "galaxy", "series": "x"}, 422, "level"), ({"freq": "M"}, 422, "freq")])
def test_forecast_bad_input(server, params, status, text):
    r = server.get("/v1/forecasts", params=params)
    assert r.status_code == status and text in r.text


def test_production_plan_endpoint(server):
    r = server.post("/v1/plans/production", json={"problem": ONE, "mode": "weighted", "lambda_kwh_per_h": 0})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["status"] == "optimal" and plan["energy_kwh"] == pytest.approx(15.0)
    stored = server.get(f"/v1/plans/{plan['plan_id']}").json()
    assert stored["kind"] == "production" and stored["energy_j"] > 0 and stored["result"]["energy_kwh"] == 15.0
    front = server.post("/v1/plans/production", json={"from_forecast": {"top": 4}, "mode": "pareto", "points": 5})
    assert front.status_code == 200, front.text
    assert len(front.json()["front"]) >= 2 and front.json()["baselines"]["all_fast"]["status"] == "optimal"


@pytest.mark.parametrize("body, status, text", [
    ({"problem": {**ONE, "machines": [{"id": "m", "capacity_h": 8}]}, "mode": "epsilon", "max_makespan_h": 50},
     409, "capacity of machine 'm' (8 h) is short by"),
    ({"problem": ONE, "mode": "epsilon", "max_makespan_h": 5}, 409, "shortest feasible makespan is 10 h"),
    ({"problem": ONE, "mode": "weighted", "lambda_kwh_per_h": -2}, 422, "lambda"),
    ({"problem": ONE, "bogus": 1}, 422, "bogus"),
    ({"problem": {**ONE, "products": [{"id": "p", "demand_units": -5}]}}, 422, "demand_units")])
def test_production_bad_input(server, body, status, text):
    """Out-of-range or unknown fields are refused by the schema (422); a plan that cannot hold is a 409."""
    r = server.post("/v1/plans/production", json=body)
    assert r.status_code == status and text in r.json()["detail"], r.text


def test_replenishment_endpoint(server):
    body = {"top": 6, "params": {"holdout_periods": 6, "calibration_periods": 4, "carbon_price_per_kg": 1.0},
            "supply": {"options": [{"name": "sea", "unit_cost": 1.0, "kg_co2e_per_unit": 0.1, "fixed_cost": 50},
                                   {"name": "road", "unit_cost": 1.2, "kg_co2e_per_unit": 0.5}]}}
    r = server.post("/v1/plans/replenishment", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert [p["policy"] for p in out["policies"]] == ["naive_last_period", "newsvendor", "s_S"]
    assert out["energy"]["energy_j"] > 0
    assert out["supply"]["chosen"]["status"] == "optimal" and out["supply"]["kg_co2e_saved"] >= 0
    bad = server.post("/v1/plans/replenishment", json={"params": {"shelf_life_periods": 0}})
    assert bad.status_code == 422 and "shelf_life_periods" in bad.text


def test_cli(planted_db_url):
    runner = CliRunner()
    base = ["--database-url", planted_db_url]
    r = runner.invoke(app, [*base, "forecast", "--level", "category", "--horizon", "4", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["series"] == 2 and len(res["points"]) == 8 and res["energy"]["energy_j"] > 0
    r = runner.invoke(app, [*base, "forecast", "evaluate", "--level", "category", "--model", "adida", "--json"])
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout)["levels"]["category"]
    assert {row["model"] for row in ev["rows"]} == {"seasonal_naive", "adida"}
    r = runner.invoke(app, [*base, "plan", "production", "--top", "3", "--lambda", "1", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status"] == "optimal"
    r = runner.invoke(app, [*base, "plan", "production", "--top", "3", "--max-makespan", "0.001"])
    assert r.exit_code != 0
    db = open_database(planted_db_url)
    with db.read() as s:
        kinds = {run.kind for run in ops_repo.list_forecast_runs(s)}
        plans = ops_repo.list_plans(s, kind="production")
    db.dispose()
    assert kinds == {"forecast", "evaluate"} and plans and plans[0]["energy_j"] > 0


def test_repo_roundtrip(db):
    """The 0004 tables on SQLite and PostgreSQL: a run, its points and a plan."""
    from datetime import datetime

    energy = {"duration_s": 1.0, "energy_j": 2.0, "energy_low_j": 1.0, "energy_high_j": 3.0, "energy_method": "modelled"}
    with db.transaction() as s:
        run_id = ops_repo.record_forecast_run(
            s, kind="forecast", level="total", freq="W", model="adida", horizon=1, n_series=1, params={},
            metrics={"labels": []}, energy=energy,
            points=[{"series_id": "total", "ds": datetime(2024, 1, 1), "mean": 1.0, "lo_80": 0.5, "hi_80": 1.5,
                     "lo_95": 0.2, "hi_95": 2.0, "label": None}])
        plan_id = ops_repo.record_plan(s, kind="production", status="optimal", objective=1.0, request={"a": 1},
                                       result={"b": 2}, energy=energy)
    with db.read() as s:
        assert ops_repo.latest_forecast_run(s, level="total").id == run_id
        assert ops_repo.forecast_points(s, run_id)[0]["hi_95"] == 2.0
        assert ops_repo.get_plan(s, plan_id)["result"] == {"b": 2}


@pytest.mark.shared_data
def test_cli_hourly_plan_on_the_gb_grid(planted_db_url):
    from conftest import shared_file

    grid = shared_file("grid/GB_2024_hourly.csv")
    runner = CliRunner()
    r = runner.invoke(app, ["--database-url", planted_db_url, "plan", "production", "--top", "2", "--grid-csv",
                            str(grid), "--start", "2024-04-08T00:00:00", "--hours", "48", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["mode"] == "hourly" and res["hours"] == 48 and "GB_2024_hourly.csv" in res["intensity_source"]
    ca, blind = res["carbon_aware"], res["least_energy_asap"]
    assert ca["carbon_kg_co2e"] <= blind["carbon_kg_co2e"] + 1e-9
