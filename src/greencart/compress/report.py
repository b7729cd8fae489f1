"""The compression report: one row per variant and data set, as Markdown and HTML
tables, plus a Pareto plot (quality vs J per 1,000 inferences) per kind and data set.

    write_report(Path("var/reports/compress"), var_dir=Path("var"))
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greencart.compress.artifact import Evaluation
from greencart.compress.registry import Variant, list_variants, read_pointer

COLUMNS: list[tuple[str, str]] = [
    ("variant", "variant"), ("method", "method"), ("size_mb", "size MB"), ("compression_ratio", "ratio"),
    ("params", "params"), ("params_nonzero", "nonzero"), ("ndcg_at_10", "nDCG@10"),
    ("ndcg_at_10_semantic", "nDCG@10 sem."), ("recall_at_20", "Recall@20"),
    ("latency_ms_p50", "p50 ms"), ("latency_ms_p99", "p99 ms"), ("speedup_p50", "speedup"),
    ("energy_j_per_1k", "J/1k"), ("delta_ndcg_at_10_pct", "ΔnDCG@10 %"), ("delta_recall_at_20_pct", "ΔRecall@20 %"),
    ("delta_energy_pct", "ΔJ %"), ("energy_method", "energy"), ("baseline", "vs"), ("settings", "settings"),
]


def _pct(deltas: dict[str, float], key: str) -> float | None:
    v = deltas.get(key)
    return None if v is None or not math.isfinite(v) else 100.0 * v


def row_of(ev: Evaluation, settings: dict[str, Any] | None = None, active: bool = False) -> dict[str, Any]:
    """One report row (snake_case metric names with their unit) from an Evaluation."""
    d = ev.deltas
    p50 = d.get("latency_p50_ms")
    return {
        "variant": ev.variant, "kind": ev.kind, "method": ev.method, "dataset": ev.dataset, "active": active,
        "size_bytes": ev.size_bytes, "size_mb": ev.size_bytes / 1e6, "compression_ratio": ev.compression_ratio,
        "params": ev.params, "params_nonzero": ev.params_nonzero,
        "ndcg_at_10": ev.quality.get("ndcg@10"), "ndcg_at_10_semantic": ev.quality.get("ndcg@10_semantic"),
        "recall_at_20": ev.quality.get("recall@20"),
        "latency_ms_p50": ev.latency_p50_ms, "latency_ms_p99": ev.latency_p99_ms,
        "speedup_p50": 1.0 / (1.0 + p50) if p50 is not None and p50 > -1 else (1.0 if not ev.baseline else None),
        "energy_j_per_1k": ev.energy_j_per_1k, "energy_method": ev.energy_method,
        "delta_ndcg_at_10_pct": _pct(d, "ndcg@10"), "delta_recall_at_20_pct": _pct(d, "recall@20"),
        "delta_latency_p50_pct": _pct(d, "latency_p50_ms"), "delta_energy_pct": _pct(d, "energy_j_per_1k"),
        "baseline": ev.baseline or "(original)", "settings": settings or {}, "notes": list(ev.notes),
    }


def report_rows(variants: Sequence[Variant], active: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    active = active or {}
    rows = [row_of(ev, v.artifact.settings, active.get(v.artifact.kind) == v.artifact.name)
            for v in variants for ev in v.evaluations.values()]
    return sorted(rows, key=lambda r: (r["kind"], r["dataset"], r["baseline"] != "(original)", r["variant"]))


def fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return "n/a"
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if not isinstance(v, (dict, list)))
    return str(value)


def _groups(rows: Sequence[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault((r["kind"], r["dataset"]), []).append(r)
    return out


def _cols(rows: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(k, h) for k, h in COLUMNS if any(r.get(k) not in (None, {}) for r in rows)]


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    out = []
    for (kind, dataset), group in _groups(rows).items():
        cols = _cols(group)
        out += [f"### {kind} on {dataset}", "", "| " + " | ".join(h for _, h in cols) + " |",
                "|" + "---|" * len(cols)]
        for r in group:
            cells = [fmt(r.get(k)).replace("|", "\\|") for k, _ in cols]
            cells[0] = f"**{cells[0]}** (serving)" if r.get("active") else cells[0]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out) if out else "No evaluated variants yet: run `greencart compress run METHOD`.\n"


def html_table(rows: Sequence[dict[str, Any]], plots: Sequence[Path] = ()) -> str:
    parts = ["<!doctype html><meta charset='utf-8'><title>greencart: model variants</title>",
             ("<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
              "padding:3px 6px;font-size:13px}td{text-align:right}.active{background:#e6f4ea}</style>"),
             "<h1>Model variants</h1>"]
    for (kind, dataset), group in _groups(rows).items():
        cols = _cols(group)
        parts.append(f"<h2>{html.escape(kind)} on {html.escape(dataset)}</h2><table><tr>"
                     + "".join(f"<th>{html.escape(h)}</th>" for _, h in cols) + "</tr>")
        for r in group:
            cls = " class='active'" if r.get("active") else ""
            parts.append(f"<tr{cls}>" + "".join(f"<td>{html.escape(fmt(r.get(k)))}</td>" for k, _ in cols) + "</tr>")
        parts.append("</table>")
    for p in plots:
        if p.suffix == ".svg":
            parts.append(f"<h2>{html.escape(p.stem)}</h2><img src='{html.escape(p.name)}' alt='{html.escape(p.stem)}'>")
    return "\n".join(parts) + "\n"


def plot_all(rows: Sequence[dict[str, Any]], out_dir: Path, stem: str = "compress-pareto") -> list[Path]:
    from greencart.compress.pareto import plot_pareto

    written: list[Path] = []
    for (kind, dataset), group in _groups(rows).items():
        pts = [r for r in group if r.get("ndcg_at_10") is not None]
        if pts:
            written += plot_pareto(pts, out_dir / f"{stem}-{kind}-{dataset}",
                                   title=f"{kind} variants on {dataset}: nDCG@10 vs J per 1,000 inferences")
    return written


def write_report(out_dir: Path, *, var_dir: Path | None = None, rows: Sequence[dict[str, Any]] | None = None,
                 plots: bool = True) -> dict[str, Any]:
    """Write ``compress.md``, ``compress.html``, ``compress.json`` and the Pareto plots to ``out_dir``."""
    if rows is None:
        active = {k: read_pointer(k, var_dir)["active"] for k in ("embedder", "recommender")}
        rows = report_rows(list_variants(None, var_dir), active)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = plot_all(rows, out_dir) if plots and rows else []
    files = {"markdown": out_dir / "compress.md", "html": out_dir / "compress.html", "json": out_dir / "compress.json"}
    files["markdown"].write_text("# Model variants\n\n" + markdown(rows) + "\n")
    files["html"].write_text(html_table(rows, written))
    files["json"].write_text(json.dumps({"rows": list(rows)}, indent=2, ensure_ascii=False, default=str) + "\n")
    return {"rows": len(rows), "files": [str(p) for p in [*files.values(), *written]]}
