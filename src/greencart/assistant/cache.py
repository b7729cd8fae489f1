"""Tier 1: a semantic cache of recent resolved turns.

A turn hits when the dialogue state that changes the answer is the same
(:func:`state_key`: user, constraints, eco weight, shown products, focus) and
either its normalised text is the same, or its MiniLM embedding is close
(cosine >= ``threshold``) *and* the structured slots the rules read (budget,
attributes, references, intent) are equal, so "under 50" never answers "under 60".
The embedder loads lazily on the first semantic lookup; without it the cache is exact only.

Entries are keyed by the catalogue version (``version``: a callable, by default
the store's ``(product count, newest updated_at)`` fingerprint that
``CatalogService`` also uses to reopen its search index, one small aggregate
query per lookup): when it changes, every older entry is dropped, so a turn
computed against an older catalogue is never replayed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from greencart.assistant.state import DialogueState
from greencart.errors import GreencartError, check_range

log = logging.getLogger(__name__)


def normalise_text(text: str) -> str:
    t = text.casefold().replace("’", "'")
    t = re.sub(r"[!?.,;:。！？，、\"'“”]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def state_key(state: DialogueState) -> str:
    c = state.constraints
    blob = json.dumps([state.user_id, c.query, c.category, c.product_type, c.max_price, c.min_price,
                       sorted(c.attributes.items()), c.quantity, round(state.eco_weight, 3),
                       [p["id"] for p in state.shown], state.focus, state.asked_clarification],
                      ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass
class CacheEntry:
    text: str
    state_key: str
    slots: tuple[Any, ...]
    vector: np.ndarray | None
    payload: dict[str, Any]
    created_s: float
    version: Hashable = None


VersionSource = Callable[[], Hashable]


def catalogue_version_source(catalog: Any) -> VersionSource | None:
    """The catalogue fingerprint of ``catalog``: its ``catalogue_version()`` if it has
    one, else ``store.catalog_repo.catalogue_version`` over its ``db``; None if neither."""
    own = getattr(catalog, "catalogue_version", None)
    if callable(own):
        return own
    db = getattr(catalog, "db", None)
    if db is None or not hasattr(db, "read"):
        return None

    def version() -> Hashable:
        from greencart.store.catalog_repo import catalogue_version

        with db.read() as s:
            return catalogue_version(s)

    return version


_UNSET = object()


class SemanticCache:
    def __init__(self, max_entries: int = 1024, ttl_s: float = 600.0, threshold: float = 0.92,
                 embedder: Any = "lazy", version: VersionSource | None = None) -> None:
        check_range("max_entries", max_entries, 1, 1_000_000)
        check_range("ttl_s", ttl_s, 1.0, 86400.0)
        check_range("threshold", threshold, 0.5, 1.0)
        self.max_entries, self.ttl_s, self.threshold = max_entries, ttl_s, threshold
        self._embedder = embedder  # "lazy": MiniLM on first use; None: exact matches only
        self._entries: OrderedDict[tuple[str, str], CacheEntry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.semantic_hits = self.misses = self.invalidations = 0
        self._version_source = version
        self._version: Any = _UNSET  # the newest catalogue version seen
        self._seen = threading.local()  # the version this thread's last lookup saw

    def bind_version(self, source: VersionSource | None) -> None:
        """Use ``source`` for catalogue versions unless one was given already."""
        if self._version_source is None:
            self._version_source = source

    def _current_version(self) -> Any:
        """The catalogue version now; drops every entry of an older one. ``_UNSET`` if it
        cannot be read (then nothing is served or stored)."""
        if self._version_source is None:
            return None
        try:
            version = self._version_source()
        except Exception as exc:  # noqa: BLE001 - an unreadable version means: do not trust the cache
            log.warning("Semantic cache bypassed: catalogue version unreadable (%s)", type(exc).__name__)
            return _UNSET
        with self._lock:
            if version != self._version:
                if self._version is not _UNSET and self._entries:
                    self.invalidations += 1
                    log.info("Catalogue changed: %d cached turns dropped", len(self._entries))
                self._entries.clear()
                self._version = version
        return version

    def _embed(self, text: str) -> np.ndarray | None:
        if self._embedder == "lazy":
            try:
                from greencart.catalog.embed import get_embedder

                self._embedder = get_embedder("minilm-int8")
            except (GreencartError, ImportError, OSError) as exc:
                log.warning("Semantic cache runs on exact matches only: %s", exc)
                self._embedder = None
        if self._embedder is None:
            return None
        return np.asarray(self._embedder.embed([text], is_query=True)[0], dtype=np.float32)

    def _live(self, entry: CacheEntry, now: float) -> bool:
        return now - entry.created_s <= self.ttl_s

    def lookup(self, text: str, key: str, slots: tuple[Any, ...]) -> dict[str, Any] | None:
        version = self._seen.version = self._current_version()
        if version is _UNSET:
            with self._lock:
                self.misses += 1
            return None
        norm, now = normalise_text(text), time.monotonic()
        with self._lock:
            entry = self._entries.get((key, norm))
            if entry is not None and self._live(entry, now) and entry.slots == slots and entry.version == version:
                self._entries.move_to_end((key, norm))
                self.hits += 1
                return entry.payload
            candidates = [e for e in self._entries.values()
                          if e.state_key == key and e.slots == slots and self._live(e, now)
                          and e.vector is not None and e.version == version]
        if candidates:
            vec = self._embed(norm)
            if vec is not None:
                sims = np.stack([e.vector for e in candidates]) @ vec
                best = int(np.argmax(sims))
                if float(sims[best]) >= self.threshold:
                    with self._lock:
                        self.hits += 1
                        self.semantic_hits += 1
                    return candidates[best].payload
        with self._lock:
            self.misses += 1
        return None

    def store(self, text: str, key: str, slots: tuple[Any, ...], payload: dict[str, Any]) -> None:
        """Keep a resolved turn under the catalogue version this thread's lookup saw
        (no second version query); a turn from an older version is not kept."""
        version = getattr(self._seen, "version", _UNSET)
        self._seen.version = _UNSET
        if version is _UNSET:
            version = self._current_version()
        if version is _UNSET or (self._version_source is not None and version != self._version):
            return
        norm = normalise_text(text)
        vector = self._embed(norm)
        with self._lock:
            self._entries[(key, norm)] = CacheEntry(norm, key, slots, vector, payload, time.monotonic(), version)
            self._entries.move_to_end((key, norm))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry (call after the catalogue changed)."""
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict[str, int]:
        return {"entries": len(self._entries), "hits": self.hits, "semantic_hits": self.semantic_hits,
                "misses": self.misses, "invalidations": self.invalidations}
