"""The web UI end to end in a real headless Chromium: Debian's `chromium` driven
by Playwright for Python (never `playwright install`; scripts/ensure_chromium.sh
installs the browser). Skips where chromium or playwright is absent, fails under CI.

GREENCART_UI_BASE_URL=http://127.0.0.1:PORT runs it against a server that is
already up (serving the PRODUCTS catalogue of tests/assistant/conftest.py)
instead of starting `greencart serve`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.assistant.conftest import PRODUCTS

from conftest import IN_CI, live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 30_000

pytestmark = pytest.mark.slow


def _require_browser():
    """The playwright module; skips (fails under CI) when it or chromium is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is absent (run scripts/ensure_chromium.sh)")
    try:
        import playwright.sync_api as pw
    except ImportError:
        pw = None
        missing.append("playwright is not installed (.venv/bin/pip install -c constraints.txt playwright)")
    if missing:
        reason = "browser test needs Debian's chromium and Playwright: " + "; ".join(missing)
        if IN_CI:
            pytest.fail("CI requires the browser test: " + reason)
        pytest.skip(reason)
    return pw


@contextmanager
def _server(var_dir: Path) -> Iterator[str]:
    base = os.environ.get("GREENCART_UI_BASE_URL")
    if base:
        yield base.rstrip("/")
        return
    with live_server(var_dir, PRODUCTS) as client:
        yield str(client.base_url).rstrip("/")


def test_chat_page_conversation_in_chromium(tmp_path):
    pw = _require_browser()
    with _server(tmp_path / "var") as base:
        page_resp = httpx.get(base + "/", timeout=10)
        assert page_resp.status_code == 200, "the chat page is not served at /: mount_ui(app) in create_app"
        assert page_resp.headers["content-type"].startswith("text/html")
        assert httpx.get(base + "/ui", timeout=10).status_code == 200
        assert httpx.get(base + "/static/app.js", timeout=10).status_code == 200
        assert "/" not in httpx.get(base + "/openapi.json", timeout=10).json()["paths"]

        errors: list[str] = []
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 1400})
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
                page.goto(base + "/")
                assert page.title().startswith("greencart")
                # Accessible: labelled controls and a live region for the conversation.
                assert page.get_by_label("Your message").is_visible()
                assert page.get_by_label("Eco preference").is_visible()
                assert page.locator("#turns").get_attribute("aria-live") == "polite"

                # Turn 1: a search, rendered as product cards.
                page.get_by_label("Your message").fill("white t-shirt under 20")
                page.get_by_role("button", name="Send").click()
                turn1 = page.locator("li.turn").nth(0)
                turn1.locator(".meta").filter(has_text="tier").wait_for()
                cards = turn1.get_by_test_id("product-card")
                assert cards.count() >= 1
                titles = [t.strip() for t in cards.locator(".title").all_inner_texts()]
                assert any("White Organic Cotton T-Shirt" in t for t in titles), titles
                assert all("Red" not in t for t in titles), titles  # the colour constraint held
                first = cards.nth(0)
                price = first.locator(".price").inner_text()
                assert re.fullmatch(r"£\d+\.\d{2}", price), price
                assert float(price[1:]) <= 20
                footprint = first.locator(".footprint").inner_text()
                assert re.search(r"\d+\.\d kg CO2e \(\d+\.\d–\d+\.\d, [a-z-]+\)", footprint), footprint
                assert "Here are" in turn1.locator(".reply").inner_text()
                session = page.locator("#session-id").inner_text()
                assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", session), session

                # Turn 2: a follow-up in the same session, by reference to an earlier card.
                page.get_by_label("Your message").fill("the first one")
                page.keyboard.press("Enter")
                turn2 = page.locator("li.turn").nth(1)
                meta = turn2.locator(".meta").filter(has_text="tier")
                meta.wait_for()
                footer = meta.inner_text()
                assert re.fullmatch(r"tier \w+ · \d+(\.\d+)? J · \d+(\.\d+)? gCO2e · \S+", footer), footer
                assert page.locator("#session-id").inner_text() == session
                assert [t.strip() for t in turn2.locator(".card .title").all_inner_texts()] == [titles[0]]
                assert turn2.locator(".price").inner_text() == price

                # Turn 3: the card's "Greener swap" button asks for a lower-footprint alternative.
                turn1.get_by_role("button", name=re.compile("greener swap", re.IGNORECASE)).first.click()
                turn3 = page.locator("li.turn").nth(2)
                turn3.locator(".meta").filter(has_text="tier").wait_for()
                swap = turn3.locator(".swap")
                assert swap.is_visible(), turn3.locator(".reply").inner_text()
                assert re.search(r"Greener swap: .+ saves \d+\.\d+ kg CO2e", swap.inner_text())
                assert page.locator("#session-id").inner_text() == session
                assert "3 turns" in page.locator("#session-totals").inner_text()

                shot = tmp_path / "web-ui.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000

                # A new conversation in Chinese, with the eco slider at 1 (lowest footprint first).
                page.get_by_role("button", name="New conversation").click()
                assert page.locator("li.turn").count() == 0
                page.get_by_label("Eco preference").fill("1")
                assert page.locator("#eco-value").inner_text() == "1.0"
                page.get_by_label("Your message").fill("50元以下的红色T恤")
                page.get_by_role("button", name="Send").click()
                zh = page.locator("li.turn").nth(0)
                zh.locator(".meta").filter(has_text="tier").wait_for()
                assert "为你找到" in zh.locator(".reply").inner_text()
                zh_fp = zh.locator(".footprint").all_inner_texts()
                assert zh_fp and all("kg CO2e" in t for t in zh_fp), zh_fp
                zh_kg = [float(t.split()[0]) for t in zh_fp]
                assert zh_kg == sorted(zh_kg), zh_kg  # eco = 1: lowest footprint first
                assert page.locator("#session-id").inner_text() != session
                page.screenshot(path=str(tmp_path / "web-ui-zh.png"), full_page=True)

                # All turns really went to one session on the server.
                state = httpx.get(f"{base}/v1/sessions/{session}", timeout=10).json()
                assert len(state["turns"]) == 6

                # Phone width: nothing overflows horizontally.
                page.set_viewport_size({"width": 375, "height": 800})
                assert page.evaluate("document.documentElement.scrollWidth") <= 375
                page.screenshot(path=str(tmp_path / "web-ui-phone.png"))
            finally:
                browser.close()
        assert not errors, errors
