"""Customer service: a known shopper's questions about their own orders, returns
and the shop's policies, answered from the store and the merchant's policy file.

    desk = support_desk(db, policy_file=None)   # None: the shipped sample policy
    answer = desk.answer("can I return the lantern?", user_id="17850")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greencart.support.desk import OrderSource, ServiceAnswer, SupportDesk
from greencart.support.intents import ServiceIntent, ServiceRequest, detect
from greencart.support.policy import Clause, Policy, load_policy, sample_policy_path

if TYPE_CHECKING:
    from greencart.store import Database
    from greencart.store.order_repo import OrderRecord

__all__ = ["Clause", "OrderSource", "Policy", "ServiceAnswer", "ServiceIntent", "ServiceRequest", "StoreOrders",
           "SupportDesk", "detect", "load_policy", "sample_policy_path", "support_desk"]


class StoreOrders:
    """The shopper's orders from the database (one read transaction per question)."""

    def __init__(self, db: "Database") -> None:
        self.db = db

    def orders_of(self, customer_id: str) -> Sequence["OrderRecord"]:
        from greencart.store.order_repo import orders_of

        with self.db.read() as session:
            return orders_of(session, customer_id)


def support_desk(db: "Database", policy_file: Path | None = None, *,
                 now: Callable[[], datetime] = datetime.now,
                 slots: Callable[[str], dict[str, Any]] | None = None) -> SupportDesk:
    """A desk over the store's orders and the merchant's policy (the sample when none is given);
    ``slots`` prices an order's delivery windows (the composition root passes the router's)."""
    return SupportDesk(StoreOrders(db), load_policy(policy_file or sample_policy_path()), now=now, slots=slots)
