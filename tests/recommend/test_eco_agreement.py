"""One eco re-ranking convention: the recommendations endpoint, the chat and the greener
swaps order the same catalogue the same way, and an unknown footprint is never green."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from greencart.config import Settings
from greencart.recommend.rerank import GreenScale, alpha_from_eco, eco_order, known_footprint
from greencart.store import open_database

from .test_service import fill


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from greencart.api import create_app
    from greencart.recommend.service import RecommendService

    var = tmp_path_factory.mktemp("eco-var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    fill(db)
    settings = Settings(var_dir=var)
    trainer = RecommendService(settings, db)
    trainer.train("itemknn")
    trainer.close()
    db.dispose()
    with TestClient(create_app(settings)) as c:
        yield c


def _ids(client, user, alpha, k=30):
    r = client.get(f"/v1/users/{user}/recommendations", params={"alpha": alpha, "k": k})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize("user", ["A1", "B2"])
def test_recommendations_and_chat_agree_on_the_eco_order(client, user):
    by_relevance = [i["id"] for i in _ids(client, user, 1.0)]
    greenest_first = _ids(client, user, 0.0)
    assert len(by_relevance) >= 5 and {i["id"] for i in greenest_first} == set(by_relevance)
    tools = client.app.state.assistant.tools
    cards = [tools.product(pid) for pid in by_relevance]
    # the chat's eco=1 ("lowest footprint first") is the endpoint's alpha=0, on the same scale
    assert [c["id"] for c in tools.eco_rerank(cards, 1.0)] == [i["id"] for i in greenest_first]
    green = dict(zip(by_relevance, tools.green_scale().of_cards(cards)))
    assert all(green[i["id"]] == pytest.approx(i["greenness"], abs=1e-4) for i in greenest_first)
    # and any mix: the chat's eco e is the endpoint's alpha 1 - e over rank relevance
    for eco in (0.3, 0.7):
        expected = [cards[j]["id"] for j in eco_order(cards, alpha_from_eco(eco), tools.green_scale())]
        assert [c["id"] for c in tools.eco_rerank(cards, eco)] == expected


def test_greener_swaps_only_offer_known_lower_footprints(client):
    swaps = client.get("/v1/products/a9/greener", params={"k": 10}).json()["items"]
    own = client.app.state.assistant.tools.product("a9")["footprint_kg_co2e"]
    assert swaps and all(s["footprint_kg_co2e"] < own and s["saving_kg_co2e"] > 0 for s in swaps)
    chat_swap = client.app.state.assistant.tools.greener(client.app.state.assistant.tools.product("a9"))
    assert chat_swap["swap"]["id"] == swaps[0]["id"]  # the chat offers the recommender's best swap


def _card(pid, kg, category="home"):
    known = kg is not None
    return {"id": pid, "title": pid, "category": category, "price": 10.0, "currency": "GBP", "attributes": {},
            "footprint_kg_co2e": kg, "footprint_low": kg * 0.8 if known else None,
            "footprint_high": kg * 1.2 if known else None, "footprint_method": "spend" if known else None}


def test_an_unknown_footprint_is_neutral_never_the_greenest():
    scale = GreenScale.from_rows([("home", 1.0, 0.8, 1.2), ("home", 9.0, 7.2, 10.8), ("home", 3.0, 2.4, 3.6)])
    cards = [_card("heavy", 9.0), _card("unknown", None), _card("light", 1.0)]
    g = scale.of_cards(cards)
    assert g[1] == 0.5 and g[2] > g[1] > g[0]
    order = [cards[i]["id"] for i in eco_order(cards, alpha=0.0, scale=scale)]
    assert order == ["light", "unknown", "heavy"]
    assert known_footprint(None) is None and known_footprint(float("nan")) is None and known_footprint(0.0) == 0.0


def test_chat_tools_never_count_an_unknown_footprint_as_green(client):
    from greencart.assistant.act import _swap_from_candidates

    tools = client.app.state.assistant.tools
    unknown, known = _card("u1", None), tools.product("a0")  # a0: the lowest footprint of "home"
    assert tools.green_scale().of_cards([known])[0] > 0.5
    assert [c["id"] for c in tools.eco_rerank([unknown, known], 1.0)] == ["a0", "u1"]
    summary = tools.compare([unknown, known])
    assert summary["lowest_footprint"] is None and summary["footprint_difference_kg_co2e"] is None
    pool = [dict(_card("u2", None, category=known["category"]), attributes=known.get("attributes") or {})]
    assert _swap_from_candidates(known, pool) is None  # an unknown is no swap
    assert tools.greener(unknown) is None  # nothing is "greener" than an unknown figure
