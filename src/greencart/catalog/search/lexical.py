"""The English lexical side: field-aware BM25 with the catalogue's own compounds and spelling.

- **Fields**: one BM25 over the whole product text (title, category, attributes,
  description) plus one over the title alone, added with ``title_weight``: a
  word in the title counts more than the same word deep in a description.
- **Normalisation**: fractions, units and number words (:mod:`.normalise`).
- **Compounds**, learned from the catalogue's vocabulary: two adjacent words
  whose joined form is an indexed word also give the joined word ("book shelf"
  meets "bookshelf", on both the product and the query side); a query word
  the catalogue does not know is split into two words it does ("shoerack"
  meets "shoe rack").
- **Spelling**: a query word the catalogue does not know, and that does not
  split, is replaced by the shared catalogue vocabulary's correction when that
  correction is certain (``greencart.catalog.vocabulary``, the same speller the
  assistant uses).

:data:`LEGACY_LEXICAL` reproduces the lexical side before this module (one
field, no normalisation): the baseline in ``benchmarks/search_external.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from greencart.catalog.search.tokenize import EN_FILLER, english_tokens, english_words, stem
from greencart.errors import InvalidParameter

MIN_SPLIT_PART = 3


@dataclass(frozen=True)
class LexicalConfig:
    """How English product and query text become BM25 tokens and scores."""

    normalise: bool = True
    title_weight: float = 1.0  # 0 = one field (whole text only)
    compounds: bool = True
    spelling: bool = True

    def __post_init__(self) -> None:
        w = self.title_weight
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not (0.0 <= w <= 10.0):
            raise InvalidParameter(f"Expected title_weight in [0, 10], got {w!r}")

    @classmethod
    def from_json(cls, data: dict) -> LexicalConfig:
        return cls(**{k: data[k] for k in ("normalise", "title_weight", "compounds", "spelling") if k in data})


DEFAULT_LEXICAL = LexicalConfig()
LEGACY_LEXICAL = LexicalConfig(normalise=False, title_weight=0.0, compounds=False, spelling=False)


def _joinable(word: str) -> bool:
    return word.isalpha() and len(word) > 1 and word not in EN_FILLER


def compound_joins(words: Sequence[str], vocab: Callable[[str], bool]) -> list[str]:
    """Stems of adjacent word pairs whose joined form the catalogue indexes ("book shelf")."""
    out = []
    for a, b in pairwise(words):
        if _joinable(a) and _joinable(b):
            joined = stem(a + b)
            if vocab(joined):
                out.append(joined)
    return out


def compound_split(word: str, vocab: Callable[[str], bool]) -> list[str]:
    """Stems of the two indexed words an unknown word is made of ("shoerack" -> shoe, rack)."""
    if not word.isalpha() or len(word) < 2 * MIN_SPLIT_PART:
        return []
    best: tuple[int, list[str]] | None = None
    for i in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        left, right = stem(word[:i]), stem(word[i:])
        if vocab(left) and vocab(right):
            balance = -abs(len(word) - 2 * i)  # prefer even splits: "bookcase" -> book|case
            if best is None or balance > best[0]:
                best = (balance, [left, right])
    return best[1] if best else []


def document_tokens(texts: Sequence[str], config: LexicalConfig, vocab: set[str] | None = None) -> list[list[str]]:
    """BM25 tokens of each text; with compounds, joined pairs found in ``vocab`` (default:
    the texts' own tokens) are added."""
    docs = [english_tokens(t, normalise=config.normalise) for t in texts]
    if not config.compounds:
        return docs
    known = vocab if vocab is not None else {tok for doc in docs for tok in doc}
    for doc, text in zip(docs, texts):
        doc.extend(compound_joins(english_words(text, normalise=config.normalise), known.__contains__))
    return docs


def query_tokens(
    text: str,
    config: LexicalConfig,
    vocab: Callable[[str], bool],
    correct: Callable[[str], str | None] | None = None,
) -> list[str]:
    """BM25 tokens of a query: normalised, with compounds, splits and certain corrections."""
    tokens = english_tokens(text, normalise=config.normalise)
    if not (config.compounds or config.spelling):
        return tokens
    words = english_words(text, normalise=config.normalise)
    extra: list[str] = []
    if config.compounds:
        extra.extend(compound_joins(words, vocab))
    for word in words:
        if not word.isalpha() or word in EN_FILLER or vocab(stem(word)):
            continue
        parts = compound_split(word, vocab) if config.compounds else []
        if parts:
            extra.extend(parts)
        elif config.spelling and correct is not None:
            fixed = correct(word)
            if fixed and fixed != word:
                extra.extend(t for t in english_tokens(fixed, normalise=config.normalise) if vocab(t))
    return tokens + extra
