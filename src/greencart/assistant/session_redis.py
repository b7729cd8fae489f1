"""Dialogue state and the semantic cache in Redis (``GREENCART_REDIS_URL``), shared by
every API worker. Sessions are JSON strings with a TTL; ``lock(session_id)`` is a Redis
lock (SET NX with an expiry, redis-py's ``Lock``) held for a whole turn."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from greencart.assistant.state import DialogueState, check_session_id
from greencart.errors import ConfigError, InvalidParameter, StoreError, check_range

LOCK_TIMEOUT_S = 60.0  # a lock outlives a dead worker by at most this
LOCK_WAIT_S = 30.0


def redis_client(url: str) -> Any:
    try:
        import redis
    except ImportError:
        raise ConfigError("GREENCART_REDIS_URL needs the redis client: pip install -e '.[scale]'") from None
    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise StoreError(f"Cannot reach Redis at {url} (GREENCART_REDIS_URL): {exc}") from None
    return client


class RedisSessionStore:
    def __init__(self, client: Any, ttl_s: float = 3600.0, prefix: str = "greencart:") -> None:
        check_range("ttl_s", ttl_s, 1.0, 30 * 86400.0)
        self.client, self.ttl_s, self.prefix = client, ttl_s, prefix

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}session:{check_session_id(session_id)}"

    @contextmanager
    def lock(self, session_id: str) -> Iterator[None]:
        from redis.exceptions import LockError

        lock = self.client.lock(self._key(session_id) + ":lock", timeout=LOCK_TIMEOUT_S,
                                blocking_timeout=LOCK_WAIT_S)
        if not lock.acquire():
            raise StoreError(f"Session {session_id!r} is busy: another turn held it for over {LOCK_WAIT_S:.0f} s")
        try:
            yield
        finally:
            try:
                lock.release()
            except LockError:  # expired under a very long turn: nothing left to release
                pass

    def get(self, session_id: str) -> DialogueState | None:
        raw = self.client.get(self._key(session_id))
        if raw is None:
            return None
        try:
            return DialogueState.from_dict(json.loads(raw))
        except (TypeError, ValueError, KeyError) as exc:
            raise InvalidParameter(f"Stored session {session_id!r} is not a valid dialogue state ({exc})") from None

    def put(self, state: DialogueState) -> None:
        state.updated_at = time.time()
        self.client.set(self._key(state.session_id), json.dumps(state.to_dict(), ensure_ascii=False),
                        ex=int(self.ttl_s))

    def delete(self, session_id: str) -> None:
        self.client.delete(self._key(session_id))


class RedisCacheBackend:
    """Semantic-cache entries: one hash per (catalogue version, dialogue state), field = text."""

    def __init__(self, client: Any, ttl_s: float, prefix: str = "greencart:") -> None:
        self.client, self.ttl_s, self.prefix = client, ttl_s, prefix

    def _key(self, state_key: str, version: str) -> str:
        return f"{self.prefix}cache:{version}:{state_key}"

    def entries(self, state_key: str, version: str, newer_than_s: float) -> list[tuple[str, bytes | None, bytes]]:
        import pickle

        out = []
        for field, raw in self.client.hgetall(self._key(state_key, version)).items():
            vector, blob, created_s = pickle.loads(raw)
            if created_s >= newer_than_s:
                out.append((field.decode(), vector, blob))
        return out

    def put(self, state_key: str, version: str, norm_text: str, vector: bytes | None, blob: bytes,
            created_s: float) -> None:
        import pickle

        key = self._key(state_key, version)
        pipe = self.client.pipeline()
        pipe.hset(key, norm_text, pickle.dumps((vector, blob, created_s)))
        pipe.expire(key, int(self.ttl_s))
        pipe.execute()

    def clear(self) -> None:
        for key in self.client.scan_iter(f"{self.prefix}cache:*"):
            self.client.delete(key)

    def count(self) -> int:
        return sum(self.client.hlen(k) for k in self.client.scan_iter(f"{self.prefix}cache:*"))
