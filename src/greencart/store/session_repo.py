"""SQL for state shared by many API workers: dialogue sessions (with a per-session
lock), the semantic cache and per-worker energy counters.

A turn holds its session's lock for its whole read-route-write: on PostgreSQL a
transaction-scoped advisory lock (``pg_advisory_xact_lock``), released at commit
or rollback, also when the worker dies mid-turn (its connection closes). The
lock's connection comes from a pool of its own (:func:`session_engine`), so turns
waiting for a lock never starve the catalogue's pool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from greencart.store.engine import Database
from greencart.store.tables import DialogueSessionRow, SemanticCacheRow, WorkerEnergyRow
from greencart.store.upsert import upsert

LOCK_TIMEOUT_S = 30


def session_engine(db: Database, *, pool_size: int = 8, max_overflow: int = 56) -> Engine:
    """A second engine on ``db``'s URL with a pool for session locks (one connection per
    in-flight turn; 64 covers the API's 40 worker threads). SQLite reuses ``db``'s engine."""
    if db.dialect != "postgresql":
        return db.engine
    from sqlalchemy import create_engine

    return create_engine(db.engine.url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def _lock_key(session_id: str) -> int:
    """A stable signed 64-bit key for the advisory lock."""
    return int.from_bytes(hashlib.blake2b(session_id.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def locked_session(engine: Engine, session_id: str) -> Iterator[Session]:
    """A transaction holding ``session_id``'s lock (PostgreSQL); commits on success."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'"))
            session.execute(select(func.pg_advisory_xact_lock(_lock_key(session_id))))
        yield session


def get_state(session: Session, session_id: str, newer_than_s: float) -> dict[str, Any] | None:
    row = session.get(DialogueSessionRow, session_id)
    if row is None or row.updated_s < newer_than_s:
        return None
    return dict(row.state)


def put_state(session: Session, session_id: str, state: dict[str, Any], updated_s: float) -> None:
    upsert(session, DialogueSessionRow, [{"session_id": session_id, "state": state, "updated_s": updated_s}],
           key=["session_id"])


def delete_state(session: Session, session_id: str) -> None:
    session.execute(delete(DialogueSessionRow).where(DialogueSessionRow.session_id == session_id))


def expire_states(session: Session, older_than_s: float) -> int:
    return session.execute(delete(DialogueSessionRow).where(DialogueSessionRow.updated_s < older_than_s)).rowcount


# -- semantic cache --------------------------------------------------------------------------
def cache_entries(session: Session, state_key: str, version: str, newer_than_s: float,
                  limit: int = 256) -> list[tuple[str, bytes | None, bytes]]:
    """``(norm_text, vector, blob)`` of live entries for one dialogue state, newest first."""
    t = SemanticCacheRow
    rows = session.execute(
        select(t.norm_text, t.vector, t.blob)
        .where(t.state_key == state_key, t.version == version, t.created_s >= newer_than_s)
        .order_by(t.created_s.desc()).limit(limit))
    return [(r[0], r[1], r[2]) for r in rows]


def put_cache_entry(session: Session, state_key: str, version: str, norm_text: str, vector: bytes | None,
                    blob: bytes, created_s: float) -> None:
    upsert(session, SemanticCacheRow, [{"state_key": state_key, "version": version, "norm_text": norm_text,
                                        "vector": vector, "blob": blob, "created_s": created_s}],
           key=["state_key", "version", "norm_text"])


def prune_cache(session: Session, older_than_s: float, max_entries: int) -> int:
    """Drop expired entries, then the oldest beyond ``max_entries``."""
    t = SemanticCacheRow
    n = session.execute(delete(t).where(t.created_s < older_than_s)).rowcount
    cutoff = session.execute(select(t.created_s).order_by(t.created_s.desc())
                             .offset(max_entries).limit(1)).scalar()
    if cutoff is not None:
        n += session.execute(delete(t).where(t.created_s <= cutoff)).rowcount
    return n


def clear_cache(session: Session) -> None:
    session.execute(delete(SemanticCacheRow))


def count_cache(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(SemanticCacheRow)).scalar() or 0)


# -- per-worker energy -------------------------------------------------------------------------
def put_worker_energy(session: Session, row: dict[str, Any]) -> None:
    upsert(session, WorkerEnergyRow, [row], key=["worker_id"])


def worker_energy(session: Session, newer_than_s: float = 0.0) -> list[dict[str, Any]]:
    t = WorkerEnergyRow
    rows = session.execute(select(t).where(t.updated_s >= newer_than_s).order_by(t.started_s)).scalars()
    cols: Sequence[str] = [c.name for c in t.__table__.columns]
    return [{c: getattr(r, c) for c in cols} for r in rows]


def clear_worker_energy(session: Session) -> None:
    session.execute(delete(WorkerEnergyRow))
