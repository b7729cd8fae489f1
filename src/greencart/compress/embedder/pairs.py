"""Query -> product-title pairs mined from the merchant's own catalogue, for adapting the embedder.

Pseudo-queries are built from what a shopper would type: a product's type alone and with one
attribute word (material, colour, style, brand), its style + material + type, and short
fragments of its title (two- and three-word spans). Each maps to that product's title.

Co-purchase pairs (title of A -> title of B bought in the same order) are not used: they teach
complementarity (a pen near printer paper), which is what the recommender is for; in search
they would pull unrelated products into a query's top ten.

A hash of the product id (and ``seed``) holds out a share of products: their pairs never reach
training, and the held-out retrieval set is built from them alone (``retrieval_set``).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from greencart.errors import InvalidParameter

_ATTRS = ("material", "colour", "style", "brand")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'&-]*")
SPLITS = ("train", "eval", "all")


@dataclass(frozen=True)
class Pair:
    query: str
    title: str
    product_id: str
    source: str  # "attributes" or "title-fragment"
    held_out: bool = False

    def __post_init__(self) -> None:
        if not self.query.strip() or not self.title.strip():
            raise InvalidParameter(f"Expected a non-empty query and title, got {self.query!r} -> {self.title!r}")


def is_held_out(product_id: str, holdout: float, seed: int = 0) -> bool:
    """Stable split: the same product is held out in every run with the same ``holdout`` and ``seed``."""
    h = int(hashlib.sha1(f"{seed}:{product_id}".encode()).hexdigest()[:8], 16)
    return h / 2**32 < holdout


def _clean(text: str) -> str:
    return " ".join(str(text).lower().split())


def _title(title: str) -> str:
    t = " ".join(title.split())
    return t.capitalize() if t.isupper() else t  # all-caps catalogue titles read better in sentence case


def product_queries(title: str, attributes: dict[str, Any]) -> list[tuple[str, str]]:
    """(query, source) pseudo-queries for one product; the full title itself is never a query."""
    out: list[tuple[str, str]] = []
    kind = _clean(attributes.get("type", ""))
    if kind:
        out.append((kind, "attributes"))
        for key in _ATTRS:
            value = _clean(attributes.get(key, ""))
            if value and value not in kind:
                out.append((f"{value} {kind}", "attributes"))
        style, material = _clean(attributes.get("style", "")), _clean(attributes.get("material", ""))
        if style and material:
            out.append((f"{style} {material} {kind}", "attributes"))
    words = [w.lower() for w in _WORD.findall(title.split(",")[0])]
    for n in (2, 3):
        for i in range(len(words) - n + 1):
            frag = " ".join(words[i : i + n])
            if frag != _clean(title):
                out.append((frag, "title-fragment"))
    return list(dict.fromkeys(out))


def pairs_from_products(products: Iterable[Any], *, holdout: float = 0.2, seed: int = 0) -> list[Pair]:
    """Every deduplicated pair for ``products`` (objects with id, title, attributes)."""
    seen: set[tuple[str, str]] = set()
    out: list[Pair] = []
    for p in products:
        title = _title(p.title)
        held = is_held_out(p.id, holdout, seed)
        for query, source in product_queries(p.title, dict(p.attributes or {})):
            if (query, title) not in seen:
                seen.add((query, title))
                out.append(Pair(query, title, p.id, source, held))
    return out


def mine_pairs(db: Any, *, limit: int = 20_000, holdout: float = 0.2, split: str = "train",
               seed: int = 0) -> list[Pair]:
    """Pairs from the products in ``db`` (a greencart Database): ``split`` "train" (no held-out
    product), "eval" (held-out products only) or "all"; at most ``limit``, a seeded sample."""
    from greencart.store.catalog_repo import iter_products

    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidParameter(f"Expected limit to be a positive integer, got {limit!r}")
    if not (0.0 <= holdout < 1.0):
        raise InvalidParameter(f"Expected holdout in [0, 1), got {holdout}")
    if split not in SPLITS:
        raise InvalidParameter(f"Expected split in {SPLITS}, got {split!r}")
    with db.sessions() as session:
        pairs = pairs_from_products(iter_products(session), holdout=holdout, seed=seed)
    if split != "all":
        pairs = [p for p in pairs if p.held_out == (split == "eval")]
    if len(pairs) > limit:
        pairs = random.Random(seed).sample(pairs, limit)
    return pairs


@dataclass(frozen=True)
class RetrievalSet:
    """Held-out queries, the titles to search and, per query, the indices of its relevant titles."""

    queries: tuple[str, ...]
    titles: tuple[str, ...]
    relevant: tuple[frozenset[int], ...]


def retrieval_set(all_pairs: Sequence[Pair], *, max_queries: int = 500, unseen_queries: bool = False,
                  sources: Sequence[str] = ("attributes", "title-fragment"), seed: int = 0) -> RetrievalSet:
    """Queries of held-out products against the held-out titles only: no training title is searched.

    A title is relevant to a query when the query was mined from it (a query such as "black desk"
    fits several products). ``unseen_queries`` keeps only query strings no training pair uses.
    """
    train_queries = {p.query for p in all_pairs if not p.held_out} if unseen_queries else set()
    held = [p for p in all_pairs if p.held_out]
    titles = sorted({p.title for p in held})
    index = {t: i for i, t in enumerate(titles)}
    relevant: dict[str, set[int]] = {}
    for p in held:
        relevant.setdefault(p.query, set()).add(index[p.title])
    queries = sorted({p.query for p in held if p.source in sources and p.query not in train_queries})
    if not queries:
        raise InvalidParameter("Expected held-out products with queries to evaluate: raise holdout, "
                               "add products or allow seen queries")
    if len(queries) > max_queries:
        queries = sorted(random.Random(seed).sample(queries, max_queries))
    return RetrievalSet(tuple(queries), tuple(titles), tuple(frozenset(relevant[q]) for q in queries))
