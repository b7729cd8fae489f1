"""Sessions and the semantic cache shared by many workers: the database (SQLite and
PostgreSQL) and Redis. Two store objects over two connections stand for two workers."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from greencart.assistant.cache_store import (
    SharedSemanticCache,
    SqlCacheBackend,
    shared_state_from_settings,
)
from greencart.assistant.session_sql import SqlSessionStore
from greencart.assistant.state import DialogueState, MemorySessionStore, TurnRecord
from greencart.config import Settings
from greencart.store import open_database

from .test_cache import BagOfWordsEmbedder

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture
def redis_client():
    url = os.environ.get("GREENCART_TEST_REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI requires Redis: GREENCART_TEST_REDIS_URL is unset (make test sets it)")
        pytest.skip("GREENCART_TEST_REDIS_URL is unset: run scripts/ensure_redis.sh or `make test`")
    from greencart.assistant.session_redis import redis_client as connect

    return connect(url)


def _second_worker(db):
    """Another Database on the same URL: its own engine and pools, like another process."""
    return open_database(db.engine.url.render_as_string(hide_password=False))


def _stores(kind, db, redis_client_factory):
    if kind == "sql":
        other = _second_worker(db)
        return SqlSessionStore(db), SqlSessionStore(other), other
    from greencart.assistant.session_redis import RedisSessionStore

    client = redis_client_factory()
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    return RedisSessionStore(client, prefix=prefix), RedisSessionStore(client, prefix=prefix), None


def _state(sid):
    s = DialogueState(session_id=sid, user_id="U1", lang="zh", eco_weight=0.6)
    s.constraints.max_price = 20.0
    s.add_turn(TurnRecord("user", "白色T恤"))
    return s


def test_sql_session_continues_on_another_worker(db):
    a, b = SqlSessionStore(db), SqlSessionStore(_second_worker(db))
    sid = "s" + uuid.uuid4().hex
    assert a.get(sid) is None
    state = _state(sid)
    a.put(state)
    got = b.get(sid)
    assert got is not None and got.to_dict() == state.to_dict()
    b.delete(sid)
    assert a.get(sid) is None
    b.db.dispose()


def test_sql_sessions_expire(db):
    store = SqlSessionStore(db, ttl_s=1.0)
    store.put(_state("old-session"))
    time.sleep(1.1)
    assert store.get("old-session") is None
    assert store.expire() == 1


def _count_turns(store_a, store_b, sid, n_threads=4, per_thread=5):
    """Each thread reads, waits a little and writes back one more turn, under the lock."""
    store_a.put(DialogueState(session_id=sid))

    def work(store):
        for _ in range(per_thread):
            with store.lock(sid):
                state = store.get(sid)
                time.sleep(0.005)  # a read-modify-write window other workers would race into
                state.energy_j_total += 1.0
                store.put(state)

    threads = [threading.Thread(target=work, args=(store_a if i % 2 else store_b,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return store_a.get(sid).energy_j_total


@pytest.mark.postgres
def test_postgres_lock_orders_turns_across_workers(postgres_db):
    other = _second_worker(postgres_db)
    a, b = SqlSessionStore(postgres_db), SqlSessionStore(other)
    assert _count_turns(a, b, "locked-session") == 20.0  # no lost update
    other.dispose()


def test_redis_session_and_lock(redis_client):
    from greencart.assistant.session_redis import RedisSessionStore

    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    a, b = RedisSessionStore(redis_client, prefix=prefix), RedisSessionStore(redis_client, prefix=prefix)
    a.put(_state("redis-session"))
    assert b.get("redis-session").constraints.max_price == 20.0
    assert _count_turns(a, b, "redis-counter") == 20.0
    b.delete("redis-session")
    assert a.get("redis-session") is None


def _payload(reply):
    return {"outcome": {"reply": reply}, "state": {"turns": []}}


def _version():
    return ("v1", 3)  # one fixed catalogue version


def _shared_caches(backend_a, backend_b):
    version = _version
    a = SharedSemanticCache(backend_a, embedder=BagOfWordsEmbedder(), threshold=0.9, version=version)
    b = SharedSemanticCache(backend_b, embedder=BagOfWordsEmbedder(), threshold=0.9, version=version)
    return a, b


def _check_shared_cache(a, b):
    slots = ("search", "en", None, "t-shirt", 20.0)
    assert a.lookup("white t-shirts under 20", "k1", slots) is None
    a.store("white t-shirts under 20", "k1", slots, _payload("three shirts"))
    assert b.lookup("White t-shirts under 20!", "k1", slots) == _payload("three shirts")  # exact (normalised)
    assert b.lookup("white t-shirt under 20", "k1", slots) == _payload("three shirts")  # semantic
    assert b.semantic_hits == 1
    assert b.lookup("white t-shirts under 20", "k1", slots[:-1] + (30.0,)) is None  # other slots
    assert b.lookup("white t-shirts under 20", "k2", slots) is None  # other dialogue state
    assert b.stats()["entries"] == 1


def test_sql_semantic_cache_is_shared(db):
    other = _second_worker(db)
    _check_shared_cache(*_shared_caches(SqlCacheBackend(db, 600.0, 100), SqlCacheBackend(other, 600.0, 100)))
    other.dispose()


def test_redis_semantic_cache_is_shared(redis_client):
    from greencart.assistant.session_redis import RedisCacheBackend

    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    a, b = _shared_caches(RedisCacheBackend(redis_client, 600.0, prefix),
                          RedisCacheBackend(redis_client, 600.0, prefix))
    _check_shared_cache(a, b)
    a.clear()
    assert b.stats()["entries"] == 0


def test_cache_backend_error_is_a_miss(sqlite_db):
    class Broken:
        def entries(self, *a):
            raise OSError("down")

        def put(self, *a):
            raise OSError("down")

    cache = SharedSemanticCache(Broken(), embedder=None)
    cache.store("hello", "k", (), _payload("x"))  # never raises
    assert cache.lookup("hello", "k", ()) is None and cache.misses == 1


def test_factory_picks_the_shared_store(sqlite_db, tmp_path):
    store, cache = shared_state_from_settings(Settings(var_dir=tmp_path), sqlite_db)
    assert isinstance(store, MemorySessionStore) and not isinstance(cache, SharedSemanticCache)


@pytest.mark.postgres
def test_factory_uses_postgres(postgres_db, tmp_path):
    url = postgres_db.engine.url.render_as_string(hide_password=False)
    store, cache = shared_state_from_settings(Settings(var_dir=tmp_path, database_url=url), postgres_db)
    assert isinstance(store, SqlSessionStore) and isinstance(cache, SharedSemanticCache)


def test_factory_uses_redis(redis_client, sqlite_db, tmp_path):
    from greencart.assistant.session_redis import RedisSessionStore

    url = os.environ["GREENCART_TEST_REDIS_URL"]
    store, cache = shared_state_from_settings(Settings(var_dir=tmp_path, redis_url=url), sqlite_db)
    assert isinstance(store, RedisSessionStore) and isinstance(cache, SharedSemanticCache)
