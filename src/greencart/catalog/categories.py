"""The category vocabulary shared by the demo catalogue, importers and search.

Slugs are stable identifiers (stored in ``products.category``); names are for
display in English and Chinese. Imported catalogues may use other categories:
the vocabulary is a default, not a constraint.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    name_en: str
    name_zh: str


CATEGORIES: tuple[Category, ...] = (
    Category("apparel", "Apparel", "服装"),
    Category("footwear", "Footwear", "鞋类"),
    Category("electronics", "Electronics", "电子产品"),
    Category("small-appliances", "Small appliances", "小家电"),
    Category("food-drink", "Food and drink", "食品饮料"),
    Category("home-textiles", "Home textiles", "家纺"),
    Category("furniture", "Furniture", "家具"),
    Category("personal-care", "Personal care", "个人护理"),
    Category("toys", "Toys", "玩具"),
    Category("stationery", "Stationery", "文具"),
    Category("garden", "Garden", "园艺"),
    Category("sports", "Sports", "运动"),
    # Giftware, common in imported catalogues such as UCI Online Retail.
    Category("home-decor", "Home decor", "家居装饰"),
    Category("kitchen", "Kitchen and dining", "厨房餐具"),
    Category("bags-accessories", "Bags and accessories", "箱包配饰"),
    Category("party-seasonal", "Party and seasonal", "节日派对"),
)

DEMO_CATEGORY_SLUGS: tuple[str, ...] = tuple(c.slug for c in CATEGORIES[:12])
BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}
UNCATEGORISED = "uncategorised"
