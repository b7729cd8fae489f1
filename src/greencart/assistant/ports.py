"""What the assistant depends on: a typed product card and three small Protocols.

The assistant never imports the services that implement these
(``catalog.service.CatalogService``, ``recommend.service.RecommendService``,
``energy.EnergyMonitor``): the composition root (``greencart.bootstrap``) passes them in.

- :class:`Card`: a product as the assistant shows it: catalogue facts plus its footprint
  with provenance. An unknown footprint is ``None`` everywhere, never 0.
- :class:`Catalogue`, :class:`Recommender`, :class:`Monitor`: the calls the assistant makes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

from greencart.errors import InvalidParameter

CARD_KEYS = ("id", "title", "title_zh", "category", "price", "currency", "attributes", "footprint_kg_co2e",
             "footprint_low", "footprint_high", "footprint_method", "footprint_source")
PUBLIC_KEYS = ("id", "title", "price", "currency", "footprint_kg_co2e", "footprint_low", "footprint_high",
               "footprint_method")


def _kg(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise InvalidParameter(f"Expected {name} to be kg CO2e >= 0 or None (unknown), got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Card:
    """One product card. ``footprint_*`` None = not known (no figure without provenance)."""

    id: str
    title: str
    category: str
    price: float
    currency: str
    title_zh: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    footprint_kg_co2e: float | None = None
    footprint_low: float | None = None
    footprint_high: float | None = None
    footprint_method: str | None = None
    footprint_source: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidParameter(f"Expected a product id, got {self.id!r}")
        if isinstance(self.price, bool) or not isinstance(self.price, (int, float)):
            raise InvalidParameter(f"Expected price of product {self.id!r} to be a number, got {self.price!r}")
        for name in ("footprint_kg_co2e", "footprint_low", "footprint_high"):
            object.__setattr__(self, name, _kg(name, getattr(self, name)))

    @property
    def has_footprint(self) -> bool:
        return self.footprint_kg_co2e is not None

    @classmethod
    def of(cls, card: Any) -> Card:
        """From a catalogue ProductCard (anything with ``to_dict()``), a Card, or a mapping."""
        if isinstance(card, Card):
            return card
        d = card.to_dict() if hasattr(card, "to_dict") else dict(card)
        return cls(id=d.get("id"), title=str(d.get("title") or ""), category=str(d.get("category") or ""),
                   price=d.get("price"), currency=str(d.get("currency") or ""), title_zh=d.get("title_zh"),
                   attributes=dict(d.get("attributes") or {}), footprint_kg_co2e=d.get("footprint_kg_co2e"),
                   footprint_low=d.get("footprint_low"), footprint_high=d.get("footprint_high"),
                   footprint_method=d.get("footprint_method"), footprint_source=d.get("footprint_source"))

    def to_dict(self) -> dict[str, Any]:
        """The plain dict a dialogue state keeps (JSON), keys :data:`CARD_KEYS`."""
        d = asdict(self)
        d["attributes"] = dict(self.attributes)
        return {k: d[k] for k in CARD_KEYS}

    def public(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in PUBLIC_KEYS}


@runtime_checkable
class Catalogue(Protocol):
    """Search and product facts (``greencart.catalog.service.CatalogService``)."""

    def search(self, query: str, filters: Any = None, *, k: int = 10) -> Sequence[Any]: ...

    def product(self, product_id: str) -> Any: ...

    def index(self) -> Any: ...

    def category_footprints(self) -> list[tuple[str, float, float, float]]: ...

    def catalogue_version(self) -> Any: ...


@runtime_checkable
class Recommender(Protocol):
    """Personal top-k and greener swaps (``greencart.recommend.service.RecommendService``)."""

    def recommend(self, user_id: str, k: int = 10, *, alpha: float | None = None, category: str | None = None,
                  max_price: float | None = None) -> Sequence[Any]: ...

    def greener(self, product_id: str, k: int = 5, *, max_price: float | None = None) -> Sequence[Any]: ...


@runtime_checkable
class Monitor(Protocol):
    """Energy work units (``greencart.energy.EnergyMonitor``)."""

    def unit(self, name: str, **tags: Any) -> AbstractContextManager[Any]: ...
