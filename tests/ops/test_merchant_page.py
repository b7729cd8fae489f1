"""The merchant page end to end in headless Chromium (Debian's `chromium` driven by Playwright): the forecast
plot with its interval bands, the production Pareto front and the replenishment table match the API; the
nav link to /merchant/delivery is in place. Skips where chromium or playwright is absent, fails under CI."""

from __future__ import annotations

import re

import pytest

from conftest import live_server
from greencart.store import open_database
from tests.ops.conftest import fill, planted_products
from tests.ui.test_web_ui import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _require_browser

pytestmark = pytest.mark.slow


def test_merchant_page_in_chromium(tmp_path):
    pw = _require_browser()
    var = tmp_path / "var"
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    fill(db)
    db.dispose()
    with live_server(var, planted_products()) as client:
        base = str(client.base_url).rstrip("/")
        errors: list[str] = []
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 1600})
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                page.goto(base + "/merchant")
                assert page.title() == "greencart · merchant planning"
                # The total forecast loads by itself: history line, forecast marks, two interval bands.
                page.locator("#plot-forecast circle.mark").first.wait_for()
                assert page.locator("#plot-forecast circle.mark").count() == 4
                assert page.locator("#plot-forecast polygon.band-95").count() == 1
                assert page.locator("#plot-forecast polygon.band-80").count() == 1
                assert page.locator("#plot-forecast polyline.history").count() == 1
                api = client.get("/v1/forecasts", params={"level": "total"}).json()
                rows = page.locator("#fc-table tbody tr")
                assert rows.count() == len(api["forecast"]) == 4
                first = rows.first.locator("th, td").all_inner_texts()
                assert first[0] == api["forecast"][0]["ds"][:10]
                assert first[1] == f"{api['forecast'][0]['mean']:.1f}"
                assert first[2] != first[3]  # the 80 % and 95 % intervals differ
                assert re.search(r"total · total · \w+ · run \d+ · [\d.]+ J \((modelled|measured)\)",
                                 page.locator("#fc-caption").inner_text())

                # A product forecast on demand.
                stamp = page.locator("body").get_attribute("data-loaded")
                page.locator("#fc-level").select_option("product")
                page.locator("#fc-series").fill("P2")
                page.get_by_role("button", name="Show forecast").click()
                page.wait_for_function(f"document.body.dataset.loaded !== '{stamp}'")
                assert "product · P2" in page.locator("#fc-caption").inner_text()

                # The production Pareto front: energy falls as the makespan grows.
                page.locator("#prod-top").fill("4")
                page.get_by_role("button", name="Plan production").click()
                page.locator("#plot-pareto circle.mark").first.wait_for()
                titles = page.locator("#plot-pareto circle.mark title").all_text_contents()
                pts = [tuple(float(v) for v in re.findall(r"([\d.]+) (?:h|kWh)", t)) for t in titles]
                assert len(pts) >= 2
                assert [e for _, e in pts] == sorted((e for _, e in pts), reverse=True)
                assert "status optimal" in page.locator("#prod-summary").inner_text()

                # Replenishment: one row per policy with numbers.
                page.locator("#rep-top").fill("6")
                page.get_by_role("button", name="Simulate replenishment").click()
                page.locator('#rep-table tbody tr[data-policy="newsvendor"]').wait_for()
                assert page.locator("#rep-table tbody tr").count() == 3
                assert "naive_last_period" in page.locator("#rep-table").inner_text()

                # The routing page's place in the nav.
                assert page.locator("#nav-delivery").get_attribute("href") == "/merchant/delivery"
                assert page.locator("#status").inner_text() == "Ready."
                page.screenshot(path=str(tmp_path / "merchant.png"), full_page=True)
            finally:
                browser.close()
        assert errors == []
