"""Tiny routing worlds with hand-checkable figures, and a small stored day of orders."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.models import (
    VEHICLE_CATALOGUE,
    Fleet,
    Point,
    Stop,
    TimeWindow,
    VehicleType,
)

DEPOT = Point(51.5, -0.1)
DAY = datetime(2025, 6, 2, 9, 0)


def vehicle(kind: str, count: int = 1, name: str | None = None, **over) -> VehicleType:
    return VehicleType(name or kind, count=count, **{**VEHICLE_CATALOGUE[kind], **over})


def matrix_problem(dist_km: np.ndarray, weights: list[float], vehicles: tuple[VehicleType, ...],
                   windows: list[TimeWindow | None] | None = None) -> RoutingProblem:
    """A problem whose distances are ``dist_km`` exactly (index 0 the depot)."""
    stops = tuple(Stop(f"s{i}", Point(51.5 + 0.001 * i, -0.1), w, window=(windows or [None] * len(weights))[i - 1])
                  for i, w in enumerate(weights, 1))
    p = RoutingProblem(Fleet(DEPOT, vehicles, road_factor=1.0), stops)
    p.dist_km = np.asarray(dist_km, dtype=float)  # overrides the haversine matrix
    return p


def euclid(points: list[tuple[float, float]]) -> np.ndarray:
    a = np.asarray(points, dtype=float)
    return np.sqrt(((a[:, None, :] - a[None, :, :]) ** 2).sum(-1))


@pytest.fixture
def day_db(db):
    """A migrated database with 3 products, 12 shoppers and 12 sales orders on 2025-06-02."""
    return populate_day(db)


def populate_day(db):  # type: ignore[no-untyped-def]
    from greencart.catalog.models import Order, OrderLine, Product, Shopper
    from greencart.store.catalog_repo import upsert_orders, upsert_products, upsert_shoppers

    products = [Product(id=f"P{i}", title=f"Parcel {i}", category="home", price=5.0, currency="GBP",
                        weight_kg=w) for i, w in enumerate((0.5, 2.0, 8.0))]
    shoppers = [Shopper(f"U{i:03d}") for i in range(12)]
    orders = [Order(f"O{i:04d}", DAY.replace(hour=8 + i % 10), (OrderLine(f"P{i % 3}", 1 + i % 2, 5.0),),
                    f"U{i:03d}") for i in range(12)]
    with db.transaction() as s:
        upsert_products(s, products)
        upsert_shoppers(s, shoppers)
        upsert_orders(s, orders)
    return db
