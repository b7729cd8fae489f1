"""POST /v1/chat (JSON and server-sent events) and GET /v1/sessions/{id} on a real uvicorn server."""

from __future__ import annotations

import json

import pytest
from conftest import live_server
from tests.assistant.conftest import PRODUCTS

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("chat-var"), PRODUCTS) as client:
        yield client


PRODUCT_KEYS = {"id", "title", "price", "currency", "footprint_kg_co2e", "footprint_low", "footprint_high",
                "footprint_method"}


def test_chat_json_two_turns_and_session(server):
    r = server.post("/v1/chat", json={"message": "white t-shirt under 20"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"reply", "products", "tier", "energy", "session"} <= set(body)
    assert body["products"] and all(set(p) == PRODUCT_KEYS for p in body["products"])
    assert all(p["price"] <= 20 for p in body["products"])
    assert body["energy"]["energy_j"] > 0 and body["energy"]["method"] and body["tier"] == "rules"
    r2 = server.post("/v1/chat", json={"message": "compare the first two", "session": body["session"]}).json()
    assert r2["intent"] == "compare" and r2["session"] == body["session"]
    state = server.get(f"/v1/sessions/{body['session']}").json()
    assert len(state["turns"]) == 4 and state["constraints"]["max_price"] == 20
    assert server.get("/v1/sessions/nope").status_code == 404


def test_chat_sse_events(server):
    events = []
    with server.stream("POST", "/v1/chat", json={"message": "50元以下的红色T恤", "eco": 1},
                       headers={"Accept": "text/event-stream"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    kinds = [e[0] for e in events]
    assert kinds[0] == "products" and kinds[-1] == "done" and "token" in kinds
    text = "".join(e[1]["text"] for e in events if e[0] == "token")
    assert "为你找到" in text
    done = events[-1][1]
    assert done["tier"] in ("rules", "cache") and done["energy"]["energy_j"] >= 0 and "turn_ms" in done["timings"]


def test_chat_rejects_bad_input(server):
    assert server.post("/v1/chat", json={"message": ""}).status_code == 422
    assert server.post("/v1/chat", json={"message": "x" * 3000}).status_code == 422
    assert server.post("/v1/chat", json={"message": "hi", "session": "../x"}).status_code == 422
    assert server.post("/v1/chat", json={"message": "\x00\x01"}).status_code == 422
    assert "/v1/chat" in server.get("/openapi.json").json()["paths"]
