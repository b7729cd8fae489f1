"""Customer service through POST /v1/chat and `greencart ask` on a real server and CLI:
a shopper sees their own orders, never another's; order numbers survive redaction."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import live_server
from tests.assistant.conftest import PRODUCTS
from tests.support.conftest import ALICE, BOB, seed_orders


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("support-var")
    seed_orders(var / "greencart.db")
    with live_server(var, PRODUCTS) as client:
        yield client, var


def _chat(client, message, user=None, session=None):
    body = {"message": message, **({"user": user} if user else {}), **({"session": session} if session else {})}
    r = client.post("/v1/chat", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_two_users_see_only_their_own_orders(served):
    client, _ = served
    alice = _chat(client, "what did I buy?", ALICE)
    assert alice["intent"] == "service.order_history" and alice["tier"] == "rules" and alice["model_calls"] == []
    assert "536365" in alice["reply"] and "540000" not in alice["reply"]
    bob = _chat(client, "我上次买的是什么", BOB)
    assert "540000" in bob["reply"] and "536365" not in bob["reply"] and "红色棉T恤" in bob["reply"]
    probe = _chat(client, "where is my order 540000", ALICE)
    assert "540000" in probe["reply"] and "can't see" in probe["reply"] and "Red Cotton" not in probe["reply"]
    # A session started by Alice and continued under Bob's id answers for Bob only.
    again = _chat(client, "what did I buy?", BOB, session=alice["session"])
    assert "536365" not in again["reply"]


def test_order_number_is_not_redacted_as_a_card_and_is_stored(served):
    client, var = served
    reply = _chat(client, "I want a refund for my order 536365", ALICE)
    assert reply["intent"] == "service.return" and "536365" in reply["reply"]
    from greencart.governance.erasure import open_cipher
    from greencart.store import open_database
    from greencart.store.conversation_repo import get_conversation

    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    with db.read() as s:  # the stored text is encrypted at rest: read it back with the service's keys
        conv = get_conversation(s, reply["session"], open_cipher(var, db))
    db.dispose()
    assert conv is not None and any("536365" in t.text_redacted for t in conv.turns if t.role == "user")


def test_product_search_still_works_and_hostile_text(served):
    client, _ = served
    found = _chat(client, "a white t-shirt under 20", ALICE)
    assert found["intent"] != "service.order_history" and found["products"]
    odd = _chat(client, "where is my order '; DROP TABLE orders; --", ALICE)
    assert odd["intent"] == "service.order_status"
    again = _chat(client, "what did I buy?", ALICE)
    assert "536365" in again["reply"]  # the orders table is intact


def test_cli_ask_with_user(served, tmp_path):
    _, var = served
    proc = subprocess.run([sys.executable, "-m", "greencart.cli", "--var-dir", str(var), "ask",
                           "can I return the lantern?", "--user", ALICE, "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["intent"] == "service.return" and "536365" in out["reply"] and "White Metal Lantern" in out["reply"]
