"""Catalogue fingerprints and opening the persisted index for a database."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from greencart.catalog.models import Product
from greencart.errors import StoreError

if TYPE_CHECKING:
    from greencart.catalog.search.index import SearchIndex
    from greencart.store.engine import Database

log = logging.getLogger(__name__)


def _record(p: Product) -> list:
    return [
        p.id,
        p.title,
        p.title_zh,
        p.description,
        p.category,
        float(p.price),
        p.currency,
        sorted((str(k), str(v)) for k, v in p.attributes.items()),
    ]


def catalogue_fingerprint(products: Iterable[Product]) -> str:
    """sha256 over every field the index reads, independent of product order."""
    h = hashlib.sha256()
    for rec in sorted((_record(p) for p in products), key=lambda r: r[0]):
        h.update(json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _current_models(manifest: dict) -> bool:
    from greencart.catalog.embed import serving_name
    from greencart.catalog.search.index import EN_MODEL, ZH_MODEL

    # serving_name: a promoted embedder variant changes the name, so the index is rebuilt with it.
    return manifest.get("models") == {"en": serving_name(EN_MODEL), "zh": serving_name(ZH_MODEL)}


def _current_lexical(index: SearchIndex) -> bool:
    from greencart.catalog.search.lexical import DEFAULT_LEXICAL

    return index.lexical == DEFAULT_LEXICAL  # a changed lexical default rebuilds BM25 (vectors are reused)


def open_index(
    db: Database, index_dir: Path, *, rebuild: bool = False, progress: bool = False
) -> SearchIndex:
    """The index of ``db``'s products: loaded from ``index_dir`` when its fingerprint
    matches, else built (reusing unchanged vectors) and saved there."""
    from greencart.catalog.search.index import SearchIndex
    from greencart.catalog.search.persist import read_manifest
    from greencart.store.catalog_repo import iter_products

    index_dir = Path(index_dir)
    db.require_migrated()
    with db.read() as session:
        products = list(iter_products(session))
    fingerprint = catalogue_fingerprint(products)
    previous: SearchIndex | None = None
    if not rebuild and index_dir.exists():
        try:
            manifest = read_manifest(index_dir)
            if _current_models(manifest):
                previous = SearchIndex.load(index_dir)
        except StoreError as exc:
            log.warning("Rebuilding the search index: %s", exc.message)
        if previous is not None and previous.fingerprint == fingerprint and _current_lexical(previous):
            return _with_speller(previous, products)
    index = SearchIndex.build(products, progress=progress, previous=previous)
    index.save(index_dir)
    return _with_speller(index, products)


def _with_speller(index: SearchIndex, products: list[Product]) -> SearchIndex:
    """Spelling correction from the catalogue vocabulary the assistant uses too (its SymSpell
    dictionary is built on the first correction, not here)."""
    from greencart.catalog.vocabulary import CatalogVocabulary, product_words

    index.set_speller(CatalogVocabulary.build(" ".join(product_words(p)) for p in products))
    return index
