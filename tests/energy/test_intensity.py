"""Grid-intensity providers: codecarbon's table, the Electricity Maps CSV, the live HTTP provider."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from greencart.energy.intensity import (
    CountryAnnualIntensity,
    HourlySeriesIntensity,
    IntensityProvider,
    StaticIntensity,
    default_provider,
)
from greencart.energy.intensity_http import HttpIntensity
from greencart.errors import ImportFileError, NotFound

from conftest import shared_file

NOW = datetime(2024, 6, 1, 12, 30, tzinfo=timezone.utc)


def test_country_annual_from_codecarbon_table():
    pytest.importorskip("codecarbon")
    fra = CountryAnnualIntensity("fra").intensity_at(NOW)
    usa = CountryAnnualIntensity("USA").intensity_at(NOW)
    assert fra.intensity_g_per_kwh == pytest.approx(56.0, abs=0.5)
    assert usa.intensity_g_per_kwh == pytest.approx(369.5, abs=0.5)
    assert "codecarbon" in fra.source and fra.kind == "annual"
    with pytest.raises(NotFound, match="alpha-3"):
        CountryAnnualIntensity("XXX")
    assert isinstance(default_provider("GBR"), IntensityProvider)


def test_default_provider_falls_back_to_world_average():
    p = default_provider("ZZZ")
    assert p.intensity_at(NOW).intensity_g_per_kwh == 480.0
    assert "Ember" in p.intensity_at(NOW).source


def write_em_csv(path, rows):
    header = (
        "Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),"
        "Carbon intensity gCO₂eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),"
        "Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method\n"
    )
    body = "".join(f"{t},GB,GB,GB,{d},{lc},0,0,x,false,\n" for t, d, lc in rows)
    path.write_text(header + body, encoding="utf-8")


def test_hourly_series_from_csv(tmp_path):
    path = tmp_path / "GB.csv"
    write_em_csv(path, [("2024-06-01 11:00:00", 100, 150), ("2024-06-01 12:00:00", 80, 120)])
    direct = HourlySeriesIntensity.from_csv(path)
    assert direct.intensity_at(NOW).intensity_g_per_kwh == 80
    assert HourlySeriesIntensity.from_csv(path, column="lifecycle").intensity_at(NOW).intensity_g_per_kwh == 120
    with pytest.raises(NotFound, match="outside the series"):
        direct.intensity_at(datetime(2025, 1, 1, tzinfo=timezone.utc))


def test_bad_csv_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    write_em_csv(path, [("2024-06-01 11:00:00", 100, 150), ("2024-06-01 12:00:00", "n/a", 1)])
    with pytest.raises(ImportFileError, match="line 3"):
        HourlySeriesIntensity.from_csv(path)
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ImportFileError, match="missing column"):
        HourlySeriesIntensity.from_csv(path)


@pytest.mark.shared_data
def test_real_gb_2024_series_mean():
    path = shared_file("grid/GB_2024_hourly.csv")
    series = HourlySeriesIntensity.from_csv(path)
    assert len(series.values) == 8784  # 2024 is a leap year
    assert sum(series.values) / len(series.values) == pytest.approx(111.5, abs=1.0)


class _Handler(BaseHTTPRequestHandler):
    status = 200
    calls = 0

    def do_GET(self):  # noqa: N802
        type(self).calls += 1
        body = json.dumps({"zone": "GB", "carbonIntensity": 123.0}).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.status, _Handler.calls = 200, 0
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_provider_caches(local_server):
    p = HttpIntensity(local_server, "GB", StaticIntensity(200.0, "fallback"), ttl_s=60)
    assert p.intensity_at(NOW).intensity_g_per_kwh == 123.0
    assert p.intensity_at(NOW).kind == "live"
    assert _Handler.calls == 1


def test_http_provider_falls_back_with_a_logged_reason(local_server, caplog):
    _Handler.status = 503
    p = HttpIntensity(local_server, "GB", StaticIntensity(200.0, "fallback"), timeout_s=1.0)
    with caplog.at_level("WARNING"):
        v = p.intensity_at(NOW)
    assert v.intensity_g_per_kwh == 200.0 and "fallback: HTTPStatusError" in v.source
    assert "Live grid intensity failed" in caplog.text
    p.intensity_at(NOW)
    assert _Handler.calls == 1  # no retry storm while the service is down


def test_http_provider_unreachable_falls_back():
    p = HttpIntensity("http://127.0.0.1:9", "GB", StaticIntensity(200.0, "fallback"), timeout_s=0.5)
    assert p.intensity_at(NOW).intensity_g_per_kwh == 200.0
    assert p.last_error
