"""The hybrid search index: BM25 plus embeddings, English and Chinese.

A query with a CJK character goes to the Chinese side (jieba BM25 +
multilingual-e5), any other to the English side (stemmed BM25 + MiniLM int8).
Filters select the candidates first, so a hit never violates them; the two
scores are then fused (:mod:`.fusion`) over the candidates only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from greencart.catalog.embed import Embedder, get_embedder, load_embedder_named
from greencart.catalog.models import Product
from greencart.catalog.search import persist
from greencart.catalog.search.filters import FilterColumns, SearchFilters
from greencart.catalog.search.fusion import FusionConfig, fuse, top_k
from greencart.catalog.search.lexical import (
    DEFAULT_LEXICAL,
    LexicalConfig,
    document_tokens,
    query_tokens,
)
from greencart.catalog.search.tokenize import chinese_tokens, has_cjk
from greencart.catalog.search.vectors import (
    chinese_lexical_text,
    chinese_passage,
    embed_texts,
    english_lexical_text,
    english_passage,
    text_key,
)
from greencart.errors import InvalidParameter

EN_MODEL = "minilm-int8"
ZH_MODEL = "e5-small-q4"
MAX_K = 1000
MAX_QUERY_CHARS = 1000
# Chosen by nDCG@10 on benchmarks/queries (see benchmarks/results/search.md): MiniLM carries
# English (lexical weight 0.1); on Chinese, jieba BM25 beats the 4-bit e5 (lexical weight 0.8).
DEFAULT_FUSION = FusionConfig(method="weighted", alpha=0.1)
DEFAULT_FUSION_ZH = FusionConfig(method="weighted", alpha=0.8)


@dataclass(frozen=True)
class SearchHit:
    product_id: str
    score: float
    lexical_score: float
    semantic_score: float


def _bm25(docs: list[list[str]]):  # type: ignore[no-untyped-def]
    import bm25s

    if not any(docs):  # bm25s needs a vocabulary: a catalogue of stopwords (or none) still indexes
        docs = [["\u2400"]] + docs[1:]
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)
    return retriever


def bm25_scores(retriever, tokens: list[str], n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    ids = retriever.get_tokens_ids(list(dict.fromkeys(tokens)))
    if not ids:
        return np.zeros(n, dtype=np.float32)
    return np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)


@dataclass
class Side:
    """One language's half of the index."""

    model: str
    retriever: object
    vectors: np.ndarray  # (n, dim) float32, rows L2-normalised
    keys: list[str]  # text hash per row, for reuse on rebuild
    embedder: Embedder | None = None
    title_retriever: object | None = None  # English only: BM25 over titles (field-aware scoring)

    def get_embedder(self) -> Embedder:
        if self.embedder is None:
            # Exactly the model the vectors were made with, never a variant promoted since then.
            self.embedder = load_embedder_named(self.model)
        return self.embedder

    def vector(self, key: str) -> np.ndarray | None:
        lookup = getattr(self, "_lookup", None)
        if lookup is None:
            lookup = {k: i for i, k in enumerate(self.keys)}
            self._lookup = lookup
        i = lookup.get(key)
        return None if i is None else self.vectors[i]


def _build_side(
    lexical_docs: list[list[str]],
    passages: list[str],
    embedder: Embedder,
    previous: Side | None,
    progress: bool,
    timings: dict[str, float],
    lang: str,
    title_docs: list[list[str]] | None = None,
    runner: Any = None,
) -> Side:
    t0 = time.perf_counter()
    retriever = _bm25(lexical_docs)
    title_retriever = _bm25(title_docs) if title_docs is not None else None
    t1 = time.perf_counter()
    reuse = previous.vector if previous is not None and previous.model == embedder.name else None
    vectors = embed_texts(embedder, passages, reuse=reuse, progress=progress, label=f"Embedding {lang}",
                          runner=runner)
    t2 = time.perf_counter()
    timings[f"lexical_{lang}_s"] = t1 - t0
    timings[f"embed_{lang}_s"] = t2 - t1
    keys = [text_key(t) for t in passages]
    return Side(embedder.name, retriever, vectors, keys, embedder, title_retriever)


def _check_query(query: object) -> str:
    if not isinstance(query, str) or not query.strip():
        raise InvalidParameter(f"Expected a non-empty query string, got {query!r}")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidParameter(f"Expected a query of at most {MAX_QUERY_CHARS} characters, got {len(query)}")
    return " ".join(query.split())


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not (1 <= k <= MAX_K):
        raise InvalidParameter(f"Expected k to be an integer in [1, {MAX_K}], got {k!r}")
    return k


@dataclass
class SearchIndex:
    """Build with :meth:`build`, persist with :meth:`save`/:meth:`load`, or use :func:`open_index`."""

    ids: list[str]
    columns: FilterColumns
    en: Side
    zh: Side
    fingerprint: str
    fusion: FusionConfig = DEFAULT_FUSION
    fusion_zh: FusionConfig = DEFAULT_FUSION_ZH
    build_timings: dict[str, float] = field(default_factory=dict)
    lexical: LexicalConfig = DEFAULT_LEXICAL
    speller: object | None = None  # .correct(word) -> Correction; see :meth:`set_speller`

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        products: Sequence[Product],
        *,
        progress: bool = False,
        previous: SearchIndex | None = None,
        embedder_en: Embedder | None = None,
        embedder_zh: Embedder | None = None,
        lexical: LexicalConfig = DEFAULT_LEXICAL,
        runner: Any = None,
    ) -> SearchIndex:
        """Index ``products``; vectors of unchanged texts are taken from ``previous``.

        ``lexical`` chooses the English BM25 side (:mod:`.lexical`); the default is
        field-aware with commerce normalisation and catalogue compounds. ``runner``
        (greencart.scale: local or Ray) runs the embedding batches."""
        from greencart.catalog.search.fingerprint import catalogue_fingerprint

        ids = [p.id for p in products]
        if len(set(ids)) != len(ids):
            raise InvalidParameter("Expected unique product ids in the catalogue to index")
        timings: dict[str, float] = {}
        full = document_tokens([english_lexical_text(p) for p in products], lexical)
        titles = None
        if lexical.title_weight > 0:
            vocab = {t for doc in full for t in doc}
            titles = document_tokens([p.title for p in products], lexical, vocab)
        en = _build_side(
            full,
            [english_passage(p) for p in products],
            embedder_en or get_embedder(EN_MODEL),
            previous.en if previous else None,
            progress,
            timings,
            "en",
            titles,
            runner=runner,
        )
        zh = _build_side(
            [chinese_tokens(chinese_lexical_text(p)) for p in products],
            [chinese_passage(p) for p in products],
            embedder_zh or get_embedder(ZH_MODEL),
            previous.zh if previous else None,
            progress,
            timings,
            "zh",
            runner=runner,
        )
        columns = FilterColumns.from_products(products)
        return cls(
            ids, columns, en, zh, catalogue_fingerprint(products), build_timings=timings, lexical=lexical
        )

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` atomically (a temp dir, then a rename)."""
        persist.save_index(self, Path(directory))

    @classmethod
    def load(cls, directory: Path) -> SearchIndex:
        """Read an index written by :meth:`save`; StoreError names what is missing or corrupt."""
        return persist.load_index(cls, Side, Path(directory))

    def search(
        self,
        query: str,
        filters: SearchFilters = SearchFilters(),
        k: int = 10,
        *,
        fusion: FusionConfig | None = None,
    ) -> list[SearchHit]:
        """The best ``k`` products for ``query`` among those satisfying ``filters``.

        ``fusion`` overrides the per-language default (:data:`DEFAULT_FUSION`, English;
        :data:`DEFAULT_FUSION_ZH`, queries with Chinese characters).
        """
        text = _check_query(query)
        k = _check_k(k)
        if not isinstance(filters, SearchFilters):
            raise InvalidParameter(f"Expected filters to be a SearchFilters, got {type(filters).__name__}")
        candidates = np.flatnonzero(self.columns.mask(filters))
        if candidates.size == 0:
            return []
        zh = has_cjk(text)
        config = fusion or (self.fusion_zh if zh else self.fusion)
        side = self.zh if zh else self.en
        n = self.size
        if config.method == "semantic":
            lexical = np.zeros(n, dtype=np.float32)
        elif zh:
            lexical = bm25_scores(side.retriever, chinese_tokens(text), n)
        else:
            lexical = self.english_lexical_scores(text)
        if config.method == "lexical":
            semantic = np.zeros(n, dtype=np.float32)
        else:
            q = side.get_embedder().embed([text], is_query=True)[0]
            semantic = side.vectors @ q
        lex_c, sem_c = lexical[candidates], semantic[candidates]
        fused = fuse(lex_c, sem_c, config)
        return [
            SearchHit(
                product_id=self.ids[candidates[i]],
                score=_finite(fused[i]),
                lexical_score=_finite(lex_c[i]),
                semantic_score=_finite(sem_c[i]),
            )
            for i in top_k(fused, sem_c, k)
        ]


    def english_tokens(self, text: str) -> list[str]:
        """The BM25 tokens of an English query against this catalogue."""
        vocab = self.en.retriever.vocab_dict  # type: ignore[attr-defined]
        correct = self._correct if self.speller is not None else None
        return query_tokens(text, self.lexical, vocab.__contains__, correct)

    def english_lexical_scores(self, text: str) -> np.ndarray:
        """Field-aware BM25 of every product for an English query (whole text + weighted title)."""
        tokens = self.english_tokens(text)
        scores = bm25_scores(self.en.retriever, tokens, self.size)
        if self.en.title_retriever is not None and self.lexical.title_weight > 0:
            scores = scores + self.lexical.title_weight * bm25_scores(self.en.title_retriever, tokens, self.size)
        return scores

    def set_speller(self, speller: object | None) -> None:
        """A speller with ``correct(word)`` returning an object with ``word`` and ``certain``
        (the shared catalogue vocabulary); only certain corrections are used."""
        self.speller = speller

    def _correct(self, word: str) -> str | None:
        result = self.speller.correct(word)  # type: ignore[union-attr]
        return result.word if getattr(result, "certain", False) else None


def _finite(x: float) -> float:
    v = float(x)
    return v if math.isfinite(v) else 0.0
