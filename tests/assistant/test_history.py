"""The conversation log: nothing unredacted, no raw user id, in any table, after a chat
through the API; storage failures never lose the reply; erasure and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, inspect, select
from sqlalchemy import Table as SaTable

from greencart.assistant import Assistant, MemorySessionStore, SemanticCache
from greencart.assistant.history import WITHHELD, Exchange, SqlConversationLog, redact_incoming
from greencart.config import Settings
from greencart.privacy import Pseudonymiser, Redactor
from greencart.store import catalog_repo, open_database
from greencart.store import conversation_repo as repo
from greencart.store.tables import Base

from .conftest import PRODUCTS

EMAIL, CARD, USER = "bob.secret@example.com", "4111 1111 1111 1111", "SHOPPER-RAW-7731"
MESSAGE = f"a kettle under 30 please, email {EMAIL}, card {CARD}"


@pytest.fixture(scope="module")
def redactor(tmp_path_factory):
    return Redactor(tmp_path_factory.mktemp("privacy-cache")).load()


@pytest.fixture
def var(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    db.dispose()
    return tmp_path


def _all_text(db) -> str:
    """Every string, text and JSON value of every table, as one string."""
    parts = []
    with db.engine.connect() as conn:
        for name in inspect(db.engine).get_table_names():
            table = SaTable(name, Base.metadata.__class__(), autoload_with=conn)
            cols = [cast(c, Text) for c in table.columns if isinstance(c.type, (String, Text, JSON))]
            if cols:
                parts += [str(v) for row in conn.execute(select(*cols)) for v in row if v is not None]
    return "\n".join(parts)


def test_chat_through_the_api_stores_nothing_unredacted(var, monkeypatch):
    from fastapi.testclient import TestClient

    from greencart.api.app import create_app

    monkeypatch.delenv("GREENCART_PSEUDONYM_KEY", raising=False)
    settings = Settings(var_dir=var)
    with TestClient(create_app(settings)) as client:
        body = client.post("/v1/chat", json={"message": MESSAGE, "user": USER}).json()
        assert "kettle" in body["reply"].lower() or "Kettle" in body["reply"]
        state = client.get(f"/v1/sessions/{body['session']}").json()
        client.post("/v1/chat", json={"message": "cheaper", "session": body["session"], "user": USER})
        client.get(f"/v1/users/{USER}/recommendations")  # the id in a path: not in the ledger either
    assert EMAIL not in json.dumps(state) and CARD not in json.dumps(state)
    assert state["turns"][0]["text"].endswith("email <EMAIL>, card <CARD>")
    db = open_database(settings.database_url)
    try:
        text = _all_text(db)
        with db.read() as s:
            conv = repo.get_conversation(s, body["session"])
    finally:
        db.dispose()
    assert "gcenc1." in text and "<EMAIL>" not in text  # turn texts are encrypted at rest (docs/governance.md)
    assert "assistant.turn" in text and "/v1/users/{" in text  # the ledger was written and scanned
    for secret in (EMAIL, CARD, CARD.replace(" ", ""), USER):
        assert secret not in text
    assert conv is not None and conv.turn_count == 4 and conv.turns[0].redactions == 2
    assert conv.user_pseudonym == Pseudonymiser.from_env(var).pseudonym(USER)
    assert conv.turns[1].tier == "rules" and conv.turns[1].energy_method and conv.turns[1].product_ids


class BrokenRedactor:
    def redact(self, text):
        raise RuntimeError("engine down")


def test_a_redaction_failure_keeps_the_reply_and_writes_nothing(var, catalog):
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    log = SqlConversationLog(db, BrokenRedactor(), Pseudonymiser(b"k" * 32))
    store = MemorySessionStore()
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), store=store, history=log)
    result = bot.turn(f"kettles, mail {EMAIL}")
    assert "kettle" in result.reply.lower()
    assert store.get(result.session).turns[0].text == WITHHELD
    import json

    kept = json.dumps(store.get(result.session).to_dict(), default=str) + repr(bot.cache.__dict__)
    assert "secret" not in kept and "example" not in kept  # nor in the state's query or the cache
    assert log.stats()["failed_redactions"] == 1 and log.stats()["stored"] == 0
    with db.read() as s:
        assert repo.list_conversations(s) == []
    db.dispose()


def test_a_storage_failure_keeps_the_reply_and_is_counted(var, catalog, redactor):
    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE conversation_turns")
    log = SqlConversationLog(db, redactor, Pseudonymiser(b"k" * 32))
    bot = Assistant(catalog, cache=SemanticCache(embedder=None), history=log)
    result = bot.turn("lanterns, call me on 07911 123456", user="U1")
    assert result.products and log.stats()["failed_writes"] == 1
    with db.read() as s:  # the conversation row rolled back with the failed turns
        assert repo.list_conversations(s) == []
    db.dispose()


def test_incoming_text_is_redacted_before_it_is_understood(redactor):
    class Log:
        def redact(self, text):
            return redactor.redact(text)

        def record(self, exchange: Exchange) -> bool:
            return True

    inc = redact_incoming(Log(), f"red t-shirt, {EMAIL}")
    assert inc.kept_text == "red t-shirt, <EMAIL>" and inc.understand_text == "red t-shirt," and inc.redactions == 1
    assert redact_incoming(None, EMAIL).kept_text == EMAIL


def test_cli_ask_forget_and_conversations(var, monkeypatch):
    from typer.testing import CliRunner

    from greencart.cli import app

    monkeypatch.delenv("GREENCART_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("GREENCART_DATABASE_URL", raising=False)
    run = CliRunner().invoke
    base = ["--var-dir", str(var)]
    first = run(app, [*base, "ask", f"kettles, phone 13812345678, {EMAIL}", "--user", USER, "--json"])
    assert first.exit_code == 0, first.output
    session = json.loads(first.output)["session"]
    files = list(Path(var, "sessions").glob("*.session"))  # encrypted session files (greencart.governance)
    assert files and all(EMAIL.encode() not in f.read_bytes() and USER.encode() not in f.read_bytes() for f in files)
    shown = run(app, [*base, "conversations", "show", session, "--json"])
    turns = json.loads(shown.output)["turns"]
    assert turns[0]["text"] == "kettles, phone <PHONE>, <EMAIL>" and turns[1]["role"] == "assistant"
    listed = json.loads(run(app, [*base, "conversations", "list", "--user", USER, "--json"]).output)
    assert [c["id"] for c in listed["conversations"]] == [session]
    gone = json.loads(run(app, [*base, "privacy", "forget", "--user", USER, "--json"]).output)
    assert gone["conversations_deleted"] == 1 and gone["turns_deleted"] == 2 and gone["session_files_deleted"] == 1
    missing = run(app, [*base, "conversations", "show", session])
    assert missing.exit_code != 0
