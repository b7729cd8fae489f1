"""Energy across API worker processes: publish each worker's counters, reconcile per host.

Every worker runs its own :class:`~greencart.energy.EnergyMonitor`, which samples the
*whole host* (RAPL or the modelled CPU curve) and splits each window by CPU time:
its own units get their share, the busy CPU of every other process (the other
workers included) is ``unattributed``, unused capacity is ``idle``. So per worker,
``attributed`` is already its fair share, but ``total``, ``idle`` and ``unattributed``
describe the whole host: summing them over N workers counts the host N times.

The reconciled host view (:func:`reconcile`) therefore takes, per host:

- ``total_j`` and ``idle_j`` once, from one reference worker (the longest-running,
  whose window covers the others');
- ``attributed_j`` as the sum over workers (disjoint units, each metered by the
  worker that ran it);
- ``unattributed_j = total_j - attributed_j - idle_j`` (other processes), so that
  ``attributed + unattributed + idle == total`` holds for the host as for one worker.

Hosts are summed (several machines behind one database each count once).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostEnergy:
    """The reconciled energy of every host behind one database, since its workers started."""

    hosts: int
    workers: int
    total_j: float
    attributed_j: float
    unattributed_j: float
    idle_j: float
    naive_sum_total_j: float  # what adding every worker's host total would claim
    method: str
    per_worker: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def reconcile(rows: Sequence[dict[str, Any]]) -> HostEnergy:
    """Host totals from per-worker counters (``worker_energy`` rows), counted once per host."""
    by_host: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_host.setdefault(r["host"], []).append(r)
    total = attributed = idle = 0.0
    for workers in by_host.values():
        ref = min(workers, key=lambda r: (r["started_s"], -r["windows"]))
        host_attr = sum(r["attributed_j"] for r in workers)
        total += ref["total_j"]
        idle += ref["idle_j"]
        attributed += host_attr
    methods = sorted({r["method"] for r in rows})
    return HostEnergy(
        hosts=len(by_host), workers=len(rows), total_j=total, attributed_j=attributed,
        unattributed_j=max(0.0, total - attributed - idle), idle_j=idle,
        naive_sum_total_j=sum(r["total_j"] for r in rows), method="+".join(methods) or "none",
        per_worker=[{k: r[k] for k in ("worker_id", "pid", "total_j", "attributed_j", "idle_j", "windows")}
                    for r in rows])


def worker_row(worker_id: str, started_s: float, snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"worker_id": worker_id, "host": socket.gethostname(), "pid": os.getpid(),
            "meter": str(snapshot["meter"])[:64], "method": str(snapshot["method"])[:32],
            "started_s": started_s, "updated_s": time.time(), "windows": int(snapshot["windows"]),
            "total_j": float(snapshot["total_j"]), "attributed_j": float(snapshot["attributed_j"]),
            "unattributed_j": float(snapshot["unattributed_j"]), "idle_j": float(snapshot["idle_j"])}


class WorkerEnergyPublisher:
    """Writes this worker's monitor counters to ``worker_energy`` every ``interval_s``."""

    def __init__(self, db: Any, monitor: Any, *, interval_s: float = 2.0) -> None:
        from greencart.energy.background import BackgroundLoop

        self.db, self.monitor = db, monitor
        self.started_s = time.time()
        self.worker_id = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._loop = BackgroundLoop("greencart-worker-energy", interval_s, self.publish)

    def start(self) -> WorkerEnergyPublisher:
        self.publish()
        self._loop.start()
        return self

    def publish(self) -> None:
        from greencart.store import session_repo

        try:
            with self.db.transaction() as s:
                session_repo.put_worker_energy(s, worker_row(self.worker_id, self.started_s, self.monitor.snapshot()))
        except Exception as exc:  # noqa: BLE001 - a missing table or a blip never stops serving
            log.warning("Worker energy not published (%s)", exc)

    def stop(self) -> None:
        self._loop.stop()
        self.publish()


def host_energy(db: Any, *, live_within_s: float | None = None) -> HostEnergy:
    """The reconciled view of the workers that published (within ``live_within_s`` if given)."""
    from greencart.store import session_repo

    since = 0.0 if live_within_s is None else time.time() - live_within_s
    with db.read() as s:
        return reconcile(session_repo.worker_energy(s, since))
