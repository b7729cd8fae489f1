"""conversations / conversation_turns on SQLite and PostgreSQL: migration 0002 both ways,
append in one transaction, get, list, erasure by pseudonym, retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from greencart.errors import InvalidParameter, StoreError
from greencart.store import conversation_repo as repo
from greencart.store.conversation_repo import StoredTurn
from greencart.store.engine import _alembic_config
from greencart.store.tables import ConversationTurnRow

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _exchange(db, cid, pseudonym, at=NOW, text="kettles"):
    with db.transaction() as s:
        return repo.append_turns(
            s, cid, [StoredTurn("user", text, created_at=at),
                     StoredTurn("assistant", "Here are 2 kettles", 0, "rules", 1.5, 0.02, "modelled", "search",
                                ("K1", "K2"), at)],
            user_pseudonym=pseudonym, lang="en", now=at)


def test_migration_0002_upgrades_and_downgrades(db):
    from alembic import command

    cfg = _alembic_config(db.engine)
    assert {"conversations", "conversation_turns"} <= set(inspect(db.engine).get_table_names())
    command.downgrade(cfg, "0001")
    tables = set(inspect(db.engine).get_table_names())
    assert "conversations" not in tables and "conversation_turns" not in tables and "products" in tables
    command.upgrade(cfg, "head")
    cols = {c["name"] for c in inspect(db.engine).get_columns("conversation_turns")}
    assert {"conversation_id", "seq", "role", "text_redacted", "redactions", "tier", "energy_j", "carbon_g",
            "energy_method", "intent", "product_ids", "created_at"} <= cols


def test_migration_matches_the_tables(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from greencart.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "conversation" in repr(d)] == []


def test_append_get_and_totals(db):
    assert _exchange(db, "s1", "p" * 64) == 2
    assert _exchange(db, "s1", None, NOW + timedelta(minutes=1), "cheaper") == 4
    with db.read() as s:
        conv = repo.get_conversation(s, "s1")
    assert conv is not None and conv.turn_count == 4 and conv.user_pseudonym == "p" * 64
    assert [t.seq for t in conv.turns] == [1, 2, 3, 4] and [t.role for t in conv.turns] == ["user", "assistant"] * 2
    assert conv.turns[1].product_ids == ("K1", "K2") and conv.turns[2].text_redacted == "cheaper"
    assert conv.energy_j_total == pytest.approx(3.0) and conv.carbon_g_total == pytest.approx(0.04)
    assert conv.updated_at == NOW + timedelta(minutes=1)
    assert conv.to_dict()["turns"][1]["tier"] == "rules"


def test_a_failed_append_writes_nothing(db):
    turn = StoredTurn("user", "hi", created_at=NOW)
    with pytest.raises(StoreError), db.transaction() as s:
        repo.append_turns(s, "s2", [turn], user_pseudonym=None, lang="en", now=NOW)
        repo.append_turns(s, "s2", [turn], user_pseudonym=None, lang="en", now=NOW)
        s.add(ConversationTurnRow(conversation_id="s2", seq=1, role="user", text_redacted="dup",
                                  redactions=0, product_ids=[], created_at=NOW.replace(tzinfo=None)))
        s.flush()  # (conversation_id, seq) is unique: the whole transaction rolls back
    with db.read() as s:
        assert repo.get_conversation(s, "s2") is None


def test_a_later_user_on_the_session_does_not_take_the_conversation_over(db):
    _exchange(db, "s1", "alice")
    _exchange(db, "s1", "bob", NOW + timedelta(minutes=1))
    with db.read() as s:
        assert repo.get_conversation(s, "s1").user_pseudonym == "alice"
    with db.transaction() as s:
        assert repo.delete_by_pseudonym(s, "bob") == (0, 0)  # bob's id never owned alice's text
        assert repo.delete_by_pseudonym(s, "alice") == (1, 4)


def test_list_forget_and_purge(db):
    _exchange(db, "a1", "alice", NOW - timedelta(days=40))
    _exchange(db, "a2", "alice", NOW)
    _exchange(db, "b1", "bob", NOW - timedelta(days=40))
    with db.read() as s:
        assert [c.id for c in repo.list_conversations(s, user_pseudonym="alice")] == ["a2", "a1"]
        assert len(repo.list_conversations(s)) == 3
    with db.transaction() as s:
        assert repo.delete_by_pseudonym(s, "alice") == (2, 4)
    with db.transaction() as s:
        assert repo.purge_older_than(s, NOW - timedelta(days=30)) == (1, 2)
    with db.read() as s:
        assert repo.list_conversations(s) == []
    with pytest.raises(InvalidParameter), db.transaction() as s:
        repo.delete_by_pseudonym(s, "")


def test_turn_role_is_checked():
    with pytest.raises(InvalidParameter, match="Expected role"):
        StoredTurn("system", "x")
