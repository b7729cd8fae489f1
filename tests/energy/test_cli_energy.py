"""`greencart energy ...` and `schedule` through Typer's runner (mounted on a bare app here)."""

from __future__ import annotations

import json
import sys

import pytest
import typer
from typer.testing import CliRunner

from greencart.cli.energy import energy_app, schedule
from greencart.energy.ledger import LedgerWriter
from greencart.energy.manifest import recompute_sci

from conftest import shared_file

from .test_ledger import result

runner = CliRunner()


@pytest.fixture
def app():
    a = typer.Typer()
    a.add_typer(energy_app, name="energy")
    a.command("schedule")(schedule)
    return a


@pytest.fixture
def ledger_db(sqlite_db, monkeypatch):
    monkeypatch.setenv("GREENCART_DATABASE_URL", sqlite_db.url)
    writer = LedgerWriter(sqlite_db)
    for i in range(4):
        writer.put(result("turn", i, tier="cache"))
    writer.flush()
    return sqlite_db


def test_report_json(app, ledger_db):
    res = runner.invoke(app, ["energy", "report", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows[0]["name"] == "turn" and rows[0]["count"] == 4 and rows[0]["energy_j"] == pytest.approx(10.0)
    text = runner.invoke(app, ["energy", "report", "--name", "turn"]).stdout
    assert "turn" in text and "modelled" in text


def test_sci_and_manifest(app, ledger_db, tmp_path):
    path = tmp_path / "m.yaml"
    res = runner.invoke(app, ["energy", "sci", "--json", "--manifest", str(path), "--embodied-kg", "1500"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["functional_units"] == 4
    assert recompute_sci(path).sci_g_per_unit == pytest.approx(out["sci_g_per_unit"])


def test_export(app, ledger_db, tmp_path):
    res = runner.invoke(app, ["energy", "export", str(tmp_path / "l.json")])
    assert res.exit_code == 0 and len(json.loads((tmp_path / "l.json").read_text())) == 4


def test_meters_lists_the_modelled_fallback(app):
    res = runner.invoke(app, ["energy", "meters", "--json"])
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert out["meters"] and all(m["method"] in ("measured", "modelled") for m in out["meters"])


def test_calibrate_says_there_is_no_counter(app, tmp_path):
    from greencart.energy.config import EnergyConfig
    from greencart.energy.measure import calibrate

    res = calibrate(EnergyConfig(powercap_root=tmp_path))
    assert not res["calibrated"] and "No energy counter" in res["reason"]


def test_measure_a_command(app):
    res = runner.invoke(app, ["energy", "measure", "--json", "--", sys.executable, "-c", "print(sum(range(10**5)))"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{") :])  # the child writes to the real stdout
    assert out["cpu_s"] >= 0 and out["energy_j"] >= 0 and out["exit_code"] == 0


@pytest.mark.shared_data
def test_schedule_on_the_gb_series(app):
    path = shared_file("grid/GB_2024_hourly.csv")
    res = runner.invoke(app, ["schedule", "--duration", "2h", "--deadline", "+20h", "--now", "2024-03-05T17:00",
                              "--series", str(path), "--energy-kwh", "5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["saving_pct"] > 0 and out["intensity_g_per_kwh"] < out["now_intensity_g_per_kwh"]


def test_schedule_with_a_country_is_flat(app):
    pytest.importorskip("codecarbon")
    res = runner.invoke(app, ["schedule", "--duration", "1h", "--deadline", "+5h", "--country", "FRA"])
    assert res.exit_code == 0, res.output
    assert "flat" in res.stdout


def test_calibrate_against_a_recorded_rapl_counter(tmp_path, monkeypatch):
    """A fake powercap whose counter follows 10 W idle + 20 W per busy CPU."""
    from greencart.energy import measure
    from greencart.energy.config import EnergyConfig
    from greencart.energy.hostcpu import CpuTimes

    from .test_meters import make_powercap

    counter = make_powercap(tmp_path, 0)
    state = {"t": 0.0, "busy": 0.0, "uj": 0}
    monkeypatch.setattr(measure, "read_cpu_times", lambda: CpuTimes(state["busy"], 2, "test"))
    monkeypatch.setattr(measure.time, "monotonic", lambda: state["t"])

    def load(duty: float, seconds: float) -> None:
        state["t"] += seconds
        state["busy"] += duty * seconds
        state["uj"] += int((10.0 * seconds + 20.0 * duty * seconds) * 1e6)
        counter.write_text(f"{state['uj']}\n")

    res = measure.calibrate(EnergyConfig(powercap_root=tmp_path, vcpus=2, memory_gb=0.0), 2.0, load=load)
    assert res["calibrated"] and len(res["levels"]) == 3
    assert res["fit_idle_w"] == pytest.approx(10.0, rel=1e-6)
    assert res["fit_per_busy_cpu_w"] == pytest.approx(20.0, rel=1e-6)
    assert res["mape_pct"] > 0
