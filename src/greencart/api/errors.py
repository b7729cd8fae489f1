"""The API's one error boundary: every failure becomes a JSON problem."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from greencart.errors import GreencartError

log = logging.getLogger(__name__)


def _problem(status: int, error: str, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "detail": detail})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GreencartError)
    async def _domain(_: Request, exc: GreencartError) -> JSONResponse:
        return _problem(exc.http_status, type(exc).__name__, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg')} (got {err.get('input')!r})")
        return _problem(422, "InvalidParameter", "; ".join(parts))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error")
        return _problem(500, "InternalError", "An unexpected error occurred; it has been logged.")
