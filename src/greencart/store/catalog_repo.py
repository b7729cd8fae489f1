"""Reading and writing products, shoppers, orders and interactions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from greencart.catalog.models import Interaction, Order, Product, Shopper
from greencart.errors import NotFound
from greencart.store.tables import (
    InteractionRow,
    OrderLineRow,
    OrderRow,
    ProductRow,
    ShopperRow,
)
from greencart.store.upsert import upsert


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def product_from_row(row: ProductRow) -> Product:
    return Product(
        id=row.id,
        title=row.title,
        title_zh=row.title_zh,
        description=row.description or "",
        category=row.category,
        price=row.price,
        currency=row.currency,
        weight_kg=row.weight_kg,
        attributes=dict(row.attributes or {}),
        source=row.source,
        declared_footprint_kg_co2e=row.declared_footprint_kg_co2e,
        declared_footprint_source=row.declared_footprint_source,
    )


def _product_values(p: Product, now: datetime) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "title_zh": p.title_zh,
        "description": p.description,
        "category": p.category,
        "price": float(p.price),
        "currency": p.currency,
        "weight_kg": p.weight_kg,
        "attributes": dict(p.attributes),
        "source": p.source,
        "declared_footprint_kg_co2e": p.declared_footprint_kg_co2e,
        "declared_footprint_source": p.declared_footprint_source,
        "updated_at": now,
    }


@dataclass(frozen=True)
class ProductFilter:
    """Hard constraints on a product listing; ``None`` means no constraint."""

    category: str | None = None
    max_price: float | None = None
    min_price: float | None = None
    ids: Sequence[str] | None = None


def upsert_products(session: Session, products: Iterable[Product]) -> int:
    now = _now()
    rows = [_product_values(p, now) for p in products]
    return upsert(session, ProductRow, rows, key=["id"])


def get_product(session: Session, product_id: str) -> Product:
    row = session.get(ProductRow, product_id)
    if row is None:
        raise NotFound(f"No product with id {product_id!r}")
    return product_from_row(row)


def get_products(session: Session, ids: Sequence[str]) -> dict[str, Product]:
    if not ids:
        return {}
    rows = session.scalars(select(ProductRow).where(ProductRow.id.in_(list(ids))))
    return {r.id: product_from_row(r) for r in rows}


def _filtered(stmt, flt: ProductFilter):  # type: ignore[no-untyped-def]
    if flt.category is not None:
        stmt = stmt.where(ProductRow.category == flt.category)
    if flt.max_price is not None:
        stmt = stmt.where(ProductRow.price <= flt.max_price)
    if flt.min_price is not None:
        stmt = stmt.where(ProductRow.price >= flt.min_price)
    if flt.ids is not None:
        stmt = stmt.where(ProductRow.id.in_(list(flt.ids)))
    return stmt


def list_products(
    session: Session, flt: ProductFilter = ProductFilter(), *, limit: int = 50, offset: int = 0
) -> list[Product]:
    stmt = _filtered(select(ProductRow), flt).order_by(ProductRow.id).limit(limit).offset(offset)
    return [product_from_row(r) for r in session.scalars(stmt)]


def iter_products(session: Session, batch_size: int = 1000) -> Iterator[Product]:
    """Every product, ordered by id, streamed in batches."""
    last = ""
    while True:
        stmt = select(ProductRow).where(ProductRow.id > last).order_by(ProductRow.id).limit(batch_size)
        rows = list(session.scalars(stmt))
        if not rows:
            return
        for r in rows:
            yield product_from_row(r)
        last = rows[-1].id


def count_products(session: Session, flt: ProductFilter = ProductFilter()) -> int:
    return session.scalar(_filtered(select(func.count()).select_from(ProductRow), flt)) or 0


def catalogue_version(session: Session) -> tuple[int, datetime | None]:
    """(product count, newest update): changes whenever products are added or updated."""
    count, newest = session.execute(select(func.count(), func.max(ProductRow.updated_at))).one()
    return int(count or 0), newest


def categories(session: Session) -> list[tuple[str, int]]:
    stmt = select(ProductRow.category, func.count()).group_by(ProductRow.category).order_by(ProductRow.category)
    return [(c, n) for c, n in session.execute(stmt)]


def upsert_shoppers(session: Session, shoppers: Iterable[Shopper]) -> int:
    rows = [
        {"id": s.id, "country": s.country, "segment": s.segment, "source": s.source} for s in shoppers
    ]
    return upsert(session, ShopperRow, rows, key=["id"])


def upsert_orders(session: Session, orders: Sequence[Order]) -> int:
    """Write orders and replace their lines (idempotent on re-import)."""
    if not orders:
        return 0
    upsert(
        session,
        OrderRow,
        [
            {
                "id": o.id,
                "customer_id": o.customer_id,
                "ordered_at": o.ordered_at,
                "country": o.country,
                "is_return": o.is_return,
                "source": o.source,
            }
            for o in orders
        ],
        key=["id"],
    )
    ids = [o.id for o in orders]
    for start in range(0, len(ids), 500):
        session.execute(delete(OrderLineRow).where(OrderLineRow.order_id.in_(ids[start : start + 500])))
    lines = [
        {"order_id": o.id, "product_id": ln.product_id, "quantity": ln.quantity, "unit_price": ln.unit_price}
        for o in orders
        for ln in o.lines
    ]
    upsert(session, OrderLineRow, lines, key=["order_id", "product_id", "unit_price"])
    return len(orders)


def upsert_interactions(session: Session, interactions: Iterable[Interaction]) -> int:
    rows = [
        {
            "user_id": i.user_id,
            "product_id": i.product_id,
            "kind": i.kind,
            "value": i.value,
            "occurred_at": i.occurred_at,
            "source": i.source,
        }
        for i in interactions
    ]
    return upsert(session, InteractionRow, rows, key=["user_id", "product_id", "kind", "occurred_at"])


def iter_interactions(session: Session, kinds: Sequence[str] | None = None) -> Iterator[Interaction]:
    stmt = select(InteractionRow).order_by(InteractionRow.occurred_at, InteractionRow.id)
    if kinds:
        stmt = stmt.where(InteractionRow.kind.in_(list(kinds)))
    for r in session.scalars(stmt.execution_options(yield_per=5000)):
        yield Interaction(
            user_id=r.user_id,
            product_id=r.product_id,
            kind=r.kind,
            value=r.value,
            occurred_at=r.occurred_at,
            source=r.source,
        )


def table_counts(session: Session) -> dict[str, int]:
    out = {}
    for name, table in (
        ("products", ProductRow),
        ("shoppers", ShopperRow),
        ("orders", OrderRow),
        ("order_lines", OrderLineRow),
        ("interactions", InteractionRow),
    ):
        out[name] = session.scalar(select(func.count()).select_from(table)) or 0
    return out
