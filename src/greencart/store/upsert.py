"""Dialect-aware bulk upsert (INSERT ... ON CONFLICT DO UPDATE) for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

_CHUNK_ROWS = 5000


def upsert(
    session: Session,
    table: Any,
    rows: Sequence[dict[str, Any]],
    *,
    key: Sequence[str],
    update: Sequence[str] | None = None,
) -> int:
    """Insert ``rows`` into ``table``; on a ``key`` conflict update ``update`` columns.

    ``update=None`` updates every non-key column; ``update=()`` ignores duplicates.
    Rows repeating a key within ``rows`` collapse (the last one wins).
    Returns the number of distinct rows sent. Runs inside the caller's transaction.
    """
    if not rows:
        return 0
    tbl = getattr(table, "__table__", table)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # pragma: no cover - guarded by make_engine
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    # PostgreSQL refuses a statement that touches the same key twice: the last row wins.
    rows = list({tuple(r[k] for k in key): r for r in rows}.values())
    columns = list(rows[0].keys())
    if update is None:
        update = [c for c in columns if c not in key]
    # One compiled statement, executed executemany-style: SQLAlchemy batches the
    # rows itself ("insertmanyvalues"); compiling a multi-VALUES statement per
    # chunk cost ~0.1 s each and dominated the demo load.
    stmt = insert(tbl)
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key), set_={c: stmt.excluded[c] for c in update}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    for start in range(0, len(rows), _CHUNK_ROWS):
        session.execute(stmt, list(rows[start : start + _CHUNK_ROWS]))
    return len(rows)
