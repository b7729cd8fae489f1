"""The energy ledger: final unit results persisted in batches off the request path.

:class:`LedgerWriter` is a monitor sink: ``put`` only appends to a bounded
queue (never blocks, never touches the database); a background thread writes
batches through ``greencart.store.ledger_repo``. If the queue is full the
record is dropped and counted in ``dropped`` (a request is never held up).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import queue
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greencart.energy.background import BackgroundLoop
from greencart.energy.workunit import UnitResult
from greencart.errors import GreencartError, InvalidParameter

log = logging.getLogger(__name__)


PARENT_TAG = "parent_unit"


def record_of(result: UnitResult) -> dict[str, Any]:
    """A ledger record; a nested unit carries its parent's name in tag ``parent_unit``
    (its energy is already inside its parent's, so totals skip it)."""
    from greencart.store.ledger_repo import LEDGER_FIELDS

    rec = {f: getattr(result, f) for f in LEDGER_FIELDS}
    if result.parent is not None:
        rec["tags"] = {**result.tags, PARENT_TAG: result.parent}
    return rec


def top_level(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records of top-level units only (nested units are included in their parents)."""
    return [r for r in records if PARENT_TAG not in (r.get("tags") or {})]


class LedgerWriter:
    """Batches final results into the store. ``start()``, ``stop()``, ``flush()``."""

    def __init__(self, db: Any, *, batch_size: int = 200, flush_interval_s: float = 1.0,
                 max_pending: int = 100_000) -> None:
        if batch_size < 1 or max_pending < batch_size:
            raise InvalidParameter(f"Expected 1 <= batch_size <= max_pending, got {batch_size}, {max_pending}")
        self.db = db
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=max_pending)
        self._loop = BackgroundLoop("greencart-ledger", flush_interval_s, self.flush)
        self._write_lock = threading.Lock()
        self.written = 0
        self.dropped = 0
        self.failed = 0

    def put(self, result: UnitResult) -> None:
        """The monitor sink: enqueue, never block."""
        try:
            self._queue.put_nowait(record_of(result))
        except queue.Full:
            self.dropped += 1

    __call__ = put

    def attach(self, monitor: Any) -> "LedgerWriter":
        monitor.add_sink(self.put)
        return self.start()

    def start(self) -> "LedgerWriter":
        self._loop.start()
        return self

    def stop(self) -> None:
        self._loop.stop()
        self.flush()

    def _drain(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        while len(batch) < self.batch_size:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def flush(self) -> int:
        """Write everything queued now; returns the number of records written."""
        from greencart.store.ledger_repo import insert_records

        total = 0
        with self._write_lock:
            while batch := self._drain():
                try:
                    with self.db.transaction() as session:
                        insert_records(session, batch)
                except GreencartError as exc:
                    self.failed += len(batch)
                    log.error("Energy ledger write failed, %d records lost: %s", len(batch), exc.message)
                    continue
                total += len(batch)
        self.written += total
        return total


def query(db: Any, **filters: Any) -> list[dict[str, Any]]:
    """Ledger records by ``name``, ``tags`` (dict), ``since``, ``until``, ``limit``."""
    from greencart.store.ledger_repo import query_records

    with db.read() as session:
        return query_records(session, **filters)


def _atomic_write(path: Path, write: Any) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def export_records(records: Sequence[dict[str, Any]], path: Path, fmt: str | None = None) -> int:
    """Write records as CSV or JSON (by ``fmt`` or the suffix), atomically."""
    fmt = fmt or Path(path).suffix.lstrip(".").lower()
    if fmt not in ("csv", "json"):
        raise InvalidParameter(f"Expected an export format csv or json, got {fmt!r}")
    rows = [_plain(r) for r in records]
    if fmt == "json":
        _atomic_write(path, lambda fh: json.dump(rows, fh, indent=1, ensure_ascii=False))
    else:
        fields = list(rows[0]) if rows else ["name"]

        def write_csv(fh: Any) -> None:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)

        _atomic_write(path, write_csv)
    return len(rows)


def _plain(rec: dict[str, Any]) -> dict[str, Any]:
    out = dict(rec)
    if hasattr(out.get("started_at"), "isoformat"):
        out["started_at"] = out["started_at"].isoformat()
    if isinstance(out.get("tags"), dict):
        out["tags"] = json.dumps(out["tags"], sort_keys=True, ensure_ascii=False)
    return out
