"""Templated tasks over a catalogue's own vocabulary (seeded, so deterministic).

Demo: product types, colours, materials, sizes and conditions of its rows, in
English and Chinese. Online Retail (no attributes, English only): head nouns and
colour words of its titles, its categories. Each template yields
``(id, lang, kind, [(turn text, constraint delta), ...])``; ``generate.py`` keeps
only the satisfiable ones.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

SEED = 20261123
Step = tuple[str, dict[str, Any]]
OR_COLOURS = ("red", "pink", "white", "blue", "green", "black", "silver", "ivory", "cream", "gold", "purple")
OR_SKIP_NOUNS = {"design", "set", "large", "small", "assorted", "christmas", "retrospot", "polkadot", "london",
                 "home", "garden", "girl", "paisley", "spaceboy", "heart", "hearts", "letters", "leaf", "star",
                 "flower", "edwardian", "spot", "vintage", "retro", "cases", "tissues", "t-lights", "decoration", "kit", "charm", "ring", "wrap", "toy"}


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not word.endswith("s") else word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def ceiling(prices: list[float], q: float) -> float:
    """A round budget at the ``q`` quantile of ``prices`` (so some but not all fit)."""
    p = sorted(prices)[min(len(prices) - 1, int(q * len(prices)))]
    step = 1 if p < 10 else 5 if p < 100 else 50
    return float(math.ceil((p + 0.01) / step) * step)


def _groups(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    out: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in rows:
        a = r["attributes"]
        if all(a.get(k) for k in keys):
            out.setdefault(tuple(a[k] for k in keys), []).append(r)
    return out


def _pick(rng: random.Random, groups: dict[tuple[str, ...], list[dict[str, Any]]], n: int,
          min_rows: int = 1) -> list[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    keys = sorted(k for k, v in groups.items() if len(v) >= min_rows)
    return [(k, groups[k]) for k in rng.sample(keys, min(n, len(keys)))]


def demo_en(rows: list[dict[str, Any]], rng: random.Random) -> Iterator[tuple[str, str, list[Step]]]:
    from greencart.demo.product_types import PRODUCT_TYPES

    word = {t.name: t.name for t in PRODUCT_TYPES}
    tc, tm = _groups(rows, "type", "colour"), _groups(rows, "type", "material")
    for (t, c), _ in _pick(rng, tc, 16):
        yield "type-colour", f"{c} {plural(word[t]) if not t.endswith('s') else t}", \
            [(f"{c} {plural(t) if not t.endswith('s') else t}", {"product_type": t, "attributes": {"colour": c}})]
    for (t, m), g in _pick(rng, tm, 14):
        p = ceiling([r["price"] for r in g], 0.6)
        text = rng.choice([f"{m} {t} under {p:g}", f"{'an' if m[0] in 'aeiou' else 'a'} {m} {t}, max £{p:g}", f"{m} {t} below {p:g} pounds"])
        yield "type-material-budget", text, [(text, {"product_type": t, "attributes": {"material": m},
                                                       "max_price": p})]
    for (t,), g in _pick(rng, _groups(rows, "type"), 8, min_rows=6):
        prices = [r["price"] for r in g]
        lo, hi = ceiling(prices, 0.2), ceiling(prices, 0.7)
        if lo < hi:
            text = f"{plural(t) if not t.endswith('s') else t} between {lo:g} and {hi:g} pounds"
            yield "range", text, [(text, {"product_type": t, "min_price": lo, "max_price": hi})]
    sized = {k: v for k, v in _groups(rows, "type", "size").items()
             if re.fullmatch(r"XXL|XL|XS|S|M|L|UK \d{1,2}", k[1])}
    for (t, s), _ in _pick(rng, sized, 6):
        text = f"{t} size {s}" if not s.startswith("UK") else f"{t} in {s.lower()}"
        yield "size", text, [(text, {"product_type": t, "attributes": {"size": s}})]
    cond = {k: v for k, v in _groups(rows, "type", "condition").items() if k[1] in ("refurbished", "pre-owned")}
    for (t, cnd), _ in _pick(rng, cond, 5):
        text = f"{cnd} {t}"
        yield "condition", text, [(text, {"product_type": t, "attributes": {"condition": cnd}})]
    for (t, c), g in _pick(rng, tc, 12, min_rows=2):
        all_t = [r for r in rows if r["attributes"]["type"] == t]
        p = ceiling([r["price"] for r in g], 0.8)
        last = rng.choice([f"the {c} one", f"in {c}", f"{c} please"])
        steps = [(plural(t) if not t.endswith("s") else t, {"product_type": t}),
                 (f"under {p:g}", {"max_price": p}), (last, {"attributes": {"colour": c}})]
        if len(all_t) > len(g):
            yield "refine", " / ".join(s[0] for s in steps), steps
    for (t, m), g in _pick(rng, tm, 6, min_rows=2):
        p = ceiling([r["price"] for r in g], 0.9)
        steps = [(f"{t} under {p:g}", {"product_type": t, "max_price": p}), (f"the {m} one", {"attributes": {"material": m}})]
        yield "refine", " / ".join(s[0] for s in steps), steps
    for (t, c), _ in _pick(rng, tc, 8, min_rows=3):
        steps = [(f"{c} {t}", {"product_type": t, "attributes": {"colour": c}}), ("cheaper", {"cheaper": True})]
        yield "cheaper", " / ".join(s[0] for s in steps), steps
    for (t, m), g in _pick(rng, tm, 6, min_rows=2):
        p = ceiling([r["price"] for r in g], 0.9)
        steps = [(f"{m} {t} under {p:g}", {"product_type": t, "attributes": {"material": m}, "max_price": p}),
                 ("compare the first two", {})]
        yield "compare", " / ".join(s[0] for s in steps), steps
    for (t,), g in _pick(rng, _groups(rows, "type"), 5, min_rows=4):
        p = ceiling([r["price"] for r in g], 0.7)
        text = f"low carbon {t} under {p:g}"
        yield "eco", text, [(text, {"product_type": t, "max_price": p})]


def demo_zh(rows: list[dict[str, Any]], rng: random.Random) -> Iterator[tuple[str, str, list[Step]]]:
    from greencart.demo.product_types import PRODUCT_TYPES
    from greencart.demo.vocab import COLOURS, MATERIALS

    zh = {t.name: t.zh for t in PRODUCT_TYPES if t.zh}
    czh = dict(COLOURS)
    mzh = {k: m.zh for k, m in MATERIALS.items()}
    tc = {k: v for k, v in _groups(rows, "type", "colour").items() if k[0] in zh and k[1] in czh}
    tm = {k: v for k, v in _groups(rows, "type", "material").items() if k[0] in zh and k[1] in mzh}
    for (t, c), _ in _pick(rng, tc, 10):
        text = rng.choice([f"{czh[c]}{zh[t]}", f"我想买{czh[c]}的{zh[t]}", f"有没有{czh[c]}的{zh[t]}"])
        yield "type-colour", text, [(text, {"product_type": t, "attributes": {"colour": c}})]
    for (t, m), g in _pick(rng, tm, 10):
        p = ceiling([r["price"] for r in g], 0.6)
        text = rng.choice([f"{p:g}元以下的{mzh[m]}{zh[t]}", f"{mzh[m]}{zh[t]}，预算{p:g}元以内"])
        yield "type-material-budget", text, [(text, {"product_type": t, "attributes": {"material": m}, "max_price": p})]
    types = {k: v for k, v in _groups(rows, "type").items() if k[0] in zh}
    for (t,), g in _pick(rng, types, 5, min_rows=6):
        prices = [r["price"] for r in g]
        lo, hi = ceiling(prices, 0.2), ceiling(prices, 0.7)
        if lo < hi:
            text = f"{zh[t]} {lo:g}到{hi:g}元"
            yield "range", text, [(text, {"product_type": t, "min_price": lo, "max_price": hi})]
    for (t, c), g in _pick(rng, tc, 8, min_rows=2):
        p = ceiling([r["price"] for r in g], 0.8)
        steps = [(f"{zh[t]}", {"product_type": t}), (f"{p:g}元以下", {"max_price": p}),
                 (f"要{czh[c]}的", {"attributes": {"colour": c}})]
        yield "refine", " / ".join(s[0] for s in steps), steps
    for (t, c), _ in _pick(rng, tc, 6, min_rows=2):
        steps = [(f"推荐几款{zh[t]}", {"product_type": t}), (f"那个{czh[c]}的", {"attributes": {"colour": c}})]
        yield "select", " / ".join(s[0] for s in steps), steps
    for (t, c), _ in _pick(rng, tc, 6, min_rows=3):
        steps = [(f"{czh[c]}{zh[t]}", {"product_type": t, "attributes": {"colour": c}}), ("便宜一点", {"cheaper": True})]
        yield "cheaper", " / ".join(s[0] for s in steps), steps
    for (t, m), g in _pick(rng, tm, 4, min_rows=2):
        steps = [(f"{mzh[m]}{zh[t]}", {"product_type": t, "attributes": {"material": m}}), ("比较前两个", {})]
        yield "compare", " / ".join(s[0] for s in steps), steps
    sized = {k: v for k, v in _groups(rows, "type", "size").items()
             if k[0] in zh and re.fullmatch(r"XXL|XL|XS|S|M|L|UK \d{1,2}", k[1])}
    for (t, s), _ in _pick(rng, sized, 4):
        text = f"{zh[t]} {s}码" if not s.startswith("UK") else f"英码{s[3:]}的{zh[t]}"
        yield "size", text, [(text, {"product_type": t, "attributes": {"size": s}})]


def online_retail(rows: list[dict[str, Any]], rng: random.Random) -> Iterator[tuple[str, str, list[Step]]]:
    titles = [r["title"].casefold() for r in rows]
    last = Counter(t.split()[-1] for t in titles if t.split())
    nouns = sorted(w for w, n in last.items() if n >= 6 and w.isalpha() and len(w) >= 3 and w not in OR_SKIP_NOUNS
                   and w not in OR_COLOURS and not w.endswith("s"))

    def having(*words: str) -> list[dict[str, Any]]:
        return [r for r in rows if all(re.search(rf"\b{w}(?:s|es)?\b", r["title"].casefold()) for w in words)]

    for n in rng.sample(nouns, min(12, len(nouns))):
        text = rng.choice([plural(n), f"a {n}", f"do you have any {plural(n)}?"])
        yield "noun", text, [(text, {"title_contains": [n]})]
    pairs = sorted((c, n) for n in nouns for c in OR_COLOURS if len(having(c, n)) >= 2)
    for c, n in rng.sample(pairs, min(10, len(pairs))):
        text = f"{c} {n}"
        yield "noun-colour", text, [(text, {"title_contains": [c, n]})]
    for n in rng.sample(nouns, min(12, len(nouns))):
        p = ceiling([r["price"] for r in having(n)], 0.5)
        text = rng.choice([f"{n} under £{p:g}", f"{plural(n)} under {p:g} pounds", f"a {n} for less than {p:g}"])
        yield "noun-budget", text, [(text, {"title_contains": [n], "max_price": p})]
    for n in rng.sample(nouns, min(8, len(nouns))):
        p = ceiling([r["price"] for r in having(n)], 0.5)
        steps = [(plural(n), {"title_contains": [n]}), (f"under {p:g}", {"max_price": p})]
        yield "refine", " / ".join(s[0] for s in steps), steps
    for c, n in rng.sample(pairs, min(5, len(pairs))):
        steps = [(plural(n), {"title_contains": [n]}), (f"{c} ones", {"title_contains": [n, c]})]
        yield "refine", " / ".join(s[0] for s in steps), steps
    for n in rng.sample(nouns, min(6, len(nouns))):
        steps = [(plural(n), {"title_contains": [n]}), ("cheaper", {"cheaper": True})]
        yield "cheaper", " / ".join(s[0] for s in steps), steps
    for n in rng.sample(nouns, min(5, len(nouns))):
        steps = [(f"a {n}", {"title_contains": [n]}), ("compare the first two", {})]
        yield "compare", " / ".join(s[0] for s in steps), steps


def templated(catalogue: str, rows: list[dict[str, Any]]) -> Iterator[tuple[str, str, str, list[Step]]]:
    """Every templated task of ``catalogue`` as (id, lang, kind, steps)."""
    rng = random.Random(SEED)
    gens = [("en", demo_en), ("zh", demo_zh)] if catalogue == "demo" else [("en", online_retail)]
    prefix = "demo" if catalogue == "demo" else "or"
    for lang, gen in gens:
        for i, (kind, _label, steps) in enumerate(gen(rows, rng), 1):
            yield f"{prefix}-{lang}-tpl-{i:03d}", lang, kind, steps
