"""Reasons a shopper can read: the history behind a recommendation, and the
footprint when eco re-ranking moved it up. Every number comes from the item
table (the stored footprint with its band and method), never invented."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from greencart.recommend.itemtable import ItemTable
from greencart.recommend.protocol import Contribution

PURCHASE_WEIGHT = 1.0  # a history weight at or above this came from a purchase (data.InteractionWeights)


def because(history: Sequence[Contribution], table: ItemTable, weights: dict[str, float]) -> str:
    """"Because you bought X and Y" from the top contributions ("viewed" for lighter signals)."""
    if not history:
        return "Chosen by shoppers with similar baskets" if weights else "Popular with shoppers like you"
    parts = []
    for c in history[:2]:
        verb = "bought" if weights.get(c.item_id, PURCHASE_WEIGHT) >= PURCHASE_WEIGHT else "viewed"
        parts.append(f"{verb} {table.titles[table.index(c.item_id)]!r}")
    return "Because you " + " and ".join(parts)


def category_median_kg(table: ItemTable, category: str) -> float:
    m = (table.categories == category) & np.isfinite(table.footprint_kg_co2e)
    return float(np.median(table.footprint_kg_co2e[m])) if m.any() else float("nan")


def footprint_reason(table: ItemTable, item: int) -> str:
    """"Moved up for its lower footprint: 1.2 kg CO2e (band 0.8-1.9, spend) vs 3.4 kg median in kitchen"."""
    kg = table.footprint_kg_co2e[item]
    if not np.isfinite(kg):
        return ""
    cat = str(table.categories[item])
    median = category_median_kg(table, cat)
    text = (f"Moved up for its lower footprint: {kg:.3g} kg CO2e (band {table.footprint_low_kg_co2e[item]:.3g}-"
            f"{table.footprint_high_kg_co2e[item]:.3g}, {table.footprint_method[item]})")
    if np.isfinite(median) and median > 0:
        text += f" vs {median:.3g} kg median in {cat}"
    return text


def reason(history: Sequence[Contribution], table: ItemTable, weights: dict[str, float], item: int,
           moved_up: bool) -> str:
    extra = footprint_reason(table, item) if moved_up else ""
    if extra and not history:  # nothing in the history speaks for it: only its footprint does
        return extra.replace("Moved up", "Suggested", 1)
    text = because(history, table, weights)
    return f"{text}. {extra}" if extra else text
