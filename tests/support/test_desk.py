"""The desk answers from the store's orders and the policy, cites them, and never
shows another shopper's order or invents a status."""

from __future__ import annotations

import re

from greencart.support import ServiceIntent
from tests.support.conftest import ALICE, BOB


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def test_order_status_cites_the_order_and_the_delivery_clause(desk):
    a = desk.answer("where is my order?", ALICE)
    assert a.intent is ServiceIntent.ORDER_STATUS and a.order_ids == ("536365",)
    assert "delivery" in a.clause_ids and a.handoff
    assert "536365" in a.reply and "10 Mar 2024" in a.reply
    # 2 to 5 working days after Sunday 10 March 2024: Tue 12 .. Fri 15 March
    assert a.facts == {"ordered_at": "2024-03-10", "due_from": "2024-03-12", "due_by": "2024-03-15"}
    assert "tracking" in a.reply  # says what it cannot see instead of inventing a status


def test_history_by_month_and_last(desk):
    a = desk.answer("what did I buy in January?", ALICE)
    assert set(a.order_ids) == {"536001", "C536002"} and "return/cancellation" in a.reply
    assert "Stainless Steel Electric Kettle" in a.reply and "29.00 GBP" in a.reply
    last = desk.answer("我上次买的是什么", ALICE)
    assert last.lang == "zh" and last.order_ids == ("536365",) and "白色有机棉T恤" in last.reply
    none = desk.answer("what did I buy in July?", ALICE)
    assert none.order_ids == () and "July" in none.reply


def test_returns_window_and_product_match(desk):
    ok = desk.answer("can I return the lantern?", ALICE)
    assert ok.intent is ServiceIntent.RETURN and ok.facts["eligible"] and ok.facts["age_days"] == 10
    assert ok.order_ids == ("536365",) and "returns" in ok.clause_ids and "White Metal Lantern" in ok.reply
    late = desk.answer("I want to return the red t-shirt", BOB)
    assert not late.facts["eligible"] and late.handoff and "outside" in late.reply
    missing = desk.answer("can I return the kettle lid", ALICE)
    assert missing.order_ids == () and "can't see" in missing.reply


def test_another_shoppers_order_is_never_shown(desk):
    for text in ("where is my order 540000", "I want a refund for order 540000", "what was in order 540000"):
        a = desk.answer(text, ALICE)
        if a is None:
            continue
        assert "540000" not in a.order_ids and "Red Cotton T-Shirt" not in a.reply
    a = desk.answer("where is my order 540000", ALICE)
    assert "can't see an order 540000" in a.reply
    assert desk.answer("where is my order 999999", ALICE).reply.replace("999999", "540000") == a.reply  # no oracle
    bob = desk.answer("what did I buy", BOB)
    assert bob.order_ids == ("540000",) and "536365" not in bob.reply


def test_no_user_no_orders_and_policy_questions(desk):
    anon = desk.answer("where is my order", None)
    assert anon.order_ids == () and "sign in" in anon.reply
    assert desk.answer("where is my order", "NOBODY").reply.startswith("I can't see any orders")
    policy = desk.answer("how do I pay?", None)
    assert policy.clause_ids == ("payment",) and "cards" in policy.reply
    zh = desk.answer("退货政策是什么", None)
    assert zh.clause_ids == ("returns-zh",)
    change = desk.answer("cancel my order please", ALICE)
    assert change.handoff and change.order_ids == ()
    assert desk.answer("a red lantern under 5", ALICE) is None


def test_every_number_in_a_reply_comes_from_data(desk):
    """Grounding: each number is an order id, a date part, an amount, a count or a policy term."""
    allowed = {"536365", "536001", "2", "3", "5", "10", "18.00", "25.50", "7.50", "29.00", "2024", "30", "12",
               "15", "1", "14", "9", "17", "00", "60"}
    for text in ("where is my order", "can I return the lantern", "what did I buy in March"):
        reply = desk.answer(text, ALICE).reply
        assert _numbers(reply) <= allowed, (text, _numbers(reply) - allowed)


def test_chinese_product_word_on_an_english_title(desk):
    from greencart.support.desk import _matches

    assert _matches(("灯笼",), "WHITE METAL LANTERN", None)
    assert not _matches(("灯笼",), "RED RETROSPOT MUG", None)
    assert _matches(("灯笼",), "White Metal Lantern", "白色金属灯笼")
