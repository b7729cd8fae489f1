"""The reads that ranking needs: the recommender's and the eco re-ranking's (SQL stays in ``store``).

- :func:`product_ids`: every product id, sorted (full ranking is over all of them);
- :func:`shopper_events`: one shopper's raw interaction events, None when unknown;
- :func:`category_footprints`: each product's category and stored footprint (central,
  low, high), the reference set of the eco re-ranking's greenness scale, and
  :func:`footprints_version`, which changes whenever those rows do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from greencart.store.tables import FootprintRow, InteractionRow, ProductRow, ShopperRow


def product_ids(session: Session) -> list[str]:
    return list(session.scalars(select(ProductRow.id).order_by(ProductRow.id)))


def shopper_events(session: Session, user_id: str) -> list[tuple[str, str, float]] | None:
    """``(product_id, kind, value)`` of every interaction of ``user_id``; None: no such shopper."""
    if session.get(ShopperRow, user_id) is None:
        return None
    rows = session.execute(
        select(InteractionRow.product_id, InteractionRow.kind, InteractionRow.value).where(
            InteractionRow.user_id == user_id
        )
    ).all()
    return [(str(pid), str(kind), float(value)) for pid, kind, value in rows]


def category_footprints(session: Session) -> list[tuple[str, float, float, float]]:
    """``(category, kg CO2e, low, high)`` of every product with a stored footprint."""
    rows = session.execute(
        select(ProductRow.category, FootprintRow.footprint_kg_co2e, FootprintRow.low_kg_co2e,
               FootprintRow.high_kg_co2e).join(FootprintRow, FootprintRow.product_id == ProductRow.id)
    ).all()
    return [(str(c), float(kg), float(lo), float(hi)) for c, kg, lo, hi in rows]


def footprints_version(session: Session) -> tuple[int, int, datetime | None, datetime | None]:
    """(products, footprints, newest product update, newest estimate)."""
    products, newest_product = session.execute(select(func.count(), func.max(ProductRow.updated_at))).one()
    footprints, newest = session.execute(select(func.count(), func.max(FootprintRow.computed_at))).one()
    return int(products or 0), int(footprints or 0), newest_product, newest
