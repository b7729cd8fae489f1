"""The audit trail of imports (``import_runs``) and the look-ups importers need."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from greencart.catalog.models import Shopper
from greencart.store.tables import ImportRunRow, ProductRow, ShopperRow
from greencart.store.upsert import upsert

_IN_CHUNK = 500


@dataclass(frozen=True)
class ImportRun:
    id: int
    kind: str
    path: str
    sha256: str
    started_at: datetime
    finished_at: datetime
    summary: dict[str, Any]


def record_import_run(
    session: Session,
    *,
    kind: str,
    path: str,
    sha256: str,
    started_at: datetime,
    finished_at: datetime,
    summary: dict[str, Any],
) -> int:
    """Add one run inside the caller's transaction; returns its id."""
    row = ImportRunRow(
        kind=kind, path=path, sha256=sha256, started_at=started_at, finished_at=finished_at, summary=summary
    )
    session.add(row)
    session.flush()
    return row.id


def list_import_runs(session: Session, *, kind: str | None = None, limit: int = 20) -> list[ImportRun]:
    """The newest runs first."""
    stmt = select(ImportRunRow).order_by(ImportRunRow.id.desc()).limit(limit)
    if kind is not None:
        stmt = stmt.where(ImportRunRow.kind == kind)
    return [
        ImportRun(r.id, r.kind, r.path, r.sha256, r.started_at, r.finished_at, dict(r.summary or {}))
        for r in session.scalars(stmt)
    ]


def _existing(session: Session, column: Any, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _IN_CHUNK):
        found.update(session.scalars(select(column).where(column.in_(wanted[start : start + _IN_CHUNK]))))
    return found


def existing_product_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are products in the store."""
    return _existing(session, ProductRow.id, ids)


def insert_new_shoppers(session: Session, shoppers: Sequence[Shopper]) -> int:
    """Insert shoppers whose id is new; existing shoppers are left as they are. Returns how many were new."""
    known = _existing(session, ShopperRow.id, (s.id for s in shoppers))
    rows = [
        {"id": s.id, "country": s.country, "segment": s.segment, "source": s.source}
        for s in shoppers
        if s.id not in known
    ]
    return upsert(session, ShopperRow, rows, key=["id"], update=())
