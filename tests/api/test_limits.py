"""Body limits (413 naming the limit), slow bodies (408) and slow headers (connection
closed) on the middleware and on a real uvicorn server configured as `greencart serve` is."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
from fastapi import FastAPI, Request

from greencart.api.errors import install_error_handlers
from greencart.api.limits import MAX_BODY_BYTES, BodyLimitMiddleware, BodyLimits, install_limits
from greencart.api.server import ServerLimits, server_config
from greencart.errors import InvalidParameter


def echo_app(limits: BodyLimits | None = None) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/echo")
    async def echo(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    @app.get("/ping")
    def ping() -> dict:
        return {"ok": True}

    install_limits(app, limits)
    return app


@pytest.fixture(scope="module")
def server():
    """A real uvicorn server with the `serve` configuration, short timeouts, in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = server_config(echo_app(BodyLimits(max_body_bytes=1024, body_timeout_s=1.0)), "127.0.0.1", port,
                           ServerLimits(header_timeout_s=1.0, keep_alive_s=5))
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port
    srv.should_exit = True
    thread.join(timeout=10)


def test_limits_validate():
    with pytest.raises(InvalidParameter, match="max_body_bytes"):
        BodyLimits(max_body_bytes=0)
    with pytest.raises(InvalidParameter, match="header_timeout_s"):
        ServerLimits(header_timeout_s=0)


def test_oversized_body_is_413_naming_the_limit(server):
    base = f"http://127.0.0.1:{server}"
    assert httpx.post(base + "/echo", content=b"x" * 1024).json() == {"bytes": 1024}
    resp = httpx.post(base + "/echo", content=b"x" * 5000)
    assert resp.status_code == 413
    assert resp.json() == {"error": "PayloadTooLarge",
                           "detail": "The request body is 5000 bytes; the limit is 1024 bytes (1 KiB)"}


def test_chunked_oversized_body_is_413(server):
    def chunks():
        for _ in range(10):
            yield b"y" * 300

    resp = httpx.post(f"http://127.0.0.1:{server}/echo", content=chunks())
    assert resp.status_code == 413 and "limit is 1024 bytes" in resp.json()["detail"]


def _raw(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def test_slow_body_gets_408_and_the_connection_closes(server):
    sock = _raw(server)
    sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    started = time.monotonic()
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    elapsed = time.monotonic() - started
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), data
    assert json.loads(body)["error"] == "RequestTimeout"
    assert 0.8 < elapsed < 5, elapsed


def test_trickled_headers_are_cut_off(server):
    """One header byte every 0.2 s resets uvicorn's own keep-alive timer for ever; the
    header timeout closes the connection anyway."""
    sock = _raw(server)
    started = time.monotonic()
    closed_after = None
    request = b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    for byte in request:
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            closed_after = time.monotonic() - started
            break
        sock.settimeout(0.2)
        try:
            if sock.recv(1) == b"":
                closed_after = time.monotonic() - started
                break
        except TimeoutError:
            pass
    assert closed_after is not None and closed_after < 4, closed_after
    sock.close()
    assert httpx.get(f"http://127.0.0.1:{server}/ping").json() == {"ok": True}  # others are served


def test_requests_without_a_body_and_small_bodies_pass(server):
    base = f"http://127.0.0.1:{server}"
    with httpx.Client() as client:  # keep-alive: the header timer re-arms between requests
        for _ in range(3):
            assert client.get(base + "/ping").status_code == 200
            assert client.post(base + "/echo", content=b"12345678").json() == {"bytes": 8}


def test_default_limit_fits_the_largest_chat_turn():
    largest = json.dumps({"message": "\u4e2d" * 2000, "session": "s" * 64, "user": "u" * 128, "eco": 0.5})
    assert len(largest.encode()) < MAX_BODY_BYTES  # \\u escapes: 6 bytes a character


def test_middleware_replays_the_body_and_passes_disconnects():
    seen = []

    async def inner(scope, receive, send):
        seen.append(await receive())
        seen.append(await receive())

    async def run():
        messages = [{"type": "http.request", "body": b"ab", "more_body": True},
                    {"type": "http.request", "body": b"cd", "more_body": False},
                    {"type": "http.disconnect"}]

        async def receive():
            return messages.pop(0)

        async def send(message):
            raise AssertionError(f"nothing should be sent by the guard: {message}")

        scope = {"type": "http", "method": "POST", "headers": [(b"transfer-encoding", b"chunked")]}
        await BodyLimitMiddleware(inner)(scope, receive, send)

    asyncio.run(run())
    assert seen == [{"type": "http.request", "body": b"abcd", "more_body": False}, {"type": "http.disconnect"}]
