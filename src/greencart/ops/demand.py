"""Demand series from the orders in the store: daily or weekly, per product, category, country or total.

Returns and cancellations are handled explicitly (``returns``):
- ``net`` (default): a returned or cancelled unit is subtracted in the period it came back; a period whose
  net demand would be negative is clipped to 0 and counted (``clipped_periods``).
- ``gross``: returns are ignored; demand is what was ordered.
Either way the summary says how many units and lines were returns, so nothing is silently dropped.
Series are on a complete calendar (zeros where nothing sold) from the first to the last period of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from greencart.errors import InvalidParameter, NotFound

if TYPE_CHECKING:
    import pandas as pd

    from greencart.store import Database

LEVELS = ("product", "category", "country", "product_country", "total")
FREQS = {"D": "D", "W": "W-MON"}  # weekly periods start on Monday
RETURNS = ("net", "gross")


@dataclass(frozen=True)
class DemandSpec:
    """Which series to build."""

    level: str = "product"
    freq: str = "W"
    returns: str = "net"
    source: str | None = None  # "online-retail", "demo", or None for all orders
    top: int | None = None  # keep the ``top`` series by revenue (None: all)
    min_nonzero: int = 0  # drop series with fewer non-zero periods

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise InvalidParameter(f"Expected level in {LEVELS}, got {self.level!r}")
        if self.freq not in FREQS:
            raise InvalidParameter(f"Expected freq in {tuple(FREQS)}, got {self.freq!r}")
        if self.returns not in RETURNS:
            raise InvalidParameter(f"Expected returns in {RETURNS}, got {self.returns!r}")
        if self.top is not None and self.top < 1:
            raise InvalidParameter(f"Expected top >= 1 or None, got {self.top}")
        if self.min_nonzero < 0:
            raise InvalidParameter(f"Expected min_nonzero >= 0, got {self.min_nonzero}")

    @property
    def pandas_freq(self) -> str:
        return FREQS[self.freq]


@dataclass
class DemandData:
    """Long frame ``unique_id, ds, y`` (StatsForecast's format) plus revenue per series and what was done."""

    series: "pd.DataFrame"
    revenue: "pd.DataFrame"  # unique_id, ds, revenue (sales only, in the catalogue currency)
    spec: DemandSpec
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def n_series(self) -> int:
        return int(self.series["unique_id"].nunique())


def _period_start(ts: "pd.Series", freq: str) -> "pd.Series":
    import pandas as pd

    day = ts.dt.floor("D")
    return day if freq == "D" else day - pd.to_timedelta(day.dt.weekday, unit="D")


def _key(lines: "pd.DataFrame", level: str) -> "pd.Series":
    if level == "product":
        return lines["product_id"].astype(str)
    if level == "category":
        return lines["category"].astype(str)
    if level == "country":
        return lines["country"].fillna("unknown").astype(str)
    if level == "product_country":
        return lines["product_id"].astype(str) + "|" + lines["country"].fillna("unknown").astype(str)
    return lines["product_id"].map(lambda _: "total")


def lines_frame(rows: list[tuple]) -> "pd.DataFrame":
    """Order lines (tuples from ``store.ops_repo.demand_lines``) as a typed frame."""
    import pandas as pd

    from greencart.store.ops_repo import DEMAND_COLUMNS

    frame = pd.DataFrame(rows, columns=list(DEMAND_COLUMNS))
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["quantity"] = frame["quantity"].astype("int64")
    frame["is_return"] = frame["is_return"].astype(bool) | (frame["quantity"] < 0)
    return frame


def build_series(lines: "pd.DataFrame", spec: DemandSpec) -> DemandData:
    """Aggregate order lines into complete per-period series (see the module docstring)."""
    import pandas as pd

    if lines.empty:
        raise NotFound("Expected order lines in the store, found none: import orders "
                               "(`greencart import online-retail FILE` or `greencart init --demo`)")
    lines = lines.assign(unique_id=_key(lines, spec.level), ds=_period_start(lines["ordered_at"], spec.freq))
    sales = lines.loc[~lines["is_return"]]
    returns = lines.loc[lines["is_return"]]
    summary: dict[str, Any] = {
        "lines": len(lines), "sale_units": int(sales["quantity"].sum()),
        "return_lines": len(returns), "return_units": int(-returns["quantity"].sum()), "returns": spec.returns,
    }
    used = lines if spec.returns == "net" else sales
    qty = used.groupby(["unique_id", "ds"], sort=False)["quantity"].sum()
    revenue = (sales["quantity"] * sales["unit_price"]).groupby([sales["unique_id"], sales["ds"]]).sum()
    periods, partial = _complete_periods(lines, spec.freq)
    summary["partial_periods_dropped"] = partial
    ids = sorted(lines["unique_id"].unique())
    grid = pd.MultiIndex.from_product([ids, periods], names=["unique_id", "ds"])
    y = qty.reindex(grid, fill_value=0).astype(float)  # rows of dropped partial weeks fall out here
    summary["clipped_periods"] = int((y < 0).sum())
    y = y.clip(lower=0.0)
    rev = revenue.reindex(grid, fill_value=0.0)
    frame = y.rename("y").reset_index()
    rev_frame = rev.rename("revenue").reset_index()
    keep = _keep_ids(frame, rev_frame, spec)
    frame = frame.loc[frame["unique_id"].isin(keep)].reset_index(drop=True)
    rev_frame = rev_frame.loc[rev_frame["unique_id"].isin(keep)].reset_index(drop=True)
    if frame.empty:
        raise InvalidParameter(f"Expected at least one series with >= {spec.min_nonzero} non-zero periods, got none")
    summary.update(series=len(keep), periods=len(periods), first=str(periods[0].date()), last=str(periods[-1].date()),
                   zero_share=round(float((frame["y"] == 0).mean()), 4))
    return DemandData(frame, rev_frame, spec, summary)


def _complete_periods(lines: "pd.DataFrame", freq: str) -> tuple["pd.DatetimeIndex", list[str]]:
    """Every period from the first to the last; a week the data covers only partly at either end is dropped
    (the data begins after its Monday or ends before its Sunday), and said so."""
    import pandas as pd

    periods = pd.date_range(lines["ds"].min(), lines["ds"].max(), freq=FREQS[freq])
    if freq != "W" or len(periods) < 3:
        return periods, []
    first, last = lines["ordered_at"].min().normalize(), lines["ordered_at"].max().normalize()
    dropped = []
    if first > periods[0]:
        dropped.append(f"first week {periods[0].date()} (data begin {first.date()})")
        periods = periods[1:]
    if last < periods[-1] + pd.Timedelta(days=6):
        dropped.append(f"last week {periods[-1].date()} (data end {last.date()})")
        periods = periods[:-1]
    return periods, dropped


def _keep_ids(frame: "pd.DataFrame", rev: "pd.DataFrame", spec: DemandSpec) -> list[str]:
    nonzero = (frame["y"] > 0).groupby(frame["unique_id"]).sum()
    ids = nonzero.index[nonzero >= spec.min_nonzero]
    if spec.top is not None:
        total = rev.groupby("unique_id")["revenue"].sum().reindex(ids).fillna(0.0)
        ids = total.sort_values(ascending=False, kind="stable").index[: spec.top]
    return sorted(ids)


def load_demand(db: "Database", spec: DemandSpec) -> DemandData:
    """Read the order lines from the store and build the series of ``spec``."""
    from greencart.store.ops_repo import demand_lines

    with db.read() as session:
        rows = demand_lines(session, source=spec.source)
    return build_series(lines_frame(rows), spec)
