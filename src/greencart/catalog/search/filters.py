"""Hard filters for search: price bounds, category, attributes, exclusions.

A hit never violates a filter: filters select the candidate set before any
ranking. Prices compare in each product's own currency (one catalogue, one
currency in practice). Category and attribute values compare case-folded;
a category may be given as its slug or its English or Chinese name, and the
attribute keys ``color``/``colour`` are the same key. A product without the
attribute asked for does not match.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from greencart.catalog.categories import CATEGORIES
from greencart.catalog.models import Product
from greencart.errors import InvalidParameter

_KEY_ALIASES = {"color": "colour", "colours": "colour", "colors": "colour", "materials": "material"}
_CATEGORY_ALIASES = {
    name.casefold(): c.slug for c in CATEGORIES for name in (c.slug, c.name_en, c.name_zh)
}


def normalise_key(key: str) -> str:
    k = key.strip().casefold()
    return _KEY_ALIASES.get(k, k)


def normalise_category(category: str) -> str:
    c = category.strip().casefold()
    return _CATEGORY_ALIASES.get(c, c)


def _check_price(name: str, value: float | None) -> None:
    if value is None:
        return
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise InvalidParameter(f"Expected {name} to be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class SearchFilters:
    """Hard constraints on search results; ``None`` (or empty) means no constraint."""

    max_price: float | None = None
    min_price: float | None = None
    category: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    # ruled out: attribute key (or "category") -> values no hit may have ("colour": ("red",))
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_price("max_price", self.max_price)
        _check_price("min_price", self.min_price)
        if self.max_price is not None and self.min_price is not None and self.min_price > self.max_price:
            raise InvalidParameter(
                f"Expected min_price <= max_price, got min_price={self.min_price} > max_price={self.max_price}"
            )
        if self.category is not None and (not isinstance(self.category, str) or not self.category.strip()):
            raise InvalidParameter(f"Expected category to be a non-empty string, got {self.category!r}")
        if not isinstance(self.attributes, dict):
            raise InvalidParameter(f"Expected attributes to be a dict of str to str, got {self.attributes!r}")
        for key, value in self.attributes.items():
            if not (isinstance(key, str) and key.strip() and isinstance(value, str) and value.strip()):
                raise InvalidParameter(
                    f"Expected attributes as non-empty str -> non-empty str, got {key!r}: {value!r}"
                )
        object.__setattr__(self, "attributes", dict(self.attributes))
        if not isinstance(self.exclude, dict):
            raise InvalidParameter(f"Expected exclude to be a dict of str to values, got {self.exclude!r}")
        exclude: dict[str, tuple[str, ...]] = {}
        for key, values in self.exclude.items():
            vals = (values,) if isinstance(values, str) else tuple(values) if isinstance(values, (list, tuple)) else None
            if not (isinstance(key, str) and key.strip()) or vals is None \
                    or not all(isinstance(v, str) and v.strip() for v in vals):
                raise InvalidParameter(f"Expected exclude as non-empty str -> non-empty str values, got {key!r}: {values!r}")
            exclude[key] = vals
        object.__setattr__(self, "exclude", exclude)

    @property
    def is_empty(self) -> bool:
        return (
            self.max_price is None and self.min_price is None and self.category is None and not self.attributes
            and not self.exclude
        )


def _attribute_table(products: Sequence[Product]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for i, p in enumerate(products):
        for key, value in p.attributes.items():
            column = table.setdefault(normalise_key(key), [""] * len(products))
            column[i] = str(value).strip().casefold()
    return table


@dataclass
class FilterColumns:
    """Per-product columns the filters read, as numpy arrays (one row per product)."""

    prices: np.ndarray  # float64
    categories: np.ndarray  # str, case-folded
    attributes: dict[str, np.ndarray]  # normalised key -> str column ("" where absent)

    @classmethod
    def from_products(cls, products: Sequence[Product]) -> FilterColumns:
        return cls.from_json(
            {
                "prices": [float(p.price) for p in products],
                "categories": [normalise_category(p.category) for p in products],
                "attributes": _attribute_table(products),
            }
        )

    @classmethod
    def from_json(cls, data: dict) -> FilterColumns:
        n = len(data["prices"])
        attrs = {k: np.asarray(v, dtype=str) for k, v in data["attributes"].items()}
        if any(len(v) != n for v in attrs.values()) or len(data["categories"]) != n:
            raise ValueError("filter columns of unequal length")
        return cls(
            prices=np.asarray(data["prices"], dtype=np.float64),
            categories=np.asarray(data["categories"], dtype=str),
            attributes=attrs,
        )

    def to_json(self) -> dict:
        return {
            "prices": self.prices.tolist(),
            "categories": self.categories.tolist(),
            "attributes": {k: v.tolist() for k, v in self.attributes.items()},
        }

    def mask(self, filters: SearchFilters) -> np.ndarray:
        """Boolean row mask of the products that satisfy every filter."""
        keep = np.ones(len(self.prices), dtype=bool)
        if filters.max_price is not None:
            keep &= self.prices <= filters.max_price
        if filters.min_price is not None:
            keep &= self.prices >= filters.min_price
        if filters.category is not None:
            keep &= self.categories == normalise_category(filters.category)
        for key, value in filters.attributes.items():
            column = self.attributes.get(normalise_key(key))
            if column is None:
                return np.zeros_like(keep)
            keep &= column == value.strip().casefold()
        for key, values in filters.exclude.items():
            banned = [v.strip().casefold() for v in values]
            if normalise_key(key) == "category":
                keep &= ~np.isin(self.categories, [normalise_category(v) for v in banned])
            elif (column := self.attributes.get(normalise_key(key))) is not None:
                keep &= ~np.isin(column, banned)  # a product without the attribute is not excluded here
        return keep
