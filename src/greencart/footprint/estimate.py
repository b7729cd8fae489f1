"""Every product's footprint: declared > reference > spend > category-default.

- ``declared``: the merchant's PCF on the product, as given.
- ``reference``: nearest products in an imported reference set (the Carbon
  Catalogue), their kg CO2e per kg x the product's weight. Only for products
  with a weight, and only when the best match is similar enough
  (``min_reference_similarity``): without a weight there is nothing honest to
  scale by, so those products go on to ``spend``.
- ``spend``: commodity class (text classifier) x price in 2021 USD (FX and US
  CPI, :mod:`greencart.footprint.currency`) x the EPA factor. Needs a price > 0
  in USD, EUR, GBP or CNY.
- ``category-default``: the packaged per-category figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from greencart.catalog.embed import Embedder, get_embedder
from greencart.catalog.models import Product
from greencart.errors import check_range
from greencart.footprint import bands
from greencart.footprint.classify import Classification, CommodityClassifier
from greencart.footprint.currency import SUPPORTED_CURRENCIES, to_usd_2021
from greencart.footprint.factors import EPA_DATASET, category_default, commodity_by_code
from greencart.footprint.match import ReferenceItem, ReferenceMatcher
from greencart.footprint.models import Footprint
from greencart.store.engine import Database

DEFAULT_PRICE_YEAR_BY_SOURCE: dict[str, int] = {
    "online-retail": 2011,
    "uci-online-retail": 2011,
    "demo": 2025,
}


@dataclass(frozen=True)
class EstimatorConfig:
    default_price_year: int = 2025
    price_year_by_source: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_PRICE_YEAR_BY_SOURCE)
    )
    min_reference_similarity: float = 0.65
    embedder: str | None = "minilm-int8"

    def __post_init__(self) -> None:
        check_range("default_price_year", self.default_price_year, 1990, 2100)
        check_range("min_reference_similarity", self.min_reference_similarity, -1.0, 1.0)


def declared_footprint(product: Product) -> Footprint:
    kg = float(product.declared_footprint_kg_co2e or 0.0)
    low, high = bands.DECLARED_BAND.apply(kg)
    return Footprint(
        kg,
        low,
        high,
        "declared",
        f"declared: {product.declared_footprint_source}; band {bands.DECLARED_BAND.basis}",
        None,
        1.0,
    )


def category_footprint(product: Product, cls: Classification | None, why: str) -> Footprint:
    d = category_default(product.category)
    conf = cls.confidence if cls else 0.0
    low, high = bands.CATEGORY_DEFAULT_BAND.apply(d.kg_co2e, conf)
    source = (
        f"category-default for {d.category!r} ({why}): {d.derivation}; {d.source}; "
        f"band {bands.CATEGORY_DEFAULT_BAND.basis}"
    )
    return Footprint(d.kg_co2e, low, high, "category-default", source, d.commodity_code, conf)


class FootprintEstimator:
    """Estimates footprints; build with :meth:`from_db` to use imported reference sets."""

    def __init__(
        self,
        reference_items: Sequence[ReferenceItem] = (),
        *,
        spend_factors: Mapping[str, tuple[float, str]] | None = None,
        config: EstimatorConfig | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.config = config or EstimatorConfig()
        if embedder is None and self.config.embedder:
            embedder = get_embedder(self.config.embedder)
        self.embedder = embedder
        self.classifier = CommodityClassifier(embedder)
        self.matcher = (
            ReferenceMatcher(reference_items, embedder) if embedder and reference_items else None
        )
        self.spend_factors = dict(spend_factors or {})

    @classmethod
    def from_db(
        cls,
        db: Database,
        *,
        config: EstimatorConfig | None = None,
        embedder: Embedder | None = None,
    ) -> FootprintEstimator:
        from greencart.store import footprint_repo

        with db.read() as session:
            rows = footprint_repo.list_reference_rows(session)
            items = [
                ReferenceItem(
                    r.external_id,
                    r.name,
                    r.detail or "",
                    r.sector,
                    r.weight_kg,
                    r.footprint_kg_co2e,
                    r.citation,
                    r.dataset,
                    r.company,
                )
                for r in rows
            ]
            factors = footprint_repo.spend_factors(session, EPA_DATASET)
        return cls(items, spend_factors=factors, config=config, embedder=embedder)

    def price_year(self, product: Product, known: Mapping[str, int] | None = None) -> int:
        attr = str(product.attributes.get("price_year", "")).strip()
        if attr.isdigit():
            return int(attr)
        if known and product.id in known:
            return known[product.id]
        return self.config.price_year_by_source.get(product.source, self.config.default_price_year)

    def spend_footprint(self, product: Product, cls: Classification, year: int) -> Footprint:
        commodity = commodity_by_code()[cls.code]
        factor, citation = commodity.kg_co2e_per_usd_2021, commodity.source
        if cls.code in self.spend_factors:
            factor, citation = self.spend_factors[cls.code]
        usd = to_usd_2021(product.price, product.currency, year)
        kg = factor * usd.usd_2021
        low, high = bands.SPEND_BAND.apply(kg, cls.confidence)
        source = (
            f"spend: {product.price:g} {product.currency} ({year}) = {usd.usd_2021:.2f} USD2021 "
            f"[{usd.note}] x {factor:g} kg CO2e/USD2021 for NAICS {cls.code} {commodity.title} "
            f"(classified by {cls.via}, confidence {cls.confidence:.2f}); {citation}; band {bands.SPEND_BAND.basis}"
        )
        return Footprint(kg, low, high, "spend", source, cls.code, cls.confidence)

    def estimate(self, product: Product, *, price_year: int | None = None) -> Footprint:
        years = {product.id: price_year} if price_year is not None else None
        return self.estimate_many([product], price_years=years)[0]

    def estimate_many(
        self, products: Sequence[Product], *, price_years: Mapping[str, int] | None = None
    ) -> list[Footprint]:
        """Footprints in input order; text is embedded once, in batches."""
        out: list[Footprint | None] = [
            declared_footprint(p) if p.declared_footprint_kg_co2e is not None else None
            for p in products
        ]
        todo = [i for i, f in enumerate(out) if f is None]
        if not todo:
            return [f for f in out if f is not None]
        rest = [products[i] for i in todo]
        vectors = self.classifier.embed_products(rest)
        classes = self.classifier.classify_many(rest, vectors)
        matches = self._reference(rest, vectors)
        for k, (i, p) in enumerate(zip(todo, rest)):
            out[i] = matches[k] or self._fallback(p, classes[k], self.price_year(p, price_years))
        return [f for f in out if f is not None]

    def _reference(
        self, products: Sequence[Product], vectors: np.ndarray | None
    ) -> list[Footprint | None]:
        found: list[Footprint | None] = [None] * len(products)
        if self.matcher is None or vectors is None or not len(self.matcher):
            return found
        idx = [i for i, p in enumerate(products) if p.weight_kg and p.weight_kg > 0]
        if not idx:
            return found
        matches = self.matcher.match_vectors(
            vectors[idx], [float(products[i].weight_kg or 0) for i in idx]
        )
        for i, m in zip(idx, matches):
            if m is None or m.similarity < self.config.min_reference_similarity:
                continue
            width = bands.reference_band(m.similarity)
            low, high = width.apply(m.kg_co2e)
            source = f"{m.describe(float(products[i].weight_kg or 0))}; band {width.basis}"
            found[i] = Footprint(
                m.kg_co2e, low, high, "reference", source, None, max(0.0, min(1.0, m.similarity))
            )
        return found

    def _fallback(self, product: Product, cls: Classification, year: int) -> Footprint:
        if product.price <= 0:
            return category_footprint(product, cls, "no price")
        if product.currency not in SUPPORTED_CURRENCIES:
            return category_footprint(product, cls, f"no exchange rate for {product.currency}")
        return self.spend_footprint(product, cls, year)


def estimate_all(
    db: Database,
    *,
    progress: bool = False,
    config: EstimatorConfig | None = None,
    batch_size: int = 1000,
    runner: Any = None,
) -> dict[str, int]:
    """Estimate every product and write the ``footprints`` table in one transaction; counts by method.
    With a ``runner`` (greencart.scale: local or Ray) the chunks run on it (same results)."""
    from greencart.store import catalog_repo, footprint_repo

    estimator = FootprintEstimator.from_db(db, config=config)
    with db.read() as session:
        products = list(catalog_repo.iter_products(session))
        years = footprint_repo.latest_order_year(session)
    counts = {m: 0 for m in ("declared", "reference", "spend", "category-default")}
    results: list[tuple[str, Footprint]] = []
    if runner is not None:
        _estimate_on(runner, estimator, products, years, batch_size, results, counts)
        products = []
    bar = _progress(progress, len(products))
    for start in range(0, len(products), batch_size):
        chunk = products[start : start + batch_size]
        for p, f in zip(chunk, estimator.estimate_many(chunk, price_years=years)):
            results.append((p.id, f))
            counts[f.method] += 1
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    with db.transaction() as session:
        footprint_repo.upsert_footprints(session, results)
    return counts


def _estimate_on(runner: Any, estimator: FootprintEstimator, products: Sequence[Product],
                 years: Mapping[str, int], batch_size: int, results: list[tuple[str, Footprint]],
                 counts: dict[str, int]) -> None:
    from greencart.scale.jobs import EstimatorSpec, estimate_chunk
    from greencart.scale.runner import chunked

    items = tuple(estimator.matcher.items) if estimator.matcher is not None else ()
    spec = EstimatorSpec(items, estimator.spend_factors, estimator.config, dict(years))
    chunks = chunked(list(products), batch_size)
    for chunk, footprints in zip(chunks, runner.map(estimate_chunk, chunks, shared=spec)):
        for p, f in zip(chunk, footprints):
            results.append((p.id, f))
            counts[f.method] += 1


def _progress(enabled: bool, total: int) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="footprints", unit="product")
