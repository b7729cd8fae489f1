"""SCI arithmetic (the specification's worked example) and the Impact Framework manifest."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from greencart.energy.manifest import recompute_sci, write_manifest
from greencart.energy.sci import EmbodiedConfig, embodied_g, sci, sci_from_records
from greencart.errors import ImportFileError, InvalidParameter


def test_spec_embodied_example_1000kg_4years_1hour_is_about_28g():
    # SCI spec: 1000 kg, four-year life, reserved one hour -> 1000 * 1/(4*365*24) ~ 28 g
    m = EmbodiedConfig(total_kg_co2e=1000.0, expected_life_years=4.0).embodied_g(3600.0)
    assert m == pytest.approx(1_000_000 / (4 * 365 * 24))
    assert round(m) == 29 and 28 <= m < 29


def test_resource_share_scales_embodied():
    full = embodied_g(1e6, 1.0, 35040.0, 1, 1)
    quarter = EmbodiedConfig(resources_reserved=2, resources_total=8).embodied_g(3600.0)
    assert quarter == pytest.approx(full / 4)


def test_sci_formula():
    r = sci(energy_kwh=0.5, intensity_g_per_kwh=200.0, embodied_g_total=10.0, functional_units=100, functional_unit="request")
    assert r.operational_g == pytest.approx(100.0)
    assert r.sci_g_per_unit == pytest.approx(1.1)
    with pytest.raises(InvalidParameter, match="R > 0"):
        sci(1.0, 1.0, 1.0, 0)


def records(n=4):
    t0 = datetime(2024, 6, 1, 12, tzinfo=timezone.utc)
    return [
        {"energy_j": 3600.0, "intensity_g_per_kwh": 100.0 * (i + 1), "started_at": t0 + timedelta(seconds=10 * i),
         "duration_s": 10.0, "method": "modelled"}
        for i in range(n)
    ]


def test_sci_from_ledger_records():
    emb = EmbodiedConfig(total_kg_co2e=1000.0)
    r = sci_from_records(records(), emb, functional_unit="request")
    assert r.energy_kwh == pytest.approx(4 * 0.001)
    assert r.operational_g == pytest.approx(0.001 * (100 + 200 + 300 + 400))
    assert r.embodied_g == pytest.approx(emb.embodied_g(40.0))
    assert r.functional_units == 4 and r.method == "modelled"


def test_manifest_round_trip_recomputes_the_same_sci(tmp_path):
    emb = EmbodiedConfig(total_kg_co2e=1200.0, resources_reserved=2, resources_total=16, source="test LCA")
    result = sci_from_records(records(), emb, functional_unit="request")
    path = write_manifest(tmp_path / "sci.yaml", result, emb, start_iso="2024-06-01T12:00:00Z", duration_s=40.0)
    again = recompute_sci(path)
    assert again.sci_g_per_unit == pytest.approx(result.sci_g_per_unit)
    assert again.functional_unit == "request"
    text = path.read_text()
    assert "Sci" in text and "grid/carbon-intensity" in text and "test LCA" in text


def test_bad_manifest_is_named(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("name: nope\n")
    with pytest.raises(ImportFileError, match="x.yaml"):
        recompute_sci(p)


def test_nested_records_are_not_counted_twice():
    recs = records(2)
    child = dict(recs[0], tags={"parent_unit": "turn"})
    plain = sci_from_records(recs, EmbodiedConfig())
    with_child = sci_from_records(recs + [child], EmbodiedConfig())
    assert with_child.energy_kwh == plain.energy_kwh and with_child.functional_units == 2
