"""Recognise customer-service requests (English and Chinese) and what they name:
an order id, a month or year, a product. A turn that is not a service request
returns None, so product search keeps every other turn."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from greencart.catalog.search.tokenize import has_cjk


class ServiceIntent(str, Enum):
    ORDER_STATUS = "order_status"      # where is my order / 我的订单到哪了
    ORDER_HISTORY = "order_history"    # what did I buy in March / 我上次买的是什么
    RETURN = "return"                  # can I return the lantern / 灯笼能退吗
    CHANGE = "change"                  # cancel / change address: needs a person
    POLICY = "policy"                  # returns policy, delivery times, payment: retrieval over the policy
    DELIVERY_SLOT = "delivery_slot"    # when can you deliver / the green slot / 哪个时段送货


@dataclass(frozen=True)
class ServiceRequest:
    intent: ServiceIntent
    lang: str
    order_id: str | None = None
    month: int | None = None
    year: int | None = None
    last_only: bool = False
    product_words: tuple[str, ...] = ()


_MONTHS_EN = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
_MONTHS_EN.update({m[:3]: i for m, i in list(_MONTHS_EN.items())})
_MONTHS_EN.pop("may", None)  # "may" is too often the verb ("may I return ..."); "in May" is handled below
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])((?:C|O)?\d{5,8}|O\d{7})(?![A-Za-z0-9])", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

_EN = {
    ServiceIntent.DELIVERY_SLOT: re.compile(
        r"\b(when can (you|it) (be )?deliver(ed)?|delivery (slot|window|time slot)s?|(green|greenest|eco|greener) "
        r"(delivery )?(slot|window|time)|which (slot|window|time) (should|is best|is greenest))\b"),
    ServiceIntent.CHANGE: re.compile(
        r"\b(cancel (my|the|an|this)? ?order|change (my|the) (delivery )?address|change my order|"
        r"modify (my|the) order)\b"),
    ServiceIntent.RETURN: re.compile(
        r"\b(return|send back|refund)\b(?!s? polic)", re.I),
    ServiceIntent.ORDER_STATUS: re.compile(
        r"\b(where('s| is| are)? (my |the )?(order|parcel|package|delivery|stuff)|track(ing)? (my )?(order|parcel)|"
        r"order status|status of (my |the )?order|order \S+ status|has my (order|parcel) (shipped|been sent|arrived)|"
        r"when (will|does|do) my (order|parcel|package|items?) (arrive|come|get here)|"
        r"(hasn't|has not|haven't|didn't) (arrived|come|received))\b"),
    ServiceIntent.ORDER_HISTORY: re.compile(
        r"\b(what (did|have) i (buy|bought|order|ordered|purchase)|what i (bought|ordered)|"
        r"my (last|latest|previous|recent|past) (order|purchase)s?|my orders|order history|"
        r"purchase history|what was (in )?my (last|latest) order|did i (buy|order))\b"),
    ServiceIntent.POLICY: re.compile(
        r"\b(return(s)? polic(y|ies)|refund polic(y|ies)|how long (does|will) (delivery|shipping) take|"
        r"delivery (time|times|policy)|shipping (time|times|policy)|do you (accept|take) |payment (methods?|options)|"
        r"how (do|can) i (pay|return (an? |something|items?|things))|how do returns work|exchange polic(y|ies)|"
        r"damaged|wrong item|broken item|invoice|"
        r"(greener|green|eco) delivery|packaging)\b"),
}
_ZH = {
    ServiceIntent.DELIVERY_SLOT: re.compile(r"((送货|配送|送达)时段|哪个时段|什么时段|绿色时段|环保时段|几点(送|配送))"),
    ServiceIntent.CHANGE: re.compile(r"(取消(我的)?订单|改(一下)?(收货|配送)?地址|修改(收货)?地址|修改订单)"),
    ServiceIntent.POLICY: re.compile(
        r"(退货政策|退款政策|退换货政策|配送(时间|政策)|多久(能|可以|才能)?(到|送达|发货)|运费|怎么付款|付款方式|"
        r"支付方式|发票|破损|错发|换货|绿色配送)"),
    ServiceIntent.RETURN: re.compile(r"(退货|退掉|退回|退款|能退|可以退|想退|退吗)"),
    ServiceIntent.ORDER_STATUS: re.compile(
        r"(订单\s*[A-Za-z]?\d*\s*(在哪|到哪|状态|怎么还没|还没到)|包裹(在哪|到哪)|快递(在哪|到哪)|物流|发货了吗|什么时候(能)?到|"
        r"还没(收到|到))"),
    ServiceIntent.ORDER_HISTORY: re.compile(
        r"(我?(上次|上一次|最近|之前|以前)?(都)?买(了|过)(什么|啥|哪些)|我的订单|购买记录|订单记录|"
        r"(上次|上一次|最近一次?)(的)?订单|我(上次|最近)买的)"),
}
# A question about a policy topic, in words no pattern above lists ("when do refunds reach my card?").
_TOPIC_EN = re.compile(
    r"\b(returns?|returning|refunds?|send (\w+ )?back|deliver(y|ies|ed)?|ship(ping|ped)?|arrive|tracking|"
    r"pay(ment|ing)?|(credit|debit) cards?|invoices?|broken|damaged|cracked|wrong (item|colou?r|size)|"
    r"packaging|pack (my |the )?orders?|exchanges?|warranty)\b")
_QUESTION_EN = re.compile(r"\?|^(what|how|when|where|can|could|do|does|is|are|will|which|why|my|i got|the)\b|\bpolicy\b")
_TOPIC_ZH = re.compile(r"(退|配送|送到|送达|发货|收到|物流|快递|付款|支付|信用卡|借记卡|刷卡|发票|破损|坏了|碎了|错发|发错|"
                       r"换货|包装)")
_QUESTION_ZH = re.compile(r"(吗|呢|？|\?|多久|怎么|什么|几天|哪|是否|能不能|可不可以|了$)")
_PERSONAL_EN = re.compile(r"\b(i want|i'd like|i would like|i need|please|my order|i bought|i ordered)\b")
_LAST = re.compile(r"\b(last|latest|most recent|previous)\b|上次|上一次|最近一次|最近")
_RETURN_OBJECT_EN = re.compile(
    r"\b(?:return|send back|refund)\s+(?:for\s+)?(?:(?:the|my|this|that|these|those|a|an)\s+)?(.{2,60}?)"
    r"(?:\s+(?:i|which i|that i)\s+(?:bought|ordered)\b.*|\?|$|\s+please|\s+from\b.*|\s+in\s+\w+.*)", re.I)
_RETURN_OBJECT_ZH = (  # "退掉那个靠垫" (verb first) and "靠垫能退吗" (object first)
    re.compile(r"(?:退掉|退回|退换|退)(?:那个|这个|那些|这些|我的|上次买的|买的)([\u4e00-\u9fff]{1,8}?)(?:吗|呢|吧|$|[，。？?！!])"),
    re.compile(r"(?:那个|这个|买的)?([\u4e00-\u9fff]{1,8}?)(?:能|可以|想)?(?:退货|退掉|退回|退款|退吗)"),
)
_STOP_EN = {"it", "them", "this", "that", "item", "items", "order", "my order", "something", "stuff", "one",
            "thing", "things", "purchase", "product", "products"}


def _month_year(text: str, lang: str) -> tuple[int | None, int | None]:
    year_m = _YEAR.search(text)
    year = int(year_m.group(1)) if year_m else None
    if lang == "zh":
        m = re.search(r"(\d{1,2})\s*月", text) or re.search(r"(十[一二]?|[一二两三四五六七八九])月", text)
        if not m:
            return None, year
        raw = m.group(1)
        if raw.isdigit():
            month = int(raw)
        else:
            month = 10 + _ZH_DIGITS.get(raw[1:], 0) if raw.startswith("十") else _ZH_DIGITS[raw]
        return (month if 1 <= month <= 12 else None), year
    low = text.lower()
    for word in re.findall(r"[a-z]+", low):
        if word in _MONTHS_EN:
            return _MONTHS_EN[word], year
    if re.search(r"\bin may\b", low):
        return 5, year
    return None, year


def _product_words(text: str, lang: str) -> tuple[str, ...]:
    if lang == "zh":
        m = next((m for m in (p.search(text) for p in _RETURN_OBJECT_ZH) if m), None)
        word = m.group(1) if m else ""
        word = re.sub(r"^(我|我的|上次|上次买的|请问|请)+", "", word)
        return (word,) if word and word not in {"我", "能", "可以", "吗", "我想", "想", "请问"} else ()
    m = _RETURN_OBJECT_EN.search(text.strip())
    if not m:
        return ()
    phrase = re.sub(r"[^\w\s-]", " ", m.group(1).lower()).strip()
    if not phrase or phrase in _STOP_EN:
        return ()
    words = [w for w in phrase.split()
             if w not in {"the", "my", "a", "an", "of", "i", "order", "orders", "for", "number", "no"}
             and not ORDER_ID.fullmatch(w)]
    return tuple(words)


def _intent(text: str, lang: str) -> tuple[ServiceIntent | None, tuple[str, ...], str | None]:
    table = _ZH if lang == "zh" else _EN
    probe = text if lang == "zh" else text.lower()
    id_m = ORDER_ID.search(text)
    order_id = id_m.group(1).upper() if id_m else None
    for intent in (ServiceIntent.CHANGE, ServiceIntent.DELIVERY_SLOT, ServiceIntent.ORDER_STATUS,
                   ServiceIntent.ORDER_HISTORY):
        if table[intent].search(probe):
            return intent, (), order_id
    returning = table[ServiceIntent.RETURN].search(probe)
    words = _product_words(text, lang) if returning else ()
    personal = lang == "zh" or bool(_PERSONAL_EN.search(probe))
    if returning and (words or order_id or (personal and not table[ServiceIntent.POLICY].search(probe))):
        return ServiceIntent.RETURN, words, order_id
    topic, question = (_TOPIC_ZH, _QUESTION_ZH) if lang == "zh" else (_TOPIC_EN, _QUESTION_EN)
    if table[ServiceIntent.POLICY].search(probe) or (topic.search(probe) and question.search(probe)):
        return ServiceIntent.POLICY, (), order_id
    return (ServiceIntent.RETURN, words, order_id) if returning else (None, (), order_id)


def detect(text: str) -> ServiceRequest | None:
    """The service request in ``text``, or None when it is not one."""
    lang = "zh" if has_cjk(text) else "en"
    intent, words, order_id = _intent(text, lang)
    if intent is None:
        return None
    month, year = _month_year(text, lang)
    probe = text if lang == "zh" else text.lower()
    return ServiceRequest(intent, lang, order_id, month, year, bool(_LAST.search(probe)), words)
