"""The compressed runtime meets the Recommender contract (the checks of
tests/recommend/test_contract.py, on the same planted two-cluster data) for every
stored form, and an export -> load round trip serves what the source model serves."""

from __future__ import annotations

import numpy as np
import pytest
from tests.recommend.conftest import ITEMS_A, ITEMS_B, planted_interactions

from greencart.compress.artifact import Artifact
from greencart.compress.recommender import (
    FactorRecommender,
    export_factors,
    load_recommender,
    prune_factors,
    quantise_factors,
)
from greencart.errors import InvalidParameter, NotFound
from greencart.recommend.data import EventLog, Interactions, build_interactions
from greencart.recommend.factory import make_recommender
from greencart.recommend.protocol import Recommender

SOURCES = {"als": {"factors": 4, "iterations": 20, "regularization": 0.1}, "bpr": {"factors": 8, "iterations": 200},
           "ease": {}}
FORMS = [("als", "original"), ("als", "float16"), ("als", "int8"), ("als", "pq"), ("als", "dims"),
         ("bpr", "original"), ("bpr", "int8"), ("ease", "original"), ("ease", "float16"), ("ease", "int8"),
         ("ease", "topk")]


@pytest.fixture(scope="module")
def planted() -> Interactions:
    return build_interactions(EventLog.from_interactions(planted_interactions()), item_ids=ITEMS_A + ITEMS_B)


@pytest.fixture(scope="module")
def sources(planted):
    return {name: make_recommender(name, **kw).fit(planted) for name, kw in SOURCES.items()}


def make_form(source, form: str, tmp) -> Artifact:
    orig = export_factors(source, tmp / "orig", name="orig")
    if form == "original":
        return orig
    if form == "pq":
        return quantise_factors(orig, tmp / form, scheme="pq", pq_subspaces=2, pq_bits=4)
    if form == "dims":
        return prune_factors(orig, tmp / form, keep_dims=2)
    if form == "topk":
        return prune_factors(orig, tmp / form, keep_per_column=8)
    return quantise_factors(orig, tmp / form, scheme=form)


@pytest.fixture(params=FORMS, ids=["-".join(f) for f in FORMS])
def served(request, sources, planted, tmp_path):
    name, form = request.param
    return load_recommender(make_form(sources[name], form, tmp_path), planted)


def seen(data, user):
    return {data.item_ids[i] for i in data.matrix[data.user_index(user)].indices}


def test_is_a_recommender(served):
    assert isinstance(served, Recommender) and isinstance(served, FactorRecommender)


def test_recommend_excludes_seen_and_is_sorted(served, planted):
    recs = served.recommend("A0", k=5)
    assert len(recs) == 5 and not {r.item_id for r in recs} & seen(planted, "A0")
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)


def test_finds_the_users_cluster(served, planted):
    share = np.mean([{r.item_id for r in served.recommend(u, k=3)} <= set(ITEMS_A if u[0] == "A" else ITEMS_B)
                     for u in planted.user_ids])
    assert share >= 0.8


def test_recommend_many_matches_single(served):
    many = served.recommend_many(["A0", "B1"], k=4)
    for u in ("A0", "B1"):
        assert [r.item_id for r in many[u]] == [r.item_id for r in served.recommend(u, k=4)]


def test_allowed_mask_fold_in_and_similar_items(served, planted):
    allowed = np.array([i.startswith("b") and int(i[1:]) % 2 == 0 for i in planted.item_ids])
    recs = served.recommend("A0", k=10, allowed=allowed)
    assert recs and all(allowed[planted.item_index(r.item_id)] for r in recs)
    assert {r.item_id for r in served.recommend_from_items(["b1", "b2", "b3"], k=3)} <= set(ITEMS_B) - {"b1", "b2", "b3"}
    sims = served.similar_items("a1", k=3)
    assert "a1" not in {s.item_id for s in sims} and {s.item_id for s in sims} <= set(ITEMS_A)


def test_explanations_point_at_real_history(served, planted):
    rec = served.recommend("A2", k=1)[0]
    why = served.explain("A2", rec.item_id, n=3)
    assert why and {c.item_id for c in why} <= seen(planted, "A2") and all(c.weight > 0 for c in why)


def test_compressed_models_are_not_trained(served, planted):
    for call in (served.fit, served.update):
        with pytest.raises(InvalidParameter, match="Compressed models are not trained: re-compress"):
            call(planted)


def test_bad_requests_are_rejected(served):
    with pytest.raises(InvalidParameter, match=r"Expected k to be an integer in \[1, "):
        served.recommend("A0", k=0)
    with pytest.raises(NotFound, match="Unknown user 'nobody'"):
        served.recommend("nobody")
    with pytest.raises(NotFound, match="Unknown product"):
        served.similar_items("zzz")


@pytest.mark.parametrize("name", ["als", "bpr", "ease"])
def test_export_load_round_trip_serves_what_the_source_serves(name, sources, planted, tmp_path):
    model = sources[name]
    art = export_factors(model, tmp_path / name, name=f"{name}-orig")
    again = Artifact.load(tmp_path / name)
    assert (again.method, again.format) == ("original", "item-item" if name == "ease" else "factors")
    assert set(again.files) == {"arrays.npz", "ids.json"} and again.size_bytes() > 0
    rec = load_recommender(again, planted)
    users = np.arange(planted.n_users)
    assert np.allclose(rec.score_users(users), model.score_users(users), atol=1e-5)
    for u in ("A1", "B4"):
        assert [r.item_id for r in rec.recommend(u, k=5)] == [r.item_id for r in model.recommend(u, k=5)]
    assert [r.item_id for r in rec.recommend_from_items(["a1", "a2"], k=3)] == [
        r.item_id for r in model.recommend_from_items(["a1", "a2"], k=3)]
    rec.save(tmp_path / "copy")
    copy = load_recommender(tmp_path / "copy", planted)
    assert np.array_equal(copy.score_users(users), rec.score_users(users)) and art.params == again.params


def test_export_rejects_unfitted_models_bad_names_and_other_kinds(sources, planted, tmp_path):
    from greencart.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="Expected a fitted recommender to export"):
        export_factors(make_recommender("als"), tmp_path / "x", name="x")
    with pytest.raises(InvalidParameter, match="Expected a variant name"):
        export_factors(sources["ease"], tmp_path / "x", name="bad/name")
    with pytest.raises(InvalidParameter, match="Expected a factor model .* or an item-item model"):
        export_factors(make_recommender("popularity").fit(planted), tmp_path / "x", name="pop")
    assert not (tmp_path / "x").exists()


def test_loading_against_other_ids_is_rejected(sources, planted, tmp_path):
    art = export_factors(sources["ease"], tmp_path / "e", name="e")
    other = Interactions(planted.matrix, planted.user_ids, tuple(reversed(planted.item_ids)))
    with pytest.raises(InvalidParameter, match="item ids to match artifact 'e'"):
        load_recommender(art, other)
    with pytest.raises(NotFound, match="No model variant at"):
        load_recommender(tmp_path / "nothing", planted)
