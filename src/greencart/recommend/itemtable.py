"""Product facts aligned to a model's item index: titles, prices, categories, footprints.

Built once from the store (products + footprints), it serves hard filters
(price, category), greenness and explanations as numpy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from greencart.errors import InvalidParameter, NotFound

if TYPE_CHECKING:
    from greencart.store import Database


@dataclass(frozen=True)
class ItemTable:
    item_ids: tuple[str, ...]
    titles: tuple[str, ...]
    categories: np.ndarray  # str
    need: np.ndarray  # str: category + product type where known (the "same need")
    price: np.ndarray  # float64, nan where unknown
    currency: tuple[str, ...]
    footprint_kg_co2e: np.ndarray  # float64, nan where not estimated
    footprint_low_kg_co2e: np.ndarray
    footprint_high_kg_co2e: np.ndarray
    footprint_method: tuple[str, ...]

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        for name in ("titles", "categories", "need", "price", "currency", "footprint_kg_co2e",
                     "footprint_low_kg_co2e", "footprint_high_kg_co2e", "footprint_method"):
            if len(getattr(self, name)) != n:
                raise InvalidParameter(f"Expected {name} of length {n}, got {len(getattr(self, name))}")

    def __len__(self) -> int:
        return len(self.item_ids)

    def index(self, item_id: str) -> int:
        lookup = self.__dict__.get("_lookup")
        if lookup is None:
            lookup = {p: i for i, p in enumerate(self.item_ids)}
            object.__setattr__(self, "_lookup", lookup)
        try:
            return lookup[item_id]
        except KeyError:
            raise NotFound(f"No product with id {item_id!r}") from None

    def allowed(self, *, category: str | None = None, max_price: float | None = None,
                min_price: float | None = None) -> np.ndarray | None:
        """Boolean mask of the hard filters; None when there are none."""
        if category is None and max_price is None and min_price is None:
            return None
        mask = np.ones(len(self), dtype=bool)
        if category is not None:
            mask &= self.categories == category
        if max_price is not None:
            mask &= np.nan_to_num(self.price, nan=np.inf) <= max_price
        if min_price is not None:
            mask &= np.nan_to_num(self.price, nan=-np.inf) >= min_price
        return mask


def _need(category: str, attributes: dict[str, str]) -> str:
    kind = attributes.get("type")
    return f"{category}/{kind}" if kind else category


def table_from_records(item_ids: Sequence[str], products: dict, footprints: dict) -> ItemTable:
    """``products``: id -> Product; ``footprints``: id -> Footprint (either may miss ids)."""
    nan = float("nan")
    rows = []
    for pid in item_ids:
        p, f = products.get(pid), footprints.get(pid)
        rows.append((
            p.title if p else pid, p.category if p else "unknown", _need(p.category, p.attributes) if p else "unknown",
            p.price if p else nan, p.currency if p else "GBP",
            f.kg_co2e if f else nan, f.low_kg_co2e if f else nan, f.high_kg_co2e if f else nan,
            f.method if f else "none",
        ))
    cols = list(zip(*rows)) if rows else [()] * 9
    return ItemTable(
        item_ids=tuple(item_ids), titles=tuple(cols[0]), categories=np.array(cols[1], dtype=str),
        need=np.array(cols[2], dtype=str), price=np.array(cols[3], dtype=np.float64), currency=tuple(cols[4]),
        footprint_kg_co2e=np.array(cols[5], dtype=np.float64),
        footprint_low_kg_co2e=np.array(cols[6], dtype=np.float64),
        footprint_high_kg_co2e=np.array(cols[7], dtype=np.float64), footprint_method=tuple(cols[8]),
    )


def load_item_table(db: Database, item_ids: Sequence[str]) -> ItemTable:
    from greencart.store.catalog_repo import get_products
    from greencart.store.footprint_repo import get_footprints

    ids = list(item_ids)
    products: dict = {}
    with db.read() as session:
        for start in range(0, len(ids), 500):
            products.update(get_products(session, ids[start : start + 500]))
        footprints = get_footprints(session, ids)
    return table_from_records(ids, products, footprints)
