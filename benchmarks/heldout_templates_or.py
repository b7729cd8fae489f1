"""Held-out templates over Online Retail (English-only titles, no attributes): English, Chinese and mixed."""


from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from heldout_templates import (
    Maker,
    budget,
    en_money,
    en_number,
    od,
    pick,
    plural,
    typo,
    word_in,
    zh_number,
)

Out = Iterator[tuple[str, list[str], list[tuple[str, dict[str, Any]]]]]

# Shopper nouns and the Chinese a shopper would type for them (the catalogue's titles are English only).
NOUNS_ZH = {"bag": "包", "mug": "马克杯", "candle": "蜡烛", "clock": "钟", "lantern": "灯笼", "umbrella": "雨伞",
            "notebook": "笔记本", "doormat": "门垫", "cushion": "靠垫", "frame": "相框", "tray": "托盘", "bowl": "碗",
            "purse": "钱包", "mirror": "镜子", "jar": "罐子", "plate": "盘子", "necklace": "项链", "earrings": "耳环",
            "bracelet": "手链", "basket": "篮子", "apron": "围裙", "coaster": "杯垫", "washbag": "洗漱包",
            "parasol": "阳伞", "garland": "花环", "bunting": "彩旗", "ribbon": "丝带", "pencil": "铅笔",
            "calendar": "日历", "wreath": "花圈", "sketchbook": "素描本", "doorstop": "门挡", "teapot": "茶壶",
            "lamp": "台灯", "napkin": "餐巾"}
COLOURS_ZH = {"red": "红色", "pink": "粉色", "white": "白色", "blue": "蓝色", "green": "绿色", "black": "黑色",
              "silver": "银色", "ivory": "象牙色", "gold": "金色", "purple": "紫色", "yellow": "黄色", "cream": "奶油色"}
MATERIALS_ZH = {"wooden": "木头", "glass": "玻璃", "ceramic": "陶瓷", "enamel": "搪瓷", "zinc": "锌", "metal": "金属",
                "felt": "毛毡"}
SPACED = {"doormat": "door mat", "teapot": "tea pot", "notebook": "note book", "sketchbook": "sketch book",
          "washbag": "wash bag", "doorstop": "door stop", "tealight": "tea light", "hot water bottle": "hotwater bottle",
          "cake stand": "cakestand", "lunch bag": "lunchbag"}


def or_makers(rows: list[dict[str, Any]]) -> list[Maker]:
    vocab = {w for r in rows for w in r["title"].casefold().split()}

    def having(*words: str) -> list[dict[str, Any]]:
        return [r for r in rows if all(word_in(w, r["title"]) for w in words)]

    nouns = sorted(n for n in NOUNS_ZH if len(having(n)) >= 5)
    pairs = sorted((n, c) for n in nouns for c in COLOURS_ZH if len(having(n, c)) >= 1
                   and len(having(n)) - len(having(n, c)) >= 2)

    def excl_en(rng: random.Random) -> Out:
        en = ["a {n} but not {c}", "{ns}, anything except {c}", "{ns} that aren't {c}", "{ns}, no {c} please",
              "{ns} in any colour apart from {c}", "{ns} - not {c}", "{ns} (nothing {c})", "{ns}, avoid {c}",
              "{ns} other than {c} ones", "{ns} excluding {c}"]
        for n, c in rng.sample(pairs, 14):
            yield "en", ["exclusion"], [(rng.choice(en).format(n=n, ns=plural(n), c=c), od(n, x=(c,)))]
        mats = sorted((n, m) for n in nouns for m in MATERIALS_ZH if 1 <= len(having(n, m)) <= len(having(n)) - 2)
        for n, m in rng.sample(mats, min(4, len(mats))):
            text = rng.choice(["{ns} but no {m} ones", "{ns} that aren't {m}", "not {m} - {ns}"]).format(ns=plural(n), m=m)
            yield "en", ["exclusion"], [(text, od(n, x=(m,)))]

    def excl_zh(rng: random.Random) -> Out:
        cn = ["{n}，不要{c}的", "除了{c}的{n}都行", "{n}别要{c}", "不要{c}，给我看看{n}", "{n}，{c}的不要",
              "{n}但不是{c}的", "{n}除了{c}以外的", "{c}以外的{n}", "{n}，别给我{c}的"]
        for n, c in rng.sample(pairs, 14):
            cz = COLOURS_ZH[c] if rng.random() < 0.5 else COLOURS_ZH[c].removesuffix("色")
            yield "zh", ["cross-lingual", "exclusion"], [(rng.choice(cn).format(n=NOUNS_ZH[n], c=cz), od(n, x=(c,)))]

    def budgets_en(rng: random.Random) -> Out:
        en = ["{ns} for {w} or less", "{a}, {w} tops", "no more than {w} for {a}", "{a} that costs {w} at most",
              "I can spend {w} on {a}", "{ns}, nothing above {w}", "{ns} up to {w}", "{a} within {w}",
              "{a}, my budget is {w}", "{ns}, {w} or under"]
        digits = ["{ns} <= £{p}", "{a}, £{p} max", "{ns} {p}quid", "sub £{p} {ns}", "{ns} under£{p}", "{a} {p} pounds tops"]
        for n in rng.sample(nouns, 16):
            p = budget([r["price"] for r in having(n)], rng.uniform(0.3, 0.7))
            a = ("an " if n[0] in "aeiou" else "a ") + n
            if rng.random() < 0.7:
                yield "en", ["number-words"], [(rng.choice(en).format(ns=plural(n), a=a, w=en_money(p, rng)), od(n, hi=p))]
            else:
                yield "en", ["budget-phrasing"], [(rng.choice(digits).format(ns=plural(n), a=a, p=p), od(n, hi=p))]

    def budgets_zh(rng: random.Random) -> Out:
        cn = ["{n}，{w}镑以内", "{w}英镑以下的{n}", "预算{w}镑，想买{n}", "{n}不超过{w}镑", "{n}，最多{w}英镑",
              "{n}，别超过{w}镑", "{w}镑以下的{n}有吗", "给我找{n}，{w}英镑以内", "{n}要{w}镑以下的"]
        for n in rng.sample(nouns, 16):
            p = budget([r["price"] for r in having(n)], rng.uniform(0.3, 0.7))
            yield "zh", ["cross-lingual", "zh-numerals"], [(rng.choice(cn).format(n=NOUNS_ZH[n], w=zh_number(p, rng)), od(n, hi=p))]

    def ranges(rng: random.Random) -> Out:
        for n in rng.sample(nouns, 10):
            ps = [r["price"] for r in having(n)]
            lo, hi = budget(ps, 0.25), budget(ps, 0.75)
            if lo >= hi:
                continue
            if rng.random() < 0.5:
                text = rng.choice(["{ns} from £{lo} to £{hi}", "{ns} {lo}-{hi} quid", "{ns} between {wlo} and {whi} pounds",
                                   "{ns} at least {lo} but no more than {hi} pounds"]).format(
                    ns=plural(n), lo=lo, hi=hi, wlo=en_number(lo), whi=en_number(hi))
                yield "en", ["range"], [(text, od(n, lo=lo, hi=hi))]
            else:
                text = rng.choice(["{n} {lo}到{hi}镑", "{wlo}至{whi}英镑的{n}", "{n}，价格在{wlo}和{whi}镑之间"]).format(
                    n=NOUNS_ZH[n], lo=lo, hi=hi, wlo=zh_number(lo, rng), whi=zh_number(hi, rng))
                yield "zh", ["cross-lingual", "range"], [(text, od(n, lo=lo, hi=hi))]

    def cross(rng: random.Random) -> Out:
        for n, c in rng.sample(pairs, 10):
            text = rng.choice(["{c}{n}", "{c}的{n}", "有没有{c}的{n}", "想买{c}{n}", "找一个{c}的{n}"]).format(
                n=NOUNS_ZH[n], c=COLOURS_ZH[c])
            yield "zh", ["cross-lingual"], [(text, od(n, c))]
        for n in rng.sample(nouns, 6):
            yield "zh", ["cross-lingual"], [(rng.choice(["看看{n}", "{n}有吗", "推荐几个{n}", "我要买{n}"]).format(n=NOUNS_ZH[n]), od(n))]

    def references(rng: random.Random) -> Out:
        en = [("the second one", 2), ("number 2 please", 2), ("more about the 2nd", 2), ("the third one", 3),
              ("I like the first", 1)]
        cn = [("第二个", 2), ("第2个详细介绍一下", 2), ("第三个呢", 3), ("就要第一个", 1), ("第二件多少钱", 2)]
        for n in rng.sample(nouns, 10):
            if rng.random() < 0.5:
                text, rank = rng.choice(en)
                yield "en", ["reference"], [(rng.choice([f"show me {plural(n)}", f"{plural(n)}?"]), od(n)), (text, pick(0, rank))]
            else:
                text, rank = rng.choice(cn)
                yield "zh", ["cross-lingual", "reference"], [(rng.choice([f"看看{NOUNS_ZH[n]}", f"有什么{NOUNS_ZH[n]}"]), od(n)),
                                                           (text, pick(0, rank))]

    def typos(rng: random.Random) -> Out:
        for n in rng.sample([n for n in nouns if len(n) >= 5], 12):
            w = typo(n, rng, vocab)
            if w:
                text = rng.choice(["{w}", "looking for a {w}", "{w} please", "any {w}s?", "need a {w}"]).format(w=w)
                yield "en", ["typo"], [(text, od(n))]
        for n, spaced in sorted(SPACED.items()):
            if len(having(n)) >= 1:
                yield "en", ["typo"], [(rng.choice(["{w}", "a {w} please", "do you sell {w}s?"]).format(w=spaced), od(n))]

    def corrections(rng: random.Random) -> Out:
        two = sorted((n, a, b) for n, a in pairs for m, b in pairs if m == n and a < b)
        for n, a, b in rng.sample(two, 10):
            if rng.random() < 0.5:
                first = f"{a} {plural(n)}"
                second = rng.choice(["actually make it {c}", "sorry, I meant {c}", "change that to {c}", "hmm no, {c}"]).format(c=b)
                yield "en", ["correction"], [(first, od(n, a)), (second, od(n, b))]
            else:
                first = f"{COLOURS_ZH[a]}{NOUNS_ZH[n]}"
                second = rng.choice(["算了，要{c}的", "不对，我要{c}的", "改成{c}", "换{c}的吧"]).format(c=COLOURS_ZH[b])
                yield "zh", ["cross-lingual", "correction"], [(first, od(n, a)), (second, od(n, b))]

    def follow_ups(rng: random.Random) -> Out:
        for n, c in rng.sample(pairs, 12):
            p = budget([r["price"] for r in having(n, c)], 0.99)
            if rng.random() < 0.5:
                steps = [(plural(n), od(n)), (rng.choice(["any in {c}?", "{c} ones?", "what about {c}?"]).format(c=c), od(n, c)),
                         (rng.choice(["under {w}?", "and below {w}"]).format(w=en_money(p, rng)), od(hi=p))]
                yield "en", ["follow-up"], steps
            else:
                steps = [(NOUNS_ZH[n], od(n)), (rng.choice(["有{c}的吗", "{c}的呢", "要{c}的"]).format(c=COLOURS_ZH[c]), od(n, c)),
                         (rng.choice(["{w}镑以下的呢", "要{w}镑以内的"]).format(w=zh_number(p, rng)), od(hi=p))]
                yield "zh", ["cross-lingual", "follow-up"], steps

    def mixed(rng: random.Random) -> Out:
        tpl = ["有没有{en}", "{ec}的{zn}", "{zn} under {p}", "{en}，{wp}镑以内", "给我看看 {ec} {en}", "想买{en}，不要{ec}的",
               "{zn}，not {ec}"]
        for n, c in rng.sample(pairs, 12):
            p = budget([r["price"] for r in having(n)], 0.6)
            i = rng.randrange(len(tpl))
            text = tpl[i].format(en=plural(n), zn=NOUNS_ZH[n], ec=c, p=p, wp=zh_number(p, rng))
            delta = [od(n), od(n, c), od(n, hi=p), od(n, hi=p), od(n, c), od(n, x=(c,)), od(n, x=(c,))][i]
            yield "zh", ["mixed"] + (["exclusion"] if i >= 5 else []), [(text, delta)]

    return [excl_en, excl_zh, budgets_en, budgets_zh, ranges, cross, references, typos, corrections, follow_ups, mixed]
