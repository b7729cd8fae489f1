"""Read one shopper's orders (customer service). Always filtered by the shopper:
there is no query here that returns another shopper's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from greencart.store.tables import OrderLineRow, OrderRow, ProductRow

MAX_ORDERS = 500


@dataclass(frozen=True)
class OrderLine:
    product_id: str
    title: str
    title_zh: str | None
    category: str
    quantity: int
    unit_price: float


@dataclass(frozen=True)
class OrderRecord:
    order_id: str
    ordered_at: datetime
    is_return: bool
    country: str | None
    lines: tuple[OrderLine, ...]

    @property
    def total(self) -> float:
        return round(sum(line.quantity * line.unit_price for line in self.lines), 2)


def orders_of(session: Session, customer_id: str, *, limit: int = MAX_ORDERS) -> list[OrderRecord]:
    """The shopper's orders, newest first, with their lines and product titles."""
    orders = session.execute(
        select(OrderRow.id, OrderRow.ordered_at, OrderRow.is_return, OrderRow.country)
        .where(OrderRow.customer_id == customer_id)
        .order_by(OrderRow.ordered_at.desc(), OrderRow.id.desc())
        .limit(limit)
    ).all()
    if not orders:
        return []
    ids = [o.id for o in orders]
    lines: dict[str, list[OrderLine]] = {i: [] for i in ids}
    rows = session.execute(
        select(OrderLineRow.order_id, OrderLineRow.product_id, ProductRow.title, ProductRow.title_zh, ProductRow.category,
               OrderLineRow.quantity, OrderLineRow.unit_price)
        .join(ProductRow, ProductRow.id == OrderLineRow.product_id)
        .where(OrderLineRow.order_id.in_(ids))
        .order_by(OrderLineRow.id)
    ).all()
    for r in rows:
        lines[r.order_id].append(OrderLine(r.product_id, r.title, r.title_zh, r.category, int(r.quantity), float(r.unit_price)))
    return [OrderRecord(o.id, o.ordered_at, bool(o.is_return), o.country, tuple(lines[o.id])) for o in orders]

