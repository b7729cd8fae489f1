"""Synthetic products for the demo catalogue, built from the vocabulary tables.

Every product is a variant (material, style, colour, size, brand, condition) of
a product type; its title, Chinese title, description and attributes carry the
words a footprint estimator reads. Each type gets at least one low- and one
high-footprint variant so that greener alternatives exist within every need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from greencart.catalog.categories import DEMO_CATEGORY_SLUGS
from greencart.demo.product_types import PRODUCT_TYPES, TYPES_BY_NAME, ProductType, Style
from greencart.demo.vocab import (
    BRANDS,
    COLOURS,
    CONDITIONS,
    MATERIAL_NOTES,
    MATERIALS,
    PACKAGING_PHRASES,
    PALETTES,
    SIZES,
    Condition,
    Size,
)
from greencart.catalog.models import Product

DEMO_SOURCE = "demo"
DECLARED_SOURCE = "demo merchant declaration (synthetic)"
DECLARED_SHARE = 0.10
BRAND_SHARE = 0.6
CONDITION_SHARE = 0.25


@dataclass(frozen=True)
class Variant:
    ptype: ProductType
    material: str
    style: Style
    colour: str
    size: Size
    brand: tuple[str, str] | None
    condition: Condition | None


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _material_factor(ptype: ProductType, material: str) -> float:
    return MATERIALS[material].footprint_factor ** ptype.material_sensitivity


def variant_footprint_factor(v: Variant) -> float:
    """Footprint of the variant relative to the conventional version of its type."""
    cond = v.condition.footprint_factor if v.condition else 1.0
    return _material_factor(v.ptype, v.material) * v.style.footprint_factor * cond


def nominal_footprint_kg_co2e(product: Product) -> float:
    """The synthetic 'true' footprint of a demo product (kg CO2e per unit), from its attributes.

    Used to draw the merchant declarations and by tests; estimators must not read it.
    """
    attrs = product.attributes
    ptype = TYPES_BY_NAME[attrs["type"]]
    style = next(s for s in ptype.styles if s.en.lower() == attrs["style"])
    cond = CONDITIONS.get(attrs.get("condition", ""))
    factor = _material_factor(ptype, attrs["material"]) * style.footprint_factor
    factor *= cond.footprint_factor if cond else 1.0
    return float(product.weight_kg or 0.0) * ptype.intensity_kg_co2e_per_kg * factor


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each share at least 2."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    counts = np.maximum(np.floor(raw).astype(int), 2)
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    i = 0
    while counts.sum() < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while counts.sum() > total:
        j = int(np.argmax(counts))
        counts[j] -= 1
    return [int(c) for c in counts]


def _pick(rng: np.random.Generator, items: tuple):  # type: ignore[no-untyped-def,type-arg]
    return items[int(rng.integers(len(items)))]


def _extreme_materials(ptype: ProductType) -> tuple[str, str]:
    ranked = sorted(ptype.materials, key=lambda m: MATERIALS[m].footprint_factor)
    return ranked[0], ranked[-1]


def _draw_variant(rng: np.random.Generator, ptype: ProductType, slot: int) -> Variant:
    """Slot 0 is the lowest-footprint variant, slot 1 the highest, the rest random."""
    low, high = _extreme_materials(ptype)
    conditions = tuple(CONDITIONS[c] for c in ptype.conditions)
    styles = sorted(ptype.styles, key=lambda st: st.footprint_factor)
    if slot == 0:
        material, condition = low, (conditions[0] if conditions else None)
        style = _pick(
            rng, tuple(st for st in styles if st.footprint_factor == styles[0].footprint_factor)
        )
    elif slot == 1:
        material, condition = high, None
        style = _pick(
            rng, tuple(st for st in styles if st.footprint_factor == styles[-1].footprint_factor)
        )
    else:
        material, style = _pick(rng, ptype.materials), _pick(rng, ptype.styles)
        condition = conditions[0] if conditions and rng.random() < CONDITION_SHARE else None
    brands = BRANDS[ptype.category]
    brand = _pick(rng, brands) if rng.random() < BRAND_SHARE else None
    return Variant(
        ptype,
        material,
        style,
        _pick(rng, PALETTES[ptype.palette]),
        _pick(rng, SIZES[ptype.sizes]),
        brand,
        condition,
    )


def _title_material(v: Variant) -> str:
    """'recycled paper' in 'Printer Paper' reads 'Recycled Printer Paper'."""
    words = v.material.split(" ")
    if "type" in v.ptype.head_order and words[-1].lower() == v.ptype.en.split(" ")[-1].lower():
        words = words[:-1]
    return _cap(" ".join(words))


def _sentence_style(style: str) -> str:
    keep = any(c.isdigit() for c in style) or any(len(w) > 1 and w.isupper() for w in style.split())
    return style if keep else style.lower()


def _titles(v: Variant) -> tuple[str, str]:
    t = v.ptype
    zh_material = dict(t.material_zh).get(v.material, MATERIALS[v.material].zh)
    en_parts = {
        "condition": _cap(v.condition.name) if v.condition else "",
        "brand": v.brand[0] if v.brand else "",
        "material": _title_material(v),
        "style": v.style.en,
        "type": t.en,
    }
    zh_parts = {
        "condition": v.condition.zh if v.condition else "",
        "brand": f"{v.brand[1]} " if v.brand else "",
        "material": zh_material,
        "style": v.style.zh,
        "type": t.zh,
    }
    en = " ".join(p for p in (en_parts[k] for k in t.head_order) if p)
    zh = zh_parts["brand"] + "".join(zh_parts[k] for k in t.head_order if k != "brand")
    tail_en, tail_zh = [], []
    if len(PALETTES[t.palette]) > 1:
        tail_en.append(_cap(v.colour))
        tail_zh.append(COLOURS[v.colour])
    if len(SIZES[t.sizes]) > 1:
        tail_en.append(v.size.en)
        tail_zh.append(v.size.zh)
    if tail_en:
        en = f"{en}, {', '.join(tail_en)}"
        zh = f"{zh} {' '.join(tail_zh)}"
    return en, zh.strip()


def _description(rng: np.random.Generator, v: Variant) -> str:
    t = v.ptype
    verb = "made with" if t.category == "food-drink" else "made from"
    style = _sentence_style(v.style.en)
    packaging = PACKAGING_PHRASES.get(v.material)
    if packaging:
        intro = f"{style[:1].upper()}{style[1:]} {t.name} {packaging}."
    elif "type" not in t.head_order:
        intro = f"{style[:1].upper()}{style[1:]} {v.material}, from our {t.name} range."
    elif len(PALETTES[t.palette]) > 1 and rng.random() < 0.5:
        intro = f"Our {style} {t.name} in {v.material}, {v.colour}."
    else:
        intro = f"{style[:1].upper()}{style[1:]} {t.name} {verb} {v.material}."
    if v.condition is not None and v.condition.name == "refurbished":
        middle = "Professionally refurbished, tested and graded, with a 12-month warranty."
    elif v.condition is not None:
        middle = "Pre-owned, cleaned and checked by our team, with light signs of use."
    elif v.material in MATERIAL_NOTES and rng.random() < 0.6:
        middle = MATERIAL_NOTES[v.material]
    else:
        middle = t.use
    return f"{intro} {middle} {t.care}"


def _round_price(price: float) -> float:
    if price < 20:
        return max(0.49, round(price * 2) / 2 - 0.01)
    if price < 200:
        return round(price) - 0.01
    return round(price / 10) * 10 - 0.01


def _loguniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    lo, hi = bounds
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _price_and_weight(rng: np.random.Generator, v: Variant) -> tuple[float, float]:
    t = v.ptype
    material_price = MATERIALS[v.material].price_factor ** t.material_sensitivity
    price = (
        _loguniform(rng, t.price_gbp) * material_price * v.style.price_factor * v.size.price_scale
    )
    price *= v.condition.price_factor if v.condition else 1.0
    weight = _loguniform(rng, t.weight_kg) * v.size.weight_scale
    return _round_price(price), max(0.005, round(weight, 3))


def _attributes(v: Variant) -> dict[str, str]:
    attrs = {
        "type": v.ptype.name,
        "material": v.material,
        "colour": v.colour,
        "size": v.size.en,
        "style": v.style.en.lower(),
    }
    if v.brand:
        attrs["brand"] = v.brand[0]
    if v.ptype.conditions:
        attrs["condition"] = v.condition.name if v.condition else "new"
    return attrs


def _unique_variant(
    rng: np.random.Generator, ptype: ProductType, slot: int, seen: set[str]
) -> Variant:
    for _ in range(200):
        v = _draw_variant(rng, ptype, slot)
        if _titles(v)[0] not in seen:
            return v
    raise RuntimeError(
        f"Cannot draw a unique title for type {ptype.name!r}: too many products asked for"
    )


def _type_counts(n_products: int) -> list[tuple[ProductType, int]]:
    out: list[tuple[ProductType, int]] = []
    per_category = allocate(n_products, [1.0] * len(DEMO_CATEGORY_SLUGS))
    for slug, n_cat in zip(DEMO_CATEGORY_SLUGS, per_category, strict=True):
        types = [t for t in PRODUCT_TYPES if t.category == slug]
        out.extend(zip(types, allocate(n_cat, [t.share for t in types]), strict=True))
    return out


def generate_products(rng: np.random.Generator, n_products: int) -> list[Product]:
    """``n_products`` products over the 12 demo categories, in a shuffled id order."""
    seen: set[str] = set()
    drafts: list[tuple[Variant, str, str, str, float, float]] = []
    for ptype, count in _type_counts(n_products):
        for slot in range(count):
            v = _unique_variant(rng, ptype, slot, seen)
            title, title_zh = _titles(v)
            seen.add(title)
            price, weight = _price_and_weight(rng, v)
            drafts.append((v, title, title_zh, _description(rng, v), price, weight))
    order = rng.permutation(len(drafts))
    declared = set(
        rng.choice(len(drafts), size=round(DECLARED_SHARE * len(drafts)), replace=False).tolist()
    )
    noise = rng.lognormal(0.0, 0.12, size=len(drafts))
    products = []
    for pos, idx in enumerate(order):
        v, title, title_zh, description, price, weight = drafts[idx]
        fp = None
        if pos in declared:
            fp = (
                weight
                * v.ptype.intensity_kg_co2e_per_kg
                * variant_footprint_factor(v)
                * float(noise[pos])
            )
            fp = float(f"{fp:.3g}")
        products.append(
            Product(
                id=f"GC-{pos + 1:06d}",
                title=title,
                title_zh=title_zh,
                category=v.ptype.category,
                price=price,
                currency="GBP",
                description=description,
                weight_kg=weight,
                attributes=_attributes(v),
                source=DEMO_SOURCE,
                declared_footprint_kg_co2e=fp,
                declared_footprint_source=DECLARED_SOURCE if fp is not None else None,
            )
        )
    return products
