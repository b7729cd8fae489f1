"""Energy ledger: writing work-unit records and querying them by name, tag and time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from greencart.errors import InvalidParameter
from greencart.store.tables import EnergyLedgerRow

LEDGER_FIELDS = (
    "name", "tags", "started_at", "duration_s", "cpu_s", "energy_j", "energy_low_j",
    "energy_high_j", "method", "meter", "carbon_g", "intensity_g_per_kwh", "intensity_source",
)


def _naive_utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def insert_records(session: Session, records: Sequence[dict[str, Any]]) -> int:
    """Append ledger records (dicts with :data:`LEDGER_FIELDS`) in one statement."""
    if not records:
        return 0
    rows = []
    for rec in records:
        missing = [f for f in LEDGER_FIELDS if f not in rec]
        if missing:
            raise InvalidParameter(f"Ledger record lacks fields {missing}")
        row = {f: rec[f] for f in LEDGER_FIELDS}
        row["started_at"] = _naive_utc(row["started_at"])
        row["name"] = str(row["name"])[:120]
        row["intensity_source"] = str(row["intensity_source"])[:200]
        row["meter"] = str(row["meter"])[:80]
        rows.append(row)
    session.execute(insert(EnergyLedgerRow), rows)
    return len(rows)


def _filters(
    name: str | None, tags: dict[str, str] | None, since: datetime | None, until: datetime | None
) -> list[Any]:
    conds: list[Any] = []
    if name is not None:
        conds.append(EnergyLedgerRow.name == name)
    for key, value in (tags or {}).items():
        conds.append(EnergyLedgerRow.tags[key].as_string() == str(value))
    if since is not None:
        conds.append(EnergyLedgerRow.started_at >= _naive_utc(since))
    if until is not None:
        conds.append(EnergyLedgerRow.started_at < _naive_utc(until))
    return conds


def query_records(
    session: Session,
    *,
    name: str | None = None,
    tags: dict[str, str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 10_000,
) -> list[dict[str, Any]]:
    """Records oldest first; ``started_at`` comes back timezone-aware (UTC)."""
    stmt = (
        select(EnergyLedgerRow)
        .where(*_filters(name, tags, since, until))
        .order_by(EnergyLedgerRow.started_at, EnergyLedgerRow.id)
        .limit(limit)
    )
    out = []
    for row in session.scalars(stmt):
        rec = {f: getattr(row, f) for f in LEDGER_FIELDS}
        rec["started_at"] = row.started_at.replace(tzinfo=timezone.utc)
        rec["id"] = row.id
        out.append(rec)
    return out


def summarise(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    name: str | None = None,
) -> list[dict[str, Any]]:
    """Per (name, method): count, J, gCO2e, CPU s and the J band."""
    t = EnergyLedgerRow
    stmt = (
        select(
            t.name, t.method, func.count(t.id), func.sum(t.energy_j), func.sum(t.energy_low_j),
            func.sum(t.energy_high_j), func.sum(t.carbon_g), func.sum(t.cpu_s),
        )
        .where(*_filters(name, None, since, until))
        .group_by(t.name, t.method)
        .order_by(t.name, t.method)
    )
    keys = ("name", "method", "count", "energy_j", "energy_low_j", "energy_high_j", "carbon_g", "cpu_s")
    return [dict(zip(keys, row)) for row in session.execute(stmt)]
