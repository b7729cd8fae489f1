"""Questions with verifiable answers for benchmarks/service.py, generated from each
shopper's own orders (seeded), and chrF for the translation sample."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

FAQ = Path(__file__).resolve().parent / "tasks" / "content" / "faq.tsv"
FAQ_HELDOUT = FAQ.with_name("faq_heldout.tsv")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ZH_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


@dataclass(frozen=True)
class ServiceTask:
    kind: str
    lang: str
    user: str | None
    text: str
    expect_orders: tuple[str, ...] = ()
    expect_clause: str | None = None
    probe_id: str | None = None  # another shopper's order id: must never be shown


def _purchases(orders: list[Any]) -> list[Any]:
    return [o for o in orders if not o.is_return]


def _noun(title: str) -> str | None:
    words = [w for w in re.findall(r"[a-z]+", title.lower()) if len(w) > 2]
    return " ".join(words[-2:]) if len(words) >= 2 else None


def shopper_tasks(shoppers: list[str], orders_by: dict[str, list[Any]], rng: random.Random,
                  now: datetime) -> list[ServiceTask]:
    tasks: list[ServiceTask] = []
    for i, user in enumerate(shoppers):
        orders = orders_by[user]
        bought = _purchases(orders)
        if not bought:
            continue
        latest = bought[0].order_id
        status_en = rng.choice(["where is my order?", "has my parcel shipped yet", "when will my order arrive"])
        status_zh = rng.choice(["我的订单到哪了", "快递什么时候到", "我的包裹在哪"])
        tasks += [ServiceTask("status", "en", user, status_en, (latest,)),
                  ServiceTask("status", "zh", user, status_zh, (latest,)),
                  ServiceTask("last", "en", user, rng.choice(["what did I buy last time?", "show me my last order"]),
                              (latest,)),
                  ServiceTask("last", "zh", user, rng.choice(["我上次买的是什么", "我最近买了什么"]), (latest,))]
        pick = rng.choice(orders)
        m, y = pick.ordered_at.month, pick.ordered_at.year
        in_month = [o for o in orders if o.ordered_at.month == m]
        latest_year = in_month[0].ordered_at.year
        expected = tuple(o.order_id for o in in_month if o.ordered_at.year == latest_year)[:3]
        tasks.append(ServiceTask("month", "en", user, f"what did I buy in {MONTHS[m - 1]}?", expected))
        tasks.append(ServiceTask("month", "zh", user, f"我{ZH_MONTHS[m - 1]}月买了什么", expected))
        line = rng.choice(rng.choice(bought).lines) if bought else None
        noun = _noun(line.title) if line else None
        if noun:
            holders = [o for o in bought if any(set(noun.split()) <= set(re.findall(r"[a-z]+", ln.title.lower()))
                                                for ln in o.lines)]
            tasks.append(ServiceTask("return", "en", user, f"can I return the {noun}?",
                                     (holders[0].order_id,) if holders else ()))
        other = shoppers[(i + 1) % len(shoppers)]
        if other != user and _purchases(orders_by[other]):
            probe = _purchases(orders_by[other])[0].order_id
            tasks.append(ServiceTask("probe", "en", user, f"where is my order {probe}?", probe_id=probe))
            tasks.append(ServiceTask("probe", "zh", user, f"订单{probe}到哪了", probe_id=probe))
    return tasks


def faq_tasks(user: str, *, heldout: bool = False) -> list[ServiceTask]:
    """Policy questions; ``heldout`` ones are reported as their own kind and were never tuned on."""
    out = []
    for line in (FAQ_HELDOUT if heldout else FAQ).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        q, clause = line.split("\t")
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", q) else "en"
        out.append(ServiceTask("faq-heldout" if heldout else "faq", lang, user, q, expect_clause=clause))
    return out


def _ngrams(text: str, n: int) -> Counter:
    s = re.sub(r"\s+", "", text)
    return Counter(s[i:i + n] for i in range(len(s) - n + 1))


def chrf(hyps: list[str], refs: list[str], max_n: int = 4, beta: float = 2.0) -> float:
    """Corpus chrF (Popović 2015): character n-gram F-beta, n = 1..max_n, whitespace removed, x100."""
    scores = []
    for n in range(1, max_n + 1):
        match = hyp_total = ref_total = 0
        for h, r in zip(hyps, refs):
            hc, rc = _ngrams(h, n), _ngrams(r, n)
            match += sum((hc & rc).values())
            hyp_total += sum(hc.values())
            ref_total += sum(rc.values())
        if hyp_total and ref_total:
            p, rec = match / hyp_total, match / ref_total
            scores.append((1 + beta**2) * p * rec / (beta**2 * p + rec) if p + rec else 0.0)
    return 100 * sum(scores) / len(scores) if scores else 0.0
