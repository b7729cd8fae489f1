"""A small catalogue in tmp, shared by the assistant tests (the index builds once)."""

from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.config import Settings
from greencart.store import catalog_repo, open_database


def _p(pid: str, title: str, category: str, price: float, colour: str, material: str, kind: str,
       zh: str | None = None, declared: float | None = None) -> Product:
    return Product(id=pid, title=title, title_zh=zh, category=category, price=price, weight_kg=0.3,
                   attributes={"colour": colour, "material": material, "type": kind, "size": "M"},
                   declared_footprint_kg_co2e=declared,
                   declared_footprint_source="Test declaration" if declared is not None else None)


PRODUCTS = [
    _p("T1", "White Organic Cotton T-Shirt", "apparel", 18.0, "white", "organic cotton", "t-shirt", "白色有机棉T恤", 2.1),
    _p("T2", "Red Cotton T-Shirt", "apparel", 12.0, "red", "cotton", "t-shirt", "红色棉T恤", 4.0),
    _p("T3", "White Polyester T-Shirt", "apparel", 9.5, "white", "polyester", "t-shirt", "白色涤纶T恤", 5.2),
    _p("T4", "Black Recycled Cotton T-Shirt", "apparel", 22.0, "black", "recycled cotton", "t-shirt", "黑色再生棉T恤", 1.6),
    _p("T5", "Red Linen T-Shirt", "apparel", 31.0, "red", "linen", "t-shirt", "红色亚麻T恤", 1.9),
    _p("K1", "Stainless Steel Electric Kettle", "small-appliances", 29.0, "black", "stainless steel", "kettle",
       "不锈钢电水壶", 21.5),
    _p("K2", "Recycled Plastic Kettle", "small-appliances", 24.0, "white", "recycled plastic", "kettle",
       "再生塑料电水壶", 12.0),
    _p("K3", "Cream Plastic Kettle", "small-appliances", 19.0, "cream", "plastic", "kettle", "奶油色塑料电水壶", 15.0),
    _p("L1", "White Metal Lantern", "home-decor", 3.75, "white", "metal", "lantern"),
    _p("L2", "Red Glass Lantern", "home-decor", 4.95, "red", "glass", "lantern"),
]


@pytest.fixture(scope="session")
def catalog_var(tmp_path_factory):
    var = tmp_path_factory.mktemp("assistant-var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()
    return var


@pytest.fixture(scope="session")
def catalog(catalog_var):
    from greencart.service import CatalogService

    svc = CatalogService(Settings(var_dir=catalog_var))
    svc.index()  # build once for every test
    yield svc
    svc.close()


@pytest.fixture
def assistant(catalog):
    from greencart.assistant import Assistant, SemanticCache

    return Assistant(catalog, cache=SemanticCache(embedder=None))
