"""Leave-one-product-out benchmark of footprint estimation on the Carbon Catalogue.

Each product's PCF is estimated from its name, detail, sector and weight using
the other products (all reporting years of the same product, i.e. the same
PCF-ID stem, are held out together so a product never matches itself).
Compared in the same run:

- ``sector-median``: the median PCF of the product's sector (the baseline);
- ``sector-median-intensity``: the sector's median kg CO2e per kg x weight;
- ``reference-knn``: greencart's reference method (MiniLM nearest neighbours'
  kg CO2e per kg x weight), on all products and on those it would accept
  (best cosine >= EstimatorConfig.min_reference_similarity);
- ``reference-knn-no-weight``: the neighbours' PCF, not scaled (what the
  reference method could do for a product without weight).

A stricter variant holds out every product of the same company
(holdout=company): the Catalogue holds many near-identical models from one maker, which a
shop's own products will not have; its cosine buckets set the shipped bands.

Bands: the 10th/90th percentiles of log10(actual/estimate), fitted on one half
of the products (split by PCF-ID stem) and scored on the other, both ways
(cross-fitted), so "share inside band" is out of sample. The spend method is
not applicable: the Carbon Catalogue has no prices.

Usage: python benchmarks/footprint.py [PATH_TO_carbon_catalogue.xlsx]
Writes benchmarks/results/footprint.json and footprint.md.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from greencart.catalog.embed import get_embedder
from greencart.footprint.bands import REFERENCE_BANDS
from greencart.footprint.estimate import EstimatorConfig
from greencart.footprint.match import ReferenceItem, ReferenceMatcher, embed_texts
from greencart.footprint.reference import parse_reference

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = ROOT.parent / "shared" / "data" / "footprints" / "carbon_catalogue_v30Oct2021.xlsx"
RESULTS = ROOT / "benchmarks" / "results"


def load_items(path: Path) -> list[ReferenceItem]:
    _, rows = parse_reference(path)
    return [
        ReferenceItem(
            r["external_id"],
            r["name"],
            r["detail"],
            r["sector"],
            r["weight_kg"],
            r["footprint_kg_co2e"],
            r["citation"],
            r["dataset"],
            r["company"],
        )
        for r in rows
    ]


def stem(external_id: str) -> str:
    return external_id.rsplit("-", 1)[0]


def loo_sector_median(
    items, values: np.ndarray, groups: list[str], sectors: list[str | None]
) -> np.ndarray:
    """For each item, the median of ``values`` (log10) over its sector without its group."""
    out = np.empty(len(items))
    for i in range(len(items)):
        mask = [j for j in range(len(items)) if sectors[j] == sectors[i] and groups[j] != groups[i]]
        if not mask:
            mask = [j for j in range(len(items)) if groups[j] != groups[i]]
        out[i] = float(np.median(values[mask]))
    return out


def knn(items, vectors, groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log10 intensity estimate, log10 PCF estimate, best cosine) per item, leave-group-out."""
    matcher = ReferenceMatcher(items, get_embedder("minilm-int8"))
    matcher._vectors = vectors  # same texts: reuse
    by_group = defaultdict(list)
    for j, g in enumerate(groups):
        by_group[g].append(j)
    exclude = [np.array(by_group[g]) for g in groups]
    matches = matcher.match_vectors(vectors, [1.0] * len(items), exclude)
    log_i = np.array([np.log10(m.kg_co2e) for m in matches])
    sims = np.array([m.similarity for m in matches])
    log_pcf = np.array(
        [np.median([np.log10(n.footprint_kg_co2e) for n in m.neighbours]) for m in matches]
    )
    return log_i, log_pcf, sims


def fold_of(groups: list[str]) -> np.ndarray:
    return np.array([int(hashlib.sha256(g.encode()).hexdigest(), 16) % 2 for g in groups])


def metrics(name: str, resid: np.ndarray, folds: np.ndarray, baseline_err: float | None) -> dict:
    """Median |log10 error|, share within x2, cross-fitted 80% band coverage and width."""
    inside, widths = np.zeros(len(resid), dtype=bool), np.zeros(len(resid))
    for f in (0, 1):
        fit, score = resid[folds != f], folds == f
        lo, hi = np.quantile(fit, 0.10), np.quantile(fit, 0.90)
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        inside[score] = (resid[score] >= lo) & (resid[score] <= hi)
        widths[score] = hi - lo
    err = float(np.median(np.abs(resid)))
    return {
        "method": name,
        "n": len(resid),
        "median_abs_log10_error": round(err, 3),
        "share_within_factor_2": round(float(np.mean(np.abs(resid) <= np.log10(2))), 3),
        "share_inside_band": round(float(inside.mean()), 3),
        "median_band_ratio_high_to_low": round(float(10 ** np.median(widths)), 1),
        "error_ratio_vs_sector_median": round(err / baseline_err, 3) if baseline_err else 1.0,
        "band_q10_log10": round(float(np.quantile(resid, 0.10)), 2),
        "band_q90_log10": round(float(np.quantile(resid, 0.90)), 2),
    }


def bucket_rows(resid: np.ndarray, sims: np.ndarray) -> list[dict]:
    rows, upper = [], 1.01
    for threshold, shipped in REFERENCE_BANDS:
        sel = (sims >= threshold) & (sims < upper)
        upper = threshold
        if sel.sum() == 0:
            continue
        r = resid[sel]
        rows.append(
            {
                "method": f"reference-knn cosine {threshold:.2f}+",
                "holdout": "company",
                "n": int(sel.sum()),
                "median_abs_log10_error": round(float(np.median(np.abs(r))), 3),
                "band_q10_log10": round(float(np.quantile(r, 0.10)), 2),
                "band_q90_log10": round(float(np.quantile(r, 0.90)), 2),
                "share_inside_shipped_band": round(
                    float(np.mean((r >= shipped.low_log10) & (r <= shipped.high_log10))), 3
                ),
            }
        )
    return rows


def evaluate(
    items, vectors, groups: list[str], holdout: str
) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """Metric rows for one hold-out scheme; also the kNN residuals and similarities."""
    sectors = [i.sector for i in items]
    log_pcf = np.log10([i.footprint_kg_co2e for i in items])
    log_w = np.log10([float(i.weight_kg) for i in items])
    folds = fold_of(groups)
    base = loo_sector_median(items, log_pcf, groups, sectors)
    base_int = loo_sector_median(items, log_pcf - log_w, groups, sectors) + log_w
    knn_int, knn_pcf, sims = knn(items, vectors, groups)
    base_err = float(np.median(np.abs(log_pcf - base)))
    resid = log_pcf - (knn_int + log_w)
    accepted = sims >= EstimatorConfig().min_reference_similarity
    rows = [
        metrics("sector-median (baseline)", log_pcf - base, folds, base_err),
        metrics("sector-median-intensity x weight", log_pcf - base_int, folds, base_err),
        metrics("reference-knn x weight, all", resid, folds, base_err),
        metrics("reference-knn x weight, accepted", resid[accepted], folds[accepted], base_err),
        metrics("reference-knn no weight", log_pcf - knn_pcf, folds, base_err),
    ]
    rows[3]["share_of_products"] = round(float(accepted.mean()), 3)
    return [{"method": r["method"], "holdout": holdout, **r} for r in rows], resid, sims


def run(path: Path) -> tuple[list[dict], dict]:
    t0 = time.perf_counter()
    all_items = load_items(path)
    items = [i for i in all_items if i.usable]
    vectors = embed_texts(get_embedder("minilm-int8"), [i.text for i in items])
    by_product, _, _ = evaluate(items, vectors, [stem(i.external_id) for i in items], "product")
    by_company, resid, sims = evaluate(
        items, vectors, [i.company or i.external_id for i in items], "company"
    )
    rows = by_product + by_company
    rows.append(
        {
            "method": "spend",
            "holdout": "-",
            "n": 0,
            "note": "not applicable: no prices in the Catalogue",
        }
    )
    rows += bucket_rows(resid, sims)
    info = {
        "rows_in_file": len(all_items),
        "usable_weight_and_pcf_gt_0": len(items),
        "excluded_no_weight_or_zero": len(all_items) - len(items),
        "products": len({stem(i.external_id) for i in items}),
        "companies": len({i.company for i in items}),
        "wall_s": round(time.perf_counter() - t0, 1),
    }
    return rows, info


COLUMNS = (
    "method",
    "holdout",
    "n",
    "median_abs_log10_error",
    "error_ratio_vs_sector_median",
    "share_within_factor_2",
    "share_inside_band",
    "median_band_ratio_high_to_low",
    "band_q10_log10",
    "band_q90_log10",
    "share_inside_shipped_band",
    "share_of_products",
    "note",
)


def markdown(rows: list[dict], info: dict) -> str:
    cols = [c for c in COLUMNS if any(c in r for r in rows)]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    lines.append("")
    lines.append(
        "Leave-one-product-out (all years of a PCF-ID held out together) and leave-one-company-out "
        "(holdout=company: all of the product's company's products held out) over the Carbon Catalogue. "
        "Bands: 10th-90th percentile of log10(actual/estimate), cross-fitted over two halves. "
        "Cosine buckets (company out) give the shipped reference band constants. "
        + ", ".join(f"{k}={v}" for k, v in info.items())
        + "."
    )
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    if not path.exists():
        sys.exit(
            f"{path} not found: pass the Carbon Catalogue workbook (../shared/data/footprints/...)"
        )
    rows, info = run(path)
    text = markdown(rows, info)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "footprint.json").write_text(
        json.dumps(rows + [{"method": "run_info", **info}], indent=2) + "\n"
    )
    (RESULTS / "footprint.md").write_text("# Footprint benchmark\n\n" + text + "\n")


if __name__ == "__main__":
    main()
