"""The stored day through the repository (SQLite and PostgreSQL), the service, the CLI and the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from tests.ops.routing.conftest import populate_day

from conftest import live_server
from greencart.errors import NotFound
from greencart.ops.routing.inputs import mix_fleet
from greencart.ops.routing.models import SolveParams
from greencart.ops.routing.service import RoutingService
from greencart.store import open_database
from greencart.store.routing_repo import busiest_days, order_delivery, orders_on

ROOT = Path(__file__).resolve().parents[3]
DAY = date(2025, 6, 2)
FAST = SolveParams(time_limit_s=10, max_iterations=200, seed=1)


def test_repository_weighs_the_day(day_db):
    with day_db.read() as s:
        rows = orders_on(s, DAY)
        assert len(rows) == 12 and busiest_days(s, 1) == [(DAY, 12)]
        one = order_delivery(s, "O0002")
    # O0002: product P2 (8 kg) x (1 + 2 % 2) = 8 kg; O0001: P1 (2 kg) x 2 = 4 kg
    weights = {r.order_id: r.weight_kg for r in rows}
    assert weights["O0002"] == pytest.approx(8.0) and weights["O0001"] == pytest.approx(4.0)
    assert one.weight_kg == pytest.approx(8.0) and one.ordered_at.date() == DAY


def test_service_plan_and_slots(day_db):
    svc = RoutingService(day_db)
    fleet = mix_fleet("mixed")
    stops = svc.day_stops(fleet, DAY)
    assert all(s.location_source.startswith("synthetic") for s in stops)
    plan = svc.plan(fleet, stops, DAY, "co2e", FAST)
    assert plan["stops"] == 12 and {r["method"] for r in plan["comparison"]} >= {"pyvrp-distance", "clarke-wright"}
    assert plan["emissions_basis"].startswith("well-to-wheel") and "diesel" in plan["sources"]
    slots = svc.slots("O0003", fleet, FAST)
    assert slots["planned_orders"] == 11 and slots["green_slot"]["available"]
    with pytest.raises(NotFound, match="field 'order'"):
        svc.slots("O9999", fleet, FAST)


def _cli(args: list[str], db_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GREENCART_LOCAL_LLM": "off"}
    return subprocess.run([sys.executable, "-m", "greencart.cli", "--database-url", db_url, *args],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def day_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("route") / "day.db"
    db = open_database(f"sqlite:///{path}", migrate=True)
    populate_day(db)
    db.dispose()
    return f"sqlite:///{path}"


def test_cli_plan_slots_and_errors(day_url, tmp_path):
    p = _cli(["route", "plan", "--date", "2025-06-02", "--iterations", "200", "--json"], day_url)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["date"] == "2025-06-02" and out["stops"] == 12 and out["compute"]["energy_j"] >= 0
    f = _cli(["route", "plan", "--orders", "examples/orders.csv", "--postcodes", "examples/postcodes.csv",
              "--fleet", "examples/fleet.yaml", "--iterations", "200", "--json"], day_url)
    assert f.returncode == 0, f.stderr
    assert json.loads(f.stdout)["stops"] == 6
    s = _cli(["route", "slots", "--order", "O0005", "--json"], day_url)
    assert s.returncode == 0, s.stderr and json.loads(s.stdout)["green_slot"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat,lon,weight_kg\nA,51.5,-0.1,1\nB,,,2\n")
    e = _cli(["route", "plan", "--orders", str(bad)], day_url)
    assert e.returncode == 4 and "line 3, field 'lat'" in e.stderr
    t = _cli(["route", "plan", "--date", "2025-06-02", "--time-limit", "1e9"], day_url)
    assert t.returncode == 2 and "time_limit_s" in t.stderr
    u = _cli(["route", "slots", "--order", "O9999"], day_url)
    assert u.returncode == 3 and "O9999" in u.stderr


def test_cli_bench_one_short_solve(day_url):
    from conftest import shared_file

    folder = shared_file("vrp/cvrp-x/X-n101-k25.vrp").parent
    b = _cli(["route", "bench", "--instances", "X-n101-k25", "--seconds-per-customer", "0.01",
              "--x-dir", str(folder), "--json"], day_url)
    assert b.returncode == 0, b.stderr
    row = json.loads(b.stdout)["rows"][0]
    assert row["bks_cost"] == 27591 and row["feasible"] and "energy_j" in row


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    populate_day(db)
    db.dispose()
    with live_server(var, []) as client:
        yield client


def test_api_plan_slots_page_and_errors(server):
    r = server.post("/v1/routes/plan", json={"date": "2025-06-02", "time_limit_s": 2, "max_iterations": 200,
                                             "save": True})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stops"] == 12 and len(body["stop_list"]) == 12 and body["route_list"] and body["plan_id"] >= 1
    latest = server.post("/v1/routes/plan", json={"max_iterations": 100, "compare": False}).json()
    assert latest["date"] == "2025-06-02" and latest["comparison"] == []
    orders = [{"id": "A", "lat": 51.53, "lon": -0.08, "weight_kg": 3}, {"id": "B", "lat": 51.51, "lon": -0.1,
                                                                          "weight_kg": 9, "window": "10:00-12:00"}]
    o = server.post("/v1/routes/plan", json={"orders": orders, "mix": "diesel", "max_iterations": 100})
    assert o.status_code == 200 and o.json()["stops"] == 2
    bad_fleet = server.post("/v1/routes/plan", json={"orders": orders, "fleet": {"vehicles": [{"type": "zeppelin"}]}})
    assert bad_fleet.status_code == 422 and "vehicles.0.type" in bad_fleet.json()["detail"]
    absurd = server.post("/v1/routes/plan", json={"time_limit_s": 1e6})
    assert absurd.status_code == 422 and "time_limit_s" in absurd.json()["detail"]
    heavy = server.post("/v1/routes/plan", json={"orders": [{"id": "H", "lat": 51.5, "lon": 0, "weight_kg": 5000}]})
    assert heavy.status_code == 422 and "weight_kg" in heavy.json()["detail"]
    nowhere = server.post("/v1/routes/plan", json={"orders": [{"id": "N", "weight_kg": 1}]})
    assert nowhere.status_code == 422 and "lat" in nowhere.json()["detail"]
    s = server.get("/v1/delivery/slots", params={"order": "O0004"})
    assert s.status_code == 200 and s.json()["green_slot"]["saving_kg_co2e_vs_mean"] >= 0
    assert s.json()["routes_basis"].startswith(f"saved plan {body['plan_id']}")
    unsaved = server.post("/v1/routes/plan", json={"orders": orders, "save": True, "max_iterations": 50})
    assert unsaved.status_code == 422 and "save" in unsaved.json()["detail"]
    assert server.get("/v1/delivery/slots", params={"order": "nope"}).status_code == 404
    page = server.get("/merchant/delivery")
    assert page.status_code == 200 and "route-map" in page.text


def test_saved_plan_is_what_slots_price_against(day_db):
    from greencart.store.routing_repo import latest_plan

    svc = RoutingService(day_db)
    fleet = mix_fleet("mixed")
    out = svc.plan(fleet, svc.day_stops(fleet, DAY), DAY, "co2e", FAST, compare=False, save=True)
    with day_db.read() as s:
        saved = latest_plan(s, DAY, "mixed")
        assert latest_plan(s, DAY, "diesel") is None
    assert saved["plan_id"] == out["plan_id"]
    assert [r["stop_ids"] for r in saved["route_list"]] == [list(r["stop_ids"]) for r in out["route_list"]]
    slots = svc.slots("O0003", fleet, FAST)
    assert slots["routes_basis"].startswith(f"saved plan {out['plan_id']}")
    assert slots["planned_orders"] == 11
    # O0003 was on a saved route: priced as if re-booked, the rest of its route kept
    joins = [s for s in slots["slots"] if s["how"] == "joins a planned route"]
    assert joins and slots["green_slot"]["marginal_co2e_kg"] <= min(s["marginal_co2e_kg"] for s in joins)


def test_migration_0005_and_a_database_that_predates_it(sqlite_db):
    from alembic import command
    from sqlalchemy import inspect

    from greencart.errors import StoreError
    from greencart.store.engine import _alembic_config
    from greencart.store.routing_repo import latest_plan, save_plan

    cfg = _alembic_config(sqlite_db.engine)
    assert inspect(sqlite_db.engine).has_table("route_plans")
    command.downgrade(cfg, "0003")
    assert not inspect(sqlite_db.engine).has_table("route_plans")
    with sqlite_db.read() as s:
        assert latest_plan(s, DAY, "mixed") is None  # slots then re-plan the day
    with pytest.raises(StoreError, match="greencart init"), sqlite_db.transaction() as s:
        save_plan(s, DAY, "mixed", {"method": "pyvrp-co2e", "stops": 0, "distance_km": 0, "co2e_kg": 0})
    command.upgrade(cfg, "head")
    with sqlite_db.transaction() as s:
        pid = save_plan(s, DAY, "mixed", {"method": "pyvrp-co2e", "stops": 0, "distance_km": 0, "co2e_kg": 0})
    with sqlite_db.read() as s:
        assert latest_plan(s, DAY, "mixed")["plan_id"] == pid
