"""The external search benchmark harness (benchmarks/search_external.py) on a small WANDS-format set."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search_external.py"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    """benchmarks/search_external.py (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("search_external", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


HEADER = "product_id\tproduct_name\tproduct_class\tcategory hierarchy\tproduct_description\tproduct_features\trating_count\taverage_rating\treview_count"
PRODUCTS = [
    (0, "pvc elbow 1/2 '' schedule 40", "Pipe Fittings", "slip fitting for irrigation", "size : 1/2 in|color : white|leadfree : yes"),
    (1, "pvc elbow 2 '' schedule 40", "Pipe Fittings", "slip fitting", "size : 2 in"),
    (2, "pvc tee 1/2 ''", "Pipe Fittings", "tee fitting", "size : 1/2 in"),
    (3, "4 ft . led shop light", "Shop Lights", "linkable fixture for garages", "length : 48 in"),
    (4, "2 ft . led shop light", "Shop Lights", "short fixture", "length : 24 in"),
    (5, "led desk lamp", "Desk Lamps", "lamp for reading", "color : black"),
    (6, "30 '' gas range", "Ranges", "freestanding gas range with oven", "width : 30"),
    (7, "36 '' gas range", "Ranges", "professional gas range", "width : 36"),
    (8, "gas grill", "Grills", "outdoor grill", "fuel : gas"),
    (9, "outdoor storage bench", "Benches", "deck box bench with storage", "material : resin"),
    (10, "wooden garden bench", "Benches", "teak bench", "material : teak"),
    (11, "toilet flange", "Plumbing", "flange for toilets", "size : 4 in"),
]
QUERIES = [(0, "1/2 in. pvc elbow", "Pipe Fittings"), (1, "led shop lights 4ft", "Shop Lights"),
           (2, "30 inch gas range", "Ranges"), (3, "outdoor storage benches", "Benches")]
LABELS = [(0, 0, "Exact"), (0, 1, "Partial"), (0, 2, "Partial"), (1, 3, "Exact"), (1, 4, "Partial"),
          (1, 5, "Irrelevant"), (2, 6, "Exact"), (2, 7, "Partial"), (2, 8, "Irrelevant"), (3, 9, "Exact"),
          (3, 10, "Partial")]


def write_wands(folder: Path) -> Path:
    d = folder / "dataset"
    d.mkdir(parents=True)
    rows = [HEADER] + ["\t".join([str(i), n, c, f"Home / {c}", desc, feat, "1", "4.5", "1"])
                       for i, n, c, desc, feat in PRODUCTS]
    (d / "product.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (d / "query.csv").write_text("query_id\tquery\tquery_class\n" + "".join(f"{i}\t{q}\t{c}\n" for i, q, c in QUERIES))
    (d / "label.csv").write_text("id\tquery_id\tproduct_id\tlabel\n"
                                 + "".join(f"{n}\t{q}\t{p}\t{lab}\n" for n, (q, p, lab) in enumerate(LABELS)))
    return folder


def test_missing_data_is_a_clear_message(bench, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(bench.ENV_VAR, raising=False)
    assert bench.main(["--out", str(tmp_path)]) == 2
    assert bench.ENV_VAR in capsys.readouterr().err
    assert bench.main(["--data", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert "product.csv" in capsys.readouterr().err
    assert not (tmp_path / "search_external.json").exists()


def test_wands_rows_become_generic_products(bench, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = bench.load_wands(write_wands(tmp_path))
    assert len(data.products) == len(PRODUCTS) and set(data.queries) == {"0", "1", "2", "3"}
    first = data.products[0]
    assert first["id"] == "w0" and first["title"].startswith("pvc elbow") and first["category"] == "Pipe Fittings"
    assert first["attributes"] == {"size": "1/2 in", "color": "white"}  # yes/no flags left out
    assert data.labels["0"] == {"w0": 2, "w1": 1, "w2": 1}
    assert bench.ndcg_at_10(["w0", "w1", "w2"], data.labels["0"]) == pytest.approx(1.0)
    assert bench.ndcg_at_10(["w2", "w1", "w0"], data.labels["0"]) < 1.0


def test_subsample_keeps_every_judged_product(bench, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = bench.load_wands(write_wands(tmp_path))
    small = bench.subsample(data, max_queries=2, max_products=3)
    assert len(small.queries) == 2
    judged = {p for q in small.queries for p in data.labels[q]}
    assert judged <= {p["id"] for p in small.products}


def test_benchmark_runs_end_to_end_and_beats_plain_bm25_on_units(bench, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert bench.main(["--data", str(write_wands(tmp_path / "wands")), "--out", str(out), "--max-products", "0"]) == 0
    results = json.loads((out / "search_external.json").read_text())
    rows = {r["system"]: r for r in results["rows"]}
    assert set(rows) == {"plain_bm25", "hybrid_legacy", "lexical", "hybrid"}
    assert results["environment"]["n_products"] == len(PRODUCTS)
    for row in rows.values():
        assert 0.0 <= row["ndcg_at_10"] <= 1.0 and row["n_queries"] == len(QUERIES)
        assert row["energy_j_per_1k_queries"] is None or row["energy_j_per_1k_queries"] >= 0
    # Units, fractions and plurals are what these queries hinge on.
    assert rows["lexical"]["ndcg_at_10"] > rows["plain_bm25"]["ndcg_at_10"]
    assert "| hybrid |" in (out / "search_external.md").read_text()
