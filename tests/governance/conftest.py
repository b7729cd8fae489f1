"""A small catalogue in a tmp var dir for the governance tests."""

from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.store import catalog_repo, open_database


def _p(pid: str, title: str, category: str, price: float, kind: str, declared: float | None = None) -> Product:
    return Product(id=pid, title=title, title_zh=None, category=category, price=price, weight_kg=0.4,
                   attributes={"type": kind, "colour": "white"}, declared_footprint_kg_co2e=declared,
                   declared_footprint_source="Test declaration" if declared is not None else None)


PRODUCTS = [
    _p("K1", "Stainless Steel Electric Kettle", "small-appliances", 29.0, "kettle", 21.5),
    _p("K2", "Recycled Plastic Kettle", "small-appliances", 24.0, "kettle", 12.0),
    _p("L1", "White Metal Lantern", "home-decor", 3.75, "lantern"),
    _p("L2", "Red Glass Lantern", "home-decor", 4.95, "lantern"),
    _p("T1", "White Organic Cotton T-Shirt", "apparel", 18.0, "t-shirt", 2.1),
]


@pytest.fixture(autouse=True)
def _no_keys_in_the_environment(monkeypatch):
    for name in ("GREENCART_PSEUDONYM_KEY", "GREENCART_ENCRYPTION_KEY", "GREENCART_ENCRYPTION_OLD_KEYS",
                 "GREENCART_DATABASE_URL", "GREENCART_VAR_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def var(tmp_path):
    """A migrated SQLite database with PRODUCTS under a fresh var dir."""
    db = open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()
    return tmp_path
