"""POST /v1/chat (JSON and server-sent events) and GET /v1/sessions/{id} on a real uvicorn server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from tests.assistant.conftest import PRODUCTS

from greencart.store import catalog_repo, open_database

# Until create_app includes the chat router itself, the launcher includes it (once).
LAUNCHER = """
import sys, uvicorn
from greencart.api import create_app
from greencart.api.routes_chat import router
from greencart.config import Settings
app = create_app(Settings.from_env())
if not any(getattr(r, "path", "") == "/v1/chat" for r in app.routes):
    app.include_router(router)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("chat-var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()
    port = _free_port()
    env = {**os.environ, "GREENCART_VAR_DIR": str(var)}
    env.pop("GREENCART_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read()}")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise AssertionError("server did not answer /health within 60 s")
    with httpx.Client(base_url=base, timeout=60) as client:
        yield client
    proc.terminate()
    proc.wait(timeout=10)


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
