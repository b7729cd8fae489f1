"""One error model: declared on every operation of every router, produced by every failure,
and schema bounds that refuse what the code would refuse (and nothing else)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from greencart.api import create_app
from greencart.api.errors import ERROR_STATUSES, error_responses
from greencart.config import Settings
from greencart.store import catalog_repo, open_database
from served_catalogue import products

ERROR_CODES = {str(s) for s in ERROR_STATUSES}


def _settings(tmp: Path) -> Settings:
    return Settings(var_dir=tmp, database_url=f"sqlite:///{tmp / 'greencart.db'}")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("errors")
    db = open_database(f"sqlite:///{tmp / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, products())
    db.dispose()
    app = create_app(_settings(tmp))
    boom = APIRouter()

    @boom.get("/v1/boom")
    def explode() -> dict:
        raise RuntimeError("secret internals")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_problem(resp, status: int, error: str, needle: str = "") -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error", "detail"} and isinstance(body["detail"], str), body
    assert body["error"] == error and needle in body["detail"], body
    return body


def test_every_operation_declares_the_problem_body(tmp_path):
    app = create_app(_settings(tmp_path))
    later = APIRouter(prefix="/v1/later")  # a router added after the app is assembled, no responses=

    @later.get("/thing")
    def thing(n: int = 1) -> dict:
        return {"n": n}

    app.include_router(later)
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["error", "detail"] and schemas["Problem"]["additionalProperties"] is False
    operations = [(path, m, op) for path, item in spec["paths"].items() for m, op in item.items()]
    assert len(operations) >= 13 and any(path == "/v1/later/thing" for path, _, _ in operations)
    for path, method, op in operations:
        declared = op["responses"]
        assert ERROR_CODES <= set(declared), (method, path, sorted(declared))
        for code in ERROR_CODES:
            assert declared[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    chat = spec["paths"]["/v1/chat"]["post"]["responses"]["200"]
    assert chat["links"]["GetSession"]["parameters"] == {"session_id": "$response.body#/session"}
    assert "text/event-stream" in chat["content"]


def test_error_responses_helper_for_new_routers():
    declared = error_responses(404, descriptions={404: "No such order"})
    assert set(declared) == {404} and declared[404]["description"] == "No such order"
    assert set(error_responses()) == set(ERROR_STATUSES)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "error", "needle"),
    [
        ("get", "/v1/products/NOPE", {}, 404, "NotFound", "NOPE"),
        ("get", "/v1/sessions/nope", {}, 404, "NotFound", "nope"),
        ("get", "/v1/nowhere", {}, 404, "NotFound", "No route GET /v1/nowhere"),
        ("delete", "/v1/products", {}, 405, "MethodNotAllowed", "allowed: GET"),
        ("get", "/v1/products", {"params": {"offset": -1}}, 422, "InvalidParameter", "offset"),
        # beyond 64-bit integers: refused by the schema, never reaches the database (a 500 before)
        ("get", "/v1/products", {"params": {"offset": "36037328956912967680"}}, 422, "InvalidParameter", "offset"),
        ("get", "/v1/products", {"params": {"category": ""}}, 422, "InvalidParameter", "category"),
        ("get", "/v1/products/search", {"params": {"q": "x", "colour": "  "}}, 422, "InvalidParameter", "colour"),
        ("get", "/v1/energy/series", {"params": {"until": "AAA"}}, 422, "InvalidParameter", "RFC 3339"),
        ("get", "/v1/energy/summary", {"params": {"since": "0.5"}}, 422, "InvalidParameter", "since"),
        ("post", "/v1/chat", {}, 422, "InvalidParameter", "body"),
        ("post", "/v1/chat", {"json": {"message": "hi", "eco": True}}, 422, "InvalidParameter", "eco"),
        ("post", "/v1/chat", {"json": {"message": "\x01 🌱"}}, 422, "InvalidParameter", "message"),
        ("post", "/v1/chat", {"content": b"{not json", "headers": {"content-type": "application/json"}},
         422, "InvalidParameter", "JSON"),
        ("get", "/v1/boom", {}, 500, "InternalError", "logged"),
    ],
)
def test_every_failure_has_the_one_shape(client, method, path, kwargs, status, error, needle):
    body = assert_problem(getattr(client, method)(path, **kwargs), status, error, needle)
    assert "secret" not in body["detail"]


def test_method_not_allowed_names_the_allowed_methods(client):
    resp = client.delete("/v1/products")
    assert resp.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/products/search", {"q": "lantern", "min_price": 10, "max_price": 5}),  # no price fits: empty
        ("/v1/products", {"min_price": 10, "max_price": 5}),
        ("/v1/energy/summary", {"until": "0379-04-29T18:14:57+16:36"}),  # clamped to 2000-01-01
        ("/v1/energy/summary", {"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}),
        ("/v1/energy/series", {"until": "2769-02-12T17:17:33.19Z", "by": "route"}),
        ("/v1/energy/series", {"bucket": "day", "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}),
    ],
)
def test_schema_valid_requests_are_accepted(client, path, params):
    resp = client.get(path, params=params)
    assert resp.status_code == 200, resp.text


def test_windows_are_clamped_and_said(client):
    summary = client.get("/v1/energy/summary", params={"since": "1900-01-01T00:00:00Z"}).json()
    assert summary["since"] == "2000-01-01T00:00:00+00:00"
    series = client.get("/v1/energy/series", params={"since": "2026-01-01T00:00:00Z",
                                                       "until": "2026-01-03T00:00:00Z"}).json()
    assert series["until"] == "2026-01-03T00:00:00+00:00" and series["since"] == "2026-01-02T00:00:00+00:00"
    empty = client.get("/v1/energy/series", params={"bucket": "day", "since": "2026-01-05T00:00:00Z",
                                                      "until": "2026-01-01T00:00:00Z"}).json()
    assert empty["since"] == empty["until"] and empty["buckets"] == []
