"""``greencart import products PATH`` and ``import interactions PATH``: the generic
CSV / JSON Lines schema documented in docs/importing.md.

Every row is validated before anything is written; the first bad value raises
``ImportFileError`` with the file, line and field. Exact duplicate rows
collapse; the same id with different values is an error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from greencart.catalog.importers.common import (
    MAX_FOOTPRINT_KG_CO2E,
    MAX_PRICE,
    MAX_WEIGHT_KG,
    ImportProgress,
    ImportSummary,
    check_file,
    csv_rows,
    decode_text,
    detect_format,
    jsonl_rows,
    parse_number,
    parse_text,
    parse_timestamp,
    require_columns,
    sha256_of,
    write_in_chunks,
)
from greencart.catalog.models import INTERACTION_KINDS, Interaction, Product, Shopper
from greencart.errors import ImportFileError, InvalidParameter
from greencart.store import Database
from greencart.store import catalog_repo as repo
from greencart.store.import_runs_repo import existing_product_ids, insert_new_shoppers, record_import_run

PRODUCT_REQUIRED = ("id", "title", "category", "price")
PRODUCT_OPTIONAL = ("description", "currency", "weight_kg", "title_zh", "declared_footprint_kg_co2e",
                    "declared_footprint_source", "attributes")
INTERACTION_REQUIRED = ("user_id", "product_id", "kind", "occurred_at")
INTERACTION_OPTIONAL = ("value",)
ATTR_PREFIX = "attr_"
SOURCE = "import"
EXPECTED = "a .csv or .jsonl file"


def _rows(path: Path, encoding: str | None, required: tuple[str, ...], known: tuple[str, ...],
          summary: ImportSummary) -> tuple[str, Iterator[tuple[int, dict[str, Any]]]]:
    """('csv' | 'jsonl', rows); CSV headers are checked here, JSONL keys per line."""
    head = check_file(path, EXPECTED)
    fmt = detect_format(path, head, ("csv", "jsonl"))
    text = decode_text(path, path.read_bytes(), encoding)
    if fmt == "jsonl":
        return fmt, jsonl_rows(path, text)
    names, rows = csv_rows(path, text)
    require_columns(path, names, required)
    unknown = [n for n in names if n and n not in required + known and not n.startswith(ATTR_PREFIX)]
    if unknown:
        summary.notes.append(f"ignored unknown column(s): {', '.join(unknown)}")
    return fmt, rows


def _attributes(path: Path, line: int, row: dict[str, Any], fmt: str) -> dict[str, str]:
    if fmt == "csv":
        return {k[len(ATTR_PREFIX):]: v for k, v in row.items() if k.startswith(ATTR_PREFIX) and v}
    raw = row.get("attributes")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ImportFileError(str(path), f"attributes is a JSON {type(raw).__name__}", line=line,
                              field="attributes", expected='a JSON object such as {"colour": "red"}')
    out = {}
    for key, value in raw.items():
        if isinstance(value, (dict, list)) or value is None:
            raise ImportFileError(str(path), f"attribute {key!r} is {type(value).__name__}", line=line,
                                  field=f"attributes.{key}", expected="a string, number or boolean")
        out[str(key)] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _product(path: Path, line: int, row: dict[str, Any], fmt: str) -> Product:
    js = fmt == "jsonl"
    if js:
        require_columns(path, list(row), PRODUCT_REQUIRED, line=line)

    def text(name: str, required: bool = False, max_len: int = 10_000) -> str | None:
        return parse_text(path, line, name, row.get(name), required=required, max_len=max_len)

    def number(name: str, maximum: float, required: bool = False) -> float | None:
        return parse_number(path, line, name, row.get(name), maximum=maximum, required=required, json_only=js)

    footprint = number("declared_footprint_kg_co2e", MAX_FOOTPRINT_KG_CO2E)
    footprint_source = text("declared_footprint_source")
    if (footprint is None) != (footprint_source is None):
        given, missing = (("declared_footprint_kg_co2e", "declared_footprint_source") if footprint is not None
                          else ("declared_footprint_source", "declared_footprint_kg_co2e"))
        raise ImportFileError(str(path), f"{given} without {missing}", line=line, field=missing,
                              expected="both declared footprint fields or neither")
    try:
        return Product(
            id=text("id", True, 64) or "", title=text("title", True, 300) or "",
            category=text("category", True, 100) or "", price=number("price", MAX_PRICE, True) or 0.0,
            currency=text("currency", max_len=3) or "GBP", description=text("description") or "",
            title_zh=text("title_zh", max_len=300), weight_kg=number("weight_kg", MAX_WEIGHT_KG),
            attributes=_attributes(path, line, row, fmt), source=SOURCE,
            declared_footprint_kg_co2e=footprint, declared_footprint_source=footprint_source,
        )
    except InvalidParameter as exc:
        raise ImportFileError(str(path), exc.message, line=line) from None


def _collapse(path: Path, items: dict[Any, tuple[int, Any]], key: Any, line: int, value: Any,
              summary: ImportSummary, what: str) -> None:
    """Keep one record per key: exact repeats collapse, conflicting ones are an error."""
    if key in items:
        first_line, first = items[key]
        if first != value:
            raise ImportFileError(str(path), f"{what} {key!r} repeats line {first_line} with different values",
                                  line=line, expected=f"each {what} once")
        summary.drop(f"duplicate {what} (same values as an earlier line)")
        return
    items[key] = (line, value)


def import_products(db: Database, path: Path, *, progress: bool = False, encoding: str | None = None) -> ImportSummary:
    """Import (upsert by id) products from a generic CSV or JSONL file, in one transaction."""
    started, started_at, path = time.perf_counter(), _utcnow(), Path(path)
    summary = ImportSummary(kind="products", path=str(path))
    with ImportProgress(progress) as bars:
        fmt, rows = _rows(path, encoding, PRODUCT_REQUIRED, PRODUCT_OPTIONAL, summary)
        advance = bars.task("reading", None)
        products: dict[str, tuple[int, Product]] = {}
        for line, row in rows:
            summary.rows_read += 1
            product = _product(path, line, row, fmt)
            _collapse(path, products, product.id, line, product, summary, "product id")
            advance(1)
        if not summary.rows_read:
            raise ImportFileError(str(path), "no data rows", expected="at least one product")
        items = [p for _, p in products.values()]
        summary.products = len(items)
        with db.transaction() as session:
            write_in_chunks(items, lambda part: repo.upsert_products(session, part), bars.task("writing products", len(items)))
            _record(session, summary, path, started, started_at)
    summary.duration_s = round(time.perf_counter() - started, 3)
    return summary


def _interaction(path: Path, line: int, row: dict[str, Any], fmt: str) -> Interaction:
    if fmt == "jsonl":
        require_columns(path, list(row), INTERACTION_REQUIRED, line=line)
    user = parse_text(path, line, "user_id", row.get("user_id"), required=True, max_len=64) or ""
    product = parse_text(path, line, "product_id", row.get("product_id"), required=True, max_len=64) or ""
    kind = parse_text(path, line, "kind", row.get("kind"), required=True) or ""
    if kind.lower() not in INTERACTION_KINDS:
        raise ImportFileError(str(path), f"unknown kind {kind!r}", line=line, field="kind",
                              expected=" or ".join(INTERACTION_KINDS))
    occurred_at = parse_timestamp(path, line, "occurred_at", row.get("occurred_at"))
    value = parse_number(path, line, "value", row.get("value"), maximum=1e9, required=False, json_only=fmt == "jsonl")
    return Interaction(user_id=user, product_id=product, kind=kind.lower(), occurred_at=occurred_at,
                       value=1.0 if value is None else value, source=SOURCE)


def import_interactions(
    db: Database, path: Path, *, progress: bool = False, encoding: str | None = None
) -> ImportSummary:
    """Import interactions (views, carts, purchases, returns, ratings) in one transaction.

    Every product id must already be in the store; new user ids become shoppers.
    """
    started, started_at, path = time.perf_counter(), _utcnow(), Path(path)
    summary = ImportSummary(kind="interactions", path=str(path))
    with ImportProgress(progress) as bars:
        fmt, rows = _rows(path, encoding, INTERACTION_REQUIRED, INTERACTION_OPTIONAL, summary)
        advance = bars.task("reading", None)
        events: dict[tuple[str, str, str, datetime], tuple[int, Interaction]] = {}
        for line, row in rows:
            summary.rows_read += 1
            event = _interaction(path, line, row, fmt)
            _collapse(path, events, (event.user_id, event.product_id, event.kind, event.occurred_at),
                      line, event, summary, "interaction")
            advance(1)
        if not summary.rows_read:
            raise ImportFileError(str(path), "no data rows", expected="at least one interaction")
        items = [e for _, e in events.values()]
        users = sorted({e.user_id for e in items})
        with db.transaction() as session:
            _check_products(path, session, events)
            new = insert_new_shoppers(session, [Shopper(id=u, source=SOURCE) for u in users])
            write_in_chunks(items, lambda part: repo.upsert_interactions(session, part),
                            bars.task("writing interactions", len(items)))
            summary.shoppers, summary.interactions = len(users), len(items)
            summary.notes.append(f"{new:,} of the {len(users):,} shoppers are new.")
            _record(session, summary, path, started, started_at)
    summary.duration_s = round(time.perf_counter() - started, 3)
    return summary


def _check_products(path: Path, session: Any, events: dict[Any, tuple[int, Interaction]]) -> None:
    known = existing_product_ids(session, {e.product_id for _, e in events.values()})
    for line, event in sorted(events.values(), key=lambda le: le[0]):
        if event.product_id not in known:
            raise ImportFileError(str(path), f"unknown product id {event.product_id!r}", line=line,
                                  field="product_id", expected="the id of a product already imported")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _record(session: Any, summary: ImportSummary, path: Path, started: float, started_at: datetime) -> None:
    summary.duration_s = round(time.perf_counter() - started, 3)
    record_import_run(session, kind=summary.kind, path=str(path.resolve()), sha256=sha256_of(path),
                      started_at=started_at, finished_at=_utcnow(), summary=summary.as_dict())
