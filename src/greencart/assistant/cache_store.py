"""The semantic cache shared by many API workers, and the factory that picks where
sessions and cached turns live.

:class:`SharedSemanticCache` keeps :class:`~greencart.assistant.cache.SemanticCache`'s
rules (same dialogue state, same slots, exact text or cosine >= threshold, never an
older catalogue version) but keeps entries in a backend every worker reads: the
database (:class:`SqlCacheBackend`) or Redis (``session_redis.RedisCacheBackend``).
A backend error never fails a turn: it is logged and counted as a miss.

:func:`shared_state_from_settings` is what ``create_app`` calls:
Redis when ``GREENCART_REDIS_URL`` is set, the database when it is PostgreSQL,
otherwise the in-process stores (SQLite: one worker).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import time
from typing import Any, Protocol

import numpy as np

from greencart.assistant.cache import _UNSET, SemanticCache, normalise_text
from greencart.assistant.state import MemorySessionStore, SessionStore

log = logging.getLogger(__name__)


class CacheBackend(Protocol):
    def entries(self, state_key: str, version: str, newer_than_s: float) -> list[tuple[str, bytes | None, bytes]]: ...

    def put(self, state_key: str, version: str, norm_text: str, vector: bytes | None, blob: bytes,
            created_s: float) -> None: ...

    def clear(self) -> None: ...

    def count(self) -> int: ...


class SqlCacheBackend:
    """Entries in the ``semantic_cache`` table; pruned to ``max_entries`` every 100 writes."""

    def __init__(self, db: Any, ttl_s: float, max_entries: int) -> None:
        from greencart.store import session_repo

        self.db, self.ttl_s, self.max_entries, self._repo = db, ttl_s, max_entries, session_repo
        self._writes = 0

    def entries(self, state_key: str, version: str, newer_than_s: float) -> list[tuple[str, bytes | None, bytes]]:
        with self.db.read() as s:
            return self._repo.cache_entries(s, state_key, version, newer_than_s)

    def put(self, state_key: str, version: str, norm_text: str, vector: bytes | None, blob: bytes,
            created_s: float) -> None:
        with self.db.transaction() as s:
            self._repo.put_cache_entry(s, state_key, version, norm_text, vector, blob, created_s)
        self._writes += 1
        if self._writes % 100 == 0:
            with self.db.transaction() as s:
                self._repo.prune_cache(s, time.time() - self.ttl_s, self.max_entries)

    def clear(self) -> None:
        with self.db.transaction() as s:
            self._repo.clear_cache(s)

    def count(self) -> int:
        with self.db.read() as s:
            return self._repo.count_cache(s)


def version_key(version: Any) -> str:
    """A catalogue version (any hashable) as a short stable string."""
    return hashlib.sha256(repr(version).encode()).hexdigest()[:32]


class SharedSemanticCache(SemanticCache):
    def __init__(self, backend: CacheBackend, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backend = backend

    def lookup(self, text: str, key: str, slots: tuple[Any, ...]) -> dict[str, Any] | None:
        version = self._seen.version = self._current_version()
        found = None if version is _UNSET else self._find(normalise_text(text), key, slots, version)
        with self._lock:
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self.semantic_hits += int(found[1])
        return None if found is None else found[0]

    def _find(self, norm: str, key: str, slots: tuple[Any, ...], version: Any) -> tuple[dict, bool] | None:
        try:
            rows = self.backend.entries(key, version_key(version), time.time() - self.ttl_s)
            entries = [(t, v, pickle.loads(b)) for t, v, b in rows]
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be read is a miss, never an error
            log.warning("Shared semantic cache unreadable (%s): miss", type(exc).__name__)
            return None
        same = [(t, v, payload) for t, v, (s, payload) in entries if s == slots]
        for t, _, payload in same:
            if t == norm:
                return payload, False
        candidates = [(np.frombuffer(v, dtype=np.float32), payload) for _, v, payload in same if v]
        if candidates:
            vec = self._embed(norm)
            if vec is not None:
                sims = np.stack([c[0] for c in candidates]) @ vec
                best = int(np.argmax(sims))
                if float(sims[best]) >= self.threshold:
                    return candidates[best][1], True
        return None

    def store(self, text: str, key: str, slots: tuple[Any, ...], payload: dict[str, Any]) -> None:
        version = getattr(self._seen, "version", _UNSET)
        self._seen.version = _UNSET
        if version is _UNSET:
            version = self._current_version()
        if version is _UNSET or (self._version_source is not None and version != self._version):
            return
        norm = normalise_text(text)
        vector = self._embed(norm)
        try:
            blob = pickle.dumps((slots, payload))
            self.backend.put(key, version_key(version), norm,
                             None if vector is None else np.asarray(vector, np.float32).tobytes(), blob, time.time())
        except Exception as exc:  # noqa: BLE001 - not caching a turn never fails the turn
            log.warning("Shared semantic cache write skipped (%s)", type(exc).__name__)

    def clear(self) -> None:
        self.backend.clear()

    def stats(self) -> dict[str, int]:
        try:
            entries = self.backend.count()
        except Exception:  # noqa: BLE001
            entries = -1
        return {"entries": entries, "hits": self.hits, "semantic_hits": self.semantic_hits,
                "misses": self.misses, "invalidations": self.invalidations}


def shared_state_from_settings(settings: Any, db: Any) -> tuple[SessionStore, SemanticCache]:
    """Where sessions and cached turns live for the API: Redis (``settings.redis_url``),
    the database when it is PostgreSQL, else in this process (SQLite: one worker)."""
    redis_url = getattr(settings, "redis_url", "")
    if redis_url:
        from greencart.assistant.session_redis import (
            RedisCacheBackend,
            RedisSessionStore,
            redis_client,
        )

        client = redis_client(redis_url)
        cache = SharedSemanticCache(RedisCacheBackend(client, ttl_s=600.0))
        return RedisSessionStore(client), cache
    if db is not None and getattr(db, "dialect", "") == "postgresql":
        from greencart.assistant.session_sql import SqlSessionStore

        return SqlSessionStore(db), SharedSemanticCache(SqlCacheBackend(db, ttl_s=600.0, max_entries=100_000))
    return MemorySessionStore(), SemanticCache()
