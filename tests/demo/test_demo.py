"""The demo catalogue: determinism, realism, structure for recommendations and eco nudges."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime

import numpy as np
import pytest

from greencart.catalog.categories import DEMO_CATEGORY_SLUGS
from greencart.demo import (
    DECLARED_SOURCE,
    DemoData,
    generate_demo,
    load_demo,
    nominal_footprint_kg_co2e,
)
from greencart.demo.product_types import TYPES_BY_NAME
from greencart.errors import InvalidParameter


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo()


def _purchases(demo: DemoData) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for i in demo.interactions:
        if i.kind == "purchase":
            out[i.user_id].add(i.product_id)
    return out


def _relative_footprint(product) -> float:  # type: ignore[no-untyped-def]
    ptype = TYPES_BY_NAME[product.attributes["type"]]
    return nominal_footprint_kg_co2e(product) / (product.weight_kg * ptype.intensity_kg_co2e_per_kg)


def test_same_seed_same_data_and_other_seed_other_data() -> None:
    a = generate_demo(seed=7, n_products=300, n_shoppers=150)
    b = generate_demo(seed=7, n_products=300, n_shoppers=150)
    c = generate_demo(seed=8, n_products=300, n_shoppers=150)
    assert a == b
    assert [p.title for p in a.products] != [p.title for p in c.products]
    assert a.interactions != c.interactions


def test_size_and_every_category_has_a_fair_share(demo: DemoData) -> None:
    assert len(demo.products) >= 1000
    counts = Counter(p.category for p in demo.products)
    assert set(counts) == set(DEMO_CATEGORY_SLUGS)
    for slug in DEMO_CATEGORY_SLUGS:
        assert counts[slug] >= 0.05 * len(demo.products), slug


def test_ids_and_titles_are_unique(demo: DemoData) -> None:
    ids = [p.id for p in demo.products]
    assert all(re.fullmatch(r"GC-\d{6}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert len({p.title for p in demo.products}) == len(ids)
    assert len({p.title_zh for p in demo.products}) == len(ids)
    assert [s.id for s in demo.shoppers][:2] == ["U00001", "U00002"]


def test_every_product_is_complete_and_readable(demo: DemoData) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for p in demo.products:
        assert p.title_zh and cjk.search(p.title_zh), p.title_zh
        for key in ("type", "material", "colour", "size", "style"):
            assert p.attributes.get(key), (p.id, key)
        assert p.price > 0 and p.weight_kg is not None and p.weight_kg > 0
        assert p.currency == "GBP" and p.source == "demo"
        text = p.description.lower()
        assert p.attributes["type"] in text and p.attributes["material"].lower() in text, (
            p.description
        )
        assert 1 <= p.description.count(". ") + 1 <= 4


def test_prices_and_weights_are_realistic(demo: DemoData) -> None:
    by_type = defaultdict(list)
    for p in demo.products:
        by_type[p.attributes["type"]].append(p)
    assert np.median([p.price for p in by_type["laptop"]]) > 300
    assert (
        np.median([p.price for p in by_type["toothbrush"] if p.attributes["size"] == "single"]) < 10
    )
    assert np.median([p.weight_kg for p in by_type["sofa"]]) > 30
    assert all(p.weight_kg < 0.1 for p in by_type["toothbrush"] if p.attributes["size"] == "single")


def test_lower_and_higher_footprint_alternatives_within_every_type(demo: DemoData) -> None:
    by_type = defaultdict(list)
    for p in demo.products:
        by_type[p.attributes["type"]].append(_relative_footprint(p))
    assert set(by_type) == set(TYPES_BY_NAME)
    for name, rel in by_type.items():
        assert max(rel) / min(rel) >= 1.5, name
    pairs = {(p.attributes["type"], p.attributes["material"]) for p in demo.products}
    conditions = {(p.attributes["type"], p.attributes.get("condition")) for p in demo.products}
    assert {("t-shirt", "organic cotton"), ("t-shirt", "polyester")} <= pairs
    assert {("toothbrush", "bamboo"), ("toothbrush", "plastic"), ("ready meal", "beef")} <= pairs
    assert {("ready meal", "lentil"), ("jumper", "recycled wool"), ("jumper", "cashmere")} <= pairs
    assert {("laptop", "refurbished"), ("laptop", "new")} <= conditions


def test_declared_footprints_are_about_ten_percent_and_plausible(demo: DemoData) -> None:
    declared = [p for p in demo.products if p.declared_footprint_kg_co2e is not None]
    assert 0.08 <= len(declared) / len(demo.products) <= 0.12
    for p in declared:
        assert p.declared_footprint_source == DECLARED_SOURCE
        ratio = p.declared_footprint_kg_co2e / nominal_footprint_kg_co2e(p)
        assert 0.5 < ratio < 2.0, p.id
    fp = {p.attributes["type"]: nominal_footprint_kg_co2e(p) for p in demo.products}
    assert fp["laptop"] > 30 * fp["t-shirt"] > 30 * fp["toothbrush"]


def test_popularity_has_a_long_tail(demo: DemoData) -> None:
    counts = Counter(i.product_id for i in demo.interactions if i.kind == "purchase")
    ranked = sorted(counts.values(), reverse=True)
    top = sum(ranked[: len(demo.products) // 10]) / sum(ranked)
    assert top > 0.45  # measured 0.56 with DEMO_SEED
    assert len(counts) > 0.7 * len(demo.products)  # the tail is still bought


def test_personas_form_taste_clusters(demo: DemoData) -> None:
    segment = {s.id: s.segment for s in demo.shoppers}
    assert len(set(segment.values())) == 8
    category = {p.id: p.category for p in demo.products}
    bought = _purchases(demo)
    users = sorted(bought)
    rng = np.random.default_rng(0)
    same, other, same_items, other_items = [], [], [], []
    for _ in range(6000):
        u, v = rng.choice(users, 2, replace=False)
        cu, cv = {category[p] for p in bought[u]}, {category[p] for p in bought[v]}
        jaccard = len(cu & cv) / len(cu | cv)
        (same if segment[u] == segment[v] else other).append(jaccard)
        (same_items if segment[u] == segment[v] else other_items).append(len(bought[u] & bought[v]))
    assert np.mean(same) > 1.8 * np.mean(other)  # measured 0.27 vs 0.10
    assert np.mean(same_items) > 2.0 * np.mean(other_items)


def test_eco_persona_buys_greener_than_fashion_persona(demo: DemoData) -> None:
    segment = {s.id: s.segment for s in demo.shoppers}
    products = {p.id: p for p in demo.products}
    rel: dict[str, list[float]] = defaultdict(list)
    for user, items in _purchases(demo).items():
        rel[segment[user]].extend(np.log(_relative_footprint(products[p])) for p in items)
    assert np.mean(rel["eco-minimalist"]) < np.mean(rel["fashion-follower"]) - 0.2
    assert np.mean(rel["green-gardener"]) < np.mean(rel["tech-enthusiast"])


def test_interactions_and_orders_are_consistent(demo: DemoData) -> None:
    assert 1500 <= len(demo.shoppers) <= 2000
    assert 30_000 <= len(demo.interactions) <= 60_000
    kinds = Counter(i.kind for i in demo.interactions)
    assert set(kinds) == {"view", "cart", "purchase", "return"}
    assert kinds["view"] > kinds["cart"] > kinds["purchase"] > kinds["return"] > 0
    assert all(
        datetime(2025, 1, 1) <= i.occurred_at < datetime(2026, 1, 1) for i in demo.interactions
    )
    keys = {(i.user_id, i.product_id, i.kind, i.occurred_at) for i in demo.interactions}
    assert len(keys) == len(demo.interactions)
    sales = [o for o in demo.orders if not o.is_return]
    returns = [o for o in demo.orders if o.is_return]
    assert len({o.id for o in demo.orders}) == len(demo.orders)
    bought_units = sum(i.value for i in demo.interactions if i.kind == "purchase")
    assert sum(ln.quantity for o in sales for ln in o.lines) == bought_units
    assert all(ln.quantity < 0 for o in returns for ln in o.lines)
    assert len(returns) == kinds["return"]
    assert any(len(o.lines) > 1 for o in sales)


def test_seasonality(demo: DemoData) -> None:
    months = Counter(i.occurred_at.month for i in demo.interactions)
    assert months[12] > 1.3 * months[8]
    category = {p.id: p.category for p in demo.products}
    garden = Counter(
        i.occurred_at.month for i in demo.interactions if category[i.product_id] == "garden"
    )
    assert garden[5] > 2 * garden[11]
    toys = Counter(
        i.occurred_at.month for i in demo.interactions if category[i.product_id] == "toys"
    )
    assert toys[12] > 2 * toys[6]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_products": 10}, r"Expected n_products in \[230, 5000\] \(at least 2 per product type"),
        ({"n_products": 100_000}, r"Expected n_products in"),
        ({"n_shoppers": 0}, r"Expected n_shoppers in \[1, 50000\], got 0"),
        ({"seed": -1}, r"Expected seed in"),
        ({"seed": "abc"}, r"Expected seed to be an integer, got 'abc'"),
        ({"n_products": 1200.5}, r"Expected n_products to be an integer"),
    ],
)
def test_bad_parameters_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidParameter, match=message):
        generate_demo(**kwargs)


def test_load_demo_is_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    small = {"seed": 11, "n_products": 300, "n_shoppers": 120}
    data = generate_demo(**small)
    first = load_demo(db, **small)
    second = load_demo(db, progress=True, **small)
    assert first == second
    assert first["products"] == len(data.products)
    assert first["shoppers"] == len(data.shoppers)
    assert first["orders"] == len(data.orders)
    assert first["order_lines"] == sum(len(o.lines) for o in data.orders)
    assert first["interactions"] == len(data.interactions)


def test_load_demo_rejects_bad_parameters_before_writing(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameter, match="n_shoppers"):
        load_demo(db, n_shoppers=-5)
    assert load_demo(db, seed=3, n_products=230, n_shoppers=1)["products"] == 230
