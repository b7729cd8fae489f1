"""Scale-out: the host energy reconciled across API workers (greencart.scale.workers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

router = APIRouter(tags=["energy"])


@router.get("/v1/energy/workers")
def energy_workers(request: Request, live_within_s: float | None = Query(None, gt=0, le=86400)) -> dict[str, Any]:
    """Each worker's counters and the host totals counted once (idle not multiplied by workers)."""
    from greencart.scale.workers import host_energy

    publisher = getattr(request.app.state, "worker_energy", None)
    if publisher is not None:
        publisher.publish()  # this worker's figures are fresh
    out = host_energy(request.app.state.service.db, live_within_s=live_within_s).to_dict()
    out["this_worker"] = publisher.worker_id if publisher is not None else None
    return out
