"""Key rotation in batches (master and data keys), legacy clear rows sealed, retention
per table with unused keys shredded, the erasure log without personal data; on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from greencart.assistant.history import Exchange, SqlConversationLog
from greencart.errors import ConfigError
from greencart.governance.erasure import RetentionPolicy, open_cipher, purge
from greencart.governance.keys import key_file, load_keyring
from greencart.governance.rotation import rotate
from greencart.privacy import Pseudonymiser, Redaction
from greencart.store import conversation_repo as repo
from greencart.store import governance_repo
from greencart.store.tables import ConversationTurnRow, DataKeyRow

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Identity:
    def redact(self, text):
        return Redaction(text, 0, (), 0.0)


def _log(db, var):
    return SqlConversationLog(db, Identity(), Pseudonymiser(b"p" * 32), open_cipher(var, db))


def _say(log, session, user, text, at=NOW):
    assert log.record(Exchange(session, user, "en", text, f"reply to {text}", "rules", 1.0, 0.01, "modelled",
                               "search", ("K1",), at=at))


def _texts(db, var, session):
    with db.read() as s:
        return [t.text_redacted for t in repo.get_conversation(s, session, open_cipher(var, db)).turns]


def test_master_rotation_rewraps_in_batches_and_keeps_everything_readable(db, tmp_path):
    log = _log(db, tmp_path)
    for i in range(7):
        _say(log, f"s{i}", f"user-{i}" if i % 2 else None, f"secret text {i}")
    old_id = load_keyring(tmp_path).primary_id
    with db.transaction() as s:  # a row stored in clear before revision 0006
        s.add(ConversationTurnRow(conversation_id="s0", seq=99, role="user", text_redacted="legacy clear",
                                  redactions=0, product_ids=[], created_at=NOW.replace(tzinfo=None)))
    report = rotate(db, tmp_path, batch_size=3)
    ring = load_keyring(tmp_path)
    assert report.data_keys_rewrapped == 7 and report.turns_sealed == 1 and report.retired_in_use == 0
    assert ring.primary_id == report.new_master_key_id != old_id and ring.retired == ()  # old key dropped
    with db.read() as s:
        assert governance_repo.master_key_counts(s) == {ring.primary_id: 7}
        assert governance_repo.encryption_counts(s)["turns_in_clear"] == 0
    assert _texts(db, tmp_path, "s3")[0] == "secret text 3" and _texts(db, tmp_path, "s0")[-1] == "legacy clear"
    _say(_log(db, tmp_path), "s3", "user-3", "after rotation")  # writes go on under the new key
    assert _texts(db, tmp_path, "s3")[-2] == "after rotation"


def test_data_key_rotation_reencrypts_and_deletes_the_old_keys(db, tmp_path):
    log = _log(db, tmp_path)
    _say(log, "a", "alice", "alice one")
    _say(log, "a", "alice", "alice two")
    with db.read() as s:
        before = set(s.scalars(select(DataKeyRow.id)))
    report = rotate(db, tmp_path, batch_size=1, data_keys=True)
    with db.read() as s:
        after = set(s.scalars(select(DataKeyRow.id)))
    assert report.turns_reencrypted == 4 and report.data_keys_replaced == len(before) == 1
    assert after and not (after & before)
    assert _texts(db, tmp_path, "a") == ["alice one", "reply to alice one", "alice two", "reply to alice two"]


def test_rotation_from_the_environment_needs_the_old_key_listed(db, tmp_path, monkeypatch):
    old, new = secrets.token_hex(32), secrets.token_hex(32)
    monkeypatch.setenv("GREENCART_ENCRYPTION_KEY", old)
    _say(_log(db, tmp_path), "e", "erin", "env keyed")
    monkeypatch.setenv("GREENCART_ENCRYPTION_KEY", new)
    with pytest.raises(ConfigError, match="GREENCART_ENCRYPTION_KEY"):
        rotate(db, tmp_path)
    monkeypatch.setenv("GREENCART_ENCRYPTION_OLD_KEYS", old)
    assert rotate(db, tmp_path).retired_in_use == 0
    monkeypatch.delenv("GREENCART_ENCRYPTION_OLD_KEYS")
    assert _texts(db, tmp_path, "e")[0] == "env keyed"
    assert not key_file(tmp_path).exists()  # keys from the environment: no key file is written


def test_retention_purges_per_table_and_shreds_unused_keys(db, tmp_path):
    log = _log(db, tmp_path)
    _say(log, "old", "olga", "old text", NOW - timedelta(days=200))
    _say(log, "anon", None, "anonymous old", NOW - timedelta(days=200))
    _say(log, "new", "nina", "new text", NOW - timedelta(days=1))
    report = purge(db, RetentionPolicy(conversations_days=90, erasure_log_days=365), now=NOW)
    assert report.rows_deleted["conversations"] == 2 and report.rows_deleted["conversation_turns"] == 4
    assert report.keys_shredded == 2
    with db.read() as s:
        assert [c.id for c in repo.list_conversations(s)] == ["new"]
        entries = governance_repo.erasures(s)
    assert entries[-1]["kind"] == "retention" and "olga" not in str(entries)
    assert _texts(db, tmp_path, "new")[0] == "new text"


def test_retention_policy_reads_days_per_table_and_checks_them():
    p = RetentionPolicy.from_env({"GREENCART_RETENTION_CONVERSATIONS_DAYS": "30",
                                  "GREENCART_RETENTION_LEDGER_DAYS": "never"})
    assert p.conversations_days == 30 and p.energy_ledger_days is None
    with pytest.raises(ConfigError, match="conversations_days"):
        RetentionPolicy(conversations_days=-1)
    with pytest.raises(ConfigError, match="GREENCART_RETENTION_LEDGER_DAYS"):
        RetentionPolicy.from_env({"GREENCART_RETENTION_LEDGER_DAYS": "soon"})


def test_a_ciphertext_moved_to_another_row_does_not_open(db, tmp_path):
    from greencart.governance.crypto import Undecryptable

    log = _log(db, tmp_path)
    _say(log, "m", "mo", "first")
    cipher = open_cipher(tmp_path, db)
    with db.read() as s:
        token = s.scalar(select(ConversationTurnRow.text_redacted).where(ConversationTurnRow.seq == 1))
        assert cipher.open(s, repo.turn_aad("m", 1), token) == "first"
        with pytest.raises(Undecryptable):
            cipher.open(s, repo.turn_aad("m", 2), token)


def test_migration_0006_matches_the_tables_and_downgrades(db):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from greencart.store.engine import _alembic_config
    from greencart.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "data_keys" in repr(d) or "erasure_log" in repr(d)] == []
    cfg = _alembic_config(db.engine)
    command.downgrade(cfg, "0003")
    assert not {"data_keys", "erasure_log"} & set(inspect(db.engine).get_table_names())
    command.upgrade(cfg, "head")
    assert {"data_keys", "erasure_log"} <= set(inspect(db.engine).get_table_names())


def test_forget_removes_the_shopper_from_the_store_and_the_saved_recommender(var):
    from typer.testing import CliRunner

    from greencart.catalog.models import Interaction, Shopper
    from greencart.cli import app
    from greencart.governance.erasure import forget
    from greencart.recommend.base import load_recommender
    from greencart.recommend.data import build_interactions, load_event_log
    from greencart.recommend.factory import make_recommender
    from greencart.store import catalog_repo, open_database

    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    users = ["ann", "bo", "cy", "di"]
    with db.transaction() as s:
        catalog_repo.upsert_shoppers(s, [Shopper(u) for u in users])
        catalog_repo.upsert_interactions(s, [Interaction(u, p, "purchase", NOW.replace(tzinfo=None) + timedelta(days=i))
                                             for i, u in enumerate(users) for p in ("K1", "K2", "L1")[: 2 + i % 2]])
    model_dir = var / "models" / "recommender"
    make_recommender("als", factors=4, iterations=3).fit(build_interactions(load_event_log(db))).save(model_dir)
    pseudonymiser = Pseudonymiser(b"p" * 32)
    log = SqlConversationLog(db, Identity(), pseudonymiser, open_cipher(var, db))
    _say(log, "c-bo", "bo", "bo's words")
    _say(log, "c-ann", "ann", "ann's words")
    report = forget(db, var, pseudonymiser, "bo")
    model = load_recommender(model_dir)
    assert "bo" not in model.data.user_ids and model.user_factors.shape[0] == 3 == model.data.n_users
    assert report.recommender_rows_removed == 1 and report.interactions_deleted == 3 and report.shoppers_deleted == 1
    assert report.keys_shredded == 1 and report.conversations_deleted == 1
    with db.read() as s:
        assert all(i.user_id != "bo" for i in catalog_repo.iter_interactions(s))
    db.dispose()
    res = CliRunner().invoke(app, ["--var-dir", str(var), "privacy", "purge", "--older-than-days", "0", "--json"])
    assert res.exit_code == 0, res.output
    purged = json.loads(res.output)
    assert purged["rows_deleted"]["conversations"] == 1 and purged["rows_deleted"]["conversation_turns"] == 2
    assert purged["keys_shredded"] == 1  # ann's key: no conversation of hers is left
