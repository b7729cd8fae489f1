"""The customer-service desk: answers a known shopper's questions about their own
orders, returns and the shop's policies, in English or Chinese, from data only.

Every answer cites what it rests on (order ids, policy clause ids); what the data
does not hold (carrier tracking, another shopper's order, changes to an order) is
said plainly, with the merchant's handoff line. Nothing is invented: the only
numbers in a reply are read from the orders or the policy, or computed from them
(a due date from the order date and the delivery terms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
import logging
from typing import Any, Protocol

import numpy as np

from greencart.catalog.search.tokenize import english_tokens
from greencart.store.order_repo import OrderRecord
from greencart.support import replies
from greencart.support.intents import ServiceIntent, ServiceRequest, detect
from greencart.support.passages import PassageIndex
from greencart.support.policy import Policy

MAX_LISTED_ORDERS = 3
log = logging.getLogger(__name__)


class OrderSource(Protocol):
    def orders_of(self, customer_id: str) -> Sequence[OrderRecord]:
        """The shopper's orders, newest first (never anyone else's)."""
        ...


@dataclass(frozen=True)
class ServiceAnswer:
    intent: ServiceIntent
    lang: str
    reply: str
    order_ids: tuple[str, ...] = ()
    clause_ids: tuple[str, ...] = ()
    handoff: bool = False
    facts: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"intent": self.intent.value, "lang": self.lang, "reply": self.reply,
                "order_ids": list(self.order_ids), "clause_ids": list(self.clause_ids), "handoff": self.handoff}


def working_days_after(day: date, n: int) -> date:
    """``day`` plus ``n`` working days (Mon-Fri)."""
    return np.busday_offset(np.datetime64(day), n, roll="backward").astype(date)  # a weekend order counts from Monday


def _matches(words: tuple[str, ...], title: str, title_zh: str | None) -> bool:
    if not words:
        return False
    if any("\u4e00" <= ch <= "\u9fff" for w in words for ch in w):
        if title_zh:
            return all(w in title_zh for w in words)
        # An English catalogue: the Chinese word's dictionary senses against the title's words.
        from greencart.catalog.bilingual import english_senses

        title_words = set(english_tokens(title))
        return all(any(set(english_tokens(sense)) <= title_words for sense in english_senses(w)[:6]) for w in words)
    wanted = set(english_tokens(" ".join(words)))
    return bool(wanted) and wanted <= set(english_tokens(title))


class SupportDesk:
    def __init__(self, orders: OrderSource, policy: Policy, *, passages: PassageIndex | None = None,
                 now: Callable[[], datetime] = datetime.now,
                 slots: Callable[[str], dict[str, Any]] | None = None) -> None:
        self.orders = orders
        self.slots = slots  # order id -> each delivery window's marginal kg CO2e (greencart.ops.routing)
        self.policy = policy
        self.passages = passages if passages is not None else PassageIndex(policy.clauses)
        self._now = now

    def answer(self, text: str, user_id: str | None) -> ServiceAnswer | None:
        """The answer to a service request, or None when ``text`` is not one."""
        request = detect(text)
        if request is None:
            return None
        if request.intent is ServiceIntent.POLICY:
            return self._policy(text, request)
        if request.intent is ServiceIntent.CHANGE:
            return ServiceAnswer(request.intent, request.lang, replies.cannot_change(request.lang, self.policy),
                                 handoff=True)
        if user_id is None:
            return self._anonymous(text, request)
        orders = list(self.orders.orders_of(user_id))
        if request.order_id is not None:
            mine = [o for o in orders if o.order_id.upper() == request.order_id]
            if not mine:  # the same words whether the order exists or belongs to someone else
                return ServiceAnswer(request.intent, request.lang,
                                     replies.not_your_order(request.lang, request.order_id, self.policy), handoff=True)
            orders = mine
        if not orders:
            return ServiceAnswer(request.intent, request.lang, replies.no_orders(request.lang, self.policy),
                                 handoff=True)
        if request.intent is ServiceIntent.ORDER_STATUS:
            return self._status(request, orders)
        if request.intent is ServiceIntent.RETURN:
            return self._return(request, orders)
        if request.intent is ServiceIntent.DELIVERY_SLOT:
            return self._slot(request, orders)
        return self._history(request, orders)

    # -- intents ---------------------------------------------------------------
    def _policy(self, text: str, request: ServiceRequest) -> ServiceAnswer:
        hits = self.passages.search(text, request.lang, k=1)
        if not hits:
            return ServiceAnswer(request.intent, request.lang, replies.no_policy(request.lang, self.policy),
                                 handoff=True)
        clause = hits[0].clause
        return ServiceAnswer(request.intent, request.lang, replies.quote(request.lang, clause),
                             clause_ids=(clause.clause_id,))

    def _anonymous(self, text: str, request: ServiceRequest) -> ServiceAnswer:
        topic = {ServiceIntent.RETURN: "returns", ServiceIntent.ORDER_STATUS: "delivery"}.get(request.intent)
        clause = self.policy.clause(topic, request.lang) if topic else None
        return ServiceAnswer(request.intent, request.lang, replies.sign_in(request.lang, clause),
                             clause_ids=(clause.clause_id,) if clause else ())

    def _status(self, request: ServiceRequest, orders: list[OrderRecord]) -> ServiceAnswer:
        order = next((o for o in orders if not o.is_return), orders[0])
        placed = order.ordered_at.date()
        earliest = working_days_after(placed, self.policy.delivery_days_min)
        latest = working_days_after(placed, self.policy.delivery_days_max)
        clause = self.policy.clause("delivery", request.lang)
        overdue = self._now().date() > latest
        reply = replies.status(request.lang, order, earliest, latest, overdue, self.policy)
        return ServiceAnswer(request.intent, request.lang, reply, (order.order_id,),
                             (clause.clause_id,) if clause else (), handoff=True,
                             facts={"ordered_at": placed.isoformat(), "due_from": earliest.isoformat(),
                                    "due_by": latest.isoformat()})

    def _return(self, request: ServiceRequest, orders: list[OrderRecord]) -> ServiceAnswer:
        bought = [o for o in orders if not o.is_return]
        clause = self.policy.clause("returns", request.lang)
        clause_ids = (clause.clause_id,) if clause else ()
        if request.product_words:
            found = [(o, line) for o in bought for line in o.lines
                     if _matches(request.product_words, line.title, line.title_zh)]
            if not found:
                reply = replies.not_bought(request.lang, " ".join(request.product_words), self.policy)
                return ServiceAnswer(request.intent, request.lang, reply, (), clause_ids, handoff=True)
            order, line = found[0]
        else:
            order = bought[0] if bought else orders[0]
            line = order.lines[0] if order.lines else None
        age_days = max(0, (self._now().date() - order.ordered_at.date()).days)
        window = self.policy.returns_window_days
        blocked = line is not None and line.category in self.policy.non_returnable_categories
        eligible = 0 <= age_days <= window and not blocked
        reply = replies.return_answer(request.lang, order, line, age_days, window, eligible, blocked, self.policy)
        return ServiceAnswer(request.intent, request.lang, reply, (order.order_id,), clause_ids,
                             handoff=not eligible, facts={"age_days": age_days, "window_days": window,
                                                          "eligible": eligible})

    def _slot(self, request: ServiceRequest, orders: list[OrderRecord]) -> ServiceAnswer:
        """The green delivery slot of the shopper's latest purchase, priced against the day's routes."""
        from greencart.errors import GreencartError

        order = next((o for o in orders if not o.is_return), orders[0])
        quote = None
        if self.slots is not None:
            try:
                quote = self.slots(order.order_id)
            except GreencartError as exc:  # no coordinates, no vehicle: said plainly, never guessed
                log.info("no delivery slots for %s: %s", order.order_id, exc.message)
        green = (quote or {}).get("green_slot")
        if not green:
            return ServiceAnswer(request.intent, request.lang, replies.no_slots(request.lang, order, self.policy),
                                 (order.order_id,), handoff=True)
        return ServiceAnswer(request.intent, request.lang, replies.green_slot(request.lang, order, green, quote["method"]),
                             (order.order_id,), facts={"green_slot": green, "method": quote["method"]})

    def _history(self, request: ServiceRequest, orders: list[OrderRecord]) -> ServiceAnswer:
        picked = orders
        if request.month is not None or request.year is not None:
            picked = [o for o in orders
                      if (request.month is None or o.ordered_at.month == request.month)
                      and (request.year is None or o.ordered_at.year == request.year)]
            if picked and request.year is None:  # "in March": the most recent March they ordered in
                latest_year = picked[0].ordered_at.year
                picked = [o for o in picked if o.ordered_at.year == latest_year]
        if not picked:
            reply = replies.none_in_period(request.lang, request.month, request.year)
            return ServiceAnswer(request.intent, request.lang, reply)
        if request.last_only and request.month is None:  # "what did I buy last time": a purchase, not a return
            picked = [next((o for o in picked if not o.is_return), picked[0])]
        shown = picked[:MAX_LISTED_ORDERS]
        reply = replies.history(request.lang, shown, len(picked), self.policy)
        return ServiceAnswer(request.intent, request.lang, reply, tuple(o.order_id for o in shown))
