"""The API's one error boundary and its one error model.

Every failure, whoever raises it (a route, request validation, the router for an
unknown path or method, the body-size guard, an unexpected exception) leaves as
the same JSON body, :class:`greencart.api.schemas.Problem`::

    {"error": "NotFound", "detail": "No product with id 'X1'"}

``error`` is a stable name (the ``GreencartError`` subclass, or one of the names
below); ``detail`` says what was wrong and what was expected. The OpenAPI
declares that body for every status in :data:`ERROR_STATUSES` on every operation
(:mod:`greencart.api.openapi` adds them to each operation, whichever router it
comes from; :data:`ERROR_RESPONSES` is the same declaration for a router's
``responses=``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from greencart.api.schemas import Problem
from greencart.errors import GreencartError

log = logging.getLogger(__name__)

# Status -> what it means in this API (the OpenAPI description of that response).
ERROR_STATUSES: dict[int, str] = {
    400: "Bad request: the request could not be read (Problem names what was wrong)",
    404: "Not found: an unknown product, shopper, session or path",
    408: "Request timeout: the body did not arrive in time (slow client)",
    409: "Conflict with the current state of the data",
    413: "Payload too large: the body exceeds the limit the Problem names",
    422: "Invalid parameter or body: the Problem names the field and what was expected",
    500: "Unexpected server error (logged; the body never carries internals)",
    503: "Unavailable: the database is unreachable or a model is not trained yet",
}
# Error names for failures that are not GreencartError subclasses.
HTTP_ERROR_NAMES: dict[int, str] = {
    400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed", 406: "NotAcceptable", 408: "RequestTimeout",
    409: "Conflict", 413: "PayloadTooLarge", 415: "UnsupportedMediaType", 422: "InvalidParameter",
    429: "TooManyRequests", 500: "InternalError", 503: "Unavailable",
}
MAX_INPUT_REPR = 80  # characters of an offending value quoted back in a 422


def error_responses(*statuses: int, descriptions: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries declaring the Problem body for ``statuses`` (default:
    all of :data:`ERROR_STATUSES`), e.g. ``error_responses(404, descriptions={404: "No such shopper"})``."""
    chosen = statuses or tuple(ERROR_STATUSES)
    descriptions = descriptions or {}
    out: dict[int | str, dict[str, Any]] = {}
    for status in chosen:
        text = descriptions.get(status) or ERROR_STATUSES.get(status) or HTTP_ERROR_NAMES.get(status, "Error")
        out[status] = {"model": Problem, "description": text}
    return out


# For ``APIRouter(..., responses=ERROR_RESPONSES)``: the error model on every route of a router.
ERROR_RESPONSES = error_responses()


def problem(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error body: ``{"error": ..., "detail": ...}``."""
    body = Problem(error=error, detail=detail).model_dump()
    return JSONResponse(status_code=status, content=body, headers=headers)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_INPUT_REPR else text[: MAX_INPUT_REPR - 3] + "..."


def validation_detail(exc: RequestValidationError) -> str:
    """``field: message (got value)`` for each error, joined with ``; ``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        got = f" (got {_short(err.get('input'))})" if "input" in err else ""
        parts.append(f"{where or 'body'}: {err.get('msg')}{got}")
    return "; ".join(parts) or "The request did not match the schema"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GreencartError)
    async def _domain(_: Request, exc: GreencartError) -> JSONResponse:
        status = exc.http_status
        if status >= 500:
            log.warning("%s (%d): %s", type(exc).__name__, status, exc.message)
        return problem(status, type(exc).__name__, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(422, "InvalidParameter", validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Unknown paths (404), wrong methods (405, with Allow), FastAPI's own 400s."""
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No route {request.method} {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {(exc.headers or {}).get('Allow', '?')}"
        name = HTTP_ERROR_NAMES.get(exc.status_code, "HTTPError")
        return problem(exc.status_code, name, detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error")
        return problem(500, "InternalError", "An unexpected error occurred; it has been logged.")
