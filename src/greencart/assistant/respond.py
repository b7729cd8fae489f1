"""Template replies in the shopper's language. Every number comes from a tool result."""

from __future__ import annotations

from typing import Any

from greencart.assistant.state import Constraints

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CNY": "¥", "JPY": "¥"}
_METHOD_ZH = {"declared": "商家声明", "estimated": "估算", "measured": "实测", "modelled": "模型估算",
              "spend": "按价格估算", "reference": "参考数据", "mass": "按重量估算"}


_KEY_ZH = {"colour": "颜色", "material": "材质", "size": "尺码"}


def value_zh(value: str) -> str:
    """An attribute value in Chinese where the vocabulary has it (colours, materials)."""
    from greencart.demo.vocab import COLOURS, MATERIALS

    if value in COLOURS:
        return COLOURS[value]
    m = MATERIALS.get(value)
    return m.zh if m else value


def short_source(source: str) -> str:
    parts = [p for p in source.split("; ") if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def money(amount: float, currency: str = "GBP") -> str:
    sym = _SYMBOLS.get(currency)
    return f"{sym}{amount:.2f}" if sym else f"{amount:.2f} {currency}"


def kg(x: Any) -> str:
    return f"{float(x or 0):.2f}"


def title(card: dict[str, Any], lang: str) -> str:
    return (card.get("title_zh") or card["title"]) if lang == "zh" else card["title"]


def footprint(card: dict[str, Any], lang: str) -> str:
    method = card.get("footprint_method") or "estimated"
    if lang == "zh":
        return (f"碳足迹 {kg(card['footprint_kg_co2e'])} kg CO2e（范围 {kg(card['footprint_low'])}–"
                f"{kg(card['footprint_high'])}，{_METHOD_ZH.get(method, method)}）")
    return (f"{kg(card['footprint_kg_co2e'])} kg CO2e (range {kg(card['footprint_low'])}–"
            f"{kg(card['footprint_high'])}, {method})")


def product_line(i: int, card: dict[str, Any], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return f"{i}. {title(card, lang)} — {money(float(card['price']), card['currency'])}{sep}{footprint(card, lang)}"


def _constraint_words(c: Constraints, lang: str, currency: str) -> str:
    bits = []
    if c.min_price is not None and c.max_price is not None:
        bits.append(f"{money(c.min_price, currency)}–{money(c.max_price, currency)}")
    elif c.max_price is not None:
        bits.append(f"{money(c.max_price, currency)}以内" if lang == "zh" else f"up to {money(c.max_price, currency)}")
    elif c.min_price is not None:
        bits.append(f"{money(c.min_price, currency)}以上" if lang == "zh" else f"from {money(c.min_price, currency)}")
    bits.extend(value_zh(v) if lang == "zh" else v for k, v in sorted(c.attributes.items()) if k != "type")
    for key in sorted(c.exclude):  # said back: the shopper sees that "not red" was heard
        for v in c.exclude[key]:
            bits.append(f"不要{value_zh(v)}" if lang == "zh" else f"not {v}")
    return ("，".join(bits) if lang == "zh" else ", ".join(bits))


def results(cards: list[dict[str, Any]], c: Constraints, lang: str, *, eco_sorted: bool, personalised: bool,
            swap: dict[str, Any] | None = None) -> str:
    currency = cards[0]["currency"] if cards else "GBP"
    cons = _constraint_words(c, lang, currency)
    if lang == "zh":
        head = f"为你找到 {len(cards)} 件商品" + (f"（{cons}）" if cons else "") + "："
        notes = ["已按碳足迹从低到高优先排序。" if eco_sorted else "", "已结合你的购买偏好。" if personalised else ""]
    else:
        many = len(cards) != 1
        head = f"Here {'are' if many else 'is'} {len(cards)} option{'s' if many else ''}" + (f" ({cons})" if cons else "") + ":"
        notes = ["Lower-footprint products first." if eco_sorted else "",
                 "Personalised to your shopping history." if personalised else ""]
    lines = [head] + [product_line(i + 1, card, lang) for i, card in enumerate(cards)]
    if swap:
        lines.append(swap_line(cards[0], swap, lang))
    lines += [n for n in notes if n]
    return "\n".join(lines)


def swap_line(original: dict[str, Any], swap: dict[str, Any], lang: str) -> str:
    alt = swap["swap"]
    if lang == "zh":
        return (f"更环保的选择：{title(alt, lang)}（{money(float(alt['price']), alt['currency'])}，"
                f"{kg(alt['footprint_kg_co2e'])} kg CO2e），比「{title(original, lang)}」少 {kg(swap['saving_kg_co2e'])} kg CO2e。")
    return (f"Greener swap: {title(alt, lang)} ({money(float(alt['price']), alt['currency'])}, "
            f"{kg(alt['footprint_kg_co2e'])} kg CO2e) saves {kg(swap['saving_kg_co2e'])} kg CO2e "
            f"compared with {title(original, lang)}.")


def no_swap(card: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"「{title(card, lang)}」已经是同类中碳足迹较低的选择，我没有找到更环保的替代品。"
    return f"{title(card, lang)} is already among the lowest-footprint options I can find; no greener swap."


def nothing_found(c: Constraints, lang: str, hint: dict[str, Any] | None = None) -> str:
    cons = _constraint_words(c, lang, "GBP")
    if lang == "zh":
        text = "没有找到符合条件的商品" + (f"（{cons}）" if cons else "") + "。"
        if hint:
            what = "预算" if hint["drop"] == "budget" else f"“{value_zh(hint['value'])}”"
            return text + f"去掉{what}这个条件的话，有 {hint['count']} 件可选。"
        return text + "可以放宽预算或减少要求试试。"
    text = "I found nothing that matches" + (f" ({cons})" if cons else "") + "."
    if hint:
        what = "the budget" if hint["drop"] == "budget" else f"\"{hint['value']}\""
        n = hint["count"]
        return text + f" Without {what} there {'is' if n == 1 else 'are'} {n} option{'' if n == 1 else 's'}."
    return text + " Try a higher budget or fewer requirements."


def clarify(lang: str) -> str:
    if lang == "zh":
        return "好的！是送给谁的、想要哪一类（比如服装、电子产品、家居、玩具），大概预算多少？"
    return ("Happy to help! Who is it for and what kind of thing — for example clothing, electronics, "
            "home or toys — and roughly what budget?")


def unknown_need(query: str, lang: str) -> str:
    if lang == "zh":
        return f"没有找到“{query}”。" + clarify(lang)
    return f"I found nothing called \"{query}\". " + clarify(lang).replace("Happy to help! ", "")


def did_you_mean(suggestions: dict[str, str], lang: str) -> str:
    """One clarifying question about spelling: the catalogue words the shopper may have meant."""
    pairs = sorted(suggestions.items())
    if lang == "zh":
        return "没有找到完全匹配的商品。你是想找" + "、".join(f"“{s}”" for _, s in pairs) + "吗？"
    asked = ", ".join(f"\"{s}\" (for \"{w}\")" for w, s in pairs)
    return f"I found nothing under those words. Did you mean {asked}?"


def greet(lang: str) -> str:
    if lang == "zh":
        return "你好！告诉我你想买什么，比如“50元以下的白色T恤”，我会同时显示每件商品的碳足迹。"
    return ("Hello! Tell me what you are looking for, for example \"a white t-shirt under £20\"; "
            "I show every product's carbon footprint too.")


def need_two(lang: str) -> str:
    return "需要至少两件商品才能比较：请先搜索。" if lang == "zh" else "I need at least two products shown to compare; search first."


def only_one(card: dict[str, Any], lang: str) -> str:
    """Asked to compare when only one product meets the requirements."""
    line = product_line(1, card, lang)
    if lang == "zh":
        return f"符合你要求的商品只有一件，没有可以比较的：\n{line}\n放宽一个条件（比如颜色或预算）就能看到更多选择。"
    return (f"Only one product matches your requirements, so there is nothing to compare it with:\n{line}\n"
            "Drop a requirement (a colour or the budget, say) to see more options.")


def need_products(lang: str) -> str:
    return "请先告诉我你想找什么商品。" if lang == "zh" else "Tell me what you are looking for first, and I will show some options."


def compare(cards: list[dict[str, Any]], summary: dict[str, Any], lang: str) -> str:
    by_id = {c["id"]: c for c in cards}
    cheap, green = by_id[summary["cheapest"]], by_id.get(summary["lowest_footprint"] or "")
    lines = []
    for i, card in enumerate(cards):
        attrs = card.get("attributes") or {}
        extra = "，".join if lang == "zh" else ", ".join
        desc = extra(f"{_KEY_ZH[k]}：{value_zh(v)}" if lang == "zh" else f"{k}: {v}" for k, v in sorted(attrs.items()) if k in ("colour", "material", "size"))
        lines.append(product_line(i + 1, card, lang) + (f" [{desc}]" if desc else ""))
    cur = cheap["currency"]
    if green is None:  # footprints unknown: no footprint comparison is made up
        lines.append(f"「{title(cheap, lang)}」便宜 {money(summary['price_difference'], cur)}；碳足迹未知，无法比较。"
                     if lang == "zh" else f"{title(cheap, lang)} is cheaper by "
                     f"{money(summary['price_difference'], cur)}; their footprints are not known, so not compared.")
    elif lang == "zh":
        lines.append(f"「{title(cheap, lang)}」便宜 {money(summary['price_difference'], cur)}；"
                     f"「{title(green, lang)}」碳足迹低 {kg(summary['footprint_difference_kg_co2e'])} kg CO2e。")
    else:
        lines.append(f"{title(cheap, lang)} is cheaper by {money(summary['price_difference'], cur)}; "
                     f"{title(green, lang)} has the lower footprint by "
                     f"{kg(summary['footprint_difference_kg_co2e'])} kg CO2e.")
    return "\n".join(lines)


def answer(card: dict[str, Any], question: str, lang: str) -> str:
    t, attrs = title(card, lang), card.get("attributes") or {}
    if question == "price":
        p = money(float(card["price"]), card["currency"])
        return f"「{t}」的价格是 {p}。" if lang == "zh" else f"{t} costs {p}."
    if question in ("material", "colour", "size"):
        value = attrs.get(question)
        if value is None:
            return f"目录中没有「{t}」的这项信息。" if lang == "zh" else f"The catalogue does not list the {question} of {t}."
        return f"「{t}」：{value_zh(value)}。" if lang == "zh" else f"{t}: {question} is {value}."
    source = short_source(card.get("footprint_source") or "")
    if lang == "zh":
        return f"「{t}」的{footprint(card, lang)}" + (f"，来源：{source}" if source else "") + "。"
    return f"{t} has a footprint of {footprint(card, lang)}" + (f"; source: {source}" if source else "") + "."


def selected(card: dict[str, Any], lang: str) -> str:
    line = product_line(1, card, lang)[3:]
    if lang == "zh":
        return f"{line}\n想看更环保的替代品，请说“更环保的”。"
    return f"{line}\nSay \"greener\" to see a lower-footprint swap, or ask about its price, material or footprint."
