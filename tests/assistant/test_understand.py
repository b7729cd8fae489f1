"""Rule-based understanding on a table of English and Chinese turns."""

from __future__ import annotations

import pytest

from greencart.assistant.understand import understand

SHOWN = [
    {"id": "A", "attributes": {"colour": "red"}},
    {"id": "B", "attributes": {"colour": "white"}},
    {"id": "C", "attributes": {"colour": "black"}},
]

CASES = [
    # text, expected fields
    ("white cotton t-shirt under 20", {"product_type": "t-shirt", "max_price": 20.0,
                                       "attributes": {"colour": "white", "material": "cotton"}}),
    ("kettle between 20 and 40", {"product_type": "kettle", "min_price": 20.0, "max_price": 40.0}),
    ("a lantern for £30", {"query": "lantern", "max_price": 30.0}),
    ("shoes over 50 pounds", {"category": "footwear", "min_price": 50.0}),
    ("cheaper", {"cheaper": True, "intent": "search"}),
    ("low carbon jeans size M", {"product_type": "jeans", "eco": True, "attributes": {"size": "M"}}),
    ("I want to buy 3 recycled paper notebooks", {"quantity": 3, "attributes": {"material": "recycled paper"}}),
    ("the white one", {"intent": "select", "refs": [1]}),
    ("the second", {"intent": "select", "refs": [1]}),
    ("compare the first two", {"intent": "compare", "refs": [0, 1]}),
    ("compare 1 and 3", {"intent": "compare", "refs": [0, 2]}),
    ("how much is the last one?", {"intent": "ask", "question": "price", "refs": [2]}),
    ("what's the footprint of the third", {"intent": "ask", "question": "footprint", "refs": [2]}),
    ("what is the second made of?", {"intent": "ask", "question": "material", "refs": [1]}),
    ("greener", {"intent": "greener", "refs": [0]}),
    ("an eco-friendly kettle", {"intent": "search", "eco": True, "product_type": "kettle"}),
    ("I need a gift", {"vague": True}),
    ("hello", {"intent": "greet"}),
    ("refurbished please", {"attributes": {"condition": "refurbished"}, "query": ""}),
    ("二手的笔记本电脑", {"product_type": "laptop", "attributes": {"condition": "pre-owned"}}),
    ("50元以下的红色T恤", {"product_type": "t-shirt", "max_price": 50.0, "attributes": {"colour": "red"}}),
    ("20到40元的电水壶", {"product_type": "kettle", "min_price": 20.0, "max_price": 40.0}),
    ("预算100元，想要羊毛毛衣", {"product_type": "jumper", "max_price": 100.0, "attributes": {"material": "wool"}}),
    ("有机棉T恤 M码", {"attributes": {"material": "organic cotton", "size": "M"}}),
    ("便宜一点", {"cheaper": True}),
    ("那个红色的", {"intent": "select", "refs": [0]}),
    ("比较前两个", {"intent": "compare", "refs": [0, 1]}),
    ("第二个多少钱", {"intent": "ask", "question": "price", "refs": [1]}),
    ("第三个的碳足迹是多少", {"intent": "ask", "question": "footprint", "refs": [2]}),
    ("环保的咖啡", {"product_type": "coffee", "eco": True}),
    ("低碳的跑鞋", {"product_type": "running shoes", "eco": True}),
    ("买两双跑鞋", {"quantity": 2}),
    ("我想买个礼物", {"vague": True}),
    ("你好", {"intent": "greet"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_understanding_table(text, expected):
    u = understand(text, SHOWN)
    for key, value in expected.items():
        assert getattr(u, key) == value, f"{text!r}: {key}={getattr(u, key)!r}, expected {value!r}"
    assert u.lang == ("zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en")


def test_confidence_orders_clear_over_vague():
    assert understand("white t-shirt under 20").confidence >= 0.9
    assert understand("I need a gift").confidence < 0.5
    assert understand("I need a gift").confidence < understand("qwzx lantern").confidence < 0.9


def test_colour_reference_without_match_becomes_a_refinement():
    u = understand("the green one", SHOWN)
    assert u.intent == "search" and u.attributes == {"colour": "green"} and not u.refs


def test_references_out_of_range_are_dropped():
    assert understand("the fifth", SHOWN).refs == []
