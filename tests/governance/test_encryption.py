"""Encryption at rest: personal data seeded through the API and the CLI is in clear in no
column and no file under var/; after ``privacy forget`` nothing of that shopper decrypts;
missing or wrong keys stop the service with a message naming the variable."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest
from sqlalchemy import LargeBinary, MetaData, Text, cast, inspect, select
from sqlalchemy import Table as SaTable

from greencart.config import Settings
from greencart.errors import ConfigError
from greencart.store import conversation_repo as repo
from greencart.store import open_database

API_USER, API_NAME, API_MAIL = "SHOPPER-ZQ-4417", "Quartermaine", "zq.private@example.org"
CLI_USER, CLI_NAME = "CLI-SHOPPER-9921", "Oyelaran-Whitcombe"
SECRETS = (API_USER, API_NAME, API_MAIL, CLI_USER, CLI_NAME)


def _column_values(db) -> list[bytes]:
    """Every value of every column of every table, as bytes."""
    out: list[bytes] = []
    with db.engine.connect() as conn:
        for name in inspect(db.engine).get_table_names():
            table = SaTable(name, MetaData(), autoload_with=conn)
            cols = [c if isinstance(c.type, LargeBinary) else cast(c, Text) for c in table.columns]
            for row in conn.execute(select(*cols)):
                out += [v if isinstance(v, bytes) else str(v).encode() for v in row if v is not None]
    return out


def _files(var: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in var.rglob("*") if p.is_file()}


def _seed(var: Path) -> str:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from greencart.api.app import create_app
    from greencart.cli import app

    with TestClient(create_app(Settings(var_dir=var))) as client:
        r = client.post("/v1/chat", json={"message": f"I'm Zebulon {API_NAME}, a kettle under 30, mail {API_MAIL}",
                                          "user": API_USER})
        assert r.status_code == 200, r.text
        session = r.json()["session"]
        client.post("/v1/chat", json={"message": "cheaper", "session": session, "user": API_USER})
    res = CliRunner().invoke(app, ["--var-dir", str(var), "ask", f"lanterns for Philippa {CLI_NAME}", "--user",
                                   CLI_USER, "--json"])
    assert res.exit_code == 0, res.output
    return session


def test_personal_data_is_in_clear_in_no_column_and_no_file(var):
    session = _seed(var)
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    try:
        values = _column_values(db)
        from greencart.governance.erasure import open_cipher

        cipher = open_cipher(var, db)
        with db.read() as s:
            conv = repo.get_conversation(s, session, cipher)
    finally:
        db.dispose()
    joined = b"\n".join(values)
    assert b"gcenc1." in joined and b"assistant.turn" in joined  # turns and the ledger were written and scanned
    files = _files(var)
    assert any(p.suffix == ".session" for p in files) and any(p.name == "greencart.db" for p in files)
    for secret in SECRETS:
        for form in {secret.encode(), secret.lower().encode(), secret.encode("utf-16-le")}:
            assert form not in joined, f"{secret} in a column"
            assert not [p for p, data in files.items() if form in data], f"{secret} in a file"
    # ... yet it is all there for the service that holds the key
    assert conv is not None and API_NAME in conv.turns[0].text_redacted and "<EMAIL>" in conv.turns[0].text_redacted


def test_after_forget_nothing_of_that_shopper_decrypts(var):
    from typer.testing import CliRunner

    from greencart.cli import app
    from greencart.governance.crypto import Undecryptable
    from greencart.governance.erasure import open_cipher
    from greencart.store.tables import ConversationTurnRow

    session = _seed(var)
    backup = var / "backup.db"
    shutil.copy(var / "greencart.db", backup)  # a copy of the rows taken before the erasure
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    with db.read() as s:
        exported = [(t.conversation_id, t.seq, t.text_redacted) for t in s.scalars(select(ConversationTurnRow))]
    db.dispose()
    res = CliRunner().invoke(app, ["--var-dir", str(var), "privacy", "forget", "--user", API_USER, "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["keys_shredded"] >= 1 and report["conversations_deleted"] == 1 and report["turns_deleted"] == 4
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    try:
        cipher = open_cipher(var, db)
        opened, shredded = 0, 0
        with db.read() as s:
            for cid, seq, token in exported:
                try:
                    cipher.open(s, repo.turn_aad(cid, seq), token)
                    opened += 1
                    assert cid != session
                except Undecryptable:
                    shredded += 1
                    assert cid == session
        from greencart.store import governance_repo

        with db.read() as s:
            entries = governance_repo.erasures(s)
    finally:
        db.dispose()
    assert shredded == 4 and opened == 2  # the CLI shopper's exchange still opens
    assert entries and entries[-1]["kind"] == "forget" and entries[-1]["keys_shredded"] == report["keys_shredded"]
    assert API_USER not in json.dumps(entries) and "u:" not in json.dumps(entries)


def test_a_wrong_key_stops_the_service_and_names_the_variable(var, monkeypatch):
    from fastapi.testclient import TestClient

    from greencart.api.app import create_app

    _seed(var)
    monkeypatch.setenv("GREENCART_ENCRYPTION_KEY", secrets.token_hex(32))
    with pytest.raises(ConfigError, match="GREENCART_ENCRYPTION_KEY"):
        with TestClient(create_app(Settings(var_dir=var))):
            pass
    monkeypatch.setenv("GREENCART_ENCRYPTION_KEY", "too-short")
    with pytest.raises(ConfigError, match="GREENCART_ENCRYPTION_KEY"):
        with TestClient(create_app(Settings(var_dir=var))):
            pass


def test_a_missing_key_file_is_an_error_once_data_keys_exist(var):
    from greencart.governance.erasure import open_cipher

    _seed(var)
    (var / "secrets" / "encryption.keys").unlink()
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    try:
        with pytest.raises(ConfigError, match="GREENCART_ENCRYPTION_KEY"):
            open_cipher(var, db)
        assert not (var / "secrets" / "encryption.keys").exists()  # no new key made up
    finally:
        db.dispose()
