"""The green delivery slot in the chat: the shopper's latest purchase priced against the day's
routes by the real router (PyVRP), or said plainly when there is none."""

from __future__ import annotations

from greencart.support import ServiceIntent, detect, support_desk
from tests.support.conftest import ALICE, NOW


def test_slot_intents():
    for text in ("when can you deliver?", "which is the greenest delivery slot", "any eco slot?", "哪个时段送货最环保"):
        assert detect(text).intent is ServiceIntent.DELIVERY_SLOT, text
    assert detect("where is my order").intent is ServiceIntent.ORDER_STATUS


def test_green_slot_from_the_real_router(orders_db):
    from greencart.ops.routing.inputs import mix_fleet
    from greencart.ops.routing.service import RoutingService

    desk = support_desk(orders_db, now=lambda: NOW,
                        slots=lambda order_id: RoutingService(orders_db).slots(order_id, mix_fleet("mixed")))
    a = desk.answer("when can you deliver? the greenest slot please", ALICE)
    assert a.intent is ServiceIntent.DELIVERY_SLOT and a.order_ids == ("536365",)
    green = a.facts["green_slot"]
    assert green["window"] in a.reply and "kg CO2e" in a.reply and a.facts["method"].startswith("modelled")
    assert green["saving_kg_co2e_vs_mean"] >= 0


def test_no_slot_source_is_said_plainly(desk):
    a = desk.answer("when can you deliver?", ALICE)
    assert a.handoff and "can't see delivery slots" in a.reply and a.facts == {}
