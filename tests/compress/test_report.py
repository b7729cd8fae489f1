"""The compression report: rows, Markdown and HTML tables, Pareto front and plots."""

from __future__ import annotations

import json

import pytest

from greencart.compress import registry
from greencart.compress.artifact import Artifact, Evaluation
from greencart.compress.evaluate import compare
from greencart.compress.pareto import pareto_mask
from greencart.compress.report import markdown, report_rows, row_of, write_report
from greencart.errors import InvalidParameter


def _ev(name: str, size: int, ndcg: float, p50: float, joules: float, kind: str = "embedder") -> Evaluation:
    return Evaluation(name, kind, "m-" + name, "demo", size, 1000, 900, {"ndcg@10": ndcg, "recall@20": 0.3},
                      p50, 2 * p50, joules, "modelled")


def test_pareto_mask_keeps_only_undominated_points():
    rows = [{"q": 0.9, "c": 10.0}, {"q": 0.8, "c": 2.0}, {"q": 0.7, "c": 5.0}, {"q": 0.9, "c": 12.0},
            {"q": 0.5, "c": 1.0}]
    assert pareto_mask(rows, "q", "c") == [True, True, False, False, True]
    assert pareto_mask([{"q": 1, "c": 1}, {"q": 1, "c": 1}], "q", "c") == [True, True]  # ties both stay


def test_rows_carry_ratios_deltas_and_provenance():
    base = _ev("fp32", 90_000_000, 0.80, 10.0, 50.0)
    small = compare(_ev("int8", 22_500_000, 0.796, 4.0, 20.0), base)
    row = row_of(small, {"weight_type": "QInt8"}, active=True)
    assert row["compression_ratio"] == pytest.approx(4.0)
    assert row["speedup_p50"] == pytest.approx(2.5)
    assert row["delta_ndcg_at_10_pct"] == pytest.approx(-0.5)
    assert row["delta_energy_pct"] == pytest.approx(-60.0)
    assert row["energy_method"] == "modelled" and row["baseline"] == "fp32" and row["active"]
    text = markdown([row_of(base), row])
    assert "### embedder on demo" in text and "| variant | method | size MB | ratio |" in text
    assert "**int8** (serving)" in text and "-0.5000" in text and "weight_type=QInt8" in text


def test_write_report_from_the_registry_with_plots(tmp_path):
    for kind, specs in (("embedder", [("fp32", 90, 0.80, 9.0), ("int8", 23, 0.797, 4.0), ("pruned", 60, 0.70, 8.0)]),
                        ("recommender", [("als", 40, 0.20, 0.5), ("als-f16", 20, 0.20, 0.4)])):
        base = None
        for name, mb, ndcg, joules in specs:
            d = registry.variant_dir(kind, name, tmp_path)
            d.mkdir(parents=True)
            (d / "w.bin").write_bytes(b"\0" * mb * 1000)
            art = Artifact.create(d, name=name, kind=kind, method="original" if base is None else "x", source="s",
                                  format="factors" if kind == "recommender" else "onnx-sentence-embedder",
                                  files=["w.bin"], params=mb, params_nonzero=mb)
            ev = _ev(name, art.size_bytes(), ndcg, 1.0, joules, kind)
            ev = compare(ev, base) if base else ev
            base = base or ev
            registry.save_evaluation(art, ev)
    registry.promote("int8", "embedder", var_dir=tmp_path)
    rows = report_rows(registry.list_variants(None, tmp_path), {"embedder": "int8"})
    assert [r["variant"] for r in rows] == ["fp32", "int8", "pruned", "als", "als-f16"]
    out = write_report(tmp_path / "report", var_dir=tmp_path)
    files = {p.rsplit("/", 1)[-1] for p in out["files"]}
    assert {"compress.md", "compress.html", "compress.json", "compress-pareto-embedder-demo.png",
            "compress-pareto-embedder-demo.svg", "compress-pareto-recommender-demo.svg"} <= files
    assert (tmp_path / "report" / "compress-pareto-embedder-demo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "report" / "compress-pareto-embedder-demo.svg").read_text()
    assert "<svg" in svg and "pruned" in svg and "int8" in svg
    html = (tmp_path / "report" / "compress.html").read_text()
    assert "<table>" in html and "class='active'" in html and "compress-pareto-embedder-demo.svg" in html
    saved = json.loads((tmp_path / "report" / "compress.json").read_text())["rows"]
    assert saved[1]["compression_ratio"] == pytest.approx(90 / 23) and saved[1]["active"]


def test_empty_registry_and_bad_plot_input(tmp_path):
    from greencart.compress.pareto import plot_pareto

    out = write_report(tmp_path / "r", var_dir=tmp_path)
    assert out["rows"] == 0 and "No evaluated variants" in (tmp_path / "r" / "compress.md").read_text()
    with pytest.raises(InvalidParameter, match="Expected rows with 'ndcg_at_10'"):
        plot_pareto([{"variant": "x"}], tmp_path / "p")
