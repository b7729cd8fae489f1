"""Energy ledger: writing work-unit records and querying them by name, tag and time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Integer, cast, extract, func, insert, literal_column, select
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


# -- read queries for the dashboard: aggregated in SQL (the ledger grows) ---------------

GROUP_KEYS = ("tier", "route")


def _epoch_s(dialect: str, col: Any) -> Any:
    """Seconds since 1970 of a naive-UTC ``DateTime`` column, on SQLite or PostgreSQL."""
    if dialect == "sqlite":
        return (func.julianday(col) - 2440587.5) * 86400.0
    return extract("epoch", col)


def _bucket_start_s(dialect: str, col: Any, width: Any) -> Any:
    """The start (s since 1970) of the ``width``-second bucket holding ``col``; exact
    integer arithmetic on SQLite (no float rounding across a boundary)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", col), Integer) // width * width
    return func.floor(extract("epoch", col) / width) * width


def _group_label(by: str) -> tuple[Any, list[Any]]:
    """(label expression, filters) for ``by``: ``tier`` covers units tagged with a tier
    (assistant turns, nested or not); ``route`` covers top-level units only (a nested
    unit's energy is inside its parent's), labelled by their ``route`` tag, else their name."""
    t = EnergyLedgerRow
    if by == "tier":
        tier = t.tags["tier"].as_string()
        return tier, [tier.is_not(None)]
    if by == "route":
        return func.coalesce(t.tags["route"].as_string(), t.name), [t.tags["parent_unit"].as_string().is_(None)]
    raise InvalidParameter(f"Expected by in {GROUP_KEYS}, got {by!r}")


def series_rows(
    session: Session, *, by: str, bucket_s: int, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Per (bucket, group, method): count, J, gCO2e. ``bucket`` is the bucket's start in
    seconds since 1970 (UTC), a multiple of ``bucket_s``; rows with ``since <= started_at < until``."""
    if not isinstance(bucket_s, int) or not 1 <= bucket_s <= 7 * 86400:
        raise InvalidParameter(f"Expected bucket_s an integer in [1, 604800], got {bucket_s!r}")
    t = EnergyLedgerRow
    dialect = session.get_bind().dialect.name
    label, conds = _group_label(by)
    width = literal_column(str(bucket_s), Integer)  # from a whitelist: no bind parameter in GROUP BY
    inner = (
        select(
            _bucket_start_s(dialect, t.started_at, width).label("bucket"),
            label.label("grp"), t.method.label("method"), t.energy_j.label("energy_j"),
            t.carbon_g.label("carbon_g"),
        )
        .where(*conds, *_filters(None, None, since, until))
        .subquery()
    )
    stmt = (
        select(inner.c.bucket, inner.c.grp, inner.c.method, func.count(), func.sum(inner.c.energy_j),
               func.sum(inner.c.carbon_g))
        .group_by(inner.c.bucket, inner.c.grp, inner.c.method)
        .order_by(inner.c.bucket, inner.c.grp, inner.c.method)
    )
    keys = ("bucket", "group", "method", "count", "energy_j", "carbon_g")
    return [
        {**dict(zip(keys, row)), "bucket": round(float(row[0]))} for row in session.execute(stmt)
    ]


def group_totals(
    session: Session, *, by: str, since: datetime | None = None, until: datetime | None = None
) -> list[dict[str, Any]]:
    """Per (group, method): count, J, gCO2e (same groups as :func:`series_rows`)."""
    label, conds = _group_label(by)
    t = EnergyLedgerRow
    inner = (
        select(label.label("grp"), t.method.label("method"), t.energy_j.label("energy_j"),
               t.carbon_g.label("carbon_g"))
        .where(*conds, *_filters(None, None, since, until))
        .subquery()
    )
    stmt = (
        select(inner.c.grp, inner.c.method, func.count(), func.sum(inner.c.energy_j), func.sum(inner.c.carbon_g))
        .group_by(inner.c.grp, inner.c.method)
        .order_by(inner.c.grp, inner.c.method)
    )
    keys = ("group", "method", "count", "energy_j", "carbon_g")
    return [dict(zip(keys, row)) for row in session.execute(stmt)]


def sci_inputs(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> dict[str, Any]:
    """Aggregates of the top-level units for an SCI: count, J, J x gCO2e/kWh (for the
    energy-weighted intensity), first start and last end (s since 1970), methods."""
    t = EnergyLedgerRow
    dialect = session.get_bind().dialect.name
    conds = [t.tags["parent_unit"].as_string().is_(None), *_filters(None, None, since, until)]
    start = _epoch_s(dialect, t.started_at)
    row = session.execute(
        select(func.count(), func.sum(t.energy_j), func.sum(t.energy_j * t.intensity_g_per_kwh),
               func.min(start), func.max(start + t.duration_s), func.avg(t.intensity_g_per_kwh))
        .where(*conds)
    ).one()
    methods = session.scalars(select(t.method).where(*conds).distinct().order_by(t.method)).all()
    keys = ("count", "energy_j", "energy_x_intensity", "first_start_s", "last_end_s", "mean_intensity_g_per_kwh")
    return {**{k: (float(v) if v is not None else None) for k, v in zip(keys, row)},
            "count": int(row[0]), "methods": list(methods)}
