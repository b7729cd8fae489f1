"""Hand-written held-out phrasings: how shoppers type, written without looking at the assistant's rules.

Each entry: catalogue, language, phrasing classes (the first is the primary one, used to stratify the
dev/test split) and steps ``[(turn text, constraint delta)]``. Deltas accumulate (see
``heldout_generate.accumulate``): keys replace, ``attributes``/``exclude_attributes`` merge, None removes,
``pick`` = [turn, rank] is "the second one" of that turn's list. ``heldout_generate.py`` checks every entry
against its catalogue and fails loudly when one is not satisfiable or its budget/exclusion binds nothing.
Do not tune the assistant on these: the test half of the split is sealed.
"""


from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PLASTIC = ["plastic", "recycled plastic", "plant-based plastic", "plastic bottle", "recycled plastic bottle",
           "plastic packet", "PVC"]
LEATHER = ["leather"]


def od(*words: str, x: tuple[str, ...] = (), hi: float | None = None, lo: float | None = None,
       cat: str | None = None, xcat: tuple[str, ...] = ()) -> dict[str, Any]:
    """An Online Retail delta: title words (the full list), excluded title words, price bounds, category."""
    d: dict[str, Any] = {}
    if words:
        d["title_contains"] = list(words)
    if x:
        d["title_excludes"] = list(x)
    if hi is not None:
        d["max_price"] = hi
    if lo is not None:
        d["min_price"] = lo
    if cat:
        d["category"] = cat
    if xcat:
        d["exclude_categories"] = list(xcat)
    return d


def dd(t: str | None = None, c: str | None = None, m: str | None = None, xc: tuple[str, ...] = (),
       xm: tuple[str, ...] | list[str] = (), hi: float | None = None, lo: float | None = None,
       cat: str | None = None, xcat: tuple[str, ...] = ()) -> dict[str, Any]:
    """A demo delta: product type, colour, material, excluded colours/materials/types, price bounds."""
    d: dict[str, Any] = {}
    if t:
        d["product_type"] = t
    attrs = {k: v for k, v in (("colour", c), ("material", m)) if v}
    if attrs:
        d["attributes"] = attrs
    excl = {k: list(v) for k, v in (("colour", xc), ("material", xm)) if v}
    if excl:
        d["exclude_attributes"] = excl
    if hi is not None:
        d["max_price"] = hi
    if lo is not None:
        d["min_price"] = lo
    if cat:
        d["category"] = cat
    if xcat:
        d["exclude_categories"] = list(xcat)
    return d


def pick(turn: int, rank: int) -> dict[str, Any]:
    return {"pick": [turn, rank]}


D, O = "demo", "online-retail"
EX, NW, ZN, BP, RG, REF, TY, XL, MX, COR, FU = ("exclusion", "number-words", "zh-numerals", "budget-phrasing", "range",
                                               "reference", "typo", "cross-lingual", "mixed", "correction", "follow-up")

_SPECS: list[tuple[str, str, tuple[str, ...], tuple[tuple[str, dict[str, Any]], ...]]] = [
    # ---------------- demo, English ----------------
    (D, "en", (EX,), (("a kettle but not a plastic one", dd("kettle", xm=PLASTIC)),)),
    (D, "en", (EX,), (("running shoes, anything except red", dd("running shoes", xc=("red",))),)),
    (D, "en", (EX,), (("sandals - no leather please, I'm vegan", dd("sandals", xm=LEATHER)),)),
    (D, "en", (EX,), (("leggings but no pink and no purple", dd("leggings", xc=("pink", "purple"))),)),
    (D, "en", (EX,), (("a jumper, anything but cashmere", dd("jumper", xm=("cashmere",))),)),
    (D, "en", (EX,), (("I want a rug that isn't wool", dd("rug", xm=("wool",))),)),
    (D, "en", (EX,), (("pencils, don't show me plastic ones", dd("pencil", xm=PLASTIC)),)),
    (D, "en", (EX, BP), (("cushion, not velvet, £30 at most", dd("cushion", xm=("velvet",), hi=30)),)),
    (D, "en", (NW,), (("a toaster, forty quid tops", dd("toaster", hi=40)),)),
    (D, "en", (NW,), (("notebooks for six pounds or less", dd("notebook", hi=6)),)),
    (D, "en", (NW,), (("some socks, no more than a tenner", dd("socks", hi=10)),)),
    (D, "en", (NW,), (("kids t-shirt under a fiver", dd("kids t-shirt", hi=5)),)),
    (D, "en", (NW,), (("a tent for less than a hundred and fifty", dd("tent", hi=150)),)),
    (D, "en", (NW,), (("board game, twenty quid or under", dd("board game", hi=20)),)),
    (D, "en", (RG, NW), (("yoga mat between twenty and forty pounds", dd("yoga mat", lo=20, hi=40)),)),
    (D, "en", (RG,), (("headphones in the £60-£150 range", dd("headphones", lo=60, hi=150)),)),
    (D, "en", (TY,), (("I want a teddybear", dd("teddy bear")),)),
    (D, "en", (TY,), (("kettel in blue", dd("kettle", c="blue")),)),
    (D, "en", (TY, NW), (("head phones under two hundred", dd("headphones", hi=200)),)),
    (D, "en", (TY,), (("a water bottel thats not plastic", dd("water bottle", xm=PLASTIC)),)),
    (D, "en", (TY,), (("sandels in tan", dd("sandals", c="tan")),)),
    (D, "en", (REF,), (("show me trainers", dd("trainers")), ("tell me more about the second one", pick(0, 2)))),
    (D, "en", (REF,), (("water bottles under 40", dd("water bottle", hi=40)), ("what is the 2nd one made of?", pick(0, 2)))),
    (D, "en", (REF,), (("desk organisers", dd("desk organiser")), ("I'll take the third one", pick(0, 3)))),
    (D, "en", (COR,), (("a red toaster", dd("toaster", c="red")), ("actually make it black", dd(c="black")))),
    (D, "en", (COR,), (("slippers under 20", dd("slippers", hi=20)), ("no wait, under 30", dd(hi=30)))),
    (D, "en", (COR, EX), (("blue kettle please", dd("kettle", c="blue")), ("hmm, any colour but not blue", {"attributes": {"colour": None}, **dd(xc=("blue",))}))),
    (D, "en", (FU,), (("dumbbells", dd("dumbbells")), ("any under twenty five pounds?", dd(hi=25)), ("green if possible", dd(c="green")))),
    (D, "en", (FU, EX), (("looking at kettles", dd("kettle")), ("not the glass ones", dd(xm=("glass",))), ("and under fifty", dd(hi=50)))),
    (D, "en", (FU,), (("I need a new hairbrush", dd("hairbrush")), ("wooden, ideally beech", dd(m="beech")))),
    (D, "en", (BP,), (("fountain pen, blue, 15 max", dd("fountain pen", c="blue", hi=15)),)),
    (D, "en", (BP,), (("gym bag, budget's £25", dd("gym bag", hi=25)),)),
    # ---------------- demo, Chinese ----------------
    (D, "zh", (EX,), (("我要买电水壶，不要塑料的", dd("kettle", xm=PLASTIC)),)),
    (D, "zh", (EX,), (("跑鞋，除了红色什么颜色都行", dd("running shoes", xc=("red",))),)),
    (D, "zh", (EX,), (("凉鞋，别给我皮的", dd("sandals", xm=LEATHER)),)),
    (D, "zh", (EX,), (("紧身裤不要粉色", dd("leggings", xc=("pink",))),)),
    (D, "zh", (EX,), (("地毯，不要羊毛的", dd("rug", xm=("wool",))),)),
    (D, "zh", (EX,), (("铅笔，塑料的不要", dd("pencil", xm=PLASTIC)),)),
    (D, "zh", (EX,), (("毛衣，羊绒的不要", dd("jumper", xm=("cashmere",))),)),
    (D, "zh", (ZN,), (("袜子，十镑以内", dd("socks", hi=10)),)),
    (D, "zh", (ZN,), (("笔记本，预算五英镑", dd("notebook", hi=5)),)),
    (D, "zh", (ZN,), (("多士炉，最多四十镑", dd("toaster", hi=40)),)),
    (D, "zh", (ZN,), (("帐篷一百五以下", dd("tent", hi=150)),)),
    (D, "zh", (ZN,), (("桌游，二十镑以内的", dd("board game", hi=20)),)),
    (D, "zh", (ZN,), (("儿童T恤，五镑以下", dd("kids t-shirt", hi=5)),)),
    (D, "zh", (ZN, RG), (("瑜伽垫，二十到四十镑之间", dd("yoga mat", lo=20, hi=40)),)),
    (D, "zh", (RG,), (("头戴式耳机 60到150镑", dd("headphones", lo=60, hi=150)),)),
    (D, "zh", (BP,), (("拖鞋 最多25镑", dd("slippers", hi=25)),)),
    (D, "zh", (BP,), (("运动包 不超过30镑", dd("gym bag", hi=30)),)),
    (D, "zh", (REF,), (("看看运动休闲鞋", dd("trainers")), ("第二个", pick(0, 2)))),
    (D, "zh", (REF,), (("水瓶", dd("water bottle")), ("第二款详细说说", pick(0, 2)))),
    (D, "zh", (REF,), (("推荐几个桌面收纳", dd("desk organiser")), ("要第三个", pick(0, 3)))),
    (D, "zh", (COR,), (("红色的多士炉", dd("toaster", c="red")), ("算了，要黑色的", dd(c="black")))),
    (D, "zh", (COR,), (("拖鞋二十镑以下", dd("slippers", hi=20)), ("不对，三十镑以下", dd(hi=30)))),
    (D, "zh", (COR,), (("蓝色电水壶", dd("kettle", c="blue")), ("还是换成白色吧", dd(c="white")))),
    (D, "zh", (FU,), (("哑铃", dd("dumbbells")), ("有没有二十五镑以下的", dd(hi=25)), ("绿色的有吗", dd(c="green")))),
    (D, "zh", (FU, EX), (("看看电水壶", dd("kettle")), ("玻璃的不要", dd(xm=("glass",))), ("五十镑以内", dd(hi=50)))),
    (D, "zh", (FU,), (("想买把梳子", dd("hairbrush")), ("要山毛榉木的", dd(m="beech")))),
    (D, "zh", (MX,), (("我想要一个 red 的 toaster", dd("toaster", c="red")),)),
    (D, "zh", (MX,), (("有没有 yoga mat，40镑以内", dd("yoga mat", hi=40)),)),
    (D, "zh", (MX, EX), (("running shoes 不要 red", dd("running shoes", xc=("red",))),)),
    (D, "zh", (MX,), (("帮我找 kettle，blue 的", dd("kettle", c="blue")),)),
    # ---------------- Online Retail, English ----------------
    (O, "en", (EX,), (("a bag but not red", od("bag", x=("red",))),)),
    (O, "en", (EX, BP), (("clocks max £12, anything except red", od("clock", x=("red",), hi=12)),)),
    (O, "en", (EX,), (("mugs, no pink ones", od("mug", x=("pink",))),)),
    (O, "en", (EX,), (("candles that aren't silver", od("candle", x=("silver",))),)),
    (O, "en", (EX,), (("cushion covers - not red, not pink", od("cushion", x=("red", "pink"))),)),
    (O, "en", (EX,), (("any necklace except purple", od("necklace", x=("purple",))),)),
    (O, "en", (EX,), (("bowls, avoid anything red", od("bowl", x=("red",))),)),
    (O, "en", (EX,), (("kitchen stuff but no mugs, under 2 pounds", od(cat="kitchen", x=("mug",), hi=2)),)),
    (O, "en", (NW,), (("candles for two pounds or less", od("candle", hi=2)),)),
    (O, "en", (NW,), (("a doormat for ten pounds", od("doormat", hi=10)),)),
    (O, "en", (NW,), (("mug, three quid tops", od("mug", hi=3)),)),
    (O, "en", (NW,), (("photo frame, no more than a fiver", od("frame", hi=5)),)),
    (O, "en", (NW,), (("a clock under a tenner", od("clock", hi=10)),)),
    (O, "en", (NW,), (("lanterns under six pounds", od("lantern", hi=6)),)),
    (O, "en", (NW,), (("necklace, seven pounds max", od("necklace", hi=7)),)),
    (O, "en", (BP,), (("3 quid tops for a purse", od("purse", hi=3)),)),
    (O, "en", (BP,), (("cake stand, budget £10", od("cake stand", hi=10)),)),
    (O, "en", (RG,), (("a clock between 5 and 10 pounds", od("clock", lo=5, hi=10)),)),
    (O, "en", (RG, NW), (("bracelet from three to six pounds", od("bracelet", lo=3, hi=6)),)),
    (O, "en", (TY,), (("candel", od("candle")),)),
    (O, "en", (TY,), (("lantren for the garden", od("lantern")),)),
    (O, "en", (TY,), (("notebok please", od("notebook")),)),
    (O, "en", (TY,), (("door mats", od("doormat")),)),
    (O, "en", (TY,), (("tea pot", od("teapot")),)),
    (O, "en", (TY,), (("umbrela in red", od("umbrella", "red")),)),
    (O, "en", (TY,), (("neckalce", od("necklace")),)),
    (O, "en", (TY, NW), (("braclet under five pounds", od("bracelet", hi=5)),)),
    (O, "en", (REF,), (("show me clocks", od("clock")), ("tell me more about the second one", pick(0, 2)))),
    (O, "en", (REF,), (("lunch bags", od("lunch bag")), ("the 2nd one please", pick(0, 2)))),
    (O, "en", (COR,), (("red umbrellas", od("umbrella", "red")), ("actually make it white", od("umbrella", "white")))),
    (O, "en", (COR,), (("candles under 1 pound", od("candle", hi=1)), ("no wait, under 5", od(hi=5)))),
    (O, "en", (COR, EX), (("pink bowls", od("bowl", "pink")), ("hmm, any bowl, just not pink", od("bowl", x=("pink",))))),
    (O, "en", (FU,), (("lanterns", od("lantern")), ("white ones?", od("lantern", "white")))),
    (O, "en", (FU,), (("show me some mugs", od("mug")), ("under 2 pounds?", od(hi=2)), ("blue if you have it", od("mug", "blue")))),
    (O, "en", (FU, EX), (("necklaces", od("necklace")), ("not black", od(x=("black",))), ("under 8 pounds", od(hi=8)))),
    (O, "en", (FU,), (("hot water bottles", od("hot water bottle")), ("cheaper?", {"cheaper": True}))),
    # ---------------- Online Retail, Chinese and mixed (English-only titles) ----------------
    (O, "zh", (XL, FU), (("看看蜡烛", od("candle")), ("要粉色的", od("candle", "pink")))),
    (O, "zh", (XL,), (("红色雨伞", od("umbrella", "red")),)),
    (O, "zh", (XL,), (("有没有门垫", od("doormat")),)),
    (O, "zh", (XL,), (("想买个茶壶", od("teapot")),)),
    (O, "zh", (XL,), (("挂钟", od("clock")),)),
    (O, "zh", (XL,), (("灯笼有吗", od("lantern")),)),
    (O, "zh", (XL,), (("蓝色的马克杯", od("mug", "blue")),)),
    (O, "zh", (XL,), (("热水袋", od("hot water bottle")),)),
    (O, "zh", (XL,), (("蛋糕架", od("cake stand")),)),
    (O, "zh", (XL,), (("给我看看项链", od("necklace")),)),
    (O, "zh", (XL,), (("粉色的靠垫", od("cushion", "pink")),)),
    (O, "zh", (XL, EX), (("包，不要红色的", od("bag", x=("red",))),)),
    (O, "zh", (XL, EX), (("钟，除了红色", od("clock", x=("red",))),)),
    (O, "zh", (XL, EX), (("蜡烛别给我银色的", od("candle", x=("silver",))),)),
    (O, "zh", (XL, EX), (("手链，不要粉色和紫色", od("bracelet", x=("pink", "purple"))),)),
    (O, "zh", (XL, ZN), (("蜡烛，两英镑以内", od("candle", hi=2)),)),
    (O, "zh", (XL, ZN), (("马克杯三镑以下", od("mug", hi=3)),)),
    (O, "zh", (XL, ZN), (("相框，预算五英镑", od("frame", hi=5)),)),
    (O, "zh", (XL, ZN), (("项链最多七镑", od("necklace", hi=7)),)),
    (O, "zh", (XL, ZN), (("钟 十二镑以下 不要红色", od("clock", hi=12, x=("red",))),)),
    (O, "zh", (XL, ZN), (("门垫，十镑以内", od("doormat", hi=10)),)),
    (O, "zh", (XL, RG), (("钟，五到十镑之间", od("clock", lo=5, hi=10)),)),
    (O, "zh", (XL, REF), (("看看钟", od("clock")), ("第二个", pick(0, 2)))),
    (O, "zh", (XL, REF), (("有哪些灯笼", od("lantern")), ("第二个多少钱", pick(0, 2)))),
    (O, "zh", (XL, COR), (("红色雨伞", od("umbrella", "red")), ("算了，要白色的", od("umbrella", "white")))),
    (O, "zh", (XL, COR), (("蜡烛一镑以下", od("candle", hi=1)), ("不对，五镑以下", od(hi=5)))),
    (O, "zh", (XL, FU), (("项链", od("necklace")), ("不要黑色的", od(x=("black",))), ("八镑以内", od(hi=8)))),
    (O, "zh", (XL, FU), (("看看碗", od("bowl")), ("蓝色的呢", od("bowl", "blue")))),
    (O, "zh", (MX,), (("我想要一个 red 的 mug", od("mug", "red")),)),
    (O, "zh", (MX,), (("有没有 lantern，便宜点的，5镑以下", od("lantern", hi=5)),)),
    (O, "zh", (MX, EX), (("给我看 candles，不要 pink 的", od("candle", x=("pink",))),)),
    (O, "zh", (MX,), (("white 的 cushion", od("cushion", "white")),)),
    (O, "zh", (MX,), (("budget 5镑的 clock", od("clock", hi=5)),)),
    (O, "zh", (MX, FU), (("doormat 有吗", od("doormat")), ("要便宜一点的", {"cheaper": True}))),
]


def handwritten(catalogue: str) -> Iterator[dict[str, Any]]:
    """The hand-written specs of ``catalogue``, numbered per (catalogue, language)."""
    seen: dict[str, int] = {}
    for cat, lang, classes, steps in _SPECS:
        if cat != catalogue:
            continue
        seen[lang] = seen.get(lang, 0) + 1
        prefix = "demo" if cat == D else "or"
        yield {"id": f"ho-{prefix}-{lang}-hw-{seen[lang]:03d}", "catalogue": cat, "lang": lang,
               "source": "handwritten", "classes": list(classes), "steps": list(steps)}
