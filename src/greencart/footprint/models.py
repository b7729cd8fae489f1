"""Typed records of the footprint package: estimates and import summaries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from greencart.errors import InvalidParameter

METHODS: tuple[str, ...] = ("declared", "reference", "spend", "category-default")


@dataclass(frozen=True)
class Footprint:
    """A product's carbon footprint per unit sold, kg CO2e, with its band and provenance.

    ``low_kg_co2e``/``high_kg_co2e`` bound an ~80% interval whose width comes from
    measured error where one exists (see docs/footprints.md); ``confidence`` in
    [0, 1] is how sure the classification or match was (1 for declared figures).
    """

    kg_co2e: float
    low_kg_co2e: float
    high_kg_co2e: float
    method: str
    source: str
    commodity_code: str | None
    confidence: float

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidParameter(f"Expected footprint method in {METHODS}, got {self.method!r}")
        for name in ("kg_co2e", "low_kg_co2e", "high_kg_co2e"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise InvalidParameter(f"Expected {name} to be a finite number >= 0, got {value!r}")
        if not (self.low_kg_co2e <= self.kg_co2e <= self.high_kg_co2e):
            raise InvalidParameter(
                "Expected low_kg_co2e <= kg_co2e <= high_kg_co2e, got "
                f"{self.low_kg_co2e} <= {self.kg_co2e} <= {self.high_kg_co2e}"
            )
        if not (0.0 <= self.confidence <= 1.0):
            raise InvalidParameter(f"Expected confidence in [0, 1], got {self.confidence}")
        if not (self.source and self.source.strip()):
            raise InvalidParameter("Expected a non-empty footprint source")

    def public(self) -> dict[str, object]:
        """The fields a shopper-facing API or CLI shows."""
        return {
            "footprint_kg_co2e": round(self.kg_co2e, 4),
            "footprint_low": round(self.low_kg_co2e, 4),
            "footprint_high": round(self.high_kg_co2e, 4),
            "footprint_method": self.method,
            "footprint_source": self.source,
            "footprint_commodity": self.commodity_code,
            "footprint_confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class ReferenceImportSummary:
    """What :func:`greencart.footprint.import_reference` read, wrote and skipped."""

    path: str
    kind: str  # "carbon-catalogue" or "epa-supply-chain"
    dataset: str
    rows_read: int
    rows_written: int
    rows_skipped: int
    skipped_reasons: dict[str, int] = field(default_factory=dict)
