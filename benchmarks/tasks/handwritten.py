"""Hand-written tasks: phrasings a shopper would use, not the rules' own vocabulary.

Each entry: id, catalogue, lang, kind, and steps ``[(turn text, constraint delta)]``
(deltas accumulate; ``{"cheaper": True}`` = cheaper than the previous turn's top
pick). ``generate.py`` checks each is satisfiable in its catalogue and fails loudly
if one is not.
"""

from __future__ import annotations

from typing import Any

T = "product_type"
A = "attributes"


def _hw(tid: str, catalogue: str, lang: str, kind: str, *steps: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"id": tid, "catalogue": catalogue, "lang": lang, "kind": kind, "steps": list(steps)}


HANDWRITTEN: list[dict[str, Any]] = [
    # --- demo, English ---------------------------------------------------------------------------
    _hw("demo-en-hw-01", "demo", "en", "single", ("I'm after a kettle for my flat, nothing over £40", {T: "kettle", "max_price": 40})),
    _hw("demo-en-hw-02", "demo", "en", "single", ("do you have any sandals in brown?", {T: "sandals", A: {"colour": "brown"}})),
    _hw("demo-en-hw-03", "demo", "en", "single", ("my son needs running shoes, UK 4, no more than 90 quid", {T: "running shoes", A: {"size": "UK 4"}, "max_price": 90})),
    _hw("demo-en-hw-04", "demo", "en", "single", ("looking for a refurbished laptop", {T: "laptop", A: {"condition": "refurbished"}})),
    _hw("demo-en-hw-05", "demo", "en", "single", ("Need a yoga mat, cork if you have it", {T: "yoga mat", A: {"material": "cork"}})),
    _hw("demo-en-hw-06", "demo", "en", "single", ("cheap toothbrush, bamboo, less than 6 pounds", {T: "toothbrush", A: {"material": "bamboo"}, "max_price": 6})),
    _hw("demo-en-hw-07", "demo", "en", "single", ("Can you find me a reconditioned phone?", {T: "smartphone", A: {"condition": "refurbished"}})),
    _hw("demo-en-hw-08", "demo", "en", "single", ("a white hoodie, size XS please", {T: "hoodie", A: {"colour": "white", "size": "XS"}})),
    _hw("demo-en-hw-09", "demo", "en", "single", ("what notebooks have you got between £3 and £10?", {T: "notebook", "min_price": 3, "max_price": 10})),
    _hw("demo-en-hw-10", "demo", "en", "single", ("I want a sustainable towel made of organic cotton", {T: "towel", A: {"material": "organic cotton"}})),
    _hw("demo-en-hw-11", "demo", "en", "multi", ("show me some trainers", {T: "trainers"}), ("hmm, anything under 60?", {"max_price": 60}),
        ("ok, the white one", {A: {"colour": "white"}})),
    _hw("demo-en-hw-12", "demo", "en", "multi", ("I need a new office chair", {T: "office chair"}), ("something cheaper?", {"cheaper": True})),
    _hw("demo-en-hw-13", "demo", "en", "multi", ("jeans please", {T: "jeans"}), ("in grey", {A: {"colour": "grey"}}),
        ("compare the first two", {})),
    _hw("demo-en-hw-14", "demo", "en", "multi", ("I'd like a duvet", {T: "duvet"}), ("my budget is 100", {"max_price": 100}),
        ("what's the second one made of?", {})),
    _hw("demo-en-hw-15", "demo", "en", "multi", ("got any teddy bears?", {T: "teddy bear"}), ("under a tenner, £10", {"max_price": 10})),
    _hw("demo-en-hw-16", "demo", "en", "single", ("plant pot in terracotta", {T: "plant pot", A: {"colour": "terracotta"}})),
    # --- demo, Chinese ---------------------------------------------------------------------------
    _hw("demo-zh-hw-01", "demo", "zh", "single", ("给我妈妈买一条毛巾，预算50元以内", {T: "towel", "max_price": 50})),
    _hw("demo-zh-hw-02", "demo", "zh", "single", ("有没有翻新的笔记本电脑", {T: "laptop", A: {"condition": "refurbished"}})),
    _hw("demo-zh-hw-03", "demo", "zh", "single", ("想要一个黑色的电水壶，不超过60块", {T: "kettle", A: {"colour": "black"}, "max_price": 60})),
    _hw("demo-zh-hw-04", "demo", "zh", "single", ("帮我找找竹子做的牙刷", {T: "toothbrush", A: {"material": "bamboo"}})),
    _hw("demo-zh-hw-05", "demo", "zh", "single", ("儿子要一双跑鞋，英码4", {T: "running shoes", A: {"size": "UK 4"}})),
    _hw("demo-zh-hw-06", "demo", "zh", "single", ("翻新手机有吗", {T: "smartphone", A: {"condition": "refurbished"}})),
    _hw("demo-zh-hw-07", "demo", "zh", "single", ("棕色连帽衫XXL码", {T: "hoodie", A: {"colour": "brown", "size": "XXL"}})),
    _hw("demo-zh-hw-08", "demo", "zh", "multi", ("看看瑜伽垫", {T: "yoga mat"}), ("30元以下", {"max_price": 30})),
    _hw("demo-zh-hw-09", "demo", "zh", "multi", ("我想买个台式风扇", {T: "desk fan"}), ("再便宜一些", {"cheaper": True})),
    _hw("demo-zh-hw-10", "demo", "zh", "multi", ("靠垫", {T: "cushion"}), ("那个蓝色的", {A: {"colour": "blue"}})),
    _hw("demo-zh-hw-11", "demo", "zh", "multi", ("推荐一些凉鞋", {T: "sandals"}), ("要棕色的", {A: {"colour": "brown"}}),
        ("比较前两个", {})),
    _hw("demo-zh-hw-12", "demo", "zh", "multi", ("我需要一张书桌", {T: "desk"}), ("预算200", {"max_price": 200}),
        ("第一个是什么材质", {})),
    _hw("demo-zh-hw-13", "demo", "zh", "single", ("环保一点的纯棉T恤，30元以下", {T: "t-shirt", A: {"material": "cotton"}, "max_price": 30})),
    _hw("demo-zh-hw-14", "demo", "zh", "single", ("粉色的玩偶", {T: "doll", A: {"colour": "pink"}})),
    # --- Online Retail, English ------------------------------------------------------------------
    _hw("or-en-hw-01", "online-retail", "en", "single", ("I'm looking for a lantern for the garden", {"title_contains": ["lantern"]})),
    _hw("or-en-hw-02", "online-retail", "en", "single", ("any cake stands?", {"title_contains": ["cake stand"]})),
    _hw("or-en-hw-03", "online-retail", "en", "single", ("need a doormat, under a tenner", {"title_contains": ["doormat"], "max_price": 10})),
    _hw("or-en-hw-04", "online-retail", "en", "single", ("something to hang on the wall, a clock maybe", {"title_contains": ["clock"]})),
    _hw("or-en-hw-05", "online-retail", "en", "single", ("lunch bag for school", {"title_contains": ["lunch bag"]})),
    _hw("or-en-hw-06", "online-retail", "en", "multi", ("show me candles", {"title_contains": ["candle"]}), ("below 2 pounds please", {"max_price": 2})),
    _hw("or-en-hw-07", "online-retail", "en", "multi", ("mugs", {"title_contains": ["mug"]}), ("cheaper ones?", {"cheaper": True})),
    _hw("or-en-hw-08", "online-retail", "en", "multi", ("I want a photo frame", {"title_contains": ["frame"]}), ("compare the first two", {})),
    _hw("or-en-hw-09", "online-retail", "en", "single", ("a hot water bottle to keep warm", {"title_contains": ["hot water bottle"]})),
    _hw("or-en-hw-10", "online-retail", "en", "single", ("teapot, max 10 pounds", {"title_contains": ["teapot"], "max_price": 10})),
    _hw("or-en-hw-11", "online-retail", "en", "single", ("wooden heart decorations", {"title_contains": ["wooden", "heart"]})),
    _hw("or-en-hw-12", "online-retail", "en", "single", ("kitchen things under 3 pounds", {"category": "kitchen", "max_price": 3})),
]
