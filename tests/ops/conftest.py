"""A small store with planted demand: 6 products in 2 categories, 60 weeks of daily orders with a weekly
pattern (busy Fridays), a slow trend, a few returns, and one product that never sells again after week 2."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from greencart.catalog.models import Order, OrderLine, Product
from greencart.store import open_database
from greencart.store import catalog_repo

START = datetime(2023, 1, 2)  # a Monday
WEEKS = 60
DAY_SHAPE = np.array([1.0, 1.0, 1.2, 1.4, 2.0, 0.6, 0.3])  # Mon..Sun


def planted_products() -> list[Product]:
    cats = ["kitchen", "kitchen", "kitchen", "apparel", "apparel", "apparel"]
    return [Product(id=f"P{i}", title=f"Planted product {i}", category=cats[i], price=5.0 + i,
                    declared_footprint_kg_co2e=0.5 + 0.25 * i, declared_footprint_source="test")
            for i in range(6)]


def planted_orders(seed: int = 7) -> list[Order]:
    rng = np.random.default_rng(seed)
    orders, n = [], 0
    for day in range(WEEKS * 7):
        at = START + timedelta(days=day, hours=10)
        for i, p in enumerate(planted_products()):
            if i == 5 and day > 14:
                continue  # stops selling: mostly-zero series
            lam = (3 + i) * DAY_SHAPE[day % 7] * (1 + day / 2000)
            q = int(rng.poisson(lam))
            if q:
                n += 1
                orders.append(Order(f"O{n:06d}", at, (OrderLine(p.id, q, p.price),), country="UK", source="test"))
            if day % 29 == i and q:
                n += 1
                orders.append(Order(f"C{n:06d}", at + timedelta(hours=2), (OrderLine(p.id, -1, p.price),),
                                    country="UK", is_return=True, source="test"))
    return orders


def fill(db) -> None:
    with db.transaction() as s:
        catalog_repo.upsert_products(s, planted_products())
        catalog_repo.upsert_orders(s, planted_orders())


@pytest.fixture(scope="session")
def planted_db_url(tmp_path_factory) -> str:
    path: Path = tmp_path_factory.mktemp("ops") / "greencart.db"
    db = open_database(f"sqlite:///{path}", migrate=True)
    fill(db)
    db.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def planted_db(planted_db_url):
    db = open_database(planted_db_url)
    yield db
    db.dispose()
