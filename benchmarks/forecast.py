"""Demand forecasting benchmark on Online Retail (UCI, the 40k-row sample in ../shared/data/retail).

Run:  .venv/bin/python benchmarks/forecast.py [--database-url URL] [--models ...]

1. Import the sample into a fresh SQLite store (or use --database-url that already holds it).
2. Weekly series at three levels (total, category, product), returns netted, partial weeks dropped;
   rolling-origin CV with 3 evaluated windows of 4 weeks (+2 calibration windows for the intervals).
   Per model: MASE (main), WRMSSE (revenue-weighted), sMAPE (secondary), 80/95 % interval coverage.
   The chosen model is picked on the earlier windows and scored on the last one against seasonal naive.
3. Forecast every product series 4 weeks ahead with the chosen model: seconds and joules (energy monitor).
Targets (issue 12): >= 10 % MASE gain over seasonal naive on weekly item series; coverage within 5 points
of nominal; all series forecast in < 60 s on 2 cores.

Writes benchmarks/results/forecast.json (one object per row) and forecast.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "retail" / "online_retail_sample_40k.xlsx"
RESULTS = Path(__file__).parent / "results"
M5_ANCHORS = "M5 WRMSSE (all levels): winner 0.520, ES_bu 0.671, sNaive 0.847; item level: winner 0.884, sNaive 1.176"


def open_store(url: str | None):  # type: ignore[no-untyped-def]
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database

    if url:
        return open_database(url), None
    if not DATA.exists():
        sys.exit(f"{DATA} is absent: the benchmark needs ../shared/data beside the clone")
    tmp = tempfile.mkdtemp(prefix="gc-forecast-")
    db = open_database(f"sqlite:///{tmp}/greencart.db", migrate=True)
    t = time.perf_counter()
    import_online_retail(db, DATA)
    print(f"imported {DATA.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return db, tmp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    ap.add_argument("--models", nargs="*", default=["seasonal_naive", "auto_ets", "auto_theta", "croston", "adida",
                                                    "imapa", "tsb"])
    ap.add_argument("--levels", nargs="*", default=["total", "category", "product"])
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from greencart.ops.service import OpsService

    db, _tmp = open_store(args.database_url)
    svc = OpsService(db)
    rows: list[dict] = []
    evaluation = svc.evaluate(levels=tuple(args.levels), freq="W", horizon=4, windows=3, models=tuple(args.models),
                              progress=True)
    for level, res in evaluation["levels"].items():
        e = res["energy"]
        for r in res["rows"]:
            rows.append({"section": "cv", "level": level, "series": res["info"]["series"], **r,
                         "eval_s": e["duration_s"], "eval_energy_j": e["energy_j"], "energy_method": e["energy_method"]})
        s = res["selected"]
        cov = next(r for r in res["rows"] if r["model"] == s["model"])
        rows.append({"section": "selected", "level": level, "model": s["model"], "mase_last_window": s["mase"],
                     "baseline_mase_last_window": s["baseline_mase"], "wrmsse_last_window": s["wrmsse"],
                     "baseline_wrmsse_last_window": s["baseline_wrmsse"],
                     "mase_improvement_vs_seasonal_naive": s["mase_improvement_vs_baseline"],
                     "coverage_80": cov["coverage_80"], "coverage_95": cov["coverage_95"],
                     "notes": res["info"].get("labels", [])})
    chosen = next(r for r in rows if r["section"] == "selected" and r["level"] == "product")["model"] \
        if "product" in args.levels else "imapa"
    fc = svc.forecast(level="product", freq="W", horizon=4, model=chosen)
    fc_ets = svc.forecast(level="product", freq="W", horizon=4, model="auto_ets")
    for name, run in ((chosen, fc), ("auto_ets", fc_ets)):
        e = run["energy"]
        rows.append({"section": "forecast_all", "level": "product", "model": name, "series": run["series"],
                     "horizon_weeks": 4, "forecast_s": e["duration_s"], "energy_j": e["energy_j"],
                     "energy_low_j": e["energy_low_j"], "energy_high_j": e["energy_high_j"],
                     "energy_method": e["energy_method"], "energy_j_per_series": round(e["energy_j"] / run["series"], 6)})
    rows.append(targets(rows))
    svc.close()
    write(rows)


def targets(rows: list[dict]) -> dict:
    sel = next((r for r in rows if r["section"] == "selected" and r["level"] == "product"), None)
    fc = next(r for r in rows if r["section"] == "forecast_all")
    out = {"section": "targets", "forecast_all_s": fc["forecast_s"], "forecast_all_under_60_s": fc["forecast_s"] < 60}
    if sel:
        gain = sel["mase_improvement_vs_seasonal_naive"] or 0.0
        out.update(mase_gain_vs_seasonal_naive=gain, mase_gain_at_least_10_pct=gain >= 0.10,
                   coverage_80_gap_points=round(100 * abs(sel["coverage_80"] - 0.80), 2),
                   coverage_95_gap_points=round(100 * abs(sel["coverage_95"] - 0.95), 2))
        out["coverage_within_5_points"] = max(out["coverage_80_gap_points"], out["coverage_95_gap_points"]) <= 5
    return out


def write(rows: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "forecast.json").write_text(json.dumps(rows, indent=1, default=str) + "\n", encoding="utf-8")
    lines = ["# Forecast benchmark (Online Retail 40k sample, weekly, h = 4, 3 rolling windows)", "",
             "| level | model | series | MASE | WRMSSE | sMAPE | cov 80 | cov 95 |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["section"] == "cv":
            lines.append(f"| {r['level']} | {r['model']} | {r['series']} | {_f(r['mase'])} | {_f(r['wrmsse'])} | "
                         f"{_f(r['smape'])} | {_f(r['coverage_80'])} | {_f(r['coverage_95'])} |")
    lines += ["", "| level | chosen (earlier windows) | MASE last window | seasonal naive | gain | cov 80 | cov 95 |",
              "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["section"] == "selected":
            lines.append(f"| {r['level']} | {r['model']} | {_f(r['mase_last_window'])} | "
                         f"{_f(r['baseline_mase_last_window'])} | {_pct(r['mase_improvement_vs_seasonal_naive'])} | "
                         f"{_f(r['coverage_80'])} | {_f(r['coverage_95'])} |")
    lines += ["", "| forecast all product series | series | seconds | J (method) | J per series |", "|---|---|---|---|---|"]
    for r in rows:
        if r["section"] == "forecast_all":
            lines.append(f"| {r['model']} | {r['series']} | {r['forecast_s']:.2f} | {r['energy_j']:.3g} "
                         f"({r['energy_method']}) | {r['energy_j_per_series']:.3g} |")
    t = rows[-1]
    lines += ["", "Targets: " + ", ".join(f"{k} = {v}" for k, v in t.items() if k != "section"), "",
              f"Context only (other data): {M5_ANCHORS}."]
    (RESULTS / "forecast.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _f(v: object) -> str:
    return f"{v:.3f}" if isinstance(v, (int, float)) else "n/a"


def _pct(v: object) -> str:
    return f"{100 * v:.1f} %" if isinstance(v, (int, float)) else "n/a"


if __name__ == "__main__":
    main()
