"""Templated held-out variants: many ways of saying each constraint, seeded (deterministic).

Its own templates, vocabulary and seed, written apart from ``benchmarks/tasks/tasks_templates.py``:
number words ("six pounds", "a fiver", "a tenner"), Chinese numerals (两, 十二, 二十五, 一百五),
exclusions in English and Chinese, typos and spacing, Chinese and mixed requests over the English-only
Online Retail titles, references ("the second one", 第二个), corrections and follow-ups. Each spec is
``{"id", "catalogue", "lang", "source", "classes", "steps"}``; ``heldout_generate.check`` keeps the
valid ones.
"""


from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from heldout_phrasings import PLASTIC, dd, od, pick

SEED = 55821
Spec = dict[str, Any]

# --- numbers ---------------------------------------------------------------------------------------
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}


def en_number(n: int) -> str:
    """1..999 in English words ("a hundred and fifty")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n - n % 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    head = "a hundred" if n // 100 == 1 else f"{_ONES[n // 100]} hundred"
    return head if n % 100 == 0 else f"{head} and {en_number(n % 100)}"


def en_money(n: int, rng: random.Random) -> str:
    """An amount of pounds as a shopper says it."""
    slang = {5: ["a fiver", "five quid"], 10: ["a tenner", "ten quid"], 20: ["twenty quid", "a score"]}
    if n in slang and rng.random() < 0.6:
        return rng.choice(slang[n])
    return f"{en_number(n)} {rng.choice(['pounds', 'quid', 'pounds', 'quid'])}"


_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int, rng: random.Random) -> str:
    """1..999 in Chinese numerals, with 两 where a shopper says it (两镑, 两百) and 一百五 for 150."""
    if n == 2:
        return "两"
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + ("" if n == 10 else _ZH_DIGITS[n % 10])
    if n < 100:
        return _ZH_DIGITS[n // 10] + "十" + ("" if n % 10 == 0 else _ZH_DIGITS[n % 10])
    h, rest = divmod(n, 100)
    head = ("两" if h == 2 and rng.random() < 0.5 else _ZH_DIGITS[h]) + "百"
    if rest == 0:
        return head
    if rest % 10 == 0 and rng.random() < 0.5:
        return head + _ZH_DIGITS[rest // 10]  # 一百五 = 150
    return head + ("零" + _ZH_DIGITS[rest] if rest < 10 else _ZH_DIGITS[rest // 10] + "十"
                   + ("" if rest % 10 == 0 else _ZH_DIGITS[rest % 10]))


def budget(prices: Sequence[float], q: float) -> int:
    """A round whole-pound budget near the ``q`` quantile of ``prices``."""
    p = sorted(prices)[min(len(prices) - 1, int(q * len(prices)))]
    step = 1 if p < 20 else 5 if p < 100 else 10 if p < 300 else 50
    return int(math.ceil((p + 0.01) / step) * step)


# --- typos -----------------------------------------------------------------------------------------
def typo(word: str, rng: random.Random, vocab: set[str]) -> str | None:
    """One keyboard slip in ``word`` (drop, swap, double, wrong vowel) that is not itself a catalogue word."""
    if len(word) < 5 or " " in word:
        return None
    for _ in range(12):
        i = rng.randrange(1, len(word) - 1)
        how = rng.choice(("drop", "swap", "double", "vowel"))
        if how == "drop":
            w = word[:i] + word[i + 1:]
        elif how == "swap":
            w = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif how == "double":
            w = word[:i] + word[i] + word[i:]
        else:
            vowels = [j for j, ch in enumerate(word) if ch in "aeiou" and j > 0]
            if not vowels:
                continue
            j = rng.choice(vowels)
            w = word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1:]
        if w != word and w not in vocab:
            return w
    return None


def _spec(prefix: str, catalogue: str, lang: str, n: int, classes: Sequence[str],
          steps: list[tuple[str, dict[str, Any]]]) -> Spec:
    return {"id": f"ho-{prefix}-{lang}-tpl-{n:03d}", "catalogue": catalogue, "lang": lang, "source": "template",
            "classes": list(classes), "steps": steps}


def _choose(rng: random.Random, items: Sequence[Any], n: int) -> list[Any]:
    return rng.sample(list(items), min(n, len(items)))


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun if noun.endswith("s") else noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def word_in(word: str, title: str) -> bool:
    w = re.escape(word.casefold())
    return re.search(rf"(?<![\w]){w}(?:s|es)?(?![\w])", title.casefold()) is not None


Maker = Callable[[random.Random], Iterator[tuple[str, Sequence[str], list[tuple[str, dict[str, Any]]]]]]


def templated(catalogue: str, rows: list[dict[str, Any]]) -> Iterator[Spec]:
    """Every templated held-out spec of ``catalogue``."""
    from heldout_templates_demo import demo_makers
    from heldout_templates_or import or_makers

    rng = random.Random(SEED)
    makers = demo_makers(rows) if catalogue == "demo" else or_makers(rows)
    prefix = "demo" if catalogue == "demo" else "or"
    counts: dict[str, int] = {}
    for make in makers:
        for lang, classes, steps in make(rng):
            counts[lang] = counts.get(lang, 0) + 1
            yield _spec(prefix, catalogue, lang, counts[lang], classes, steps)


__all__ = [
    "PLASTIC",
    "Maker",
    "budget",
    "dd",
    "en_money",
    "en_number",
    "od",
    "pick",
    "plural",
    "templated",
    "typo",
    "word_in",
    "zh_number",
]
