"""Reading and writing product footprints and the footprint reference tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from greencart.footprint.models import Footprint
from greencart.store.tables import (
    FootprintRow,
    ImportRunRow,
    OrderLineRow,
    OrderRow,
    ReferenceFootprintRow,
    SpendFactorRow,
)
from greencart.store.upsert import upsert


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _from_row(row: FootprintRow) -> Footprint:
    return Footprint(
        kg_co2e=row.footprint_kg_co2e,
        low_kg_co2e=row.low_kg_co2e,
        high_kg_co2e=row.high_kg_co2e,
        method=row.method,
        source=row.source,
        commodity_code=row.commodity_code,
        confidence=row.confidence,
    )


def get_footprint(session: Session, product_id: str) -> Footprint | None:
    row = session.get(FootprintRow, product_id)
    return None if row is None else _from_row(row)


def get_footprints(session: Session, ids: Sequence[str]) -> dict[str, Footprint]:
    out: dict[str, Footprint] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        stmt = select(FootprintRow).where(FootprintRow.product_id.in_(ids[start : start + 500]))
        out.update({r.product_id: _from_row(r) for r in session.scalars(stmt)})
    return out


def upsert_footprints(session: Session, items: Iterable[tuple[str, Footprint]]) -> int:
    """Write ``(product_id, footprint)`` pairs, replacing earlier estimates."""
    now = _now()
    rows = [
        {
            "product_id": pid,
            "footprint_kg_co2e": f.kg_co2e,
            "low_kg_co2e": f.low_kg_co2e,
            "high_kg_co2e": f.high_kg_co2e,
            "method": f.method,
            "source": f.source,
            "commodity_code": f.commodity_code,
            "confidence": f.confidence,
            "computed_at": now,
        }
        for pid, f in items
    ]
    return upsert(session, FootprintRow, rows, key=["product_id"])


def count_by_method(session: Session) -> dict[str, int]:
    stmt = select(FootprintRow.method, func.count()).group_by(FootprintRow.method)
    return {m: n for m, n in session.execute(stmt)}


def upsert_reference_rows(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    return upsert(session, ReferenceFootprintRow, rows, key=["dataset", "external_id"])


def upsert_spend_factors(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    return upsert(session, SpendFactorRow, rows, key=["dataset", "code"])


def list_reference_rows(session: Session) -> list[ReferenceFootprintRow]:
    stmt = select(ReferenceFootprintRow).order_by(
        ReferenceFootprintRow.dataset, ReferenceFootprintRow.external_id
    )
    return list(session.scalars(stmt))


def spend_factors(session: Session, dataset: str) -> dict[str, tuple[float, str]]:
    """``code -> (kg CO2e per unit, citation)`` for an imported spend-factor dataset."""
    stmt = select(SpendFactorRow).where(SpendFactorRow.dataset == dataset)
    return {r.code: (r.kg_co2e_per_unit, r.citation) for r in session.scalars(stmt)}


def reference_counts(session: Session) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in (ReferenceFootprintRow, SpendFactorRow):
        stmt = select(table.dataset, func.count()).group_by(table.dataset)
        out.update({d: n for d, n in session.execute(stmt)})
    return out


def latest_order_year(session: Session) -> dict[str, int]:
    """``product_id -> year of its latest order``: the year its price was stated."""
    stmt = (
        select(OrderLineRow.product_id, func.max(OrderRow.ordered_at))
        .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
        .group_by(OrderLineRow.product_id)
    )
    return {pid: ts.year for pid, ts in session.execute(stmt) if ts is not None}


def record_import_run(
    session: Session,
    *,
    kind: str,
    path: str,
    sha256: str,
    started_at: datetime,
    summary: dict[str, Any],
) -> None:
    session.add(
        ImportRunRow(
            kind=kind,
            path=path,
            sha256=sha256,
            started_at=started_at,
            finished_at=_now(),
            summary=summary,
        )
    )
