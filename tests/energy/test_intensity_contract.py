"""The contract every grid-intensity provider meets (energy.intensity.IntensityProvider):
a named provider, a location-based value in [0, 2000] g/kWh with its source and kind,
for any UTC time, never an exception (a live one falls back)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from greencart.energy.intensity import (
    CountryAnnualIntensity,
    HourlySeriesIntensity,
    IntensityProvider,
    IntensityValue,
    StaticIntensity,
)
from greencart.energy.intensity_http import HttpIntensity

KINDS = {"annual", "hourly", "live", "forecast", "static"}
WHEN = [datetime(2023, 1, 15, 12, tzinfo=UTC), datetime(2023, 7, 1, 3, tzinfo=UTC)]


class _Intensity(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps({"carbonIntensity": 123.0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def live_url():
    server = HTTPServer(("127.0.0.1", 0), _Intensity)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _hourly(tmp_path_factory):
    from pathlib import Path

    real = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "grid" / "GB_2023_hourly.csv"
    if real.is_file():  # the Electricity Maps export in ../shared/data (data/README.md)
        return HourlySeriesIntensity.from_csv(real)
    path = tmp_path_factory.mktemp("grid") / "XX_2023_hourly.csv"
    rows = ["Datetime (UTC),Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle)"]
    rows += [f"2023-01-15 {h:02d}:00:00,{100 + h},{150 + h}" for h in range(24)]
    rows += [f"2023-07-01 {h:02d}:00:00,{50 + h},{80 + h}" for h in range(24)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return HourlySeriesIntensity.from_csv(path)


PROVIDERS = ["static", "country", "hourly", "live", "live-down"]


@pytest.fixture(params=PROVIDERS)
def provider(request, tmp_path_factory, live_url):
    if request.param == "static":
        return StaticIntensity(200.0, "test")
    if request.param == "country":
        return CountryAnnualIntensity("FRA")
    if request.param == "hourly":
        return _hourly(tmp_path_factory)
    if request.param == "live":
        return HttpIntensity(live_url, "XX", StaticIntensity(300.0, "fallback"))
    return HttpIntensity("http://127.0.0.1:9", "XX", StaticIntensity(300.0, "fallback"), timeout_s=1)


def test_is_a_named_provider(provider):
    assert isinstance(provider, IntensityProvider) and provider.name


@pytest.mark.parametrize("when", WHEN)
def test_gives_a_value_with_provenance(provider, when):
    value = provider.intensity_at(when)
    assert isinstance(value, IntensityValue)
    assert 0 <= value.intensity_g_per_kwh <= 2000 and value.source and value.kind in KINDS


def test_the_live_provider_uses_the_service_or_says_it_fell_back(live_url):
    up = HttpIntensity(live_url, "XX", StaticIntensity(300.0, "fallback")).intensity_at(WHEN[0])
    assert up.intensity_g_per_kwh == 123.0 and up.kind == "live"
    down = HttpIntensity("http://127.0.0.1:9", "XX", StaticIntensity(300.0, "fallback"), timeout_s=1)
    value = down.intensity_at(WHEN[0])
    assert value.intensity_g_per_kwh == 300.0 and "fallback" in value.source and down.last_error
