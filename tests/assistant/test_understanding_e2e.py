"""The issue's examples through POST /v1/chat (a real server, as the chat page calls it) and
`greencart ask`, on an English-only catalogue like an imported Online Retail one."""

from __future__ import annotations

import json

import pytest
from tests.assistant.test_understanding_classes import EN_TITLES
from typer.testing import CliRunner

from conftest import live_server
from greencart.catalog.models import Product

PRODUCTS = [Product(id=i, title=t, category="home-decor", price=p, weight_kg=0.2) for i, t, p in EN_TITLES]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("understand-var"), PRODUCTS) as client:
        yield client


def _titles(body: dict) -> list[str]:
    return [p["title"].casefold() for p in body["products"]]


def test_chat_api_examples(server):
    body = server.post("/v1/chat", json={"message": "a bag but not red"}).json()
    assert body["products"] and all("bag" in t and "red" not in t for t in _titles(body)) and "not red" in body["reply"]
    body = server.post("/v1/chat", json={"message": "看看蜡烛"}).json()
    assert body["products"] and all("candle" in t for t in _titles(body))
    body = server.post("/v1/chat", json={"message": "要粉色的", "session": body["session"]}).json()
    assert body["products"] and all("candle" in t and "pink" in t for t in _titles(body))
    body = server.post("/v1/chat", json={"message": "预算五英镑的蜡烛"}).json()
    assert body["products"] and all(p["price"] <= 5 for p in body["products"])
    body = server.post("/v1/chat", json={"message": "lantren, 3 quid tops"}).json()
    assert body["products"] and all("lantern" in t and p["price"] <= 3
                                    for t, p in zip(_titles(body), body["products"]))
    state = server.get(f"/v1/sessions/{body['session']}").json()
    assert state["constraints"]["max_price"] == 3


def test_chat_api_hostile_input_is_a_clear_error(server):
    assert server.post("/v1/chat", json={"message": "   "}).status_code == 422
    r = server.post("/v1/chat", json={"message": "不要" * 400})
    assert r.status_code == 200 and r.json()["reply"]


def test_greencart_ask_examples(tmp_path):
    from greencart import cli
    from greencart.store import catalog_repo, open_database

    db = open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()

    def ask(*args: str) -> dict:
        result = CliRunner().invoke(cli.app, ["--var-dir", str(tmp_path), "ask", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads([line for line in result.stdout.splitlines() if line.strip()][-1])

    body = ask("clocks max £12, anything except red")
    assert body["products"] and all("clock" in t and "red" not in t for t in _titles(body))
    body = ask("door mats")
    assert body["products"] and all("doormat" in t for t in _titles(body))
    body = ask("红色雨伞")
    assert _titles(body) == ["red retrospot umbrella"]
