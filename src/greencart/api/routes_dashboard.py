"""The energy dashboard: ``GET /v1/energy/series``, ``GET /v1/energy/summary`` and the
page ``/dashboard`` (plain HTML/JS under ``static/``; the plots are SVG drawn in the
browser from the series JSON).

Ledger rows are written in batches by a background writer after the sampler window
that holds a unit's end has closed. Before reading, these endpoints close a window and
flush this process's writer (``app.state.ledger``), so the figures include every unit
this process has finished; units of other worker processes lag by up to their
sampler interval plus flush interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from greencart.api.errors import ERROR_RESPONSES
from greencart.api.params import Timestamp
from greencart.api.routes_catalog import metered
from greencart.api.routes_ui import STATIC_DIR
from greencart.energy.sci import EmbodiedConfig, sci
from greencart.errors import InvalidParameter
from greencart.store import ledger_repo
from greencart.units import J_PER_KWH

router = APIRouter(tags=["energy"], responses=ERROR_RESPONSES)

BUCKET_S = {"minute": 60, "hour": 3600, "day": 86400}
DEFAULT_BUCKETS = {"minute": 60, "hour": 48, "day": 30}  # the window when since is omitted
MAX_BUCKETS = 1440
MAX_GROUPS = 10  # beyond this, the smallest groups are summed into "other"
MAX_SUMMARY_ROUTES = 50
OTHER = "other"
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
LAG_NOTE = ("Units are written to the ledger after the sampler window that holds their end closes; "
            "this process's pending units are flushed on every read, other workers' lag by about 1.5 s.")
SCOPE = {
    "tier": "assistant turns (units tagged with a tier); nested in their HTTP request",
    "route": "top-level work units (HTTP requests by route template, CLI turns by route tag); "
             "nested units are inside their parent's figure",
}
Bucket = Literal["minute", "hour", "day"]
By = Literal["tier", "route"]


def _utc(when: datetime) -> datetime:
    """``when`` in UTC (naive = UTC), clamped to ``[EARLIEST, LATEST]``: the ledger holds
    nothing outside, so a wider window means the same thing and is never refused."""
    try:
        utc = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        return EARLIEST if when.year < 2000 else LATEST
    return min(max(utc, EARLIEST), LATEST)


@dataclass(frozen=True)
class SeriesWindow:
    """A window ``[since, until)`` aligned to whole buckets, at most ``MAX_BUCKETS`` of them."""

    bucket: str
    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.bucket not in BUCKET_S:
            raise InvalidParameter(f"Expected bucket in {sorted(BUCKET_S)}, got {self.bucket!r}")
        if self.since > self.until:
            raise InvalidParameter(f"Expected since before until, got since={self.since.isoformat()} "
                                   f"until={self.until.isoformat()}")
        if self.n_buckets > MAX_BUCKETS:
            raise InvalidParameter(
                f"Expected at most {MAX_BUCKETS} {self.bucket} buckets between since and until, got "
                f"{self.n_buckets} ({self.since.isoformat()} to {self.until.isoformat()}): narrow the "
                f"window or use a coarser bucket")

    @property
    def bucket_s(self) -> int:
        return BUCKET_S[self.bucket]

    @property
    def n_buckets(self) -> int:
        return int((self.until - self.since).total_seconds()) // self.bucket_s

    @classmethod
    def resolve(cls, bucket: str, since: datetime | None, until: datetime | None,
                now: datetime | None = None) -> "SeriesWindow":
        """Defaults (until = now, since = a default number of buckets earlier), times
        clamped to ``[EARLIEST, LATEST]``, then since rounded down and until up to bucket
        boundaries. Never refuses a well-formed request: since after until gives an
        empty window (at until), and a window of more than ``MAX_BUCKETS`` keeps its
        latest ``MAX_BUCKETS`` buckets (the response's ``since`` says where it starts)."""
        width = BUCKET_S.get(bucket)
        if width is None:
            raise InvalidParameter(f"Expected bucket in {sorted(BUCKET_S)}, got {bucket!r}")
        end = _utc(until) if until is not None else _utc(now or datetime.now(timezone.utc))
        start = _utc(since) if since is not None else end - timedelta(seconds=width * DEFAULT_BUCKETS[bucket])
        hi = -(-math.ceil(end.timestamp()) // width) * width
        lo = min(math.floor(start.timestamp()) // width * width, hi)
        lo = max(lo, hi - MAX_BUCKETS * width)
        return cls(bucket, datetime.fromtimestamp(lo, timezone.utc), datetime.fromtimestamp(hi, timezone.utc))


def _flush(request: Request) -> bool:
    """Close a sampler window and write this process's pending ledger records."""
    state = request.app.state
    monitor, ledger = getattr(state, "monitor", None), getattr(state, "ledger", None)
    if monitor is None or ledger is None:
        return False
    monitor.close_window()
    ledger.flush()
    return True


def _merge(rows: list[dict[str, Any]], key: str = "group") -> dict[str, dict[str, Any]]:
    """Rows per (group, method) -> per group: count, J, gCO2e, sorted methods."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = out.setdefault(r[key], {"count": 0, "energy_j": 0.0, "carbon_g": 0.0, "methods": []})
        g["count"] += int(r["count"])
        g["energy_j"] += float(r["energy_j"] or 0.0)
        g["carbon_g"] += float(r["carbon_g"] or 0.0)
        if r["method"] not in g["methods"]:
            g["methods"] = sorted([*g["methods"], r["method"]])
    return out


def _fold(rows: list[dict[str, Any]], limit: int = MAX_GROUPS) -> list[dict[str, Any]]:
    """Keep the ``limit - 1`` groups with the most energy when there are more than
    ``limit`` (unmatched paths make routes unbounded); the rest become ``other``."""
    totals = _merge(rows)
    if len(totals) <= limit:
        return rows
    keep = set(sorted(totals, key=lambda g: -totals[g]["energy_j"])[: limit - 1])
    return [r if r["group"] in keep else {**r, "group": OTHER} for r in rows]


def build_series(rows: list[dict[str, Any]], window: SeriesWindow, by: str) -> dict[str, Any]:
    """The series JSON: non-empty buckets (oldest first), each with its groups."""
    rows = _fold(rows)
    per_bucket: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        per_bucket.setdefault(r["bucket"], []).append(r)
    totals = _merge(rows)
    buckets = [{"start": datetime.fromtimestamp(b, timezone.utc).isoformat(), "groups": _merge(rs)}
               for b, rs in sorted(per_bucket.items())]
    order = sorted(totals, key=lambda g: (g == OTHER, -totals[g]["energy_j"], g))
    return {
        "bucket": window.bucket, "bucket_s": window.bucket_s, "by": by, "scope": SCOPE[by],
        "since": window.since.isoformat(), "until": window.until.isoformat(),
        "groups": order, "methods": sorted({r["method"] for r in rows}),
        "buckets": buckets, "totals": totals, "lag_note": LAG_NOTE,
    }


def _per(total: float, n: int) -> float | None:
    return total / n if n else None


def summary_of(tiers: dict[str, dict[str, Any]], routes: dict[str, dict[str, Any]],
               sci_in: dict[str, Any], embodied: EmbodiedConfig) -> dict[str, Any]:
    """Totals per tier and per route, J and gCO2e per turn, share of turns, SCI per turn."""
    turns = sum(t["count"] for t in tiers.values())
    turn_j = sum(t["energy_j"] for t in tiers.values())
    turn_g = sum(t["carbon_g"] for t in tiers.values())
    by_tier = [{"tier": k, **v, "share_of_turns": v["count"] / turns if turns else 0.0,
                "energy_j_per_turn": _per(v["energy_j"], v["count"]),
                "carbon_g_per_turn": _per(v["carbon_g"], v["count"])} for k, v in sorted(tiers.items())]
    by_route = [{"route": k, **v, "energy_j_per_unit": _per(v["energy_j"], v["count"]),
                 "carbon_g_per_unit": _per(v["carbon_g"], v["count"])}
                for k, v in sorted(routes.items(), key=lambda kv: -kv[1]["energy_j"])]
    methods = sorted({m for v in tiers.values() for m in v["methods"]})
    return {
        "turns": {"count": turns, "energy_j": turn_j, "carbon_g": turn_g, "methods": methods,
                  "energy_j_per_turn": _per(turn_j, turns), "carbon_g_per_turn": _per(turn_g, turns)},
        "by_tier": by_tier, "by_route": by_route,
        "sci": _sci_per_turn(turns, sci_in, embodied), "lag_note": LAG_NOTE,
    }


def _sci_per_turn(turns: int, s: dict[str, Any], embodied: EmbodiedConfig) -> dict[str, Any] | None:
    """SCI = (E x I + M) / R with E = every top-level unit's J in the period (idle not
    included: the ledger holds units only), I their energy-weighted intensity, M the
    embodied share over the span they cover, R = turns. None without turns."""
    if turns == 0 or not s["count"]:
        return None
    energy_j = s["energy_j"] or 0.0
    intensity = s["energy_x_intensity"] / energy_j if energy_j > 0 else s["mean_intensity_g_per_kwh"]
    span_s = max((s["last_end_s"] or 0.0) - (s["first_start_s"] or 0.0), 0.0)
    method = "measured" if s["methods"] == ["measured"] else "modelled"
    result = sci(energy_j / J_PER_KWH, intensity, embodied.embodied_g(span_s), float(turns), "turn", method)
    return {**result.as_dict(), "span_s": span_s, "embodied_source": embodied.source,
            "boundary": "every top-level work unit in the period (requests, turns, batches); idle excluded"}


@router.get("/v1/energy/series", summary="Energy (J) and carbon (gCO2e) over time, by tier or by route")
def energy_series(
    request: Request,
    bucket: Bucket = Query(default="minute", description="Bucket width"),
    by: By = Query(default="tier", description="tier: assistant turns; route: top-level units"),
    since: Timestamp | None = Query(default=None, description=(
        "RFC 3339 start, e.g. 2026-03-01T12:00:00Z. Times are clamped to 2000-01-01..2100-01-01; a window of "
        f"more than {MAX_BUCKETS} buckets keeps its latest {MAX_BUCKETS}; the response says the window used")),
    until: Timestamp | None = Query(default=None, description="RFC 3339 end, exclusive (default now); "
                                   "before since: an empty window"),
) -> dict[str, Any]:
    window = SeriesWindow.resolve(bucket, since, until)
    flushed = _flush(request)
    with metered(request, "energy series"), request.app.state.service.db.read() as session:
        rows = ledger_repo.series_rows(session, by=by, bucket_s=window.bucket_s,
                                       since=window.since, until=window.until)
    return {**build_series(rows, window, by), "flushed": flushed}


@router.get("/v1/energy/summary", summary="Totals per tier and per route, J and gCO2e per turn, SCI per turn")
def energy_summary(
    request: Request,
    since: Timestamp | None = Query(default=None, description="RFC 3339 start (default: the whole ledger); "
                                   "times are clamped to 2000-01-01..2100-01-01"),
    until: Timestamp | None = Query(default=None, description="RFC 3339 end, exclusive; before since: an empty period"),
) -> dict[str, Any]:
    window = {"since": _utc(since) if since else None, "until": _utc(until) if until else None}
    if window["since"] and window["until"] and window["since"] > window["until"]:
        window["since"] = window["until"]  # since after until: an empty period, not an error
    flushed = _flush(request)
    with metered(request, "energy summary"), request.app.state.service.db.read() as session:
        tiers = _merge(ledger_repo.group_totals(session, by="tier", **window))
        route_rows = ledger_repo.group_totals(session, by="route", **window)
        routes = _merge(_fold(route_rows, MAX_SUMMARY_ROUTES))
        sci_in = ledger_repo.sci_inputs(session, **window)
    out = summary_of(tiers, routes, sci_in, EmbodiedConfig())
    return {**out, "since": since and window["since"].isoformat(),
            "until": until and window["until"].isoformat(), "flushed": flushed}


@router.get("/dashboard", include_in_schema=False)
def dashboard_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "dashboard.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
