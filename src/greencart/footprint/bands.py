"""Band widths: how far the true footprint may lie from the estimate.

A band is ``estimate x 10**q_low .. estimate x 10**q_high`` where q_low/q_high
are the 10th and 90th percentiles of log10(actual / estimate), i.e. an ~80%
interval. Where the error was measured, the numbers below come from
``python benchmarks/footprint.py`` (leave-one-product-out over the Carbon
Catalogue, 2021 release; rerun it and paste its "band constants" after any
change to the matcher). Where it cannot be measured with the data we have,
the width is an assumption and ``basis`` says so.

Low classification confidence widens a band: the log-widths are multiplied by
``1 + WIDEN_AT_ZERO_CONFIDENCE x (1 - confidence)`` (confidence 0 doubles them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDEN_AT_ZERO_CONFIDENCE = 1.0


@dataclass(frozen=True)
class BandWidth:
    low_log10: float  # 10th percentile of log10(actual / estimate)
    high_log10: float  # 90th percentile
    basis: str

    def apply(self, kg_co2e: float, confidence: float = 1.0) -> tuple[float, float]:
        """(low, high) around ``kg_co2e``; always contains it, wider at low confidence."""
        stretch = 1.0 + WIDEN_AT_ZERO_CONFIDENCE * (1.0 - min(max(confidence, 0.0), 1.0))
        low = kg_co2e * 10 ** (min(self.low_log10, 0.0) * stretch)
        high = kg_co2e * 10 ** (max(self.high_log10, 0.0) * stretch)
        return low, high

    @property
    def factor_text(self) -> str:
        return f"x{10**self.low_log10:.2g}..x{10**self.high_log10:.2g}"


# Measured by benchmarks/footprint.py, leave-one-COMPANY-out (a shop's products
# are never in the reference set, so holding out only the product itself would
# flatter the method: its median |log10 error| is 0.14 that way, 0.40 this way).
# Nearest-neighbour intensity x weight, by the best neighbour's cosine. The
# 0.80+ bucket (n=19) is too small to fit alone and is pooled with 0.65-0.80.
REFERENCE_BANDS: tuple[tuple[float, BandWidth], ...] = (
    (
        0.65,
        BandWidth(
            -0.70,
            0.80,
            "measured x0.2..x6.3: leave-one-company-out, Carbon Catalogue, cosine >= 0.65, n=187",
        ),
    ),
    (
        0.00,
        BandWidth(
            -0.91,
            0.89,
            "measured x0.12..x7.8: leave-one-company-out, Carbon Catalogue, cosine < 0.65, n=679",
        ),
    ),
)
# Measured: the sector-median baseline's error in the same run (company out), the
# analogue of a default that knows nothing about a product but its category.
CATEGORY_DEFAULT_BAND = BandWidth(
    -1.76,
    1.65,
    "measured x0.017..x45: sector-median baseline, leave-one-company-out, Carbon Catalogue",
)
# Not measurable with our data (the Carbon Catalogue has no prices): an assumption.
SPEND_BAND = BandWidth(
    -math.log10(3.0), math.log10(3.0), "assumed x/÷3 (not measured: no priced reference set)"
)
# A merchant's declared PCF: assumed +-25% (not measured).
DECLARED_BAND = BandWidth(math.log10(0.75), math.log10(1.25), "assumed +-25% (not measured)")


def reference_band(similarity: float) -> BandWidth:
    for threshold, width in REFERENCE_BANDS:
        if similarity >= threshold:
            return width
    return REFERENCE_BANDS[-1][1]
