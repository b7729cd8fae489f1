"""The OpenAPI document: the one error model on every operation, whichever router it is in.

``install_openapi(app)`` wraps ``app.openapi`` so that each operation declares the
:class:`~greencart.api.schemas.Problem` body for every status in
:data:`greencart.api.errors.ERROR_STATUSES` (FastAPI's own ``HTTPValidationError``
422 is replaced: the handler never sends that shape). A router included later (or a
route declared with ``@app.get``) gets the error model without doing anything; a
description a route gives for one of those statuses is kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from greencart.api.errors import ERROR_STATUSES
from greencart.api.schemas import Problem

PROBLEM_REF = "#/components/schemas/Problem"
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": PROBLEM_REF}}}}


def _declares_problem(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref") == PROBLEM_REF


def add_error_model(spec: dict[str, Any]) -> dict[str, Any]:
    """Declare the Problem body for every error status on every operation of ``spec`` (in place)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for item in spec.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                given = responses.get(str(status))
                if given is None or not _declares_problem(given):
                    responses[str(status)] = _problem_response(description)
    for name in _FASTAPI_VALIDATION:  # no response refers to them any more
        schemas.pop(name, None)
    return spec


def install_openapi(app: FastAPI) -> FastAPI:
    """Make ``app.openapi()`` (and /openapi.json) carry the error model; returns ``app``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_model(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
