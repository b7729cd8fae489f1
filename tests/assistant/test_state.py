"""Session stores: TTL, bound, atomic JSON files, validation."""

from __future__ import annotations

import json

import pytest

from greencart.assistant.state import (
    Constraints,
    DialogueState,
    JsonFileSessionStore,
    MemorySessionStore,
    SessionStore,
    TurnRecord,
)
from greencart.errors import InvalidParameter


def _state(sid: str = "s1") -> DialogueState:
    st = DialogueState(session_id=sid, user_id="U1", constraints=Constraints(query="lantern", max_price=5.0,
                                                                               attributes={"colour": "white"}))
    st.shown = [{"id": "L1", "price": 3.75}]
    st.add_turn(TurnRecord("user", "white lantern under 5"))
    return st


def test_memory_store_roundtrip_copy_bound_and_ttl(monkeypatch):
    store = MemorySessionStore(ttl_s=10, max_sessions=2)
    assert isinstance(store, SessionStore)
    store.put(_state("a"))
    got = store.get("a")
    assert got.constraints.max_price == 5.0 and got.turns[0].text == "white lantern under 5"
    got.constraints.max_price = 1.0
    assert store.get("a").constraints.max_price == 5.0  # callers get copies
    store.put(_state("b"))
    store.put(_state("c"))
    assert store.get("a") is None and len(store) == 2
    import greencart.assistant.state as mod

    real = mod.time.monotonic
    monkeypatch.setattr(mod.time, "monotonic", lambda: real() + 60)
    assert store.get("b") is None


def test_json_store_is_atomic_and_persists(tmp_path):
    store = JsonFileSessionStore(tmp_path / "sessions")
    store.put(_state("cli-1"))
    files = list((tmp_path / "sessions").iterdir())
    assert [f.name for f in files] == ["cli-1.json"]  # no temp file left behind
    again = JsonFileSessionStore(tmp_path / "sessions").get("cli-1")
    assert again.shown == [{"id": "L1", "price": 3.75}] and again.user_id == "U1"
    assert store.get("missing") is None
    (tmp_path / "sessions" / "bad.json").write_text("{not json")
    with pytest.raises(InvalidParameter, match="bad.json"):
        store.get("bad")
    json.loads(files[0].read_text())


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "a b", "x" * 65])
def test_session_ids_are_validated(bad, tmp_path):
    with pytest.raises(InvalidParameter):
        JsonFileSessionStore(tmp_path).get(bad)


def test_state_validation_messages():
    with pytest.raises(InvalidParameter, match="eco_weight"):
        DialogueState(session_id="s", eco_weight=1.4)
    with pytest.raises(InvalidParameter, match="min_price <= max_price"):
        Constraints(max_price=5, min_price=9)
