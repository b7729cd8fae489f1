"""Tokenisers for the lexical (BM25) side of search: English and Chinese.

English: lower-case word pieces, stopwords out (bm25s' English list plus the
filler words shoppers type, "show me", "looking for"), Snowball stemming
(PyStemmer). Chinese: jieba's search-mode segmentation (it also emits the
sub-words of long words) plus the single characters of each word, so 跑鞋
meets 跑步鞋; function words out. Latin
words in a Chinese text go through the English pipeline so "LED 台灯" works.

Stemmer and jieba load lazily, on the first call, once per process.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from greencart.catalog.search.normalise import TOKEN, measure_tokens, normalise_text

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_jieba_lock = threading.Lock()

# Words that carry no product meaning in a shopping query. bm25s' English list
# (33 words) plus request phrasing.
EN_FILLER = _EN_FILLER = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with", "i", "me", "my", "we", "you", "your", "please", "want", "wants", "wanted", "need", "needs", "looking", "look", "find", "show", "some", "something", "anything", "buy", "get", "give", "any", "one", "ones", "which", "what", "good", "nice", "best", "cheap", "under", "over", "less", "than", "more"]
)
# Chinese function words and request phrasing ("I want to buy a ...").
_ZH_FILLER = frozenset(
    ["的", "了", "和", "与", "或", "及", "是", "在", "有", "我", "你", "他", "她", "们", "我们", "想", "要", "想要", "买", "购买", "需要", "找", "帮", "帮我", "请", "推荐", "一个", "一件", "一双", "一些", "个", "件", "双", "款", "些", "吗", "呢", "吧", "啊", "给", "用", "用的", "一下", "什么", "哪些", "有没有", "便宜", "好", "好的", "适合", "元", "块", "以下", "以内", "左右"]
)


def has_cjk(text: str) -> bool:
    """True when ``text`` contains a CJK ideograph (routes a query to the Chinese side)."""
    return bool(_CJK.search(text))


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


# Plurals the Snowball stemmer leaves apart from their singular ("shelves" -> "shelv", "shelf" -> "shelf").
_IRREGULAR = {
    "shelves": "shelf", "knives": "knife", "leaves": "leaf", "halves": "half", "loaves": "loaf",
    "scarves": "scarf", "wolves": "wolf", "calves": "calf", "hooves": "hoof", "wives": "wife",
    "lives": "life", "thieves": "thief", "mice": "mouse", "geese": "goose", "teeth": "tooth",
    "children": "child", "men": "man", "women": "woman", "feet": "foot", "people": "person",
    "dice": "die", "cacti": "cactus", "radii": "radius",
}


def _words_legacy(text: str) -> list[str]:
    return [w.replace("'", "") for w in _LATIN_WORD.findall(text.lower())]


def english_words(text: str, *, normalise: bool = True) -> list[str]:
    """Lower-case words of ``text`` (fillers kept), after commerce normalisation."""
    if not normalise:
        return _words_legacy(text)
    return [w.replace("'", "") for w in TOKEN.findall(normalise_text(text))]


_IRREGULAR_TAILS = ("shelves", "knives", "leaves", "halves", "scarves")


def stem(word: str) -> str:
    """Snowball stem, after irregular plurals ("shelves", "bookshelves") become singular."""
    word = _IRREGULAR.get(word, word)
    if len(word) > 7 and word.endswith(_IRREGULAR_TAILS):
        tail = next(t for t in _IRREGULAR_TAILS if word.endswith(t))
        word = word[: -len(tail)] + _IRREGULAR[tail]
    return _stem(word)


def english_tokens(text: str, *, normalise: bool = True) -> list[str]:
    """Stemmed, stopword-free lower-case tokens; "T-LIGHT" gives "t-light", "light", "tlight".

    With ``normalise`` (the default) fractions, units and number words are rewritten first
    (:mod:`.normalise`) and each measure adds one canonical token ("4ft" -> ``48in``).
    """
    words = english_words(text, normalise=normalise)
    out: list[str] = []
    for word in words:
        if word in _EN_FILLER or (normalise and word == "x"):  # "x" of dimensions ("30 x 60")
            continue
        out.append(stem(word))
        if "-" in word:  # hyphenated: also index the parts and the joined form
            parts = [p for p in word.split("-") if len(p) > 1 and p not in _EN_FILLER]
            out.extend(stem(p) for p in parts)
            if len(parts) > 1:
                out.append(stem("".join(parts)))
    if normalise:
        out.extend(measure_tokens(words))
    return out


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        jieba.initialize()
    return jieba


def chinese_tokens(text: str, *, normalise: bool = False) -> list[str]:
    """jieba search-mode words without function words; Latin words via :func:`english_tokens`
    (not normalised by default: measured on the labelled sets, see docs/search.md)."""
    jb = _jieba()
    out: list[str] = []
    latin: list[str] = []
    for word in jb.lcut_for_search(text.lower()):
        word = word.strip()
        if not word:
            continue
        if _CJK.search(word):
            if word not in _ZH_FILLER:
                out.append(word)
                if len(word) > 1:  # characters too: 跑鞋 meets 跑步鞋, 杯 meets 水杯
                    out.extend(c for c in word if _CJK.match(c) and c not in _ZH_FILLER)
        elif _LATIN_WORD.fullmatch(word):
            latin.append(word)
    out.extend(english_tokens(" ".join(latin), normalise=normalise))
    return out
