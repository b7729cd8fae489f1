"""Reads for delivery routing: a day's orders with their shipped weight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from greencart.store.tables import OrderLineRow, OrderRow, ProductRow


@dataclass(frozen=True)
class OrderDelivery:
    order_id: str
    customer_id: str | None
    ordered_at: datetime
    weight_kg: float
    lines_without_weight: int


def _deliveries(session: Session, where) -> list[OrderDelivery]:  # type: ignore[no-untyped-def]
    stmt = (
        select(
            OrderRow.id, OrderRow.customer_id, OrderRow.ordered_at,
            func.coalesce(func.sum(OrderLineRow.quantity * func.coalesce(ProductRow.weight_kg, 0.0)), 0.0),
            func.sum(func.cast(ProductRow.weight_kg.is_(None), OrderLineRow.quantity.type)),
        )
        .join(OrderLineRow, OrderLineRow.order_id == OrderRow.id)
        .join(ProductRow, ProductRow.id == OrderLineRow.product_id)
        .where(OrderRow.is_return.is_(False), where)
        .group_by(OrderRow.id, OrderRow.customer_id, OrderRow.ordered_at)
        .order_by(OrderRow.ordered_at, OrderRow.id)
    )
    return [OrderDelivery(r[0], r[1], r[2], float(r[3]), int(r[4] or 0)) for r in session.execute(stmt)]


def orders_on(session: Session, day: date) -> list[OrderDelivery]:
    """Sales orders placed on ``day`` (returns excluded), heaviest lines summed per order."""
    start = datetime(day.year, day.month, day.day)
    return _deliveries(session, OrderRow.ordered_at.between(start, start + timedelta(days=1, microseconds=-1)))


def order_delivery(session: Session, order_id: str) -> OrderDelivery | None:
    rows = _deliveries(session, OrderRow.id == order_id)
    return rows[0] if rows else None


def busiest_days(session: Session, limit: int = 10) -> list[tuple[date, int]]:
    """Days with the most sales orders, most first (ties: latest first)."""
    day = func.date(OrderRow.ordered_at)
    stmt = (select(day, func.count()).where(OrderRow.is_return.is_(False)).group_by(day)
            .order_by(func.count().desc(), day.desc()).limit(limit))
    return [(_as_date(d), int(n)) for d, n in session.execute(stmt)]


def latest_day(session: Session) -> date | None:
    d = session.execute(select(func.max(OrderRow.ordered_at)).where(OrderRow.is_return.is_(False))).scalar()
    return d.date() if d else None


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _has_plans_table(session: Session) -> bool:
    from sqlalchemy import inspect

    return inspect(session.connection()).has_table("route_plans")


def save_plan(session: Session, day: date, fleet: str, plan: dict) -> int:
    """Store a plan document (``Plan.as_dict()`` plus context); returns its id."""
    from greencart.errors import StoreError
    from greencart.store.tables import RoutePlanRow

    if not _has_plans_table(session):
        raise StoreError("This database predates saved route plans (no table route_plans); "
                         "run `greencart init` to migrate it")
    row = RoutePlanRow(day=day.isoformat(), fleet=fleet, method=str(plan["method"]), stops=int(plan["stops"]),
                       distance_km=float(plan["distance_km"]), co2e_kg=float(plan["co2e_kg"]), plan=plan,
                       created_at=datetime.now(UTC).replace(tzinfo=None))
    session.add(row)
    session.flush()
    return int(row.id)


def latest_plan(session: Session, day: date, fleet: str) -> dict | None:
    """The most recently saved plan of ``day`` for the fleet named ``fleet``, with its id."""
    from greencart.store.tables import RoutePlanRow

    if not _has_plans_table(session):  # a database not yet migrated has no saved plans
        return None
    row = session.execute(
        select(RoutePlanRow).where(RoutePlanRow.day == day.isoformat(), RoutePlanRow.fleet == fleet)
        .order_by(RoutePlanRow.created_at.desc(), RoutePlanRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    return None if row is None else {**row.plan, "plan_id": row.id, "saved_at": row.created_at.isoformat()}
