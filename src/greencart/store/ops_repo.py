"""SQL for ``greencart.ops``: order lines as demand, forecast runs and their points, plans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from greencart.errors import NotFound
from greencart.store.tables import (
    FootprintRow,
    ForecastPointRow,
    ForecastRunRow,
    OrderLineRow,
    OrderRow,
    PlanRow,
    ProductRow,
)

DEMAND_COLUMNS = ("ordered_at", "product_id", "category", "country", "quantity", "unit_price", "is_return", "source")


def demand_lines(session: Session, *, source: str | None = None) -> list[tuple]:
    """Every order line with its order's time, country and return flag and the product's category,
    as tuples in :data:`DEMAND_COLUMNS` order (returns carry negative quantities)."""
    stmt = (
        select(OrderRow.ordered_at, OrderLineRow.product_id, ProductRow.category, OrderRow.country,
               OrderLineRow.quantity, OrderLineRow.unit_price, OrderRow.is_return, OrderRow.source)
        .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
        .join(ProductRow, ProductRow.id == OrderLineRow.product_id)
        .order_by(OrderRow.ordered_at)
    )
    if source is not None:
        stmt = stmt.where(OrderRow.source == source)
    return [tuple(r) for r in session.execute(stmt.execution_options(yield_per=20000))]


def product_facts(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Price, title, category and the stored footprint (kg CO2e, method) of each product id."""
    out: dict[str, dict[str, Any]] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        stmt = (
            select(ProductRow.id, ProductRow.title, ProductRow.category, ProductRow.price,
                   FootprintRow.footprint_kg_co2e, FootprintRow.method, ProductRow.declared_footprint_kg_co2e)
            .outerjoin(FootprintRow, FootprintRow.product_id == ProductRow.id)
            .where(ProductRow.id.in_(part))
        )
        for pid, title, category, price, kg, method, declared in session.execute(stmt):
            if kg is None and declared is not None:  # not estimated yet: the declared figure, labelled
                kg, method = declared, "declared"
            out[pid] = {"title": title, "category": category, "price": price,
                        "footprint_kg_co2e": kg, "footprint_method": method}
    return out


@dataclass(frozen=True)
class StoredRun:
    id: int
    kind: str
    created_at: datetime
    level: str
    freq: str
    model: str
    horizon: int
    n_series: int
    params: dict[str, Any]
    metrics: dict[str, Any]
    energy: dict[str, Any]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _energy(row: Any) -> dict[str, Any]:
    return {"duration_s": row.duration_s, "energy_j": row.energy_j, "energy_low_j": row.energy_low_j,
            "energy_high_j": row.energy_high_j, "energy_method": row.energy_method}


def record_forecast_run(session: Session, *, kind: str, level: str, freq: str, model: str, horizon: int,
                        n_series: int, params: dict, metrics: dict, energy: dict,
                        points: Sequence[dict[str, Any]] = ()) -> int:
    """Add a run and its points inside the caller's transaction; returns the run id."""
    row = ForecastRunRow(kind=kind, created_at=_now(), level=level, freq=freq, model=model, horizon=horizon,
                         n_series=n_series, params=params, metrics=metrics, **energy)
    session.add(row)
    session.flush()
    if points:
        session.bulk_insert_mappings(ForecastPointRow, [dict(p, run_id=row.id) for p in points])
    return row.id


def _run(row: ForecastRunRow) -> StoredRun:
    return StoredRun(row.id, row.kind, row.created_at, row.level, row.freq, row.model, row.horizon,
                     row.n_series, dict(row.params or {}), dict(row.metrics or {}), _energy(row))


def latest_forecast_run(session: Session, *, level: str, freq: str | None = None) -> StoredRun | None:
    stmt = select(ForecastRunRow).where(ForecastRunRow.kind == "forecast", ForecastRunRow.level == level)
    if freq is not None:
        stmt = stmt.where(ForecastRunRow.freq == freq)
    row = session.scalars(stmt.order_by(ForecastRunRow.id.desc()).limit(1)).first()
    return None if row is None else _run(row)


def list_forecast_runs(session: Session, *, limit: int = 20) -> list[StoredRun]:
    rows = session.scalars(select(ForecastRunRow).order_by(ForecastRunRow.id.desc()).limit(limit))
    return [_run(r) for r in rows]


def forecast_points(session: Session, run_id: int, series_id: str | None = None) -> list[dict[str, Any]]:
    stmt = select(ForecastPointRow).where(ForecastPointRow.run_id == run_id)
    if series_id is not None:
        stmt = stmt.where(ForecastPointRow.series_id == series_id)
    rows = session.scalars(stmt.order_by(ForecastPointRow.series_id, ForecastPointRow.ds))
    return [{"series_id": r.series_id, "ds": r.ds, "mean": r.mean, "lo_80": r.lo_80, "hi_80": r.hi_80,
             "lo_95": r.lo_95, "hi_95": r.hi_95, "label": r.label} for r in rows]


def record_plan(session: Session, *, kind: str, status: str, objective: float | None, request: dict,
                result: dict, energy: dict) -> int:
    row = PlanRow(kind=kind, created_at=_now(), status=status, objective=objective, request=request,
                  result=result, **energy)
    session.add(row)
    session.flush()
    return row.id


def get_plan(session: Session, plan_id: int) -> dict[str, Any]:
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFound(f"No plan with id {plan_id}")
    return {"id": row.id, "kind": row.kind, "created_at": row.created_at, "status": row.status,
            "objective": row.objective, "request": row.request, "result": row.result, **_energy(row)}


def list_plans(session: Session, *, kind: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    stmt = select(PlanRow).order_by(PlanRow.id.desc()).limit(limit)
    if kind is not None:
        stmt = stmt.where(PlanRow.kind == kind)
    return [{"id": r.id, "kind": r.kind, "created_at": r.created_at, "status": r.status,
             "objective": r.objective, **_energy(r)} for r in session.scalars(stmt)]
