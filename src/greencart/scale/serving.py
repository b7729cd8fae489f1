"""``greencart serve --workers N``: uvicorn worker processes sharing one database.

Each worker imports :func:`app_from_env` and builds its own app (its own energy
monitor, pools and models) from the settings the parent put in the environment.
Dialogue state and the semantic cache must then live outside the process:
PostgreSQL (the default when the database is PostgreSQL) or Redis
(``GREENCART_REDIS_URL``); with SQLite and no Redis each worker would keep its
own sessions, so that combination is refused.
"""

from __future__ import annotations

import os
from typing import Any

from greencart.errors import ConfigError


def settings_env(settings: Any) -> dict[str, str]:
    """The ``GREENCART_*`` variables that rebuild ``settings`` in a worker."""
    env = {"GREENCART_VAR_DIR": str(settings.var_dir), "GREENCART_DATABASE_URL": settings.database_url,
           "GREENCART_HOST": settings.host, "GREENCART_PORT": str(settings.port),
           "GREENCART_INDEX_DIR": str(settings.index_dir)}
    if getattr(settings, "redis_url", ""):
        env["GREENCART_REDIS_URL"] = settings.redis_url
    return env


def check_shared_state(settings: Any, workers: int) -> None:
    if workers > 1 and settings.is_sqlite and not getattr(settings, "redis_url", ""):
        raise ConfigError(
            f"Expected PostgreSQL (GREENCART_DATABASE_URL=postgresql+psycopg://...) or GREENCART_REDIS_URL "
            f"for --workers {workers}: with SQLite alone each worker would keep its own sessions")


def serve_workers(settings: Any, workers: int) -> None:
    """uvicorn with ``workers`` processes and the single-process server's limits (api/server.py)."""
    import uvicorn

    from greencart.api.server import ServerLimits

    check_shared_state(settings, workers)
    os.environ.update(settings_env(settings))
    limits = ServerLimits()
    uvicorn.run("greencart.scale.serving:app_from_env", factory=True, host=settings.host, port=settings.port,
                workers=workers, log_level="info", http="greencart.scale.serving:HeaderTimeoutH11",
                timeout_keep_alive=limits.keep_alive_s, limit_concurrency=limits.limit_concurrency,
                timeout_graceful_shutdown=limits.graceful_shutdown_s)


def __getattr__(name: str) -> Any:
    """``HeaderTimeoutH11``: the header-timeout protocol, importable by name in each worker
    (uvicorn spawns workers and loads ``http`` from its import string)."""
    if name == "HeaderTimeoutH11":
        from greencart.api.server import ServerLimits, header_timeout_protocol

        return header_timeout_protocol(ServerLimits().header_timeout_s)
    raise AttributeError(name)


def app_from_env() -> Any:
    """The uvicorn factory each worker calls."""
    from greencart.api import create_app
    from greencart.config import Settings

    return create_app(Settings.from_env())


class WorkerHeaderMiddleware:
    """Adds ``X-Greencart-Worker: <pid>`` to every response: which worker answered
    (load balancing checks, the multi-worker tests)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._value = str(os.getpid()).encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-greencart-worker", self._value)]
            await send(message)

        await self.app(scope, receive, send_with_header)
