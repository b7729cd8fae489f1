"""Reply templates of the service desk, English and Chinese. Every number and
name in a reply is an argument (read from the orders or the policy), never text
written here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from greencart.store.order_repo import OrderLine, OrderRecord
from greencart.support.policy import Clause, Policy

_ZH_MONTH = "{}月"
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


def _money(amount: float, policy: Policy) -> str:
    return f"{amount:.2f} {policy.currency}"


def _day(d: date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.strftime("%d %b %Y").lstrip("0")


def _items(order: OrderRecord, lang: str, n: int = 3) -> str:
    names = [(line.title_zh if lang == "zh" and line.title_zh else line.title) for line in order.lines[:n]]
    more = len(order.lines) - len(names)
    if lang == "zh":
        text = "、".join(names)
        return text + (f"等 {len(order.lines)} 件商品" if more > 0 else "")
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _cite(clause: Clause | None) -> str:
    return f" [{clause.clause_id}]" if clause else ""


def quote(lang: str, clause: Clause) -> str:
    if lang == "zh":
        return f"根据我们的政策「{clause.title}」：{clause.text} [{clause.clause_id}]"
    return f"From our policy \"{clause.title}\": {clause.text} [{clause.clause_id}]"


def no_policy(lang: str, policy: Policy) -> str:
    if lang == "zh":
        return f"我在店铺政策里找不到这个问题的答案。{policy.handoff_line(lang)}"
    return f"I can't find that in the shop's policies. {policy.handoff_line(lang)}"


def cannot_change(lang: str, policy: Policy) -> str:
    if lang == "zh":
        return f"我在这里无法取消或修改订单。{policy.handoff_line(lang)}"
    return f"I can't cancel or change an order from here. {policy.handoff_line(lang)}"


def sign_in(lang: str, clause: Clause | None) -> str:
    general = (quote(lang, clause) if clause else "")
    if lang == "zh":
        return ("我只有在知道您是谁时才能查看订单：请先登录（或提供您的顾客编号）。" + general).strip()
    return ("I can only look at orders when I know who you are: please sign in (or give your shopper id). "
            + general).strip()


def not_your_order(lang: str, order_id: str, policy: Policy) -> str:
    if lang == "zh":
        return f"我在您的账户里看不到订单 {order_id}。{policy.handoff_line(lang)}"
    return f"I can't see an order {order_id} on your account. {policy.handoff_line(lang)}"


def no_orders(lang: str, policy: Policy) -> str:
    if lang == "zh":
        return f"我在您的账户里看不到任何订单。{policy.handoff_line(lang)}"
    return f"I can't see any orders on your account. {policy.handoff_line(lang)}"


def not_bought(lang: str, words: str, policy: Policy) -> str:
    if lang == "zh":
        return f"我在您的订单里找不到「{words}」。{policy.handoff_line(lang)}"
    return f"I can't see \"{words}\" in your orders. {policy.handoff_line(lang)}"


def status(lang: str, order: OrderRecord, earliest: date, latest: date, overdue: bool, policy: Policy) -> str:
    clause = policy.clause("delivery", lang)
    placed = order.ordered_at.date()
    if lang == "zh":
        head = (f"您最近的订单 {order.order_id} 于 {_day(placed, lang)} 下单（{_items(order, lang)}，"
                f"共 {_money(order.total, policy)}）。按配送时间{_cite(clause)}，应在 {_day(earliest, lang)} 至 "
                f"{_day(latest, lang)} 之间送达。")
        tail = "如果还没收到，" if overdue else ""
        return head + f"我在这里看不到承运商的物流信息。{tail}{policy.handoff_line(lang)}"
    head = (f"Your latest order {order.order_id} was placed on {_day(placed, lang)} ({_items(order, lang)}; "
            f"{_money(order.total, policy)}). Under our delivery times{_cite(clause)} it was due between "
            f"{_day(earliest, lang)} and {_day(latest, lang)}.")
    tail = " If it has not arrived," if overdue else ""
    return head + f" I can't see the carrier's tracking here.{tail} {policy.handoff_line(lang)}"


def return_answer(lang: str, order: OrderRecord, line: OrderLine | None, age_days: int, window: int,
                  eligible: bool, blocked: bool, policy: Policy) -> str:
    clause = policy.clause("returns", lang)
    placed = _day(order.ordered_at.date(), lang)
    if lang == "zh":
        what = f"「{line.title_zh or line.title}」" if line else "这笔订单"
        head = f"{what}来自订单 {order.order_id}（{placed} 下单，距今 {age_days} 天）。"
        if blocked:
            return head + f"该类商品拆封后不能退货{_cite(clause)}。{policy.handoff_line(lang)}"
        if eligible:
            return head + f"在 {window} 天退货期内{_cite(clause)}，可以退货：请保持未使用并保留原包装。"
        return head + f"已超过 {window} 天退货期{_cite(clause)}，无法按常规退货。{policy.handoff_line(lang)}"
    what = f"\"{line.title}\"" if line else "That order"
    head = f"{what} came with order {order.order_id}, placed on {placed} ({age_days} days ago)."
    if blocked:
        return head + f" Items of that kind cannot be returned once opened{_cite(clause)}. {policy.handoff_line(lang)}"
    if eligible:
        return head + (f" That is within our {window}-day returns window{_cite(clause)}, so you can return it "
                       "unused in its original packaging.")
    return head + (f" That is outside our {window}-day returns window{_cite(clause)}, so it cannot be returned "
                   f"as standard. {policy.handoff_line(lang)}")


def none_in_period(lang: str, month: int | None, year: int | None) -> str:
    if lang == "zh":
        when = (f"{year}年" if year else "") + (_ZH_MONTH.format(month) if month else "")
        return f"我在您的账户里看不到 {when} 的订单。"
    when = " ".join(p for p in ((_EN_MONTHS[month - 1] if month else ""), (str(year) if year else "")) if p)
    return f"I can't see any order of yours in {when}."


def history(lang: str, orders: Sequence[OrderRecord], total_found: int, policy: Policy) -> str:
    rows = []
    for o in orders:
        placed = _day(o.ordered_at.date(), lang)
        kind = ("（退货/取消）" if lang == "zh" else " (a return/cancellation)") if o.is_return else ""
        if lang == "zh":
            rows.append(f"订单 {o.order_id}{kind}，{placed}：{_items(o, lang)}，共 {_money(o.total, policy)}")
        else:
            rows.append(f"order {o.order_id}{kind} on {placed}: {_items(o, lang)} ({_money(o.total, policy)})")
    if lang == "zh":
        more = f"（共 {total_found} 笔，显示最近 {len(orders)} 笔）" if total_found > len(orders) else ""
        return "您买过：" + "；".join(rows) + "。" + more
    more = f" ({len(orders)} most recent of {total_found})" if total_found > len(orders) else ""
    return "You bought: " + "; ".join(rows) + "." + more


def no_slots(lang: str, order: OrderRecord, policy: Policy) -> str:
    if lang == "zh":
        return f"我在这里看不到订单 {order.order_id} 的配送时段。{policy.handoff_line(lang)}"
    return f"I can't see delivery slots for order {order.order_id} here. {policy.handoff_line(lang)}"


def green_slot(lang: str, order: OrderRecord, slot: dict, method: str) -> str:
    added, saving = slot["marginal_co2e_kg"], slot["saving_kg_co2e_vs_mean"]
    if lang == "zh":
        return (f"订单 {order.order_id} 最环保的配送时段是 {slot['window']}：只增加 {added:.3g} 千克二氧化碳当量，"
                f"比平均时段少 {saving:.3g} 千克（{slot['how']}）。方法：{method}。")
    return (f"For order {order.order_id}, the greenest delivery window is {slot['window']}: it adds {added:.3g} kg "
            f"CO2e, {saving:.3g} kg less than the average window ({slot['how']}). Method: {method}.")
