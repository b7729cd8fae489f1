"""Request body limits: too large gets 413, too slow gets 408, both as the Problem body.

:class:`BodyLimitMiddleware` is plain ASGI. A request that announces a body
larger than ``max_body_bytes`` (Content-Length) is answered 413 before any of it
is read; a body sent without a length (chunked) is read up to the limit and
answered 413 as soon as it passes it. The body must arrive within
``body_timeout_s`` in all (and no gap may be longer than that), or the answer is
408 and the connection is closed: a slow client holds no worker thread, because
the endpoint only runs once the whole body is in. Requests without a body pass
straight through.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from greencart.errors import InvalidParameter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 64 * 1024  # a chat turn is at most 2,000 characters: 64 KiB leaves ample room
BODY_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class BodyLimits:
    max_body_bytes: int = MAX_BODY_BYTES
    body_timeout_s: float = BODY_TIMEOUT_S

    def __post_init__(self) -> None:
        if not 1 <= self.max_body_bytes <= 1 << 30:
            raise InvalidParameter(f"Expected max_body_bytes in [1, 2**30], got {self.max_body_bytes}")
        if not 0 < self.body_timeout_s <= 3600:
            raise InvalidParameter(f"Expected body_timeout_s in (0, 3600], got {self.body_timeout_s}")


class _Refused(Exception):
    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


async def _send_problem(send: Send, refused: _Refused) -> None:
    from greencart.api.errors import problem

    response = problem(refused.status, refused.error, refused.detail, headers={"Connection": "close"})
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


class BodyLimitMiddleware:
    """413 past ``max_body_bytes``, 408 past ``body_timeout_s``; see the module docstring."""

    def __init__(self, app: ASGIApp, limits: BodyLimits | None = None) -> None:
        self.app = app
        self.limits = limits or BodyLimits()

    def _too_large(self, size: str) -> _Refused:
        limit = self.limits.max_body_bytes
        return _Refused(413, "PayloadTooLarge",
                        f"The request body is {size} bytes; the limit is {limit} bytes ({limit // 1024} KiB)")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        chunked = b"chunked" in (_header(scope, b"transfer-encoding") or b"").lower()
        if length is None and not chunked:
            await self.app(scope, receive, send)
            return
        try:
            if length is not None and length.strip().isdigit() and int(length) > self.limits.max_body_bytes:
                raise self._too_large(length.decode().strip())
            body = await self._read_body(receive)
        except _Refused as refused:
            await _send_problem(send, refused)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes:
        deadline = time.monotonic() + self.limits.body_timeout_s
        parts: list[bytes] = []
        size = 0
        while True:
            left = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise _Refused(408, "RequestTimeout", f"The request body did not arrive within "
                               f"{self.limits.body_timeout_s:g} s; send it whole, promptly") from None
            if message["type"] == "http.disconnect":
                raise _Refused(400, "BadRequest", "The client disconnected before the body was complete")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limits.max_body_bytes:
                raise self._too_large(f"more than {self.limits.max_body_bytes}")
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once, then the real channel (so disconnects are still seen)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def install_limits(app: FastAPI, limits: BodyLimits | None = None) -> FastAPI:
    """Add the body guard as the outermost middleware; returns ``app``."""
    app.add_middleware(BodyLimitMiddleware, limits=limits or BodyLimits())
    return app
