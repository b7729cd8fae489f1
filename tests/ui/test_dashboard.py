"""The energy dashboard end to end in a real headless Chromium (Debian's `chromium`
driven by Playwright): a short conversation on the chat page, then /dashboard shows
plot marks for the tiers used and a totals table that matches the API. Skips where
chromium or playwright is absent, fails under CI (helpers of test_web_ui.py)."""

from __future__ import annotations

import base64
import re

import httpx
import pytest
from tests.ui.test_web_ui import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _require_browser, _server

pytestmark = pytest.mark.slow

TIER_RGB = {"rules": (27, 110, 58), "cache": (42, 157, 143)}  # dashboard.js TIER_COLOURS

# Decodes a PNG in the page and counts its distinct colours and the pixels of given colours.
COUNT_COLOURS = """async ([b64, wanted]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.width; c.height = img.height;
  const ctx = c.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  const hits = wanted.map(() => 0);
  for (let i = 0; i < d.length; i += 4) {
    seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    wanted.forEach((w, j) => { if (d[i] === w[0] && d[i + 1] === w[1] && d[i + 2] === w[2]) hits[j]++; });
  }
  return { distinct: seen.size, hits: hits, width: c.width, height: c.height };
}"""


def _say(page, text: str) -> str:
    """Send one message on the chat page; returns the tier of the reply."""
    n = page.locator("li.turn").count()
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    meta = page.locator("li.turn").nth(n).locator(".meta").filter(has_text="tier")
    meta.wait_for()
    return re.match(r"tier (\S+)", meta.inner_text()).group(1)


def test_dashboard_shows_the_conversation_in_chromium(tmp_path):
    pw = _require_browser()
    with _server(tmp_path / "var") as base:
        errors: list[str] = []
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 1400})
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
                page.goto(base + "/")
                tiers = [_say(page, "white t-shirt under 20")]
                page.get_by_role("button", name="New conversation").click()
                tiers.append(_say(page, "white t-shirt under 20"))  # same state and text: the cache answers
                tiers.append(_say(page, "kettles under 30"))
                assert set(tiers) == {"rules", "cache"}, tiers

                page.get_by_role("link", name=re.compile("energy dashboard", re.IGNORECASE)).click()
                page.wait_for_url(base + "/dashboard")
                assert page.title() == "greencart · energy dashboard"
                for tier in set(tiers):  # every tier used has marks in both tier plots
                    for metric in ("energy_j", "carbon_g"):
                        page.locator(f'#plot-{metric}-tier rect.mark[data-group="{tier}"]').first.wait_for()
                    legend = page.locator(f'#legend-tier li[data-group="{tier}"]').inner_text()
                    assert re.search(r"\((modelled|measured)", legend), legend
                page.locator('#plot-energy_j-route rect.mark[data-group="http POST /v1/chat"]').first.wait_for()
                svg = page.locator("#plot-energy_j-tier svg")
                labels = svg.locator("text").all_text_contents()
                assert labels[0] == "0" and float(labels[2]) > 0, labels  # the y axis: 0, half, max
                title = page.locator('#plot-energy_j-tier rect.mark[data-group="rules"] title').first.text_content()
                assert re.search(r"rules · .+ · [\d.]+ J · \d+ units · (modelled|measured)", title), title

                # The totals table: one row per tier used, turn counts and methods as the API says.
                summary = httpx.get(base + "/v1/energy/summary", timeout=10).json()
                rows = page.locator("#tier-table tbody tr")
                table = {}
                for i in range(rows.count()):
                    cells = rows.nth(i).locator("th, td").all_inner_texts()
                    table[cells[0]] = cells
                assert set(table) == set(tiers)
                for t in summary["by_tier"]:
                    cells = table[t["tier"]]
                    assert int(cells[1]) == tiers.count(t["tier"]) == t["count"]
                    assert cells[2] == f"{100 * t['share_of_turns']:.0f} %"
                    assert float(cells[3]) > 0 and cells[7] == ", ".join(t["methods"])
                    assert set(t["methods"]) <= {"modelled", "measured"}
                route_cells = page.locator("#route-table tbody tr").filter(has_text="http POST /v1/chat")
                assert route_cells.locator("td").first.inner_text() == "3"
                assert page.locator("#turn-totals").inner_text().startswith("3 turns")
                assert "SCI" in page.locator("#sci").inner_text()

                # Refresh and a coarser bucket redraw the plots.
                stamp = page.locator("body").get_attribute("data-loaded")
                page.get_by_role("button", name="Refresh").click()
                page.wait_for_function(f"document.body.dataset.loaded !== '{stamp}'")
                page.locator("#bucket").select_option("hour")
                page.wait_for_function("document.querySelector('#plot-energy_j-tier svg') && "
                                       "document.querySelector('#plot-energy_j-tier rect.mark')")

                shot = tmp_path / "dashboard.png"
                png = page.screenshot(path=str(shot), full_page=True)
                stats = page.evaluate(COUNT_COLOURS, [base64.b64encode(png).decode(), []])
                assert stats["distinct"] >= 20, stats  # not blank: text, axes, several fills
                plot_png = page.locator("#plot-energy_j-tier svg").screenshot()  # the plot alone, no legend
                plot = page.evaluate(COUNT_COLOURS, [base64.b64encode(plot_png).decode(), list(TIER_RGB.values())])
                hits = dict(zip(TIER_RGB, plot["hits"]))
                assert hits["rules"] >= 50 and hits["cache"] >= 4, plot  # both tiers drawn as bars (cache is tiny)

                page.get_by_role("link", name=re.compile("back to the chat", re.IGNORECASE)).click()
                page.wait_for_url(base + "/")
                page.goto(base + "/dashboard")
                page.set_viewport_size({"width": 375, "height": 800})
                page.locator("#plot-energy_j-tier rect.mark").first.wait_for()
                assert page.evaluate("document.documentElement.scrollWidth") <= 375
                page.screenshot(path=str(tmp_path / "dashboard-phone.png"))
            finally:
                browser.close()
        assert not errors, errors
