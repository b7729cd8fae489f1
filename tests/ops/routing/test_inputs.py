"""Fleet and order files: the samples load, bad input names the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greencart.errors import ImportFileError
from greencart.ops.routing.geo import DEMO_DEPOT, haversine_km, synthetic_point
from greencart.ops.routing.inputs import (
    load_fleet,
    load_orders,
    load_postcodes,
    mix_fleet,
    parse_window,
)
from greencart.ops.routing.models import Point

ROOT = Path(__file__).resolve().parents[3]


def test_sample_fleet_and_orders_load():
    fleet = load_fleet(ROOT / "examples" / "fleet.yaml")
    assert [(v.name, v.count) for v in fleet.vehicles] == [("diesel_van", 2), ("electric_van", 1), ("cargo_bike", 3)]
    assert fleet.vehicles[2].shift.label == "08:00-18:00"
    stops = load_orders(ROOT / "examples" / "orders.csv", load_postcodes(ROOT / "examples" / "postcodes.csv"))
    assert [s.id for s in stops] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    a3 = stops[2]
    assert a3.point == Point(51.5171, -0.0712) and a3.location_source == "postcode centroid"
    assert a3.window.label == "14:00-16:00" and a3.volume_l == 90


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_unknown_vehicle_type_names_the_field(tmp_path):
    doc = {"vehicles": [{"type": "diesel_van"}, {"type": "hovercraft", "count": 1}]}
    with pytest.raises(ImportFileError, match=r"field 'vehicles\[1\]\.type'.*hovercraft.*diesel_van"):
        load_fleet(_write(tmp_path, "f.json", json.dumps(doc)))


def test_bad_vehicle_count_and_missing_vehicles(tmp_path):
    with pytest.raises(ImportFileError, match=r"vehicles\[0\].*count"):
        load_fleet(_write(tmp_path, "f.yaml", "vehicles:\n  - {type: cargo_bike, count: -2}\n"))
    with pytest.raises(ImportFileError, match="field 'vehicles'"):
        load_fleet(_write(tmp_path, "g.yaml", "depot: {lat: 51.5, lon: 0}\n"))


def test_missing_coordinates_name_the_line_and_field(tmp_path):
    p = _write(tmp_path, "o.csv", "id,lat,lon,weight_kg\nA,51.5,-0.1,2\nB,,,3\n")
    with pytest.raises(ImportFileError, match=r"line 3, field 'lat': missing coordinates"):
        load_orders(p)


def test_unknown_postcode_and_bad_weight(tmp_path):
    p = _write(tmp_path, "o.json", json.dumps([{"id": "A", "postcode": "ZZ1 1ZZ", "weight_kg": 1}]))
    with pytest.raises(ImportFileError, match="field 'postcode'.*ZZ1 1ZZ"):
        load_orders(p, {})
    q = _write(tmp_path, "q.json", json.dumps({"orders": [{"id": "A", "lat": 51.5, "lon": 0, "weight_kg": "heavy"}]}))
    with pytest.raises(ImportFileError, match="field 'weight_kg'"):
        load_orders(q)
    r = _write(tmp_path, "r.csv", "id,lat,lon,weight_kg,window\nA,51.5,0,1,noon\n")
    with pytest.raises(ImportFileError, match="field 'window'.*HH:MM-HH:MM"):
        load_orders(r)


def test_window_parsing():
    w = parse_window("09:30-11:00")
    assert (w.start_min, w.end_min) == (570, 660)


def test_synthetic_points_are_deterministic_and_inside_the_disc():
    a, b = synthetic_point("U00001"), synthetic_point("U00001")
    assert a == b and synthetic_point("U00002") != a
    assert all(haversine_km(DEMO_DEPOT, synthetic_point(f"U{i:05d}")) <= 8.0 + 1e-9 for i in range(300))


def test_haversine_by_hand():
    # one degree of latitude on the mean Earth radius: pi/180 x 6371.0088 km
    assert haversine_km(Point(0, 0), Point(1, 0)) == pytest.approx(111.19508, rel=1e-6)


def test_preset_mixes():
    assert sum(v.count for v in mix_fleet("electric").vehicles) == 6
    assert {v.carrier for v in mix_fleet("diesel").vehicles} == {"diesel"}
