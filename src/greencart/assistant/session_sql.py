"""Dialogue state in the database, shared by every API worker (PostgreSQL; SQLite works
for one process). Same :class:`~greencart.assistant.state.SessionStore` protocol, plus
``lock(session_id)``: the Assistant holds it for a whole turn, so concurrent turns of
one session run one after another on any worker (a PostgreSQL advisory lock, see
``store.session_repo``). Inside the lock, ``get`` and ``put`` use the lock's transaction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from greencart.assistant.state import DialogueState, check_session_id
from greencart.errors import InvalidParameter, check_range


class SqlSessionStore:
    def __init__(self, db: Any, ttl_s: float = 3600.0) -> None:
        from greencart.store import session_repo

        check_range("ttl_s", ttl_s, 1.0, 30 * 86400.0)
        self.db, self.ttl_s = db, ttl_s
        self._repo = session_repo
        self._engine = session_repo.session_engine(db)
        self._local = threading.local()
        self._process_locks: dict[str, threading.Lock] = {}  # SQLite: one process, thread locks
        self._guard = threading.Lock()

    @contextmanager
    def _session(self) -> Iterator[Any]:
        held = getattr(self._local, "session", None)
        if held is not None:
            yield held
            return
        with self.db.transaction() as session:
            yield session

    @contextmanager
    def lock(self, session_id: str) -> Iterator[None]:
        """Hold ``session_id`` for one turn (read, route, write) across all workers."""
        check_session_id(session_id)
        with self._thread_lock(session_id), self._repo.locked_session(self._engine, session_id) as session:
            self._local.session = session
            try:
                yield
            finally:
                self._local.session = None

    def _thread_lock(self, session_id: str) -> threading.Lock:
        if self.db.dialect == "postgresql":
            return _NO_LOCK
        with self._guard:
            if len(self._process_locks) > 10_000:
                self._process_locks.clear()
            return self._process_locks.setdefault(session_id, threading.Lock())

    def get(self, session_id: str) -> DialogueState | None:
        check_session_id(session_id)
        with self._session() as s:
            data = self._repo.get_state(s, session_id, time.time() - self.ttl_s)
        if data is None:
            return None
        try:
            return DialogueState.from_dict(data)
        except (TypeError, ValueError, KeyError) as exc:
            raise InvalidParameter(f"Stored session {session_id!r} is not a valid dialogue state ({exc})") from None

    def put(self, state: DialogueState) -> None:
        state.updated_at = time.time()
        with self._session() as s:
            self._repo.put_state(s, state.session_id, state.to_dict(), state.updated_at)

    def delete(self, session_id: str) -> None:
        with self._session() as s:
            self._repo.delete_state(s, check_session_id(session_id))

    def expire(self) -> int:
        """Delete sessions idle longer than ``ttl_s``; returns how many."""
        with self.db.transaction() as s:
            return self._repo.expire_states(s, time.time() - self.ttl_s)


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LOCK: Any = _NoLock()
