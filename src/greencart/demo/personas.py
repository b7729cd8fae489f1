"""Taste clusters (personas) and seasonality of the synthetic demo shoppers (pure data).

Each persona has category affinities, preferred colours and materials, a price
sensitivity (how strongly it prefers the cheaper variants of a type) and an eco
affinity (how strongly it prefers the lower-footprint variants). Categories a
persona does not list get ``BASE_AFFINITY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BASE_AFFINITY = 0.15


@dataclass(frozen=True)
class Persona:
    name: str
    share: float
    categories: dict[str, float]
    colours: tuple[str, ...]
    materials: tuple[str, ...]
    price_sensitivity: float
    eco_affinity: float
    sessions_mean: float


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "eco-minimalist",
        0.14,
        {
            "apparel": 3,
            "personal-care": 3,
            "food-drink": 3,
            "home-textiles": 2,
            "garden": 1.5,
            "footwear": 1,
        },
        ("white", "beige", "cream", "sage", "natural", "olive", "grey"),
        (
            "organic cotton",
            "linen",
            "hemp",
            "bamboo",
            "recycled polyester",
            "recycled wool",
            "cork",
            "oat",
            "lentil",
            "refill pouch",
            "plastic-free bar",
            "reclaimed wood",
            "recycled paper",
            "lyocell",
        ),
        0.6,
        0.9,
        6.0,
    ),
    Persona(
        "tech-enthusiast",
        0.13,
        {"electronics": 5, "small-appliances": 2, "sports": 1, "stationery": 0.7},
        ("black", "space grey", "silver", "charcoal"),
        ("aluminium", "stainless steel", "carbon fibre", "graphite"),
        0.2,
        0.05,
        7.0,
    ),
    Persona(
        "young-family",
        0.15,
        {
            "toys": 5,
            "food-drink": 3,
            "apparel": 2,
            "home-textiles": 1.5,
            "stationery": 1.5,
            "personal-care": 1,
        },
        ("multicolour", "red", "blue", "yellow", "pink", "green"),
        ("plastic", "cotton", "polyester", "beech"),
        1.2,
        0.3,
        6.0,
    ),
    Persona(
        "home-nester",
        0.13,
        {"furniture": 4, "home-textiles": 3, "small-appliances": 2.5, "garden": 1},
        ("cream", "sage", "grey", "natural", "terracotta", "mustard"),
        ("velvet", "solid oak", "wool", "linen", "ceramic", "walnut"),
        0.5,
        0.4,
        5.0,
    ),
    Persona(
        "fitness-fan",
        0.12,
        {"sports": 5, "footwear": 3, "apparel": 2, "food-drink": 1.5, "electronics": 1},
        ("black", "blue", "red", "teal", "orange"),
        ("synthetic mesh", "polyester", "nylon", "TPE", "pea protein", "chicken"),
        0.6,
        0.2,
        6.5,
    ),
    Persona(
        "fashion-follower",
        0.12,
        {"apparel": 5, "footwear": 3.5, "personal-care": 2, "home-textiles": 0.8},
        ("black", "burgundy", "pink", "navy", "tan", "cream"),
        ("silk", "cashmere", "leather", "viscose", "suede", "merino wool"),
        0.5,
        0.15,
        7.0,
    ),
    Persona(
        "budget-student",
        0.11,
        {"stationery": 4, "food-drink": 3, "electronics": 2, "apparel": 1.5, "personal-care": 1},
        ("black", "blue", "grey", "multicolour"),
        ("plastic", "polyester", "acrylic", "paper", "MDF"),
        2.0,
        0.25,
        5.0,
    ),
    Persona(
        "green-gardener",
        0.10,
        {"garden": 5, "food-drink": 2.5, "furniture": 1.2, "home-textiles": 1, "footwear": 0.8},
        ("green", "olive", "terracotta", "natural", "brown"),
        (
            "peat-free compost",
            "terracotta",
            "FSC pine",
            "acacia",
            "natural rubber",
            "recycled plastic",
            "jute",
        ),
        0.8,
        0.8,
        5.0,
    ),
)

YEAR = 2025

# Traffic by month (Jan..Dec) and category multipliers on top of it.
MONTH_TRAFFIC: tuple[float, ...] = (
    1.0,
    0.85,
    0.9,
    0.95,
    1.0,
    0.95,
    0.9,
    0.85,
    0.95,
    1.0,
    1.35,
    1.5,
)
CATEGORY_SEASON: dict[str, tuple[float, ...]] = {
    "garden": (0.3, 0.4, 1.0, 1.8, 2.0, 1.7, 1.2, 0.9, 0.6, 0.4, 0.3, 0.4),
    "toys": (0.7, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.1, 2.2, 3.0),
    "sports": (1.8, 1.2, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8),
    "stationery": (1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.2, 2.2, 1.8, 0.9, 0.8, 0.8),
    "apparel": (1.1, 0.8, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 1.2, 1.1, 1.2, 1.2),
    "home-textiles": (1.2, 1.0, 0.9, 0.8, 0.8, 0.7, 0.7, 0.8, 1.0, 1.3, 1.4, 1.3),
    "small-appliances": (1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.8, 1.6),
    "electronics": (1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.0, 1.9, 1.7),
    "food-drink": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.4),
    "furniture": (1.3, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 0.8),
    "footwear": (1.0, 0.8, 1.0, 1.1, 1.1, 1.0, 0.9, 1.1, 1.2, 1.0, 1.1, 1.1),
}
SPECIAL_DAYS: dict[date, float] = {
    date(2025, 11, 28): 2.5,  # Black Friday
    date(2025, 12, 1): 2.0,  # Cyber Monday
    date(2025, 12, 25): 0.4,
    date(2025, 12, 26): 1.8,  # Boxing Day sales
    date(2025, 1, 1): 0.6,
}
# Share of purchased units returned, by category (others: DEFAULT_RETURN_RATE).
RETURN_RATES: dict[str, float] = {
    "apparel": 0.12,
    "footwear": 0.10,
    "electronics": 0.04,
    "furniture": 0.03,
}
DEFAULT_RETURN_RATE = 0.015
CONSUMABLES = frozenset({"food-drink", "personal-care", "stationery"})
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("United Kingdom", 0.86),
    ("Ireland", 0.05),
    ("France", 0.03),
    ("Germany", 0.03),
    ("China", 0.03),
)
