"""/merchant/delivery end to end in a real headless Chromium (Debian's `chromium` driven by
Playwright): the page plans the stored day, draws one SVG polyline per route and one circle
per delivery, fills the side-by-side table, and shows an order's green slot. Skips where
chromium or playwright is absent, fails under CI (helpers of tests/ui/test_web_ui.py)."""

from __future__ import annotations

import pytest
from tests.ops.routing.conftest import populate_day
from tests.ui.test_web_ui import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _require_browser

from conftest import live_server
from greencart.store import open_database

pytestmark = pytest.mark.slow


def test_delivery_page_draws_the_routes_in_chromium(tmp_path):
    pw = _require_browser()
    var = tmp_path / "var"
    var.mkdir()
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    populate_day(db)
    db.dispose()
    with live_server(var, []) as client:
        base = str(client.base_url).rstrip("/")
        api = client.post("/v1/routes/plan", json={"date": "2025-06-02", "mix": "mixed", "time_limit_s": 2,
                                                   "seed": 0}).json()
        errors: list[str] = []
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 1400})
                page.set_default_timeout(TIMEOUT_MS * 2)
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
                page.goto(base + "/merchant/delivery")
                page.locator("#map polyline.route").first.wait_for()
                assert page.locator("#day").input_value() == "2025-06-02"  # the latest day, filled in
                routes = page.locator("#map polyline.route")
                assert routes.count() == api["routes"]
                assert page.locator("#map circle.stop").count() == 12
                assert page.locator("#map rect.depot").count() == 1
                stops_drawn = sum(int(routes.nth(i).get_attribute("data-stops")) for i in range(routes.count()))
                assert stops_drawn == 12
                # every point of every polyline lies inside the viewBox
                pts = page.eval_on_selector_all("#map polyline.route", "els => els.flatMap(e => "
                                                "e.getAttribute('points').split(' ').map(p => p.split(',').map(Number)))")
                assert pts and all(0 <= x <= 760 and 0 <= y <= 520 for x, y in pts)
                rows = page.locator("#comparison tbody tr")
                assert rows.count() == 5 and "pyvrp-distance" in page.locator("#comparison").inner_text()
                assert "kg CO2e" in page.get_by_test_id("totals").inner_text()
                # switch to the all-diesel fleet: only diesel vans are drawn
                page.select_option("#mix", "diesel")
                page.get_by_role("button", name="Plan routes").click()
                page.wait_for_function("() => [...document.querySelectorAll('#map polyline.route')]"
                                       ".every(e => e.dataset.vehicle === 'diesel_van')")
                page.fill("#order", "O0004")
                page.get_by_role("button", name="Show slots").click()
                page.locator("#slots tbody tr").first.wait_for()
                assert page.locator("#slots tbody tr").count() == 6
                assert page.locator("#slots tbody tr.green").count() == 1
                assert "Green slot" in page.get_by_test_id("green").inner_text()
            finally:
                browser.close()
        assert not errors, errors
