"""``greencart compress`` as a user runs it: a real process, the CLI's one error handler."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greencart.compress import registry
from greencart.compress.artifact import Artifact, Evaluation

GREENCART = [sys.executable, "-m", "greencart.cli"]


def cli(args: list[str], var_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir), "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1",
           "COLUMNS": "200"}
    env.pop("GREENCART_DATABASE_URL", None)
    return subprocess.run([*GREENCART, *args], env=env, capture_output=True, text=True, timeout=600,
                          check=False)


@pytest.mark.parametrize(("args", "message"), [
    (["run", "nope"], "Unknown embedder method 'nope'; expected one of ['distil-static', 'export-onnx',"),
    (["run", "quantise-dynamic", "--model", "ranker"], "Expected --model embedder or recommender, got 'ranker'"),
    (["run", "int8", "--model", "recommender", "--param", "scheme=pq"], "sets ['scheme'] itself"),
    (["run", "quantise", "--model", "recommender", "--param", "bogus=1"],
     "Unknown parameter(s) ['bogus'] for recommender method 'quantise'; valid: ['pq_bits', 'pq_subspaces', 'scheme'"),
    (["run", "quantise", "--model", "recommender"], "needs parameter(s) ['scheme']"),
    (["run", "int8", "--model", "recommender", "--param", "novalue"], "Expected --param NAME=VALUE, got 'novalue'"),
    (["run", "int8", "--model", "recommender", "--dataset", "/no/such.xlsx"], "Expected --dataset demo, online-retail"),
    (["rollback", "--model", "ranker"], "Expected --model embedder or recommender, got 'ranker'"),
    (["promote", "ghost"], "No model variant 'ghost'"),
])
def test_bad_arguments_are_rejected_clearly(tmp_path, args, message):
    proc = cli(["compress", *args], tmp_path)
    assert proc.returncode in (2, 3), proc.stderr
    assert message in " ".join(proc.stderr.split()), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").rglob("manifest.json"))


def _variant(var: Path, name: str, loss: float) -> None:
    d = registry.variant_dir("embedder", name, var)
    d.mkdir(parents=True)
    (d / "model.onnx").write_bytes(b"\0" * 1000)
    art = Artifact.create(d, name=name, kind="embedder", method="quantise-dynamic", source="minilm-fp32",
                          format="onnx-sentence-embedder", files=["model.onnx"], params=5, params_nonzero=5)
    registry.save_evaluation(art, Evaluation(name, "embedder", art.method, "demo", 1000, 5, 5, {"ndcg@10": 0.7},
                                             1.0, 2.0, 3.0, "modelled", baseline="minilm-fp32",
                                             compression_ratio=4.0, deltas={"ndcg@10": -loss}))


def test_promote_list_report_rollback(tmp_path):
    _variant(tmp_path, "int8-ok", 0.004)
    _variant(tmp_path, "int8-lossy", 0.02)
    refused = cli(["compress", "promote", "int8-lossy"], tmp_path)
    assert refused.returncode == 2 and "Pass --force" in " ".join(refused.stderr.split())
    assert json.loads(cli(["compress", "promote", "int8-ok", "--json"], tmp_path).stdout)["active"] == "int8-ok"
    forced = cli(["compress", "promote", "int8-lossy", "--force"], tmp_path)
    assert forced.returncode == 0 and "(forced)" in forced.stdout
    listed = json.loads(cli(["compress", "list", "--json"], tmp_path).stdout)
    assert listed["active"] == {"embedder": "int8-lossy", "recommender": None}
    assert {v["artifact"]["name"] for v in listed["variants"]} == {"int8-ok", "int8-lossy"}
    table = cli(["compress", "list"], tmp_path).stdout
    assert "* int8-lossy" in table and "modelled" in table
    report = json.loads(cli(["compress", "report", "--out", str(tmp_path / "rep"), "--json"], tmp_path).stdout)
    assert report["rows"] == 2 and (tmp_path / "rep" / "compress-pareto-embedder-demo.svg").is_file()
    back = cli(["compress", "rollback", "--model", "embedder", "--json"], tmp_path)
    assert json.loads(back.stdout)["active"] == "int8-ok"
    assert "original model" in cli(["compress", "rollback", "--model", "embedder"], tmp_path).stdout
    empty = cli(["compress", "rollback", "--model", "embedder"], tmp_path)
    assert empty.returncode == 3 and "Nothing to roll back" in empty.stderr


def test_methods_lists_each_method_with_its_parameters(tmp_path):
    rows = json.loads(cli(["compress", "methods", "--json"], tmp_path).stdout)["methods"]
    names = {(r["kind"], r["method"]) for r in rows}
    assert {("embedder", "quantise-dynamic"), ("embedder", "distil-static"), ("recommender", "pq"),
            ("recommender", "distil")} <= names
    assert all(r["state"] == "ready" or "not available" in r["state"] or "has no" in r["state"] for r in rows)


def _tiny_online_retail(path: Path) -> Path:
    """Two taste clusters of customers over 30 days: what they buy later is learnable."""
    import numpy as np

    rng = np.random.default_rng(0)
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    invoice = 500000
    for cluster, codes in (("A", [f"2{i:04d}" for i in range(12)]), ("B", [f"3{i:04d}" for i in range(12)])):
        for c in range(40):
            customer = 12000 + c + (0 if cluster == "A" else 100)
            for day, code in enumerate(rng.choice(codes, size=6, replace=False)):
                invoice += 1
                lines.append(f"{invoice},{code},{cluster} THING {code},2,2011-01-{1 + day * 4 + c % 3:02d} 10:00:00,"
                             f"1.25,{customer},United Kingdom")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_run_a_recommender_method_end_to_end(tmp_path):
    data = _tiny_online_retail(tmp_path / "tiny.csv")
    proc = cli(["compress", "run", "int8", "--model", "recommender", "--source", "ease", "--dataset", str(data),
                "--json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    ev = result["evaluation"]
    assert result["artifact"]["name"] == "ease-tiny.int8" and ev["baseline"] == "ease-tiny"
    assert ev["dataset"] == "tiny" and ev["compression_ratio"] > 1.0  # int8 weights (+ scales) vs float32
    assert abs(ev["deltas"]["ndcg@10"]) < 0.05 and ev["energy_method"] in ("measured", "modelled")
    original = registry.variant_dir("recommender", "ease-tiny", tmp_path) / "manifest.json"
    made_at = original.stat().st_mtime_ns
    again = cli(["compress", "run", "float16", "--model", "recommender", "--source", "ease", "--dataset", str(data)],
                tmp_path)
    assert again.returncode == 0, again.stderr
    assert original.stat().st_mtime_ns == made_at  # the original is reused, not refitted
    listed = json.loads(cli(["compress", "list", "--model", "recommender", "--json"], tmp_path).stdout)
    assert {v["artifact"]["name"] for v in listed["variants"]} == {"ease-tiny", "ease-tiny.int8", "ease-tiny.float16"}
    promoted = cli(["compress", "promote", "ease-tiny.int8", "--json"], tmp_path)
    assert promoted.returncode == 0 and json.loads(promoted.stdout)["active"] == "ease-tiny.int8"
