"""The curated tables shipped in the package (``footprint/data/*.csv``).

Every row carries its citation in a ``source`` column:

- ``commodities.csv``: commodity classes (6-digit NAICS) with the US EPA Supply
  Chain GHG Emission Factors v1.2 factor *with margins* (kg CO2e per 2021 USD,
  purchaser price), the greencart categories they serve and keywords for the
  text classifier. Values read from the EPA file, not rounded.
- ``category_defaults.csv``: the last-resort figure per category, derived as
  spend factor x an assumed typical price (the derivation is in each row).
- ``fx_rates.csv``, ``us_cpi.csv``: see :mod:`greencart.footprint.currency`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from greencart.errors import ConfigError

EPA_DATASET = "epa-useeio-v1.2"
EPA_PRICE_YEAR = 2021


@dataclass(frozen=True)
class CommodityClass:
    code: str
    title: str
    kg_co2e_per_usd_2021: float
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    source: str

    @property
    def text(self) -> str:
        """What the embedder reads for this class."""
        return f"{self.title}: {', '.join(self.keywords)}"


@dataclass(frozen=True)
class CategoryDefault:
    category: str
    commodity_code: str
    typical_price_usd_2021: float
    kg_co2e: float
    derivation: str
    source: str


def read_packaged_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``footprint/data/<name>`` as dicts; a missing file is a broken install."""
    try:
        text = resources.files("greencart.footprint").joinpath("data", name).read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"The packaged table greencart/footprint/data/{name} is missing: reinstall greencart"
        ) from None
    return list(csv.DictReader(text.splitlines()))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


@lru_cache(maxsize=1)
def commodity_classes() -> tuple[CommodityClass, ...]:
    return tuple(
        CommodityClass(
            code=r["code"],
            title=r["title"],
            kg_co2e_per_usd_2021=float(r["kg_co2e_per_usd_2021"]),
            categories=_split(r["categories"]),
            keywords=_split(r["keywords"]),
            source=r["source"],
        )
        for r in read_packaged_csv("commodities.csv")
    )


def commodity_by_code() -> dict[str, CommodityClass]:
    return {c.code: c for c in commodity_classes()}


@lru_cache(maxsize=1)
def category_defaults() -> dict[str, CategoryDefault]:
    return {
        r["category"]: CategoryDefault(
            category=r["category"],
            commodity_code=r["commodity_code"],
            typical_price_usd_2021=float(r["typical_price_usd_2021"]),
            kg_co2e=float(r["kg_co2e"]),
            derivation=r["derivation"],
            source=r["source"],
        )
        for r in read_packaged_csv("category_defaults.csv")
    }


def category_default(category: str) -> CategoryDefault:
    """The default for ``category``, else the ``uncategorised`` row."""
    table = category_defaults()
    return table.get(category) or table["uncategorised"]
