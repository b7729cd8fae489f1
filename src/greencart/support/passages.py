"""Retrieval over the merchant's policy clauses: the search index's own parts
(stemmed English / jieba Chinese BM25, MiniLM / e5 embeddings, the same fusion),
applied to passages instead of products. Each language searches its own clauses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greencart.catalog.search.fusion import FusionConfig, fuse
from greencart.catalog.search.index import bm25_scores
from greencart.catalog.search.tokenize import chinese_tokens, english_tokens
from greencart.errors import ModelUnavailable
from greencart.support.policy import Clause

# Questions share few words with policy text ("how do I pay" vs "Payment ... cards"), and BM25
# over a handful of passages rewards function words: the embedding carries English, as in
# product search; on Chinese, jieba BM25 is sharper than the 4-bit e5 (whose cosines crowd
# into 0.8-0.95). A clause is shown only with lexical or semantic evidence above these floors.
FUSION = {"en": FusionConfig(method="weighted", alpha=0.3), "zh": FusionConfig(method="weighted", alpha=0.7)}
MIN_LEXICAL = 0.5
MIN_COSINE = {"en": 0.35, "zh": 0.88}


@dataclass(frozen=True)
class PassageHit:
    clause: Clause
    score: float
    lexical_score: float
    semantic_score: float


class _Side:
    def __init__(self, clauses: list[Clause], lang: str) -> None:
        import bm25s

        self.clauses = clauses
        self.lang = lang
        self._tokens = chinese_tokens if lang == "zh" else english_tokens
        docs = [self._tokens(f"{c.title} {c.text}") or ["\u2400"] for c in clauses]
        self._bm25 = bm25s.BM25()
        self._bm25.index(docs, show_progress=False)
        self._vectors: np.ndarray | None = None

    def _embedder(self):  # type: ignore[no-untyped-def]
        from greencart.catalog.embed import get_embedder

        return get_embedder("e5-small-q4" if self.lang == "zh" else "minilm-int8")

    def lexical(self, query: str) -> np.ndarray:
        return bm25_scores(self._bm25, self._tokens(query), len(self.clauses))

    def semantic(self, query: str) -> np.ndarray:
        embedder = self._embedder()
        if self._vectors is None:
            self._vectors = embedder.embed([f"{c.title}. {c.text}" for c in self.clauses])
        return self._vectors @ embedder.embed([query], is_query=True)[0]


class PassageIndex:
    """Hybrid retrieval over policy clauses, per language."""

    def __init__(self, clauses: tuple[Clause, ...] | list[Clause], *, semantic: bool = True) -> None:
        self._sides = {lang: _Side([c for c in clauses if c.lang == lang], lang)
                       for lang in ("en", "zh") if any(c.lang == lang for c in clauses)}
        self._semantic = semantic

    def search(self, query: str, lang: str, k: int = 3) -> list[PassageHit]:
        """The best clauses for ``query`` in ``lang`` (falling back to the other language),
        only those with lexical or semantic evidence; empty when nothing is relevant."""
        side = self._sides.get(lang) or next(iter(self._sides.values()), None)
        if side is None:
            return []
        lexical = side.lexical(query)
        semantic = np.zeros_like(lexical)
        if self._semantic:
            try:
                semantic = side.semantic(query).astype(np.float32)
            except ModelUnavailable:  # a missing model leaves BM25 alone, as search does
                self._semantic = False
        fused = fuse(lexical, semantic, FUSION[side.lang])
        order = np.argsort(-fused, kind="stable")[:k]
        return [PassageHit(side.clauses[i], float(fused[i]), float(lexical[i]), float(semantic[i]))
                for i in order if lexical[i] >= MIN_LEXICAL or semantic[i] >= MIN_COSINE[side.lang]]
