"""The contract every session store meets (assistant.state.SessionStore): what is put is
got back equal and independent of later changes, unknown or deleted is None, expired is gone."""

from __future__ import annotations

import time

import pytest

from greencart.assistant.state import (
    Constraints,
    DialogueState,
    JsonFileSessionStore,
    MemorySessionStore,
    SessionStore,
    TurnRecord,
)


@pytest.fixture(params=["memory", "json-files"])
def make_store(request, tmp_path):
    def make(ttl_s: float = 3600.0) -> SessionStore:
        if request.param == "memory":
            return MemorySessionStore(ttl_s=ttl_s)
        return JsonFileSessionStore(tmp_path / "sessions", ttl_s=ttl_s)

    return make


def _state(session_id: str = "s-1") -> DialogueState:
    state = DialogueState(session_id=session_id, user_id="U1")
    state.constraints = Constraints(query="kettle", max_price=30.0, attributes={"colour": "white"})
    state.shown = [{"id": "K2", "title": "Recycled Plastic Kettle", "price": 24.0, "footprint_kg_co2e": None}]
    state.add_turn(TurnRecord("user", "white kettles under 30"))
    return state


def test_is_a_session_store(make_store):
    assert isinstance(make_store(), SessionStore)


def test_put_then_get_round_trips(make_store):
    store, state = make_store(), _state()
    store.put(state)
    got = store.get("s-1")
    assert got is not None and got.to_dict() == state.to_dict()
    assert got.shown[0]["footprint_kg_co2e"] is None  # an unknown footprint stays unknown


def test_a_stored_state_is_a_snapshot(make_store):
    store, state = make_store(), _state()
    store.put(state)
    state.constraints.max_price = 5.0
    state.shown.clear()
    got = store.get("s-1")
    assert got.constraints.max_price == 30.0 and got.shown


def test_unknown_and_deleted_are_none(make_store):
    store = make_store()
    assert store.get("nope") is None
    store.put(_state("s-2"))
    store.delete("s-2")
    assert store.get("s-2") is None
    store.delete("never-there")  # deleting an unknown session is not an error


def test_expired_sessions_are_gone(make_store):
    store = make_store(ttl_s=1.0)
    store.put(_state("s-3"))
    time.sleep(1.2)
    assert store.get("s-3") is None
