"""Product descriptions from the product's own data, English and Chinese.

:func:`template_description` writes a short description and a footprint line
from the catalogue fields only. :func:`polish` asks a language model to make it
read better and keeps the result only if :func:`grounding_problems` finds no
fact that the product's data does not hold (a number, a colour or material word,
a claim such as "biodegradable"); otherwise the template stays, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TEMPLATE_VERSION = "1"
LANGS = ("en", "zh")

# Words that state a fact about a product; one in a polished text must be in the product's data.
CLAIMS = ("organic", "recycled", "recyclable", "biodegradable", "compostable", "vegan", "certified", "handmade",
          "hand-made", "waterproof", "carbon neutral", "carbon-neutral", "plastic-free", "plastic free",
          "sustainable", "award", "fair trade", "fairtrade", "bpa-free", "non-toxic", "eco-friendly", "natural",
          "warranty", "guarantee", "free delivery", "free shipping", "bestseller", "best-selling")
CLAIMS_ZH = ("有机", "再生", "可回收", "可降解", "可堆肥", "纯素", "认证", "手工", "防水", "碳中和", "无塑", "环保",
             "天然", "保修", "包邮", "免运费", "畅销")
COLOURS = ("black", "white", "red", "blue", "green", "yellow", "pink", "purple", "orange", "brown", "grey", "gray",
           "cream", "beige", "gold", "silver", "navy", "ivory", "turquoise", "teal", "mustard")
MATERIALS = ("cotton", "linen", "wool", "silk", "polyester", "nylon", "leather", "bamboo", "wood", "wooden", "metal",
             "steel", "aluminium", "aluminum", "glass", "ceramic", "porcelain", "plastic", "paper", "cardboard",
             "rubber", "stone", "marble", "copper", "brass", "tin", "enamel", "wicker", "rattan", "felt")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Description:
    product_id: str
    lang: str
    text: str
    method: str  # "template", "template+llm-local", ... or "template (polish rejected: ...)"
    facts: tuple[str, ...] = ()  # the data the text may state
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "lang": self.lang, "text": self.text, "method": self.method}


def _num(x: float) -> str:
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def _footprint_line(fp: Mapping[str, Any], lang: str) -> str:
    value = fp.get("footprint_kg_co2e")
    if value is None:
        return "碳足迹：暂无数据。" if lang == "zh" else "Carbon footprint: not known."
    low, high = fp.get("footprint_low", value), fp.get("footprint_high", value)
    method, source = fp.get("footprint_method", "unknown"), fp.get("footprint_source", "")
    if lang == "zh":
        return (f"碳足迹：约 {_num(value)} 千克二氧化碳当量（范围 {_num(low)}–{_num(high)}），"
                f"方法：{method}；来源：{source}。")
    return f"Carbon footprint: about {_num(value)} kg CO2e (range {_num(low)}-{_num(high)}), {method}; source: {source}."


def template_description(card: Any, lang: str, translate: Any = None) -> Description:
    """A description of a catalogue card (``ProductCard``) from its fields only.
    ``translate`` (English text -> Chinese, or None) renders English values for a Chinese storefront."""
    if lang not in LANGS:
        from greencart.errors import InvalidParameter

        raise InvalidParameter(f"Expected lang en or zh, got {lang!r}")
    attrs = {k: str(v) for k, v in (card.attributes or {}).items() if v not in (None, "")}
    kind = attrs.get("type", "")
    if lang == "zh":
        title = card.title_zh or (translate(card.title) if translate else None) or card.title
        zh = {k: (translate(v) if translate else None) or v for k, v in attrs.items()}
        parts = [f"{title}。"]
        detail = "".join(zh.get(k, "") for k in ("colour", "material")) + zh.get("type", "")
        if detail:
            parts.append(f"{detail}。")
        if attrs.get("size"):
            parts.append(f"尺码 {attrs['size']}。")
        if card.weight_kg:
            parts.append(f"重约 {_num(card.weight_kg)} 千克。")
        parts.append(f"价格：{card.price:.2f} {card.currency}。")
    else:
        parts = [f"{card.title}."]
        detail = " ".join(attrs[k] for k in ("colour", "material") if k in attrs)
        if detail or kind:
            article = "An" if (detail or kind)[:1].lower() in "aeiou" else "A"
            parts.append(f"{article} {(detail + ' ' + kind).strip()}.")
        if attrs.get("size"):
            parts.append(f"Size {attrs['size']}.")
        if card.weight_kg:
            parts.append(f"Weighs about {_num(card.weight_kg)} kg.")
        parts.append(f"Price: {card.price:.2f} {card.currency}.")
    parts.append(_footprint_line(card.footprint or {}, lang))
    text = " ".join(parts) if lang == "en" else "".join(parts)
    facts = (card.title, card.title_zh or "", card.description or "", card.category, *attrs.values(), text)
    return Description(card.id, lang, text, "template", tuple(facts))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip("0").rstrip(".") if "." in n or "," in n else n for n in _NUMBER.findall(text)}


def grounding_problems(text: str, facts: tuple[str, ...]) -> list[str]:
    """What ``text`` states that ``facts`` do not hold: numbers, colour/material words, claims."""
    known = " ".join(facts)
    known_low = known.casefold()
    low = text.casefold()
    problems = [f"number {n}" for n in sorted(_numbers(text) - _numbers(known))]
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)?", low))
    problems += [f"word {w!r}" for w in COLOURS + MATERIALS if w in words and not re.search(rf"\b{w}\b", known_low)]
    problems += [f"claim {c!r}" for c in CLAIMS if re.search(rf"\b{re.escape(c)}\b", low)
                 and not re.search(rf"\b{re.escape(c)}\b", known_low)]
    problems += [f"claim {c!r}" for c in CLAIMS_ZH if c in text and c not in known]
    return problems


def _prompt(draft: Description) -> list[dict[str, str]]:
    if draft.lang == "zh":
        system = "你是电商文案编辑。把下面的商品描述改写得更通顺，保留全部事实和数字，不要添加任何新的事实。只输出改写后的描述。"
    else:
        system = ("You edit product copy. Rewrite the description below so it reads well. Keep every fact and "
                  "number exactly; add no new facts, claims or numbers. Output only the description.")
    return [{"role": "system", "content": system}, {"role": "user", "content": draft.text}]


def polish(draft: Description, backend: Any, *, max_tokens: int = 160) -> tuple[Description, float]:
    """The model's rewrite if grounded, else the draft with the reason; and the model's estimated J
    (0 when the model ran in this process and its joules are already metered)."""
    from greencart.errors import ModelUnavailable

    try:
        reply = backend.complete(_prompt(draft), max_tokens=max_tokens, temperature=0.2)
    except ModelUnavailable as exc:
        return Description(draft.product_id, draft.lang, draft.text, "template (model unavailable)", draft.facts,
                           (exc.message,)), 0.0
    extra_j = reply.energy_j if reply.method == "estimated" else 0.0
    text = reply.text.strip()
    problems = grounding_problems(text, draft.facts) if text else ["empty reply"]
    if reply.finish_reason == "length":
        problems.append("cut off")
    marker = "二氧化碳当量" if draft.lang == "zh" else "CO2e"
    if marker in draft.text and marker not in text:
        problems.append("footprint line dropped")
    if problems:
        return Description(draft.product_id, draft.lang, draft.text,
                           f"template (polish rejected: {', '.join(problems[:3])})", draft.facts,
                           tuple(problems)), extra_j
    return Description(draft.product_id, draft.lang, text, f"template+{backend.name}", draft.facts), extra_j
