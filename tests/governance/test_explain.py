"""Recommendation explanations from the model's own score decomposition, checked by the
deletion test (and a control the test must fail); footprint explanations in plain words."""

from __future__ import annotations

import numpy as np
import pytest

from greencart.demo import generate_demo
from greencart.errors import InvalidParameter
from greencart.governance.explain import (
    DeletionTestConfig,
    deletion_test,
    explain_footprint,
    explain_recommendation,
)
from greencart.recommend.data import EventLog, build_interactions
from greencart.recommend.factory import make_recommender


@pytest.fixture(scope="module")
def demo_data():
    d = generate_demo(n_products=300, n_shoppers=300)
    return build_interactions(EventLog.from_interactions(d.interactions))


@pytest.mark.parametrize("name", ["itemknn", "ease", "als"])
def test_removing_the_top_contributors_lowers_the_score_more_than_random_ones(demo_data, name):
    model = make_recommender(name).fit(demo_data)
    result = deletion_test(model, DeletionTestConfig(k=2, random_draws=8, max_cases=60))
    assert result.cases == 60 and result.model == name
    assert result.faithful_rate >= 0.9, result
    assert result.mean_drop_top_k > result.mean_drop_random_k > 0


def test_the_deletion_test_fails_attributions_that_are_noise(demo_data):
    model = make_recommender("als").fit(demo_data)
    rng = np.random.default_rng(1)
    model._contributions = lambda row, item: rng.random(row.nnz)  # attributions unrelated to the score
    result = deletion_test(model, DeletionTestConfig(k=2, random_draws=8, max_cases=60))
    assert result.faithful_rate < 0.75, result


def test_an_explanation_names_history_items_whose_contributions_add_up(demo_data):
    model = make_recommender("ease").fit(demo_data)
    user = demo_data.user_ids[3]
    top = model.recommend(user, 1)[0]
    exp = explain_recommendation(model, user, top.item_id, n=1000)
    history = set(np.array(demo_data.item_ids)[demo_data.matrix[[demo_data.user_index(user)]].indices])
    assert exp.attributions and {a.item_id for a in exp.attributions} <= history
    assert sum(a.share for a in exp.attributions) == pytest.approx(1.0)
    # EASE is linear: positive and negative contributions sum to the score
    row = demo_data.matrix[[demo_data.user_index(user)]]
    total = model._contributions(row, demo_data.item_index(top.item_id)).sum()
    assert total == pytest.approx(exp.score, rel=1e-4) and exp.score == pytest.approx(top.score, rel=1e-4)


def test_a_deletion_test_needs_long_enough_histories(demo_data):
    model = make_recommender("itemknn").fit(demo_data)
    with pytest.raises(InvalidParameter, match="history items"):
        deletion_test(model, DeletionTestConfig(k=100))


def test_footprint_explanations_say_method_factor_confidence_and_band():
    from greencart.footprint.models import Footprint

    spend = Footprint(3.1, 1.2, 8.4, "spend", "spend: ...", "335210", 0.55)
    text = explain_footprint(spend, "Recycled Plastic Kettle")
    assert "price" in text["text"] and "NAICS 335210" in text["text"] and "0.55 (unsure)" in text["text"]
    assert "between 1.2 and 8.4 kg CO2e" in text["text"] and text["factor_kg_co2e_per_usd_2021"] > 0
    declared = explain_footprint(Footprint(2.0, 1.5, 2.5, "declared", "declared: EPD", None, 1.0))
    assert "declared" in declared["text"] and "NAICS" not in declared["text"] and "sure" not in declared["text"]


def test_the_api_explains_a_served_recommendation(var):
    from datetime import datetime, timedelta

    from fastapi.testclient import TestClient

    from greencart.api.app import create_app
    from greencart.catalog.models import Interaction, Shopper
    from greencart.config import Settings
    from greencart.recommend.data import build_interactions, load_event_log
    from greencart.store import catalog_repo, open_database

    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    baskets = {"ann": ["K1", "L1", "L2"], "bo": ["K1", "K2", "L1"], "cy": ["K2", "L1", "L2"], "di": ["K1", "K2"]}
    t0 = datetime(2026, 1, 1)
    with db.transaction() as s:
        catalog_repo.upsert_shoppers(s, [Shopper(u) for u in baskets])
        catalog_repo.upsert_interactions(s, [Interaction(u, p, "purchase", t0 + timedelta(days=i))
                                             for u, items in baskets.items() for i, p in enumerate(items)])
    make_recommender("itemknn").fit(build_interactions(load_event_log(db))).save(var / "models" / "recommender")
    db.dispose()
    with TestClient(create_app(Settings(var_dir=var))) as client:
        body = client.get("/v1/users/ann/explanations/K2").json()
        missing = client.get("/v1/users/nobody/explanations/K2")
    assert body["item_id"] == "K2" and body["attributions"] and "exact decomposition" in body["method"]
    assert {a["item_id"] for a in body["attributions"]} <= set(baskets["ann"])
    assert sum(a["contribution"] for a in body["attributions"]) == pytest.approx(body["score"], rel=1e-4)
    assert missing.status_code == 404
