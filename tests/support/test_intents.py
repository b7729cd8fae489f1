"""Service requests are recognised in English and Chinese; product requests are left alone."""

from __future__ import annotations

import pytest

from greencart.support import ServiceIntent, detect

S = ServiceIntent


@pytest.mark.parametrize("text, intent", [
    ("where is my order", S.ORDER_STATUS),
    ("Where's my parcel??", S.ORDER_STATUS),
    ("has my order shipped yet", S.ORDER_STATUS),
    ("I haven't received anything", S.ORDER_STATUS),
    ("我的订单到哪了", S.ORDER_STATUS),
    ("快递什么时候到", S.ORDER_STATUS),
    ("what did I buy in March", S.ORDER_HISTORY),
    ("show me my last order", S.ORDER_HISTORY),
    ("我上次买的是什么", S.ORDER_HISTORY),
    ("我三月买了什么", S.ORDER_HISTORY),
    ("can I return the lantern", S.RETURN),
    ("I want a refund for order 536365", S.RETURN),
    ("灯笼可以退货吗", S.RETURN),
    ("我想退掉那个靠垫", S.RETURN),
    ("what's your returns policy?", S.POLICY),
    ("how long does delivery take", S.POLICY),
    ("do you accept credit cards", S.POLICY),
    ("退货政策是什么", S.POLICY),
    ("多久能到", S.POLICY),
    ("please cancel my order", S.CHANGE),
    ("我要修改收货地址", S.CHANGE),
])
def test_service_intents(text, intent):
    request = detect(text)
    assert request is not None and request.intent is intent, (text, request)
    assert request.lang == ("zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en")


@pytest.mark.parametrize("text", [
    "a white t-shirt under 20", "红色雨伞", "cheaper", "compare the first two", "a lantern for the garden",
    "something eco-friendly for my kitchen", "50元以下的红色T恤", "may I see kettles",
])
def test_product_requests_are_not_service(text):
    assert detect(text) is None


def test_slots_order_id_month_product_words():
    r = detect("I want a refund for my order 536365")
    assert r.order_id == "536365" and r.product_words == ()
    r = detect("how do I return the white metal lantern I bought in March?")
    assert r.intent is S.RETURN and r.product_words == ("white", "metal", "lantern") and r.month == 3
    assert detect("我十二月买了什么").month == 12 and detect("what did I order in 2011").year == 2011
    assert detect("我想退掉那个靠垫").product_words == ("靠垫",)
    assert detect("where is order C536002").order_id == "C536002"
