"""Held-out templates over the demo catalogue (typed attributes: type, colour, material), en + zh."""


from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

from heldout_templates import (
    PLASTIC,
    Maker,
    budget,
    dd,
    en_money,
    en_number,
    pick,
    plural,
    typo,
    zh_number,
)

Out = Iterator[tuple[str, list[str], list[tuple[str, dict[str, Any]]]]]

NOT_COLOURS = ("natural", "multicolour", "clear")  # attribute values a shopper would not name as a colour
SYNONYMS = {"trainers": "sneakers", "jumper": "sweater", "smartphone": "mobile phone", "sofa": "couch",
            "t-shirt": "tee", "bicycle": "bike", "football": "soccer ball", "notebook": "notepad",
            "hoodie": "hooded sweatshirt", "rain jacket": "waterproof jacket", "duvet": "quilt",
            "earbuds": "wireless earphones", "dumbbells": "hand weights", "school backpack": "rucksack for school"}
SPACED = {"teddy bear": "teddybear", "hairbrush": "hair brush", "water bottle": "waterbottle", "yoga mat": "yogamat",
          "earbuds": "ear buds", "power bank": "powerbank", "toothbrush": "tooth brush", "notebook": "note book",
          "e-reader": "ereader", "t-shirt": "tshirt", "smartwatch": "smart watch", "bookcase": "book case"}


def demo_makers(rows: list[dict[str, Any]]) -> list[Maker]:
    from greencart.demo.product_types import PRODUCT_TYPES
    from greencart.demo.vocab import COLOURS, MATERIALS

    zh = {t.name: t.zh for t in PRODUCT_TYPES if t.zh}
    czh, mzh = dict(COLOURS), {k: m.zh for k, m in MATERIALS.items()}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_type.setdefault(r["attributes"]["type"], []).append(r)
    types = sorted(t for t, rs in by_type.items() if len(rs) >= 6 and t in zh)
    vocab = {w for r in rows for w in r["title"].casefold().split()}

    def colours(t: str) -> Counter[str]:
        return Counter(c for r in by_type[t] if (c := r["attributes"].get("colour")) and c not in NOT_COLOURS)

    def prices(t: str) -> list[float]:
        return [r["price"] for r in by_type[t]]

    def noun(t: str) -> str:
        return t if t.endswith("s") else plural(t)

    def excl_colour(rng: random.Random) -> Out:
        en = ["{n} but not {c}", "{n}, anything except {c}", "{n} that aren't {c}", "{n}, no {c} please",
              "{n} in any colour apart from {c}", "not {c} - {n}", "{n} (not {c})", "{n}, avoid {c}",
              "{n} other than {c} ones", "{n} without any {c}"]
        cn = ["{n}，不要{c}的", "除了{c}的{n}都行", "{n}别要{c}", "不要{c}，给我看看{n}", "{n}，{c}的不要",
              "{n}但不是{c}的", "{n}除了{c}以外的", "{c}以外的{n}"]
        pairs = [(t, c) for t in types for c, k in colours(t).items() if k >= 1 and sum(colours(t).values()) - k >= 2]
        for t, c in rng.sample(pairs, 22):
            if rng.random() < 0.5:
                yield "en", ["exclusion"], [(rng.choice(en).format(n=noun(t), c=c), dd(t, xc=(c,)))]
            elif c in czh:
                yield "zh", ["exclusion"], [(rng.choice(cn).format(n=zh[t], c=czh[c].removesuffix("色")), dd(t, xc=(c,)))]

    def excl_material(rng: random.Random) -> Out:
        en = ["{n} but no {m}", "{n} that isn't {m}", "{m}-free {n}", "{n}, nothing made of {m}", "{n} - not {m} please"]
        cn = ["{n}，不要{m}的", "不要{m}做的{n}", "{n}，{m}的就算了", "{n}别是{m}的"]
        pairs = []
        for t in types:
            mats = Counter(r["attributes"].get("material") for r in by_type[t])
            plastic = sum(k for m, k in mats.items() if m in PLASTIC)
            if 1 <= plastic <= len(by_type[t]) - 2 and "PVC" not in mats:
                pairs.append((t, "plastic", PLASTIC, "塑料"))
            for m, k in mats.items():
                if m and k <= len(by_type[t]) - 2 and m not in PLASTIC and " " not in m and m in mzh:
                    pairs.append((t, m, [m], mzh[m]))
        for t, word, values, mz in rng.sample(pairs, 14):
            if rng.random() < 0.5:
                yield "en", ["exclusion"], [(rng.choice(en).format(n=noun(t), m=word), dd(t, xm=values))]
            else:
                yield "zh", ["exclusion"], [(rng.choice(cn).format(n=zh[t], m=mz), dd(t, xm=values))]

    def number_words(rng: random.Random) -> Out:
        en = ["{n} for {w} or less", "{n}, {w} tops", "no more than {w} for {a}", "{n} that cost {w} at most",
              "I can spend {w} on {a}", "{n}, nothing above {w}", "{n} up to {w}", "{n} within {w}",
              "{a}, my budget is {w}", "{n}, {w} or under"]
        for t in rng.sample(types, 14):
            p = budget(prices(t), rng.uniform(0.35, 0.7))
            if p >= 1000:
                continue
            a = ("an " if t[0] in "aeiou" else "a ") + t
            yield "en", ["number-words"], [(rng.choice(en).format(n=noun(t), w=en_money(p, rng), a=a), dd(t, hi=p))]

    def zh_numerals(rng: random.Random) -> Out:
        cn = ["{n}，{w}镑以内", "{w}英镑以下的{n}", "预算{w}镑，想买{n}", "{n}不超过{w}镑", "{n}，最多{w}英镑",
              "{n}，别超过{w}镑", "{w}镑以下的{n}有吗", "给我找{n}，{w}英镑以内"]
        for t in rng.sample(types, 14):
            p = budget(prices(t), rng.uniform(0.35, 0.7))
            if p >= 1000:
                continue
            yield "zh", ["zh-numerals"], [(rng.choice(cn).format(n=zh[t], w=zh_number(p, rng)), dd(t, hi=p))]

    def digits(rng: random.Random) -> Out:
        en = ["{n} <= £{p}", "{n}, £{p} max", "{n} {p}quid", "sub £{p} {n}", "{n} under£{p}", "{n} {p} pounds tops",
              "{n} (max {p} GBP)"]
        cn = ["{n} 最多{p}镑", "{n}，{p}英镑封顶", "{n} ≤{p}镑", "{p}镑内的{n}"]
        for t in rng.sample(types, 10):
            p = budget(prices(t), rng.uniform(0.35, 0.7))
            lang = rng.choice(("en", "zh"))
            text = rng.choice(en).format(n=noun(t), p=p) if lang == "en" else rng.choice(cn).format(n=zh[t], p=p)
            yield lang, ["budget-phrasing"], [(text, dd(t, hi=p))]

    def ranges(rng: random.Random) -> Out:
        en = ["{n} from £{lo} to £{hi}", "{n} {lo}-{hi} quid", "{n} somewhere between {wlo} and {whi} pounds",
              "{n} at least {lo} but under {hi} pounds", "{n} in the {lo} to {hi} pound range"]
        cn = ["{n} {lo}到{hi}镑", "{wlo}至{whi}英镑的{n}", "{n}，价格在{wlo}和{whi}镑之间", "{n}，{wlo}到{whi}镑"]
        for t in rng.sample(types, 12):
            lo, hi = budget(prices(t), 0.2), budget(prices(t), 0.75)
            if lo >= hi or hi >= 1000:
                continue
            if rng.random() < 0.5:
                text = rng.choice(en).format(n=noun(t), lo=lo, hi=hi, wlo=en_number(lo), whi=en_number(hi))
                yield "en", ["range"], [(text, dd(t, lo=lo, hi=hi))]
            else:
                text = rng.choice(cn).format(n=zh[t], lo=lo, hi=hi, wlo=zh_number(lo, rng), whi=zh_number(hi, rng))
                yield "zh", ["range"], [(text, dd(t, lo=lo, hi=hi))]

    def references(rng: random.Random) -> Out:
        en = [("the second one", 2), ("number 2 looks good, tell me more", 2), ("2nd one", 2),
              ("show me the second", 2), ("the last of those three", 3), ("ok the first one", 1)]
        cn = [("第二个", 2), ("第2个怎么样", 2), ("第二款", 2), ("我要第三个", 3), ("就第一个吧", 1)]
        for t in rng.sample(types, 9):
            lang = rng.choice(("en", "zh"))
            text, rank = rng.choice(en if lang == "en" else cn)
            first = rng.choice([f"show me {noun(t)}", f"what {noun(t)} do you have?"]) if lang == "en" \
                else rng.choice([f"看看{zh[t]}", f"有什么{zh[t]}"])
            yield lang, ["reference"], [(first, dd(t)), (text, pick(0, rank))]

    def typos(rng: random.Random) -> Out:
        singles = [t for t in types if " " not in t and len(t) >= 5]
        for t in rng.sample(singles, 10):
            w = typo(t, rng, vocab)
            if w:
                text = rng.choice(["{w}", "looking for a {w}", "{w} please", "any {w}?", "need a {w}"]).format(w=w)
                yield "en", ["typo"], [(text, dd(t))]
        for t, spaced in rng.sample(sorted(SPACED.items()), 7):
            if t in by_type:
                yield "en", ["typo"], [(rng.choice(["{w}", "a {w} please", "do you sell {w}?"]).format(w=spaced), dd(t))]

    def corrections(rng: random.Random) -> Out:
        en_c = ["actually make it {c}", "sorry, I meant {c}", "change that to {c}", "scratch that, {c}"]
        cn_c = ["算了，要{c}的", "不对，我要{c}的", "改成{c}", "换{c}的吧"]
        pairs = [(t, a, b) for t in types for a in colours(t) for b in colours(t) if a < b]
        for t, a, b in rng.sample(pairs, 8):
            if rng.random() < 0.5:
                yield "en", ["correction"], [(f"{a} {noun(t)}", dd(t, c=a)), (rng.choice(en_c).format(c=b), dd(c=b))]
            elif a in czh and b in czh:
                yield "zh", ["correction"], [(f"{czh[a]}的{zh[t]}", dd(t, c=a)), (rng.choice(cn_c).format(c=czh[b]), dd(c=b))]
        for t in rng.sample(types, 6):
            p1, p2 = budget(prices(t), 0.25), budget(prices(t), 0.6)
            if p1 >= p2:
                continue
            if rng.random() < 0.5:
                second = rng.choice(["no wait, under {p}", "make that {p}", "sorry, I meant {p} pounds"]).format(p=p2)
                yield "en", ["correction"], [(f"{noun(t)} under {p1}", dd(t, hi=p1)), (second, dd(hi=p2))]
            else:
                second = rng.choice(["不对，{p}镑以下", "改成{p}镑以内", "预算改成{p}镑"]).format(p=p2)
                yield "zh", ["correction"], [(f"{zh[t]}{p1}镑以下", dd(t, hi=p1)), (second, dd(hi=p2))]

    def follow_ups(rng: random.Random) -> Out:
        for t in rng.sample(types, 10):
            cs = [c for c, k in colours(t).items() if k >= 1 and c in czh]
            if not cs:
                continue
            c = rng.choice(cs)
            p = budget([r["price"] for r in by_type[t] if r["attributes"].get("colour") == c], 0.99)
            if rng.random() < 0.5:
                steps = [(noun(t), dd(t)), (rng.choice(["any in {c}?", "{c} ones?", "what about {c}?"]).format(c=c), dd(c=c)),
                         (rng.choice(["under {w}?", "and below {w}"]).format(w=en_money(p, rng)), dd(hi=p))]
                yield "en", ["follow-up"], steps
            else:
                steps = [(zh[t], dd(t)), (rng.choice(["有{c}的吗", "{c}的呢"]).format(c=czh[c]), dd(c=c)),
                         (rng.choice(["{w}镑以下的呢", "要{w}镑以内的"]).format(w=zh_number(p, rng)), dd(hi=p))]
                yield "zh", ["follow-up"], steps

    def mixed(rng: random.Random) -> Out:
        tpl = ["有没有{en}", "{ec}的{zn}", "{zn} under {p}", "{en}，{wp}镑以内", "给我看看 {ec} {en}", "想买{en}，不要{ec}的"]
        for t in rng.sample([t for t in types if colours(t)], 8):
            cs = sorted(colours(t))
            c = rng.choice(cs)
            p = budget(prices(t), 0.6)
            i = rng.randrange(len(tpl))
            text = tpl[i].format(en=noun(t), zn=zh[t], ec=c, p=p, wp=zh_number(p, rng))
            delta = [dd(t), dd(t, c=c), dd(t, hi=p), dd(t, hi=p), dd(t, c=c), dd(t, xc=(c,))][i]
            classes = ["mixed"] + (["exclusion"] if i == 5 else [])
            yield "zh", classes, [(text, delta)]

    def synonyms(rng: random.Random) -> Out:
        for t, syn in rng.sample(sorted(SYNONYMS.items()), 8):
            text = rng.choice(["{s}", "I need a {s}", "looking for a {s}", "where are your {p}?"]).format(s=syn, p=plural(syn))
            yield "en", ["synonym"], [(text, dd(t))]

    return [excl_colour, excl_material, number_words, zh_numerals, digits, ranges, references, typos,
            corrections, follow_ups, mixed, synonyms]
