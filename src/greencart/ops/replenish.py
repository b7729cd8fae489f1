"""Carbon-aware replenishment: order quantities from the forecast distribution (newsvendor and (s, S)), with
holding, shortage and waste costs and an internal carbon price on the footprint of units that end unsold,
simulated against held-out demand next to the naive "order last period's sales" policy.

The forecast distribution of period t is the one-step forecast made with data up to t-1 (rolling origin, no
peeking) plus pooled scaled conformal quantiles of the errors of the windows before t. Stock is FIFO with a
shelf life; units that reach it unsold are wasted and carry their product's footprint (kg CO2e).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from greencart.errors import InvalidParameter

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

POLICIES = ("naive_last_period", "newsvendor", "s_S")


@dataclass(frozen=True)
class ReplenishParams:
    """Costs as shares of each product's price (so one setting fits a whole catalogue)."""

    unit_cost_share: float = 0.6  # purchase cost / price
    holding_share: float = 0.01  # holding cost per unit per period / unit cost
    waste_share: float = 0.1  # disposal cost per wasted unit / unit cost
    carbon_price_per_kg: float = 0.1  # internal carbon price, currency per kg CO2e of wasted units
    order_cost: float = 0.0  # fixed cost per order placed (what (s, S) saves)
    shelf_life_periods: int = 4
    holdout_periods: int = 8
    calibration_periods: int = 6
    model: str = "imapa"

    def __post_init__(self) -> None:
        for name in ("unit_cost_share", "holding_share", "waste_share"):
            v = getattr(self, name)
            if not (0.0 <= v <= 1.0):
                raise InvalidParameter(f"Expected {name} in [0, 1], got {v}")
        if not (0.0 <= self.carbon_price_per_kg <= 1000.0):
            raise InvalidParameter(f"Expected carbon_price_per_kg in [0, 1000], got {self.carbon_price_per_kg}")
        if not (0.0 <= self.order_cost <= 1e6):
            raise InvalidParameter(f"Expected order_cost in [0, 1e6], got {self.order_cost}")
        if not (1 <= self.shelf_life_periods <= 104):
            raise InvalidParameter(f"Expected shelf_life_periods in [1, 104], got {self.shelf_life_periods}")
        if not (2 <= self.holdout_periods <= 52) or not (2 <= self.calibration_periods <= 52):
            raise InvalidParameter(f"Expected holdout_periods and calibration_periods in [2, 52], got "
                                   f"{self.holdout_periods}, {self.calibration_periods}")

    def critical_ratio(self, price: "np.ndarray", kg: "np.ndarray") -> "np.ndarray":
        """cu / (cu + co): cu = lost margin; co = holding + (cost + disposal + carbon) / shelf life."""
        cost = self.unit_cost_share * price
        under = price - cost
        over = self.holding_share * cost + (cost * (1 + self.waste_share) + self.carbon_price_per_kg * kg) / \
            self.shelf_life_periods
        return under / (under + over)


@dataclass
class Distribution:
    """Held-out demand and one-step forecasts: arrays (products x periods) and per-product facts."""

    ids: list[str]
    demand: "np.ndarray"
    mean: "np.ndarray"
    scale: "np.ndarray"
    scores: "np.ndarray"  # pooled signed scaled errors available before each period: list per period
    last_before: "np.ndarray"  # demand in the period before the hold-out (naive's first order)

    def quantile(self, t: int, p: "np.ndarray") -> "np.ndarray":
        import numpy as np

        q = np.quantile(self.scores[t], np.clip(p, 0.0, 1.0))
        return np.maximum(0.0, self.mean[:, t] + q * self.scale)


def one_step_distribution(series: "pd.DataFrame", params: ReplenishParams, freq: str = "W") -> Distribution:
    """Rolling one-step forecasts over the hold-out (+ calibration) periods, and pooled error scores."""
    import numpy as np

    from greencart.ops.forecast import season_length, split_zero_series, statsforecast
    from greencart.ops.intervals import series_scale

    live, _ = split_zero_series(series)
    if live.empty:
        raise InvalidParameter("Expected at least one series with non-zero demand")
    n_periods = int(live.groupby("unique_id").size().min())
    windows = params.holdout_periods + params.calibration_periods
    if n_periods < windows + 8:
        raise InvalidParameter(f"Expected at least {windows + 8} periods of history for {params.holdout_periods} "
                               f"hold-out and {params.calibration_periods} calibration periods, got {n_periods}")
    season, _label = season_length(freq, n_periods, windows)
    sf = statsforecast([params.model], freq, season)
    cv = sf.cross_validation(df=live, h=1, n_windows=windows, step_size=1)
    cv = cv.reset_index() if "unique_id" not in cv.columns else cv
    ids = sorted(live["unique_id"].unique())
    demand = cv.pivot(index="unique_id", columns="cutoff", values="y").reindex(ids).to_numpy(dtype=float)
    mean = cv.pivot(index="unique_id", columns="cutoff", values=params.model).reindex(ids).to_numpy(dtype=float).clip(min=0)
    first_cut = sorted(cv["cutoff"].unique())[0]
    scale = series_scale(live.loc[live["ds"] <= first_cut], season).reindex(ids).fillna(1.0).to_numpy()
    errors = (demand - mean) / scale[:, None]
    c = params.calibration_periods
    scores = [errors[:, t - c : t].ravel() for t in range(c, windows)]
    before = live.loc[live["ds"] == first_cut].set_index("unique_id")["y"].reindex(ids).fillna(0).to_numpy()
    return Distribution(ids, demand[:, c:], mean[:, c:], scale, np.array(scores, dtype=float),
                        before if c == 0 else demand[:, c - 1])


def simulate(policy: str, dist: Distribution, price: "np.ndarray", kg: "np.ndarray",
             params: ReplenishParams) -> dict[str, Any]:
    """Run one policy over the hold-out; FIFO stock with ages; returns totals."""
    import numpy as np

    if policy not in POLICIES:
        raise InvalidParameter(f"Expected policy in {POLICIES}, got {policy!r}")
    n, periods = dist.demand.shape
    life = params.shelf_life_periods
    stock = np.zeros((n, life))  # stock[:, a] = units of age a (0 = newest)
    cr = params.critical_ratio(price, kg)
    tot = {"demand_units": 0.0, "sold_units": 0.0, "wasted_units": 0.0, "orders": 0, "ordered_units": 0.0,
           "holding_unit_periods": 0.0, "stockout_periods": 0, "revenue": 0.0, "periods": n * periods}
    cost = {"purchase": 0.0, "holding": 0.0, "waste": 0.0, "carbon": 0.0, "lost_margin": 0.0, "ordering": 0.0}
    waste_kg = 0.0
    for t in range(periods):
        on_hand = stock.sum(axis=1)
        qty = _order(policy, t, dist, on_hand, cr)
        stock[:, 0] += qty
        tot["orders"] += int((qty > 0).sum())
        tot["ordered_units"] += float(qty.sum())
        cost["purchase"] += float((qty * params.unit_cost_share * price).sum())
        d = dist.demand[:, t]
        left = d.copy()
        for a in range(life - 1, -1, -1):  # FIFO: oldest first
            take = np.minimum(stock[:, a], left)
            stock[:, a] -= take
            left -= take
        sold = d - left
        tot["demand_units"] += float(d.sum())
        tot["sold_units"] += float(sold.sum())
        tot["revenue"] += float((sold * price).sum())
        tot["stockout_periods"] += int((left > 1e-9).sum())
        cost["lost_margin"] += float((left * (1 - params.unit_cost_share) * price).sum())
        wasted = stock[:, life - 1].copy()  # reached the end of its shelf life unsold
        stock[:, 1:] = stock[:, :-1].copy()
        stock[:, 0] = 0.0
        tot["wasted_units"] += float(wasted.sum())
        waste_kg += float((wasted * kg).sum())
        cost["waste"] += float((wasted * params.waste_share * params.unit_cost_share * price).sum())
        cost["carbon"] += float((wasted * kg).sum() * params.carbon_price_per_kg)
        held = stock.sum(axis=1)
        tot["holding_unit_periods"] += float(held.sum())
        cost["holding"] += float((held * params.holding_share * params.unit_cost_share * price).sum())
    cost["ordering"] = tot["orders"] * params.order_cost
    revenue = tot["revenue"]
    end_units = stock.sum(axis=1)
    return {
        "policy": policy, **{k: round(v, 4) if isinstance(v, float) else v for k, v in tot.items()},
        "fill_rate": round(tot["sold_units"] / tot["demand_units"], 6) if tot["demand_units"] else None,
        "cycle_service_level": round(1 - tot["stockout_periods"] / max(tot["periods"], 1), 6),
        "waste_kg_co2e": round(waste_kg, 4),
        "ending_stock_units": round(float(end_units.sum()), 4),
        "ending_stock_kg_co2e": round(float((end_units * kg).sum()), 4),
        "cost": {k: round(v, 2) for k, v in cost.items()}, "total_cost": round(sum(cost.values()), 2),
        "profit": round(revenue - sum(v for k, v in cost.items() if k != "lost_margin"), 2),
    }


def _order(policy: str, t: int, dist: Distribution, on_hand: "np.ndarray", cr: "np.ndarray") -> "np.ndarray":
    import numpy as np

    if policy == "naive_last_period":
        return dist.last_before.copy() if t == 0 else dist.demand[:, t - 1].copy()
    level = dist.quantile(t, cr)  # newsvendor order-up-to level for this period
    if policy == "newsvendor":
        return np.maximum(0.0, level - on_hand)
    big_s = level + dist.mean[:, t]  # (s, S): reorder at s = the newsvendor level, up to one period more
    return np.where(on_hand <= level, np.maximum(0.0, big_s - on_hand), 0.0)


def run_replenishment(series: "pd.DataFrame", facts: dict[str, dict[str, Any]], params: ReplenishParams,
                      freq: str = "W") -> dict[str, Any]:
    """Simulate every policy on the held-out periods; each policy's totals and its change against naive."""
    import numpy as np

    dist = one_step_distribution(series, params, freq)
    price = np.array([float(facts.get(i, {}).get("price") or 0.0) for i in dist.ids])
    kg_raw = [facts.get(i, {}).get("footprint_kg_co2e") for i in dist.ids]
    kg = np.array([float(v) if v is not None else 0.0 for v in kg_raw])
    rows = [simulate(p, dist, price, kg, params) for p in POLICIES]
    base = rows[0]
    for r in rows[1:]:
        r["vs_naive"] = {k: _change(r[k], base[k]) for k in ("wasted_units", "waste_kg_co2e", "fill_rate",
                                                              "total_cost", "profit", "ending_stock_units")}
    return {"products": len(dist.ids), "periods": int(dist.demand.shape[1]), "freq": freq,
            "products_without_footprint": int(sum(v is None for v in kg_raw)), "params": asdict(params),
            "policies": rows,
            "method": "rolling one-step forecasts (StatsForecast), pooled scaled conformal quantiles, "
                      "FIFO stock with shelf life; footprints as stored (their method per product)"}


def _change(new: Any, old: Any) -> float | None:
    if new is None or old is None or not old:
        return None
    return round(new / old - 1.0, 6)
