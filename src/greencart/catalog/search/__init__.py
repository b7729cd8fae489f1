"""Product search: hybrid lexical (BM25) and semantic ranking, English and Chinese.

Public API::

    from greencart.catalog.search import SearchIndex, SearchFilters, open_index
    index = open_index(db, settings.index_dir)           # loads, or builds and saves
    hits = index.search("white metal lantern", SearchFilters(max_price=5), k=10)

Modules: ``tokenize`` (English stemming, Chinese jieba), ``filters`` (hard
constraints), ``vectors`` (what is embedded, batched), ``fusion`` (score
fusion), ``index`` (build and query), ``persist`` (save and load),
``fingerprint`` (catalogue fingerprint, :func:`open_index`). Nothing loads a
model at import.
"""

from greencart.catalog.search.filters import SearchFilters
from greencart.catalog.search.fingerprint import catalogue_fingerprint, open_index
from greencart.catalog.search.fusion import FusionConfig
from greencart.catalog.search.index import SearchHit, SearchIndex

__all__ = [
    "FusionConfig",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "catalogue_fingerprint",
    "open_index",
]
