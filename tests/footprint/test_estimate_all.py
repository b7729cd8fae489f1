from __future__ import annotations

from datetime import datetime

from greencart.catalog.models import Order, OrderLine, Product
from greencart.footprint import estimate_all
from greencart.store import catalog_repo, footprint_repo

PRODUCTS = [
    Product("p1", "Cotton t-shirt", "apparel", 15.0, weight_kg=0.2),
    Product("p2", "Oak dining table", "furniture", 450.0, weight_kg=40.0),
    Product("p3", "Mystery box", "uncategorised", 0.0),
    Product(
        "p4",
        "Bamboo toothbrush",
        "personal-care",
        3.0,
        declared_footprint_kg_co2e=0.05,
        declared_footprint_source="Maker EPD 2023",
    ),
    Product("p5", "WHITE METAL LANTERN", "home-decor", 3.75, source="online-retail"),
]


def test_estimate_all_writes_every_product(db):
    with db.transaction() as session:
        catalog_repo.upsert_products(session, PRODUCTS)
        catalog_repo.upsert_orders(
            session,
            [
                Order("o1", datetime(2010, 12, 3), (OrderLine("p5", 6, 3.75),), source="test"),
            ],
        )
    counts = estimate_all(db)
    assert counts == {"declared": 1, "reference": 0, "spend": 3, "category-default": 1}
    with db.read() as session:
        got = footprint_repo.get_footprints(session, [p.id for p in PRODUCTS])
        assert footprint_repo.count_by_method(session) == {
            "declared": 1,
            "spend": 3,
            "category-default": 1,
        }
        one = footprint_repo.get_footprint(session, "p2")
        assert footprint_repo.get_footprint(session, "nope") is None
    assert set(got) == {p.id for p in PRODUCTS}
    assert all(f.source for f in got.values())
    assert got["p4"].method == "declared" and got["p4"].kg_co2e == 0.05
    assert "(2010)" in got["p5"].source  # the order year, not the importer's default
    assert one is not None and one.commodity_code == "337122" and one.kg_co2e > got["p1"].kg_co2e
    assert estimate_all(db) == counts  # idempotent
