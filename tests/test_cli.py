"""The CLI end to end, as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GREENCART = [sys.executable, "-m", "greencart.cli"]


def run(args: list[str], var_dir: Path, *, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("GREENCART_DATABASE_URL", None)
    proc = subprocess.run([*GREENCART, *args], env=env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"greencart {args} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("var")
    report = json.loads(run(["init", "--demo", "--json"], var).stdout)
    assert report["demo"]["products"] >= 1000
    assert sum(report["footprints"].values()) == report["demo"]["products"]
    return var


@pytest.mark.slow
def test_init_is_idempotent(demo_var):
    again = json.loads(run(["init", "--demo", "--json"], demo_var).stdout)
    status = json.loads(run(["status", "--json"], demo_var).stdout)
    assert status["counts"]["products"] == again["demo"]["products"]


@pytest.mark.slow
def test_search_and_product_json(demo_var):
    res = json.loads(run(["search", "organic cotton t-shirt", "--json", "--k", "5"], demo_var).stdout)
    assert 1 <= res["count"] <= 5
    top = res["items"][0]
    for key in ("id", "title", "price", "currency", "footprint_kg_co2e", "footprint_low", "footprint_high",
                "footprint_method", "footprint_source"):
        assert key in top, key
    assert "shirt" in top["title"].lower()
    card = json.loads(run(["product", top["id"], "--json"], demo_var).stdout)
    assert card["id"] == top["id"]
    assert card["footprint_low"] <= card["footprint_kg_co2e"] <= card["footprint_high"]
    assert card["footprint_source"]


@pytest.mark.slow
def test_search_filters_are_hard(demo_var):
    res = json.loads(run(["search", "jacket", "--max-price", "30", "--json", "--k", "20"], demo_var).stdout)
    assert all(item["price"] <= 30 for item in res["items"])


@pytest.mark.slow
def test_chinese_search(demo_var):
    res = json.loads(run(["search", "有机棉T恤", "--json"], demo_var).stdout)
    assert res["count"] > 0
    assert any(item["category"] == "apparel" for item in res["items"][:3])


@pytest.mark.slow
def test_human_output_shows_provenance(demo_var):
    res = json.loads(run(["search", "kettle", "--json", "--k", "1"], demo_var).stdout)
    text = run(["product", res["items"][0]["id"]], demo_var).stdout
    assert "kg CO2e" in text and "Source:" in text and "method" in text


def test_errors_are_one_line_with_exit_codes(tmp_path):
    proc = run(["product", "X"], tmp_path, check=False)
    assert proc.returncode == 5
    assert "greencart init" in proc.stderr and "Traceback" not in proc.stderr
    run(["init"], tmp_path)
    proc = run(["product", "NOPE"], tmp_path, check=False)
    assert proc.returncode == 3 and "NOPE" in proc.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\nA,Thing\n", encoding="utf-8")
    proc = run(["import", "products", str(bad)], tmp_path, check=False)
    assert proc.returncode == 4, proc.stderr
    assert "bad.csv" in proc.stderr and "price" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(["search", "x", "--k", "0"], tmp_path, check=False)
    assert proc.returncode == 2


def test_generic_import_then_search(tmp_path):
    run(["init"], tmp_path)
    csv = tmp_path / "products.csv"
    csv.write_text(
        "id,title,description,category,price,currency,weight_kg,attr_colour,attr_material\n"
        "P1,Bamboo Toothbrush,Compostable handle,personal-care,3.5,GBP,0.02,natural,bamboo\n"
        "P2,Stainless Steel Water Bottle,Keeps drinks cold,sports,18,GBP,0.35,silver,steel\n"
        "P3,Wool Hiking Socks,Merino blend,apparel,12,GBP,0.08,grey,wool\n"
        "P4,Café Lantern [pack of 2],Glass [/x] panes,home-decor,9,GBP,0.5,clear,glass\n",
        encoding="cp1252",
    )
    refused = run(["import", "products", str(csv)], tmp_path, check=False)
    assert refused.returncode == 4 and "cp1252" in refused.stderr and "Traceback" not in refused.stderr
    summary = json.loads(run(["import", "products", str(csv), "--json", "--encoding", "cp1252"], tmp_path).stdout)
    assert summary["products"] == 4
    res = json.loads(run(["search", "water bottle", "--json", "--k", "3"], tmp_path).stdout)
    assert res["items"][0]["id"] == "P2"
    card = json.loads(run(["product", "P1", "--json"], tmp_path).stdout)
    assert card["footprint_method"] in ("reference", "spend", "category-default")
    text = run(["product", "P4"], tmp_path).stdout  # data is printed literally, never as markup
    assert "Café Lantern [pack of 2]" in text and "[/x] panes" in text
    proc = run(["product", "[/x]"], tmp_path, check=False)
    assert proc.returncode == 3 and "[/x]" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.shared_data
def test_online_retail_import_then_search(tmp_path):
    """The issue's acceptance path on the real UCI sample."""
    from conftest import shared_file

    xlsx = shared_file("retail/online_retail_sample_40k.xlsx")
    run(["init"], tmp_path)
    summary = json.loads(run(["import", "online-retail", str(xlsx), "--json"], tmp_path).stdout)
    assert summary["products"] > 3000 and summary["dropped"]
    again = json.loads(run(["import", "online-retail", str(xlsx), "--json"], tmp_path).stdout)
    assert again["products"] == summary["products"] and again["orders"] == summary["orders"]
    res = json.loads(run(["search", "white metal lantern", "--json", "--k", "3"], tmp_path).stdout)
    assert any(item["title"].upper() == "WHITE METAL LANTERN" for item in res["items"])
