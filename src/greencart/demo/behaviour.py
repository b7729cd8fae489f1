"""Synthetic shoppers, sessions, interactions and orders for the demo catalogue.

Each shopper belongs to a persona (taste cluster) and shops in sessions spread
over 2025 with seasonality. A session picks a category from the shopper's
affinities and the season, views a few products drawn from the persona's
preferences (popularity with a Zipf-like long tail, colour and material taste,
price sensitivity, eco affinity and per-persona favourite types), carts some
and buys some; purchases become orders and a few are returned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from greencart.demo.personas import (
    BASE_AFFINITY,
    CATEGORY_SEASON,
    CONSUMABLES,
    COUNTRIES,
    DEFAULT_RETURN_RATE,
    MONTH_TRAFFIC,
    PERSONAS,
    RETURN_RATES,
    SPECIAL_DAYS,
    YEAR,
    Persona,
)
from greencart.demo.products import DEMO_SOURCE, nominal_footprint_kg_co2e
from greencart.demo.product_types import TYPES_BY_NAME
from greencart.catalog.models import Interaction, Order, OrderLine, Product, Shopper

ZIPF_EXPONENT = 0.8
TASTE_BONUS = 1.2
ECO_WEIGHT = 2.5
TYPE_BIAS_SD = 0.8
VIEWS_MEAN = 2.0
CART_PROB = 0.3
BUY_PROB = 0.65
ADD_ON_PROB = 0.25
SESSIONS_SIGMA = 0.9
YEAR_END = datetime(YEAR + 1, 1, 1)
HOUR_WEIGHTS = np.array(
    [
        1,
        0.6,
        0.4,
        0.3,
        0.3,
        0.4,
        0.8,
        1.5,
        2.2,
        2.5,
        2.6,
        2.7,
        3.0,
        3.0,
        2.8,
        2.7,
        2.8,
        3.2,
        3.8,
        4.3,
        4.5,
        4.0,
        3.0,
        1.8,
    ]
)


@dataclass
class Catalogue:
    """Products as arrays, and per persona and category the sampling distribution."""

    products: list[Product]
    categories: list[str]
    by_category: dict[str, np.ndarray]
    choice: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)  # cumulative probs


def _greenness(products: list[Product]) -> np.ndarray:
    """-log of the footprint relative to the conventional variant of the type, clipped."""
    rel = []
    for p in products:
        ptype = TYPES_BY_NAME[p.attributes["type"]]
        rel.append(
            nominal_footprint_kg_co2e(p)
            / (float(p.weight_kg or 1.0) * ptype.intensity_kg_co2e_per_kg)
        )
    return np.clip(-np.log(np.asarray(rel)), -1.5, 1.5)


def _relative_price(products: list[Product]) -> np.ndarray:
    by_type: dict[str, list[float]] = defaultdict(list)
    for p in products:
        by_type[p.attributes["type"]].append(p.price)
    medians = {t: float(np.median(v)) for t, v in by_type.items()}
    return np.log(
        np.asarray([max(p.price, 0.01) / medians[p.attributes["type"]] for p in products])
    )


def build_catalogue(rng: np.random.Generator, products: list[Product]) -> Catalogue:
    categories = sorted({p.category for p in products})
    cat_of = np.asarray([p.category for p in products])
    by_category = {c: np.flatnonzero(cat_of == c) for c in categories}
    ranks = rng.permutation(len(products)) + 1
    log_pop = -ZIPF_EXPONENT * np.log(ranks)
    green, rel_price = _greenness(products), _relative_price(products)
    colours = np.asarray([p.attributes["colour"] for p in products])
    materials = np.asarray([p.attributes["material"] for p in products])
    types = np.asarray([p.attributes["type"] for p in products])
    type_names = sorted(set(types.tolist()))
    cat = Catalogue(products, categories, by_category)
    for k, persona in enumerate(PERSONAS):
        bias = dict(zip(type_names, rng.normal(0.0, TYPE_BIAS_SD, len(type_names)), strict=True))
        util = (
            log_pop
            + TASTE_BONUS * np.isin(colours, persona.colours)
            + TASTE_BONUS * np.isin(materials, persona.materials)
            + ECO_WEIGHT * persona.eco_affinity * green
            - persona.price_sensitivity * rel_price
            + np.asarray([bias[t] for t in types])
        )
        for c, idx in by_category.items():
            w = np.exp(util[idx] - util[idx].max())
            cat.choice[(k, c)] = np.cumsum(w / w.sum())
    return cat


def _draw(rng: np.random.Generator, cat: Catalogue, persona: int, category: str) -> int:
    cdf = cat.choice[(persona, category)]
    pos = min(int(np.searchsorted(cdf, rng.random() * cdf[-1])), len(cdf) - 1)
    return int(cat.by_category[category][pos])


def _day_weights() -> np.ndarray:
    start = date(YEAR, 1, 1)
    days = [start + timedelta(days=i) for i in range((date(YEAR + 1, 1, 1) - start).days)]
    w = np.asarray(
        [
            MONTH_TRAFFIC[d.month - 1]
            * (1.15 if d.weekday() >= 5 else 1.0)
            * SPECIAL_DAYS.get(d, 1.0)
            for d in days
        ]
    )
    return w / w.sum()


@dataclass
class ShopperPlan:
    shopper: Shopper
    persona: int
    category_weights: np.ndarray  # over Catalogue.categories


def draw_shoppers(
    rng: np.random.Generator, n_shoppers: int, categories: list[str]
) -> list[ShopperPlan]:
    shares = np.asarray([p.share for p in PERSONAS])
    personas = rng.choice(len(PERSONAS), size=n_shoppers, p=shares / shares.sum())
    country_p = np.asarray([w for _, w in COUNTRIES])
    countries = rng.choice(len(COUNTRIES), size=n_shoppers, p=country_p / country_p.sum())
    plans = []
    for i in range(n_shoppers):
        persona: Persona = PERSONAS[int(personas[i])]
        base = np.asarray(
            [persona.categories.get(c, BASE_AFFINITY) for c in categories], dtype=float
        )
        weights = base * rng.gamma(2.0, 0.5, size=len(categories))
        shopper = Shopper(
            id=f"U{i + 1:05d}",
            country=COUNTRIES[int(countries[i])][0],
            segment=persona.name,
            source=DEMO_SOURCE,
        )
        plans.append(ShopperPlan(shopper, int(personas[i]), weights / weights.sum()))
    return plans


@dataclass
class Events:
    interactions: list[Interaction] = field(default_factory=list)
    orders: list[tuple[datetime, str, str | None, dict[str, tuple[int, float]]]] = field(
        default_factory=list
    )
    returns: list[tuple[datetime, str, str | None, str, int, float]] = field(default_factory=list)

    def add(self, user: str, product: str, kind: str, at: datetime, value: float = 1.0) -> None:
        self.interactions.append(Interaction(user, product, kind, at, value, DEMO_SOURCE))


def _quantity(rng: np.random.Generator, category: str) -> int:
    if category in CONSUMABLES:
        return int(min(6, 1 + rng.poisson(0.4)))
    return 2 if rng.random() < 0.04 else 1


def _buy(
    rng: np.random.Generator,
    ev: Events,
    plan: ShopperPlan,
    product: Product,
    at: datetime,
    basket: dict[str, tuple[int, float]],
) -> None:
    qty = _quantity(rng, product.category)
    uid = plan.shopper.id
    ev.add(uid, product.id, "purchase", at, float(qty))
    basket[product.id] = (qty, product.price)
    if rng.random() < RETURN_RATES.get(product.category, DEFAULT_RETURN_RATE):
        back = at + timedelta(days=int(rng.integers(2, 22)), seconds=int(rng.integers(0, 86400)))
        if back < YEAR_END:
            ev.add(uid, product.id, "return", back, float(qty))
            ev.returns.append((back, uid, plan.shopper.country, product.id, qty, product.price))


def _session(
    rng: np.random.Generator, cat: Catalogue, ev: Events, plan: ShopperPlan, start: datetime
) -> None:
    season = np.asarray(
        [CATEGORY_SEASON.get(c, (1.0,) * 12)[start.month - 1] for c in cat.categories]
    )
    w = plan.category_weights * season
    category = cat.categories[int(rng.choice(len(w), p=w / w.sum()))]
    viewed = list(
        dict.fromkeys(
            _draw(rng, cat, plan.persona, category) for _ in range(1 + rng.poisson(VIEWS_MEAN))
        )
    )
    uid, t, basket = plan.shopper.id, start, {}
    carted = []
    for j in viewed:
        ev.add(uid, cat.products[j].id, "view", t)
        t += timedelta(seconds=int(rng.integers(15, 240)))
        if rng.random() < CART_PROB:
            ev.add(uid, cat.products[j].id, "cart", t)
            carted.append(j)
            t += timedelta(seconds=int(rng.integers(5, 60)))
    bought = [j for j in carted if rng.random() < BUY_PROB]
    if bought and rng.random() < ADD_ON_PROB:
        extra_cat = cat.categories[int(rng.choice(len(w), p=plan.category_weights))]
        j = _draw(rng, cat, plan.persona, extra_cat)
        if j not in viewed:
            ev.add(uid, cat.products[j].id, "view", t)
            ev.add(uid, cat.products[j].id, "cart", t + timedelta(seconds=30))
            t += timedelta(seconds=60)
            bought.append(j)
    t += timedelta(seconds=int(rng.integers(60, 600)))
    for j in bought:
        _buy(rng, ev, plan, cat.products[j], t, basket)
    if basket:
        ev.orders.append((t, uid, plan.shopper.country, basket))


def simulate(rng: np.random.Generator, cat: Catalogue, plans: list[ShopperPlan]) -> Events:
    ev = Events()
    day_p = _day_weights()
    hour_p = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()
    start = datetime(YEAR, 1, 1)
    for plan in plans:
        mean = PERSONAS[plan.persona].sessions_mean
        mu = np.log(mean) - SESSIONS_SIGMA**2 / 2
        n = int(np.clip(round(rng.lognormal(mu, SESSIONS_SIGMA)), 1, 80))
        days = np.sort(rng.choice(len(day_p), size=n, p=day_p))
        hours = rng.choice(24, size=n, p=hour_p)
        secs = rng.integers(0, 3600 - 1200, size=n)
        for d, h, s in zip(days, hours, secs, strict=True):
            at = start + timedelta(days=int(d), hours=int(h), seconds=int(s))
            _session(rng, cat, ev, plan, at)
    return ev


def build_orders(ev: Events) -> list[Order]:
    """Sales orders ("O0000001") and single-line returns ("R0000001"), ids in time order."""
    orders = []
    for n, (at, uid, country, basket) in enumerate(
        sorted(ev.orders, key=lambda o: (o[0], o[1])), 1
    ):
        lines = tuple(OrderLine(pid, qty, price) for pid, (qty, price) in basket.items())
        orders.append(Order(f"O{n:07d}", at, lines, uid, country, False, DEMO_SOURCE))
    for n, (at, uid, country, pid, qty, price) in enumerate(
        sorted(ev.returns, key=lambda r: (r[0], r[1], r[3])), 1
    ):
        orders.append(
            Order(f"R{n:07d}", at, (OrderLine(pid, -qty, price),), uid, country, True, DEMO_SOURCE)
        )
    return orders


def unique_interactions(ev: Events) -> list[Interaction]:
    """Interactions in time order, one per (user, product, kind, time)."""
    seen: dict[tuple[str, str, str, datetime], Interaction] = {}
    for i in ev.interactions:
        seen.setdefault((i.user_id, i.product_id, i.kind, i.occurred_at), i)
    return sorted(seen.values(), key=lambda i: (i.occurred_at, i.user_id, i.product_id, i.kind))
