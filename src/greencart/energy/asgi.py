"""Pure-ASGI middleware: every HTTP request is a work unit; responses carry its cost.

The headers are sent with the response start, before the sampler window that
contains the request has closed, so they carry the *estimate* (the request's
CPU-seconds so far x the last window's J per CPU-second) and say so:
``X-Energy-Method: modelled-estimate`` (or ``measured-estimate``). The ledger
and /metrics get the attributed figure once the window closes.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from greencart.energy.workunit import current_unit

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class EnergyMiddleware:
    """Wrap an ASGI app: ``app = EnergyMiddleware(app, monitor)``.

    The unit is named ``http <METHOD> <route template or path>``; a handler may
    add tags (``tier``) through :func:`current_tags`. Sync endpoints run in a
    thread pool: wrap them with ``@monitor.track`` so their CPU is attributed
    (rolled up into the request), or run the monitor with ``cpu_clock="process"``.
    """

    def __init__(self, app: ASGIApp, monitor: Any, *, skip_paths: tuple[str, ...] = ("/metrics",)) -> None:
        self.app = app
        self.monitor = monitor
        self.skip_paths = skip_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in self.skip_paths:
            await self.app(scope, receive, send)
            return
        name = f"http {scope.get('method', 'GET')} {scope.get('path', '/')}"
        ctx = self.monitor.unit(name[:120], kind="http")
        unit = ctx.__enter__()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                route = scope.get("route")
                if route is not None and getattr(route, "path", None):
                    unit.name = f"http {scope.get('method', 'GET')} {route.path}"[:120]
                est = self.monitor.estimate_now(unit)
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-energy-j", f"{est.energy_j:.6g}".encode()),
                    (b"x-carbon-g", f"{est.carbon_g:.6g}".encode()),
                    (b"x-energy-method", est.method.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            ctx.__exit__(None, None, None)


def current_tags() -> dict[str, Any]:
    """The tags dict of the unit in flight (empty dict when none): add ``tier`` here."""
    unit = current_unit.get()
    return unit.tags if unit is not None else {}
