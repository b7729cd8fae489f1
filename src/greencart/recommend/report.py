"""Evaluation over a store, written as JSON + a Markdown table + the alpha-curve plot."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greencart.recommend.data import load_event_log, load_item_ids
from greencart.recommend.evaluate import EvalConfig, evaluate_models
from greencart.recommend.factory import MODEL_NAMES
from greencart.recommend.itemtable import load_item_table
from greencart.recommend.split import make_split

COLUMNS = (
    ("model", "model"), ("protocol", "protocol"), ("ndcg_at_10", "NDCG@10"), ("ndcg_at_10_std", "±"),
    ("recall_at_10", "R@10"), ("recall_at_20", "R@20"), ("ndcg_at_20", "NDCG@20"), ("hr_at_10", "HR@10"),
    ("mrr", "MRR"), ("auc", "AUC"), ("coverage_at_10", "cov@10"), ("popularity_percentile_at_10", "pop%"),
    ("co2e_kg_at_10", "kgCO2e@10"), ("p_value_vs_best", "p vs best"), ("train_s", "train s"),
    ("energy_j_per_training", "J/train"), ("energy_j_per_1k_recs", "J/1k recs"),
    ("latency_ms_p50", "p50 ms"), ("latency_ms_p99", "p99 ms"),
)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "n/a"
        return f"{v:.4f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]] = COLUMNS) -> str:
    cols = [(k, h) for k, h in columns if any(k in r for r in rows)]
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r.get(k, "")) for k, _ in cols) + " |")
    return "\n".join(lines)


def curve_table(points: Sequence[dict[str, Any]]) -> str:
    return markdown_table(points, (("model", "model"), ("protocol", "protocol"), ("alpha", "alpha"),
                                   ("ndcg_at_10", "NDCG@10"), ("co2e_kg_at_10", "kgCO2e@10")))


def run_evaluation(db: Any, *, protocols: Sequence[str] = ("temporal", "leave-last-out"),
                   models: Sequence[str] | None = None, seeds: int = 3, test_fraction: float = 0.2,
                   out_dir: Path | None = None, meter: Any = None, progress: bool = False,
                   params: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Evaluate ``models`` on the store under each protocol; write results to ``out_dir``."""
    config = EvalConfig(models=tuple(models or MODEL_NAMES), seeds=tuple(range(seeds)), params=params or {})
    log = load_event_log(db)
    items = load_item_ids(db)
    table = load_item_table(db, items)
    result: dict[str, Any] = {"rows": [], "curve": [], "splits": []}
    for protocol in protocols:
        split = make_split(protocol, log, items, test_fraction)
        part = evaluate_models(split, config, table=table, meter=meter, progress=progress)
        result["rows"] += part["rows"]
        result["curve"] += part["curve"]
        result["splits"].append(part["split"])
    result["files"] = write_results(result, out_dir, "recommend-eval") if out_dir else []
    return result


def write_results(result: dict[str, Any], out_dir: Path, stem: str) -> list[str]:
    from greencart.recommend.curve import plot_curve

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {k: v for k, v in result.items() if k != "files"}
    json_path = out_dir / f"{stem}.json"
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str))
    tmp.replace(json_path)
    md_path = out_dir / f"{stem}.md"
    md_path.write_text(markdown_table(result["rows"]) + "\n\n## NDCG@10 vs kg CO2e over alpha\n\n"
                       + curve_table(result["curve"]) + "\n")
    files = [str(json_path), str(md_path)]
    if result["curve"]:
        for protocol in dict.fromkeys(p["protocol"] for p in result["curve"]):
            pts = [p for p in result["curve"] if p["protocol"] == protocol]
            files += [str(p) for p in plot_curve(pts, out_dir / f"{stem}-curve-{protocol}")]
    return files
