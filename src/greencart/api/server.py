"""Running the API under uvicorn with timeouts, so a slow client cannot hold the server.

- request headers must be complete within ``header_timeout_s`` of the connection
  opening (or of the previous response on a kept-alive connection), else the
  connection is closed: uvicorn alone waits for ever on a client that trickles a
  header byte at a time (its keep-alive timer is reset by every byte);
- the body must arrive within :data:`greencart.api.limits.BODY_TIMEOUT_S` (408) and
  stay under its size limit (413): :mod:`greencart.api.limits`;
- idle kept-alive connections close after ``keep_alive_s``;
- past ``limit_concurrency`` open connections or tasks, requests get 503 at once;
- on shutdown, requests in flight get ``graceful_shutdown_s`` to finish.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from greencart.errors import InvalidParameter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerLimits:
    header_timeout_s: float = 10.0
    keep_alive_s: int = 5
    limit_concurrency: int = 256
    graceful_shutdown_s: int = 10

    def __post_init__(self) -> None:
        for name in ("header_timeout_s", "keep_alive_s", "limit_concurrency", "graceful_shutdown_s"):
            value = getattr(self, name)
            if not 0 < value <= 100_000:
                raise InvalidParameter(f"Expected {name} in (0, 100000], got {value}")


def header_timeout_protocol(header_timeout_s: float) -> type:
    """uvicorn's h11 protocol, closing connections whose request headers are late."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutProtocol(H11Protocol):
        _header_timer: Any = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request's headers are due within the timeout too

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout_s, self._expired)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _expired(self) -> None:
            self._header_timer = None
            if self.transport.is_closing() or (self.cycle is not None and not self.cycle.response_complete):
                return  # closed already, or a request arrived and is being served
            log.warning("Closing a connection from %s: no complete request headers within %g s",
                        self.client, header_timeout_s)
            self.transport.close()

    return HeaderTimeoutProtocol


def server_config(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> Any:
    """A ``uvicorn.Config`` for ``app`` with the timeouts of :class:`ServerLimits`."""
    import uvicorn

    limits = limits or ServerLimits()
    return uvicorn.Config(
        app, host=host, port=port, log_level="info",
        http=header_timeout_protocol(limits.header_timeout_s),
        timeout_keep_alive=limits.keep_alive_s,
        limit_concurrency=limits.limit_concurrency,
        timeout_graceful_shutdown=limits.graceful_shutdown_s,
    )


def run_server(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> None:
    """Serve ``app`` until interrupted."""
    import uvicorn

    uvicorn.Server(server_config(app, host, port, limits)).run()
