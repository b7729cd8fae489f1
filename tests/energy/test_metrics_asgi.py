"""Prometheus exposition and the pure-ASGI middleware's X-Energy-* headers."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from greencart.energy.asgi import EnergyMiddleware, current_tags
from greencart.energy.metrics import metrics_app

from .conftest import burn_cpu


async def hello_app(scope, receive, send):
    assert scope["type"] == "http"
    current_tags()["tier"] = "deterministic"
    burn_cpu(20_000)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def get(app, path: str) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(run())


def test_middleware_adds_labelled_estimate_headers(make_monitor):
    m = make_monitor()
    done = []
    m.add_sink(done.append)
    resp = get(EnergyMiddleware(hello_app, m), "/search")
    assert resp.status_code == 200 and resp.text == "ok"
    assert float(resp.headers["x-energy-j"]) >= 0
    assert float(resp.headers["x-carbon-g"]) >= 0
    assert resp.headers["x-energy-method"] == "measured-estimate"
    m.close_window()
    assert [r.name for r in done] == ["http GET /search"]
    assert done[0].final and done[0].tags["tier"] == "deterministic"


def test_metrics_exposition(make_monitor):
    m = make_monitor()
    app = metrics_app(m)
    for _ in range(3):
        with m.unit("turn", tier="cache"):
            burn_cpu(5_000)
    m.close_window()
    text = get(app, "/").text
    assert 'greencart_work_unit_energy_joules_count{method="measured",name="turn",tier="cache"} 3.0' in text
    assert "greencart_work_unit_carbon_grams_bucket" in text
    assert "greencart_energy_idle_joules_total" in text
    assert 'greencart_energy_meter_info{meter="fake",method="measured"} 1.0' in text
    assert metrics_app(m) is not None and m.metrics.exposition().count(b"turn") >= 3


def test_metrics_label_cardinality_is_bounded(make_monitor, monkeypatch):
    import greencart.energy.metrics as metrics

    monkeypatch.setattr(metrics, "MAX_NAMES", 2)
    m = make_monitor()
    metrics_app(m)
    for name in ("a", "b", "c", "d"):
        with m.unit(name):
            pass
    m.close_window()
    text = m.metrics.exposition().decode()
    assert 'name="other"' in text and 'name="d"' not in text


def test_non_http_scopes_pass_through(make_monitor):
    m = make_monitor()
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    asyncio.run(EnergyMiddleware(app, m)({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"] and m.snapshot()["units_in_flight"] == 0


def test_unit_name_validation(make_monitor):
    from greencart.errors import InvalidParameter

    with pytest.raises(InvalidParameter, match="unit name"):
        make_monitor().unit("")
