"""RecommendService over a real store, the CLI commands and the HTTP routes."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from greencart.catalog.models import Product, Shopper
from greencart.config import Settings
from greencart.errors import ModelUnavailable, NotFound
from greencart.recommend.service import RecommendConfig, RecommendService
from greencart.store import catalog_repo
from greencart.store.footprint_repo import upsert_footprints

from .conftest import ITEMS_A, ITEMS_B, planted_interactions
from .test_rerank import footprint


def fill(db) -> None:
    products = [
        Product(id=p, title=f"Item {p}", category="home" if p[0] == "a" else "garden", price=10.0 + int(p[1:]))
        for p in ITEMS_A + ITEMS_B + ["a99"]
    ]
    interactions = planted_interactions()
    shoppers = [Shopper(id=u) for u in sorted({i.user_id for i in interactions})] + [Shopper(id="fresh")]
    with db.transaction() as s:
        catalog_repo.upsert_products(s, products)
        catalog_repo.upsert_shoppers(s, shoppers)
        catalog_repo.upsert_interactions(s, interactions)
        upsert_footprints(s, [(p.id, footprint(1.0 + (int(p.id[1:]) if p.id[1:].isdigit() else 5))) for p in products])


@pytest.fixture
def service(db, tmp_path):
    fill(db)
    settings = Settings(var_dir=tmp_path, database_url="sqlite:///" + str(tmp_path / "unused.db"))
    svc = RecommendService(settings, db, RecommendConfig(alpha=0.7))
    yield svc
    svc.close()


def test_train_then_recommend(service):
    with pytest.raises(ModelUnavailable, match="greencart train"):
        service.recommend("A1")
    report = service.train("ease")
    assert report.users == 60 and report.items == 21  # a99 was never bought: still a column and report.energy_j >= 0 and report.energy_method
    recs = service.recommend("A1", 3, alpha=1.0)
    assert {r.id for r in recs} <= set(ITEMS_A)
    assert all(r.footprint_kg_co2e is not None and r.reason for r in recs)
    assert all(r.price <= 12 for r in service.recommend("B1", 10, max_price=12))
    assert service.recommend("fresh", 3)  # a shopper with no history: popularity
    with pytest.raises(NotFound, match="No shopper with id 'ghost'"):
        service.recommend("ghost")
    assert service.greener("b7")[0].saving_kg_co2e > 0


def app_with(service) -> TestClient:
    from greencart.api.errors import install_error_handlers
    from greencart.api.routes_recommend import router

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.recommender = service
    return TestClient(app)


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_http_routes(service):
    service.train("itemknn")
    client = app_with(service)
    body = client.get("/v1/users/B2/recommendations", params={"k": 4, "alpha": 0.5, "category": "garden"}).json()
    assert body["count"] == 4 and body["alpha"] == 0.5
    assert all(i["category"] == "garden" and i["reason"] for i in body["items"])
    assert client.get("/v1/users/B2/recommendations", params={"alpha": 1.4}).status_code == 422
    assert client.get("/v1/users/B2/recommendations", params={"k": 0}).status_code == 422
    assert client.get("/v1/users/ghost/recommendations").status_code == 404
    swaps = client.get("/v1/products/b9/greener", params={"k": 3}).json()
    assert swaps["count"] == 3 and all(s["footprint_kg_co2e"] < 10 for s in swaps["items"])
    assert client.get("/v1/products/nope/greener").status_code == 404


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_cli_commands(service, monkeypatch):
    from greencart.cli import app
    from greencart.cli.recommend import register

    register(app)
    monkeypatch.setenv("GREENCART_VAR_DIR", str(service.settings.var_dir))
    monkeypatch.setenv("GREENCART_DATABASE_URL", str(service.db.engine.url))
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--model", "als", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["model"] == "als"
    res = runner.invoke(app, ["recommend", "A4", "--k", "3", "--alpha", "0.9", "--json"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.output)["items"]
    assert len(items) == 3
    assert set(items[0]) >= {"id", "title", "price", "score", "footprint_kg_co2e", "reason"}
    assert runner.invoke(app, ["recommend", "A4", "--alpha", "1.4"]).exit_code == 2


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_cli_evaluate_writes_table_json_and_curve(service, monkeypatch, tmp_path):
    from greencart.cli import app
    from greencart.cli.recommend import register

    register(app)
    monkeypatch.setenv("GREENCART_VAR_DIR", str(service.settings.var_dir))
    monkeypatch.setenv("GREENCART_DATABASE_URL", str(service.db.engine.url))
    out = tmp_path / "reports"
    res = CliRunner().invoke(app, ["evaluate", "--protocol", "leave-last-out", "--model", "ease", "--model",
                                   "popularity", "--seeds", "1", "--out-dir", str(out), "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.output)
    rows = {r["model"]: r for r in result["rows"]}
    assert rows["ease"]["ndcg_at_10"] > rows["popularity"]["ndcg_at_10"]
    assert rows["ease"]["energy_j_per_training"] >= 0 and "energy_j_per_1k_recs" in rows["ease"]
    assert {p["alpha"] for p in result["curve"]} >= {0.0, 1.0}
    assert (out / "recommend-eval.json").exists() and (out / "recommend-eval-curve-leave-last-out.png").exists()


def test_incremental_update_and_batch_scoring(service, db, tmp_path):
    from datetime import datetime

    from greencart.catalog.models import Interaction

    service.train("als")
    with db.transaction() as s:
        catalog_repo.upsert_shoppers(s, [Shopper(id="late")])
        catalog_repo.upsert_interactions(s, [Interaction("late", f"b{i}", "purchase", datetime(2025, 6, 1, i))
                                             for i in range(3)])
    report = service.update()
    assert report.users == 61  # 60 + "late" ("fresh" has no interactions: not a row)
    assert service.engine().model.data.has_user("late")
    assert {r.id for r in service.recommend("late", 3, alpha=1.0)} <= set(ITEMS_B)
    summary = service.recommend_all(tmp_path / "all.jsonl", 5)
    lines = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert summary["users"] == len(lines) == 61 and summary["energy_j_per_1k_recs"] >= 0
    first = next(x for x in lines if x["user_id"] == "A0")
    history = {i.product_id for i in planted_interactions() if i.user_id == "A0"}
    assert len(first["items"]) == 5 and not set(first["items"]) & history
