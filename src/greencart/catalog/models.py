"""Typed records the catalogue works with, independent of the database.

Money is a ``float`` in ``currency`` (ISO 4217); masses in kg; footprints in
kg CO2e per unit sold. Every record validates itself on construction so that
importers and the API reject bad values with a message that names the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from greencart.errors import InvalidParameter

INTERACTION_KINDS = ("view", "cart", "purchase", "return", "rating")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidParameter(message)


def _finite_non_negative(name: str, value: float | None) -> None:
    if value is None:
        return
    _require(
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0,
        f"Expected {name} to be a finite number >= 0, got {value!r}",
    )


@dataclass(frozen=True)
class Product:
    id: str
    title: str
    category: str
    price: float
    currency: str = "GBP"
    description: str = ""
    title_zh: str | None = None
    weight_kg: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    source: str = "manual"
    declared_footprint_kg_co2e: float | None = None
    declared_footprint_source: str | None = None

    def __post_init__(self) -> None:
        _require(bool(self.id and self.id.strip()), "Expected a non-empty product id")
        _require(len(self.id) <= 64, f"Expected product id of at most 64 characters, got {self.id!r}")
        _require(
            "/" not in self.id and self.id.isprintable() and self.id == self.id.strip(),
            f"Expected a product id without '/', control characters or surrounding spaces "
            f"(it is used in URLs), got {self.id!r}",
        )
        _require(bool(self.title and self.title.strip()), f"Expected a non-empty title for {self.id!r}")
        _require(bool(self.category and self.category.strip()), f"Expected a category for {self.id!r}")
        _finite_non_negative("price", self.price)
        _finite_non_negative("weight_kg", self.weight_kg)
        _finite_non_negative("declared_footprint_kg_co2e", self.declared_footprint_kg_co2e)
        _require(
            isinstance(self.currency, str) and len(self.currency) == 3 and self.currency.isalpha(),
            f"Expected a 3-letter ISO 4217 currency code, got {self.currency!r}",
        )
        object.__setattr__(self, "currency", self.currency.upper())
        if self.declared_footprint_kg_co2e is not None:
            _require(
                bool(self.declared_footprint_source),
                f"Expected declared_footprint_source with a declared footprint for {self.id!r}",
            )

    @property
    def search_text(self) -> str:
        """Text the search index and the footprint classifier read."""
        attrs = " ".join(str(v) for v in self.attributes.values())
        return " ".join(p for p in (self.title, self.category, attrs, self.description) if p)


@dataclass(frozen=True)
class Shopper:
    id: str
    country: str | None = None
    segment: str | None = None
    source: str = "manual"

    def __post_init__(self) -> None:
        _require(bool(self.id and self.id.strip()), "Expected a non-empty shopper id")


@dataclass(frozen=True)
class OrderLine:
    product_id: str
    quantity: int
    unit_price: float

    def __post_init__(self) -> None:
        _require(self.quantity != 0, f"Expected a non-zero quantity for {self.product_id!r}")
        _finite_non_negative("unit_price", self.unit_price)


@dataclass(frozen=True)
class Order:
    """An invoice. ``is_return`` marks cancellations (quantities are then negative)."""

    id: str
    ordered_at: datetime
    lines: tuple[OrderLine, ...]
    customer_id: str | None = None
    country: str | None = None
    is_return: bool = False
    source: str = "manual"


@dataclass(frozen=True)
class Interaction:
    """One shopper-product event used for personalisation."""

    user_id: str
    product_id: str
    kind: str
    occurred_at: datetime
    value: float = 1.0
    source: str = "manual"

    def __post_init__(self) -> None:
        _require(
            self.kind in INTERACTION_KINDS,
            f"Expected interaction kind in {INTERACTION_KINDS}, got {self.kind!r}",
        )
        _require(math.isfinite(self.value), f"Expected a finite value, got {self.value!r}")
