"""The demo catalogue: deterministic synthetic products, shoppers, orders and interactions.

Everything here is written for greencart (no copied data) and generated from a
seeded ``numpy`` Generator, so the same seed always gives the same data:

- products over the 12 demo categories with English and Chinese titles,
  descriptions naming material, use and care, attributes (``type``, ``material``,
  ``colour``, ``size``, ``style``, optional ``brand`` and ``condition``), prices in
  GBP and weights in kg; within every product type there are lower- and
  higher-footprint variants, and about 10 % carry a synthetic merchant-declared
  footprint;
- shoppers in eight taste clusters (``Shopper.segment`` is the persona name),
  with a Zipf-like popularity long tail, sessions over 2025 with seasonality,
  view/cart/purchase interactions, orders built from purchase sessions and a few
  returns.

``generate_demo`` is pure; ``load_demo`` writes it to a database in one
transaction with upserts, so loading twice leaves the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from greencart.demo.behaviour import (
    build_catalogue,
    build_orders,
    draw_shoppers,
    simulate,
    unique_interactions,
)
from greencart.demo.products import (
    DECLARED_SOURCE,
    DEMO_SOURCE,
    generate_products,
    nominal_footprint_kg_co2e,
)
from greencart.demo.product_types import PRODUCT_TYPES
from greencart.catalog.models import Interaction, Order, Product, Shopper
from greencart.errors import InvalidParameter

if TYPE_CHECKING:
    from greencart.store import Database

DEMO_SEED = 20261123
MAX_PRODUCTS = 5000
MAX_SHOPPERS = 50_000

__all__ = [
    "DECLARED_SOURCE",
    "DEMO_SEED",
    "DEMO_SOURCE",
    "DemoData",
    "generate_demo",
    "load_demo",
    "nominal_footprint_kg_co2e",
]


@dataclass(frozen=True)
class DemoData:
    products: tuple[Product, ...]
    shoppers: tuple[Shopper, ...]
    orders: tuple[Order, ...]
    interactions: tuple[Interaction, ...]


def _check_int(name: str, value: object, low: int, high: int, why: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidParameter(f"Expected {name} to be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise InvalidParameter(f"Expected {name} in [{low}, {high}]{why}, got {value}")


def _validate(seed: int, n_products: int, n_shoppers: int) -> None:
    _check_int("seed", seed, 0, 2**63 - 1)
    min_products = 2 * len(PRODUCT_TYPES)
    _check_int(
        "n_products",
        n_products,
        min_products,
        MAX_PRODUCTS,
        f" (at least 2 per product type: {len(PRODUCT_TYPES)} types)",
    )
    _check_int("n_shoppers", n_shoppers, 1, MAX_SHOPPERS)


def generate_demo(
    seed: int = DEMO_SEED, n_products: int = 1200, n_shoppers: int = 1800
) -> DemoData:
    """The demo data for ``seed``; the same arguments always give equal data."""
    _validate(seed, n_products, n_shoppers)
    rng = np.random.default_rng(int(seed))
    products = generate_products(rng, int(n_products))
    catalogue = build_catalogue(rng, products)
    plans = draw_shoppers(rng, int(n_shoppers), catalogue.categories)
    events = simulate(rng, catalogue, plans)
    return DemoData(
        products=tuple(products),
        shoppers=tuple(p.shopper for p in plans),
        orders=tuple(build_orders(events)),
        interactions=tuple(unique_interactions(events)),
    )


def load_demo(
    db: Database,
    *,
    seed: int = DEMO_SEED,
    progress: bool = False,
    n_products: int = 1200,
    n_shoppers: int = 1800,
) -> dict[str, int]:
    """Write the demo data for ``seed`` to ``db`` in one transaction; returns the table counts.

    Idempotent: rows are upserted by key, so a second load changes nothing.
    ``db`` is a migrated :class:`greencart.store.Database`.
    """
    from greencart.store.catalog_repo import (
        table_counts,
        upsert_interactions,
        upsert_orders,
        upsert_products,
        upsert_shoppers,
    )

    data = generate_demo(seed, n_products, n_shoppers)
    db.require_migrated()
    steps = (
        ("products", lambda s: upsert_products(s, data.products)),
        ("shoppers", lambda s: upsert_shoppers(s, data.shoppers)),
        ("orders", lambda s: upsert_orders(s, data.orders)),
        ("interactions", lambda s: upsert_interactions(s, data.interactions)),
    )
    with db.transaction() as session:
        if progress:
            _run_with_progress(session, steps)
        else:
            for _, step in steps:
                step(session)
        session.flush()
        return table_counts(session)


def _run_with_progress(session, steps) -> None:  # type: ignore[no-untyped-def]
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Loading the demo catalogue", total=len(steps))
        for name, step in steps:
            bar.update(task, description=f"Loading demo {name}")
            step(session)
            bar.advance(task)
