"""Product text -> commodity class (a NAICS row of ``commodities.csv``), with a confidence.

Three signals are added per class and turned into probabilities with a softmax:

- cosine similarity between the product text and the class text (title and
  keywords) under MiniLM (``get_embedder("minilm-int8")``), when an embedder is
  given; a batch of products is embedded at once;
- keyword hits (whole words; a hit in the title counts double a hit in the
  description; multi-word keywords count more);
- a prior for the classes that serve the product's category.

The confidence is the winning class's probability: a clear keyword in the title
gives ~1, text that matches nothing spreads the mass and gives a low value,
which widens the footprint band downstream.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from greencart.catalog.embed import Embedder
from greencart.catalog.models import Product
from greencart.footprint.factors import CommodityClass, commodity_classes

KEYWORD_WEIGHT = 0.35
CATEGORY_WEIGHT = 0.10
TEMPERATURE = 0.05


@dataclass(frozen=True)
class Classification:
    code: str
    confidence: float
    via: str  # "keyword", "embedding", "keyword+embedding" or "category"


def product_text(product: Product) -> str:
    """The text embedded for a product: title, category and attribute values.

    The description is left out of the embedding (keywords still read it): it
    doubles the tokens, and so the cost, for little gain in the class.
    """
    attrs = " ".join(str(v) for v in product.attributes.values())
    return " ".join(p for p in (product.title, product.category, attrs) if p)[:200]


def _pattern(keywords: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(k.lower()) for k in keywords), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(alternatives) + r")(?:s|es)?(?![a-z])")


def _keyword_score(pattern: re.Pattern[str], title: str, rest: str) -> float:
    best = 0.0
    for text, weight in ((title, 1.0), (rest, 0.5)):
        for m in pattern.finditer(text):
            best = max(best, weight * (1.0 + 0.25 * m.group(1).count(" ")))
    return best


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = (scores - scores.max(axis=1, keepdims=True)) / TEMPERATURE
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class CommodityClassifier:
    """Assigns commodity classes to products; ``embedder=None`` uses keywords and category only."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        classes: Sequence[CommodityClass] | None = None,
    ) -> None:
        self.classes = tuple(classes or commodity_classes())
        self.embedder = embedder
        self._patterns = [_pattern(c.keywords) for c in self.classes]
        self._class_vectors: np.ndarray | None = None

    def _class_matrix(self) -> np.ndarray:
        if self._class_vectors is None:
            assert self.embedder is not None
            self._class_vectors = self.embedder.embed([c.text for c in self.classes])
        return self._class_vectors

    def keyword_scores(self, products: Sequence[Product]) -> np.ndarray:
        out = np.zeros((len(products), len(self.classes)), dtype=np.float64)
        for i, p in enumerate(products):
            title, rest = p.title.lower(), p.search_text.lower()
            for j, pat in enumerate(self._patterns):
                out[i, j] = _keyword_score(pat, title, rest)
        return out

    def embed_products(self, products: Sequence[Product]) -> np.ndarray | None:
        """Product text vectors (batched), or None without an embedder."""
        if self.embedder is None:
            return None
        from greencart.footprint.match import embed_texts

        return embed_texts(self.embedder, [product_text(p) for p in products])

    def embedding_scores(
        self, products: Sequence[Product], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        if self.embedder is None or not products:
            return np.zeros((len(products), len(self.classes)), dtype=np.float64)
        if vectors is None:
            vectors = self.embed_products(products)
        assert vectors is not None
        return (vectors @ self._class_matrix().T).astype(np.float64)

    def classify_many(
        self, products: Sequence[Product], vectors: np.ndarray | None = None
    ) -> list[Classification]:
        """Classes for ``products``; pass ``vectors`` from :meth:`embed_products` to reuse them."""
        if not products:
            return []
        kw = self.keyword_scores(products)
        emb = self.embedding_scores(products, vectors)
        prior = np.array(
            [[float(p.category in c.categories) for c in self.classes] for p in products]
        )
        probs = _softmax(emb + KEYWORD_WEIGHT * kw + CATEGORY_WEIGHT * prior)
        out = []
        for i in range(len(products)):
            j = int(probs[i].argmax())
            via = [
                name
                for name, hit in (
                    ("keyword", kw[i, j] > 0),
                    ("embedding", self.embedder is not None),
                )
                if hit
            ]
            out.append(
                Classification(
                    self.classes[j].code, float(probs[i, j]), "+".join(via) or "category"
                )
            )
        return out

    def classify(self, product: Product) -> Classification:
        return self.classify_many([product])[0]
