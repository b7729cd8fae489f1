"""Tier 2: apply an understood turn to the dialogue state, call the tools, template the reply.

Deterministic: the same state, turn and catalogue give the same answer, which
is what lets the semantic cache replay it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from greencart.assistant import respond
from greencart.assistant.state import MAX_SHOWN, Constraints, DialogueState
from greencart.assistant.tools import Tools
from greencart.assistant.understand import Understanding
from greencart.recommend.rerank import known_footprint

SHOW_K = 3
ECO_WEIGHT_ON_REQUEST = 0.8
MIN_SWAP_SAVING = 0.05  # offer a swap that saves at least 5 % of the top pick's footprint


@dataclass
class Outcome:
    reply: str
    products: list[dict[str, Any]] = field(default_factory=list)
    tool_results: list[Any] = field(default_factory=list)
    intent: str = "search"
    confidence: float = 1.0


def _refs(u: Understanding, state: DialogueState, tools: Tools) -> list[dict[str, Any]]:
    """Fresh catalogue data for the referenced shown products (prices may have changed)."""
    return [tools.product(state.shown[i]["id"]) for i in u.refs if 0 <= i < len(state.shown)]


TASTE_KEYS = ("colour", "material")  # exclusions that outlive a new need ("nothing red", then "and clocks?")


def _merge_exclusions(u: Understanding, c: Constraints) -> None:
    """The turn's exclusions join the state's; a value the shopper now asks for is no longer excluded."""
    for key, value in u.attributes.items():
        if c.excludes(key, value):
            c.exclude[key] = [v for v in c.exclude[key] if v.casefold() != value.casefold()]
    for key, values in u.exclude.items():
        for value in values:
            if not c.excludes(key, value):
                c.exclude.setdefault(key, []).append(value)
            if c.attributes.get(key, "").casefold() == value.casefold():
                del c.attributes[key]  # "red ones" then "not red after all"
    c.exclude = {k: v for k, v in c.exclude.items() if v}


def _merge(u: Understanding, state: DialogueState) -> Constraints:
    old = state.constraints
    if u.has_need or (u.vague and u.query):  # a new need (a vague one too) starts afresh, but not its taste
        c = Constraints(query=u.query, category=u.category, product_type=u.product_type,
                        exclude={k: list(v) for k, v in old.exclude.items() if k in TASTE_KEYS})
    else:
        c = replace(old, attributes=dict(old.attributes), exclude={k: list(v) for k, v in old.exclude.items()})
    if u.max_price is not None or u.min_price is not None:
        c.max_price, c.min_price = u.max_price, u.min_price
    if u.cheaper and state.shown:
        # cheaper than the product referred to, else the one in focus, else the top pick
        ref = ([state.shown[i] for i in u.refs if 0 <= i < len(state.shown)]
               or [x for x in state.shown if x["id"] == state.focus] or state.shown[:1])
        c.max_price = round(min(float(x["price"]) for x in ref) - 0.01, 2)
        if c.min_price is not None and c.min_price > c.max_price:
            c.min_price = None
    c.attributes.update(u.attributes)
    _merge_exclusions(u, c)
    if u.quantity:
        c.quantity = u.quantity
    Constraints.__post_init__(c)
    return c


def _swap_from_candidates(top: dict[str, Any], pool: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A same-type candidate with a known, lower footprint (an unknown one is never a swap)."""
    own = known_footprint(top.get("footprint_kg_co2e"))
    kind = (top.get("attributes") or {}).get("type")
    same = [x for x in pool if x["id"] != top["id"] and x["category"] == top["category"]
            and (kind is None or (x.get("attributes") or {}).get("type") == kind)
            and known_footprint(x.get("footprint_kg_co2e")) is not None]
    if not same or own is None or own <= 0:
        return None
    best = min(same, key=lambda x: float(x["footprint_kg_co2e"]))
    saving = own - float(best["footprint_kg_co2e"])
    if saving < MIN_SWAP_SAVING * own:
        return None
    return {"swap": best, "saving_kg_co2e": round(saving, 3), "source": "search"}


def _relax_hint(c: Constraints, tools: Tools) -> dict[str, Any] | None:
    """Which single requirement, dropped, would give results (never applied: only said)."""
    options = [(k, v) for k, v in sorted(c.attributes.items())]
    if c.max_price is not None or c.min_price is not None:
        options.append(("budget", None))
    for key, value in options[:3]:
        relaxed = replace(c, attributes={k: v for k, v in c.attributes.items() if k != key})
        if key == "budget":
            relaxed.max_price = relaxed.min_price = None
        found = tools.search(relaxed)
        if found:
            return {"tool": "relax", "drop": key, "value": value, "count": len(found)}
    return None


def do_search(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    c = _merge(u, state)
    if u.eco:
        state.eco_weight = max(state.eco_weight, ECO_WEIGHT_ON_REQUEST)
    state.constraints = c
    record: dict[str, Any] = {"tool": "search", "filters": {"max_price": c.max_price, "min_price": c.min_price,
                              "attributes": dict(c.attributes), "quantity": c.quantity,
                              "exclude": {k: list(v) for k, v in c.exclude.items()}}}
    pool = tools.search(c)
    if not pool:
        record["count"] = 0
        hint = _relax_hint(c, tools)
        if u.suggestions and not state.asked_clarification:  # "lanturn": ask about the spelling, once
            state.asked_clarification = True
            return Outcome(respond.did_you_mean(u.suggestions, u.lang), [], [record], "clarify")
        if hint is None and c.query and not c.product_type and not c.category and not state.asked_clarification:
            # Free words the catalogue does not know ("a present for my sister") and no requirement
            # to drop: ask what kind of thing, once, instead of a dead end.
            state.asked_clarification = True
            return Outcome(respond.unknown_need(c.query, u.lang), [], [record], "clarify")
        reply = respond.nothing_found(c, state.lang, hint)
        return Outcome(reply, [], [record, *([hint] if hint else [])], "search")
    personalised = tools.personalise(state.user_id, pool, c)
    ranked = tools.eco_rerank(pool, state.eco_weight)
    top = ranked[:SHOW_K]
    swap = _swap_from_candidates(top[0], pool)
    if swap is not None and swap["swap"]["id"] in {x["id"] for x in top}:
        swap = None
    state.shown, state.focus = top[:MAX_SHOWN], None
    state.asked_clarification = False  # a later vague need may get its own question
    record.update(count=len(top), positions=list(range(1, len(top) + 1)))
    eco_sorted = state.eco_weight >= ECO_WEIGHT_ON_REQUEST
    reply = respond.results(top, c, state.lang, eco_sorted=eco_sorted, personalised=personalised, swap=swap)
    return Outcome(reply, top, [record, *top, *([swap] if swap else [])], "search")


def do_compare(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    cards = _refs(u, state, tools)
    if len(cards) < 2 and len(state.shown) == 1:  # only one product meets the constraints: say so, show it
        card = cards[0] if cards else tools.product(state.shown[0]["id"])
        state.focus = card["id"]
        record = {"tool": "compare", "count": 1, "positions": [1]}
        return Outcome(respond.only_one(card, state.lang), [card], [record, card], "compare")
    if len(cards) < 2:
        return Outcome(respond.need_two(state.lang), intent="compare")
    summary = tools.compare(cards)
    positions = {"positions": list(range(1, len(cards) + 1))}
    return Outcome(respond.compare(cards, summary, state.lang), cards, [summary, positions, *cards], "compare")


def do_ask(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    cards = _refs(u, state, tools)
    if not cards:
        return Outcome(respond.need_products(state.lang), intent="ask")
    state.focus = cards[0]["id"]
    reply = "\n".join(respond.answer(card, u.question or "footprint", state.lang) for card in cards)
    return Outcome(reply, cards, list(cards), "ask")


def do_select(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    cards = _refs(u, state, tools)[:1]
    if not cards:
        return Outcome(respond.need_products(state.lang), intent="select")
    state.focus = cards[0]["id"]
    return Outcome(respond.selected(cards[0], state.lang), cards, list(cards), "select")


def do_greener(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    cards = _refs(u, state, tools)[:1]
    if not cards:
        return Outcome(respond.need_products(state.lang), intent="greener")
    card = cards[0]
    swap = tools.greener(card, max_price=state.constraints.max_price)
    if swap is None:
        return Outcome(respond.no_swap(card, state.lang), [card], [card], "greener")
    state.shown, state.focus = [card, swap["swap"]], swap["swap"]["id"]
    return Outcome(respond.swap_line(card, swap, state.lang), [card, swap["swap"]], [card, swap], "greener")


def do_recommend(state: DialogueState, tools: Tools) -> Outcome | None:
    cards = tools.recommend_for(state.user_id, state.constraints, SHOW_K) if state.user_id else []
    if not cards:
        return None
    state.shown, state.focus = cards, None
    record = {"tool": "recommend", "count": len(cards), "positions": list(range(1, len(cards) + 1))}
    reply = respond.results(cards, state.constraints, state.lang, eco_sorted=False, personalised=True)
    return Outcome(reply, cards, [record, *cards], "recommend")


def act(u: Understanding, state: DialogueState, tools: Tools) -> Outcome:
    """Resolve one understood turn; mutates ``state`` (constraints, shown, focus)."""
    state.lang = u.lang
    if u.intent == "greet":
        return Outcome(respond.greet(u.lang), intent="greet")
    handlers = {"compare": do_compare, "ask": do_ask, "select": do_select, "greener": do_greener}
    if u.intent in handlers:
        return handlers[u.intent](u, state, tools)
    needless = not u.has_need and not state.constraints.has_need
    if (u.vague or (needless and not u.has_modifiers)) and not state.asked_clarification:
        if not u.query and (rec := do_recommend(state, tools)) is not None:  # no words of need: their taste
            return rec
        state.asked_clarification = True
        return Outcome(respond.clarify(u.lang), intent="clarify")
    if needless and not u.query and not u.has_modifiers:
        return do_recommend(state, tools) or Outcome(respond.need_products(u.lang), intent="clarify")
    return do_search(u, state, tools)
