"""Two shoppers with orders over the assistant tests' small catalogue, and a fixed clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from greencart.catalog.models import Order, OrderLine, Shopper
from greencart.store import catalog_repo, open_database
from tests.assistant.conftest import PRODUCTS

NOW = datetime(2024, 3, 20, 12, 0)
ALICE, BOB = "A100", "B200"
ORDERS = [
    # Alice: a lantern bought 10 days ago (returnable), kettles in January, a cancellation.
    Order("536365", datetime(2024, 3, 10, 9, 30), (OrderLine("L1", 2, 3.75), OrderLine("T1", 1, 18.0)), ALICE),
    Order("536001", datetime(2024, 1, 5, 14, 0), (OrderLine("K1", 1, 29.0),), ALICE),
    Order("C536002", datetime(2024, 1, 6, 10, 0), (OrderLine("K1", -1, 29.0),), ALICE, is_return=True),
    # Bob: one order of red t-shirts, long ago (outside the returns window).
    Order("540000", datetime(2023, 11, 2, 16, 0), (OrderLine("T2", 3, 12.0),), BOB),
]


def seed_orders(db_path: Path) -> None:
    db = open_database(f"sqlite:///{db_path}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
        catalog_repo.upsert_shoppers(s, [Shopper(ALICE), Shopper(BOB)])
        catalog_repo.upsert_orders(s, ORDERS)
    db.dispose()


@pytest.fixture(scope="module")
def orders_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("support") / "greencart.db"
    seed_orders(path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def desk(orders_db):
    from greencart.support import support_desk

    return support_desk(orders_db, now=lambda: NOW)
