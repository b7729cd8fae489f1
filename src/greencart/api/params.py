"""Parameter declarations shared by the routers, so the schema says exactly what the code accepts.

A schema-valid request is never refused and an invalid one is refused by the
schema itself (422 with the Problem body), so each bound here matches the code
behind it: text filters are non-blank and free of NUL (PostgreSQL cannot store
it in text), identifiers are bounded, offsets fit the integers both databases
take, prices are within ``[0, MAX_PRICE]``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field

# Some visible text and no NUL: Python's str.strip() must leave something (the filters
# refuse blank text) and PostgreSQL refuses NUL in text.
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
# An identifier (product, shopper): 1-64 characters, no NUL.
ID_PATTERN = r"^[^\x00]+$"
MAX_TEXT = 200  # characters of a category, colour or material filter
MAX_ID = 64
MAX_PRICE = 1e9
MAX_OFFSET = 2**31 - 1  # SQLite and PostgreSQL take 64-bit offsets; past 2**31 no page is ever there


def text_filter(description: str) -> Any:
    """An optional text filter (a fresh Query each time: FastAPI binds one to one name)."""
    return Query(default=None, min_length=1, max_length=MAX_TEXT, pattern=TEXT_PATTERN, description=description)


def price_filter(description: str) -> Any:
    return Query(default=None, ge=0, le=MAX_PRICE, description=description)


def id_path(description: str) -> Any:
    return Path(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN, description=description)


# RFC 3339 date-time (what OpenAPI's ``format: date-time`` means): pydantic alone would
# also take unix numbers, bare dates and times without an offset, which the schema refuses.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339(value: Any) -> Any:
    if isinstance(value, str) and not RFC3339.match(value):
        raise ValueError("Expected an RFC 3339 date-time with an offset, e.g. 2026-03-01T12:00:00Z")
    return value


Timestamp = Annotated[datetime, BeforeValidator(_rfc3339)]


def _json_int(value: Any) -> Any:
    """JSON Schema's integer: 3 and 3.0, never "3" or true (for models that are otherwise strict)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("Expected a JSON integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Expected a JSON integer, got {value!r}")
        return int(value)
    return value


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("Expected a date as YYYY-MM-DD")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_int)]  # bounds: json_int(ge, le), so the schema shows them


def json_int(ge: int, le: int) -> Any:
    """A bounded JSON integer whose bounds appear in the schema (also inside ``| None``)."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_json_int)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
