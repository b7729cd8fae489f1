"""Descriptions and translations through `greencart content` and POST /v1/content/* on a real server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import live_server
from tests.assistant.conftest import PRODUCTS


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("content-var")
    with live_server(var, PRODUCTS) as client:
        yield client, var


def test_descriptions_are_cached_per_product_version(served):
    client, _ = served
    first = client.post("/v1/content/descriptions", json={"product_ids": ["T1", "K1"], "lang": "en"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["generated"] == 2 and body["cached"] == 0 and body["energy_j"] > 0
    assert body["items"][0]["text"].startswith("White Organic Cotton T-Shirt.")
    assert "kg CO2e" in body["items"][0]["text"] and body["items"][0]["method"] == "template"
    again = client.post("/v1/content/descriptions", json={"product_ids": ["T1", "K1"], "lang": "en"}).json()
    assert again["cached"] == 2 and again["generated"] == 0 and again["items"] == body["items"]
    zh = client.post("/v1/content/descriptions", json={"product_ids": ["T1"], "lang": "zh"}).json()
    assert zh["items"][0]["text"].startswith("白色有机棉T恤。")


def test_bad_requests_name_what_is_wrong(served):
    client, _ = served
    r = client.post("/v1/content/descriptions", json={"product_ids": ["NOPE"]})
    assert r.status_code == 404 and "NOPE" in r.json()["detail"]
    assert client.post("/v1/content/descriptions", json={"product_ids": []}).status_code == 422
    assert client.post("/v1/content/descriptions", json={"product_ids": ["T1"], "lang": "fr"}).status_code == 422
    r = client.post("/v1/content/descriptions", json={"product_ids": ["T1"], "polish": True})
    # no model tier in the tests: the templates are kept and the response says why polish was skipped
    assert r.status_code == 200 and "model" in r.json()["polish_skipped"]
    assert r.json()["items"][0]["method"] == "template"


def test_translations(served):
    client, _ = served
    r = client.post("/v1/content/translations", json={"titles": ["White Metal Lantern"], "to": "zh"})
    assert r.status_code == 200 and r.json()["items"][0]["text"] == "白色金属灯笼"


def test_cli_describe_and_translate(served):
    _, var = served
    run = [sys.executable, "-m", "greencart.cli", "--var-dir", str(var), "content"]
    proc = subprocess.run(run + ["describe", "L1", "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["items"][0]["product_id"] == "L1"
    bad = subprocess.run(run + ["describe"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--all" in bad.stderr
    tr = subprocess.run(run + ["translate", "Pink Candle", "--json"], capture_output=True, text=True, timeout=300)
    assert tr.returncode == 0 and json.loads(tr.stdout)["items"][0]["text"] == "粉色蜡烛"
