"""The catalogue facade that the API and the CLI share.

It composes the store, the footprint estimator and the search index, so that a
product never reaches a user without its footprint and provenance. Heavy parts
(the estimator's embedder, the search index) load lazily, once per service.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from greencart.catalog.models import Product
from greencart.config import Settings
from greencart.errors import InvalidParameter
from greencart.store import Database, open_database
from greencart.store import catalog_repo as repo

MAX_PAGE = 200
MAX_K = 100


@dataclass(frozen=True)
class ProductCard:
    """A product as shown to a person or a script: catalogue data plus footprint."""

    id: str
    title: str
    title_zh: str | None
    category: str
    price: float
    currency: str
    weight_kg: float | None
    attributes: dict[str, str]
    description: str
    footprint: dict[str, Any] = field(default_factory=dict)
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("footprint")
        if self.score is None:
            out.pop("score")
        out.update(self.footprint)
        return out


class CatalogService:
    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or open_database(settings.database_url)
        self._lock = threading.Lock()
        self._estimator = None
        self._index = None
        self._index_version: tuple | None = None
        self._footprint_rows: tuple[tuple, list[tuple[str, float, float, float]]] | None = None

    # -- lazily built parts -------------------------------------------------
    def estimator(self):  # type: ignore[no-untyped-def]
        from greencart.footprint import FootprintEstimator

        with self._lock:
            if self._estimator is None:
                self._estimator = FootprintEstimator.from_db(self.db)
            return self._estimator

    def index(self, *, rebuild: bool = False, progress: bool = False):  # type: ignore[no-untyped-def]
        """The search index, reopened when the catalogue changed since it was opened
        (another process imported products): ``open_index`` then re-embeds only
        the changed texts."""
        from greencart.catalog.search import open_index

        with self.db.read() as s:
            version = repo.catalogue_version(s)
        with self._lock:
            if self._index is None or rebuild or version != self._index_version:
                self._index = open_index(
                    self.db, self.settings.index_dir, rebuild=rebuild, progress=progress
                )
                self._index_version = version
            return self._index

    def invalidate(self) -> None:
        """Forget cached parts after the catalogue or reference data changed."""
        with self._lock:
            self._estimator = None
            self._index = None

    # -- cards --------------------------------------------------------------
    def _cards(self, products: list[Product], scores: dict[str, float] | None = None) -> list[ProductCard]:
        from greencart.store.footprint_repo import get_footprints

        with self.db.read() as s:
            stored = get_footprints(s, [p.id for p in products])
        missing = [p for p in products if p.id not in stored]
        if missing:  # not yet estimated (e.g. added since the last estimate run)
            stored.update(zip((p.id for p in missing), self.estimator().estimate_many(missing)))
        return [
            ProductCard(
                id=p.id,
                title=p.title,
                title_zh=p.title_zh,
                category=p.category,
                price=p.price,
                currency=p.currency,
                weight_kg=p.weight_kg,
                attributes=dict(p.attributes),
                description=p.description,
                footprint=stored[p.id].public(),
                score=None if scores is None else round(scores[p.id], 6),
            )
            for p in products
        ]

    def product(self, product_id: str) -> ProductCard:
        with self.db.read() as s:
            product = repo.get_product(s, product_id)
        return self._cards([product])[0]

    def list_products(self, flt: repo.ProductFilter, *, limit: int = 50, offset: int = 0) -> list[ProductCard]:
        if not (1 <= limit <= MAX_PAGE):
            raise InvalidParameter(f"Expected limit in [1, {MAX_PAGE}], got {limit}")
        if offset < 0:
            raise InvalidParameter(f"Expected offset >= 0, got {offset}")
        with self.db.read() as s:
            products = repo.list_products(s, flt, limit=limit, offset=offset)
        return self._cards(products)

    def search(self, query: str, filters: Any = None, *, k: int = 10) -> list[ProductCard]:
        from greencart.catalog.search import SearchFilters

        if not (1 <= k <= MAX_K):
            raise InvalidParameter(f"Expected k in [1, {MAX_K}], got {k}")
        from greencart.catalog.search.filters import FilterColumns

        filters = filters or SearchFilters()
        hits = self.index().search(query, filters, k=k)
        with self.db.read() as s:
            products = repo.get_products(s, [h.product_id for h in hits])
        ordered = [products[h.product_id] for h in hits if h.product_id in products]
        # The index filtered on its own copy of prices and attributes: check the
        # rows as stored now, so a hard filter holds even if the index lags.
        if ordered:
            keep = FilterColumns.from_products(ordered).mask(filters)
            ordered = [p for p, ok in zip(ordered, keep) if ok]
        return self._cards(ordered, {h.product_id: h.score for h in hits})

    def categories(self) -> list[dict[str, Any]]:
        from greencart.catalog.categories import BY_SLUG

        with self.db.read() as s:
            rows = repo.categories(s)
        out = []
        for slug, n in rows:
            cat = BY_SLUG.get(slug)
            out.append(
                {"slug": slug, "name_en": cat.name_en if cat else slug, "name_zh": cat.name_zh if cat else None,
                 "products": n}
            )
        return out

    def catalogue_version(self) -> tuple:
        """Changes whenever products are added or updated (caches key on it)."""
        with self.db.read() as s:
            return repo.catalogue_version(s)

    def category_footprints(self) -> list[tuple[str, float, float, float]]:
        """``(category, kg CO2e, low, high)`` of every product with a stored footprint: the
        reference set of the eco re-ranking's greenness (``recommend.rerank.GreenScale``).
        Re-read only when products or footprints changed."""
        from greencart.store.ranking_repo import category_footprints, footprints_version

        with self.db.read() as s:
            version = footprints_version(s)
            cached = self._footprint_rows
            if cached is not None and cached[0] == version:
                return cached[1]
            rows = category_footprints(s)
        self._footprint_rows = (version, rows)
        return rows

    def counts(self) -> dict[str, int]:
        with self.db.read() as s:
            return repo.table_counts(s)

    def close(self) -> None:
        self.db.dispose()
