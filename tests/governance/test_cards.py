"""Stratified K-fold figures of the classifiers (and a control they must beat), and model
cards generated from the artefacts through the CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from greencart.errors import InvalidParameter
from greencart.governance.evaluation import (
    catalogue_products,
    commodity_fit_predict,
    product_text,
    stratified_kfold,
    task_turns,
    understanding_fit_predict,
)

ROOT = Path(__file__).resolve().parents[2]
TASKS = ROOT / "benchmarks" / "tasks" / "demo.jsonl"


@pytest.fixture(scope="module")
def products():
    return catalogue_products(400)


def test_commodity_classifier_kfold_beats_a_constant_guess(products):
    texts, labels = [product_text(p) for p in products], [p.category for p in products]
    served = stratified_kfold("commodity", "demo", texts, labels, commodity_fit_predict(products), k=5)
    most = Counter(labels).most_common(1)[0][0]
    constant = stratified_kfold("constant", "demo", texts, labels, lambda tx, ty, ex: [most] * len(ex), k=5)
    assert served.n == 400 and served.classes == 12 and len(served.fold_accuracy) == 5
    assert 0.5 < served.accuracy_mean <= 1.0 and served.accuracy_sd >= 0.0
    assert constant.accuracy_mean == pytest.approx(1 / 12, abs=0.03) and constant.macro_f1_mean < 0.05
    assert served.macro_f1_mean > 5 * constant.macro_f1_mean


def test_understanding_kfold_on_the_task_turns():
    texts, labels = task_turns(TASKS)
    assert len(texts) >= 150 and {"apparel", "small-appliances"} <= set(labels)
    result = stratified_kfold("understanding", "tasks", texts, labels, understanding_fit_predict, k=5)
    assert result.accuracy_mean > 0.9 and len(result.fold_macro_f1) == 5


def test_kfold_refuses_too_little_data():
    with pytest.raises(InvalidParameter, match="labelled texts"):
        stratified_kfold("m", "d", ["a", "b"], ["x", "y"], lambda tx, ty, ex: ex, k=5)


def test_models_evaluate_then_cards_from_the_artefacts(var):
    from typer.testing import CliRunner

    from greencart.demo import generate_demo
    from greencart.cli import app
    from greencart.recommend.data import EventLog, build_interactions
    from greencart.recommend.factory import make_recommender

    data = build_interactions(EventLog.from_interactions(generate_demo(n_products=300, n_shoppers=200).interactions))
    make_recommender("ease").fit(data).save(var / "models" / "recommender")
    run = CliRunner().invoke
    ev = run(app, ["--var-dir", str(var), "models", "evaluate", "--products", "300", "--tasks", str(TASKS), "--json"])
    assert ev.exit_code == 0, ev.output
    results = json.loads(ev.output)["results"]
    assert next(r["model"] for r in results).startswith("footprint-commodity") and len(results) == 4
    res = run(app, ["--var-dir", str(var), "models", "cards", "--results", str(ROOT / "benchmarks" / "results"),
                    "--json"])
    assert res.exit_code == 0, res.output
    cards = {c["kind"]: c for c in json.loads(res.output)["cards"]}
    rec = cards["recommender"]
    assert rec["name"] == "recommender (ease)" and "200 shoppers" in rec["data"]
    assert any(m["name"].startswith("ndcg_at_10") and isinstance(m["value"], float) for m in rec["metrics"])
    assert rec["training_energy"]["energy_j"] is not None and rec["training_energy"]["source"]
    kfold = [m for m in cards["classifier"]["metrics"] if "±" in str(m["value"])]
    assert kfold and all("stratified 5-fold" in m["protocol"] for m in kfold)
    assert (var / "reports" / "model-cards" / "recommender.md").read_text().startswith("# Model card: recommender")
