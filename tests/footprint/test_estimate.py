from __future__ import annotations

import math

import pytest

from greencart.catalog.models import Product
from greencart.footprint import EstimatorConfig, FootprintEstimator
from greencart.footprint.match import ReferenceItem

REFS = [
    ReferenceItem(
        "r1",
        "Cotton t-shirt, crew neck",
        "",
        "Home durables, textiles, & equipment",
        0.2,
        4.0,
        "Test set, r1",
        "test",
    ),
    ReferenceItem(
        "r2",
        "Organic cotton t-shirt",
        "",
        "Home durables, textiles, & equipment",
        0.25,
        5.0,
        "Test set, r2",
        "test",
    ),
    ReferenceItem(
        "r3",
        "Laptop computer 14 inch",
        "",
        "Computer, IT & telecom",
        2.0,
        300.0,
        "Test set, r3",
        "test",
    ),
    ReferenceItem("r4", "Unweighed widget", "", None, None, 1.0, "Test set, r4", "test"),
]


@pytest.fixture(scope="module")
def estimator(embedder):
    return FootprintEstimator(REFS, embedder=embedder)


def _p(pid, title, category="apparel", price=12.0, **kw) -> Product:
    return Product(id=pid, title=title, category=category, price=price, **kw)


def test_priority_declared_reference_spend_default(estimator):
    products = [
        _p(
            "d",
            "Cotton t-shirt",
            weight_kg=0.2,
            declared_footprint_kg_co2e=3.3,
            declared_footprint_source="Maker PCF 2024, ISO 14067",
        ),
        _p("r", "Cotton t-shirt", weight_kg=0.2),
        _p("s", "Cotton t-shirt"),  # no weight: cannot scale a reference
        _p("c", "Cotton t-shirt", price=0.0),
        _p("j", "Cotton t-shirt", currency="JPY"),
    ]
    got = estimator.estimate_many(products)
    assert [f.method for f in got] == [
        "declared",
        "reference",
        "spend",
        "category-default",
        "category-default",
    ]
    assert got[0].kg_co2e == 3.3 and "Maker PCF 2024" in got[0].source
    # reference: intensity of the t-shirt neighbours (~20 kg/kg) x 0.2 kg, far from the laptop's 150 kg/kg
    assert 3.0 < got[1].kg_co2e < 5.5
    assert got[1].source.startswith("reference:") and "Test set" in got[1].source
    assert got[2].commodity_code == "315220"
    assert "JPY" in got[4].source
    for f in got:
        assert f.source.strip()
        assert f.low_kg_co2e <= f.kg_co2e <= f.high_kg_co2e


def test_dissimilar_product_skips_reference(estimator):
    f = estimator.estimate(_p("x", "Garden hose reel", category="garden", weight_kg=3.0))
    assert f.method == "spend"


def test_spend_figure_by_hand(estimator):
    f = estimator.estimate(_p("s", "Cotton t-shirt", price=12.0), price_year=2011)
    usd_2021 = 12 * (1.39196 / 0.86788) * (270.970 / 224.939)
    assert f.kg_co2e == pytest.approx(0.145 * usd_2021)
    assert "(2011)" in f.source and "NAICS 315220" in f.source


def test_price_year_from_source_attribute_and_default(estimator):
    retail = _p("o", "Cotton t-shirt", source="online-retail")
    tagged = _p("t", "Cotton t-shirt", attributes={"price_year": "2015"})
    plain = _p("p", "Cotton t-shirt")
    assert estimator.price_year(retail) == 2011
    assert estimator.price_year(tagged) == 2015
    assert estimator.price_year(plain) == 2025
    assert estimator.price_year(plain, {"p": 2010}) == 2010
    custom = FootprintEstimator(
        embedder=None, config=EstimatorConfig(default_price_year=2019, embedder=None)
    )
    assert custom.price_year(plain) == 2019


def test_low_confidence_widens_the_band(estimator):
    clear, vague = estimator.estimate_many(
        [
            _p("a", "Cotton t-shirt", category="uncategorised"),
            _p("b", "Assorted item", category="uncategorised"),
        ]
    )
    assert clear.method == vague.method == "spend"
    assert vague.confidence < clear.confidence
    assert math.log(vague.high_kg_co2e / vague.low_kg_co2e) > math.log(
        clear.high_kg_co2e / clear.low_kg_co2e
    )


def test_works_without_embedder_or_reference_set():
    est = FootprintEstimator(config=EstimatorConfig(embedder=None))
    f = est.estimate(
        _p("k", "Electric kettle", category="small-appliances", price=30.0, weight_kg=1.2)
    )
    assert f.method == "spend" and f.commodity_code == "335210"


def test_plausible_spread_across_products(estimator):
    sofa, shirt, pencil = estimator.estimate_many(
        [
            _p("1", "Three-seater fabric sofa", category="furniture", price=899.0),
            _p("2", "Cotton t-shirt", price=15.0),
            _p("3", "HB pencil", category="stationery", price=0.6),
        ]
    )
    assert sofa.kg_co2e > 10 * shirt.kg_co2e > 10 * pencil.kg_co2e
