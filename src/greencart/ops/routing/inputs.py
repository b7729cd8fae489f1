"""Reading fleets and orders from files; errors name the file, line and field.

Fleet file (YAML or JSON)::

    depot: {lat: 51.5226, lon: -0.0836}
    road_factor: 1.3            # optional
    country: GBR                # grid intensity for electric vehicles
    vehicles:
      - {type: diesel_van, count: 2}
      - {type: cargo_bike, count: 3, shift: "08:00-18:00", capacity_kg: 100}

Orders file (CSV, or JSON: a list or ``{"orders": [...]}``): ``id``,
``weight_kg``, and either ``lat``/``lon`` or a ``postcode`` found in a
postcode table (CSV ``postcode,lat,lon``); optional ``volume_l``,
``window`` (``"10:00-12:00"``), ``service_min``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from greencart.errors import GreencartError, ImportFileError
from greencart.ops.routing.geo import DEMO_DEPOT
from greencart.ops.routing.models import (
    VEHICLE_CATALOGUE,
    Fleet,
    Point,
    Stop,
    TimeWindow,
    VehicleType,
)

MIXES: dict[str, dict[str, int]] = {
    "diesel": {"diesel_van": 4},
    "mixed": {"diesel_van": 2, "electric_van": 1, "cargo_bike": 3},
    "electric": {"electric_van": 2, "cargo_bike": 4},
}
_OVERRIDES = ("capacity_kg", "volume_l", "empty_per_100km", "full_per_100km", "speed_kmh", "max_distance_km")


def parse_window(text: str) -> TimeWindow:
    """``"10:00-12:00"`` -> TimeWindow(600, 720); an end at or before the start is the next day
    (``"22:00-02:00"`` -> TimeWindow(1320, 1560))."""
    try:
        a, b = (part.strip() for part in str(text).split("-"))
        to_min = [int(x.split(":")[0]) * 60 + int(x.split(":")[1]) for x in (a, b)]
    except (ValueError, IndexError):
        raise GreencartError(f"expected HH:MM-HH:MM, got {text!r}") from None
    if 0 <= to_min[1] <= to_min[0] < 24 * 60:
        to_min[1] += 24 * 60
    return TimeWindow(to_min[0], to_min[1])


def mix_fleet(mix: str = "mixed", depot: Point = DEMO_DEPOT) -> Fleet:
    """A preset fleet (``diesel``, ``mixed``, ``electric``) with the catalogue's vehicle classes."""
    if mix not in MIXES:
        raise GreencartError(f"Expected fleet mix in {sorted(MIXES)}, got {mix!r}")
    vehicles = tuple(VehicleType(name, count=n, **VEHICLE_CATALOGUE[name]) for name, n in MIXES[mix].items())
    return Fleet(depot, vehicles, name=mix)


def fleet_from_dict(doc: Any, path: str = "<fleet>") -> Fleet:
    if not isinstance(doc, dict):
        raise ImportFileError(path, "not a mapping", expected="an object with depot and vehicles")
    try:
        dep = doc.get("depot") or {}
        depot = Point(float(dep["lat"]), float(dep["lon"])) if dep else DEMO_DEPOT
    except (KeyError, TypeError, ValueError, GreencartError) as exc:
        raise ImportFileError(path, f"bad depot ({exc})", field="depot", expected="{lat, lon}") from None
    items = doc.get("vehicles")
    if not isinstance(items, list) or not items:
        raise ImportFileError(path, "no vehicles", field="vehicles", expected="a non-empty list")
    vehicles = [_vehicle(item, f"vehicles[{n}]", path) for n, item in enumerate(items)]
    try:
        return Fleet(depot, tuple(vehicles), float(doc.get("road_factor", 1.3)), str(doc.get("country", "GBR")),
                     str(doc.get("name", Path(path).stem)))
    except GreencartError as exc:
        raise ImportFileError(path, exc.message) from None


def _vehicle(item: Any, where: str, path: str) -> VehicleType:
    if not isinstance(item, dict):
        raise ImportFileError(path, "not a mapping", field=where)
    kind = item.get("type")
    if kind not in VEHICLE_CATALOGUE:
        raise ImportFileError(path, f"unknown vehicle type {kind!r}", field=f"{where}.type",
                              expected=f"one of {', '.join(VEHICLE_CATALOGUE)}")
    spec = dict(VEHICLE_CATALOGUE[kind])
    for key in _OVERRIDES:
        if key in item:
            spec[key] = item[key]
    if any(k in item for k in ("empty_per_100km", "full_per_100km")):
        spec["consumption_source"] = f"declared in {Path(path).name}"
    try:
        if "shift" in item:
            spec["shift"] = parse_window(item["shift"])
        return VehicleType(str(item.get("name", kind)), count=item.get("count", 1), **spec)
    except GreencartError as exc:
        raise ImportFileError(path, exc.message, field=where) from None


def _read_doc(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot read ({exc.strerror})") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            return yaml.safe_load(text)
        return json.loads(text)
    except Exception as exc:  # yaml.YAMLError / json.JSONDecodeError
        raise ImportFileError(str(path), f"not valid {path.suffix.lstrip('.').upper()}: {exc}") from None


def load_fleet(path: str | Path) -> Fleet:
    path = Path(path)
    return fleet_from_dict(_read_doc(path), str(path))


def load_postcodes(path: str | Path) -> dict[str, Point]:
    out: dict[str, Point] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), 2):
            try:
                out[_norm(row["postcode"])] = Point(float(row["lat"]), float(row["lon"]))
            except (KeyError, TypeError, ValueError, GreencartError) as exc:
                raise ImportFileError(str(path), f"bad row ({exc})", line=line,
                                      expected="columns postcode, lat, lon") from None
    return out


def _norm(postcode: str) -> str:
    return "".join(str(postcode).split()).upper()


def stops_from_records(records: list[dict], path: str = "<orders>",
                       postcodes: dict[str, Point] | None = None, first_line: int = 1) -> list[Stop]:
    stops = []
    for n, rec in enumerate(records):
        line = n + first_line
        stops.append(_stop(rec, path, line, postcodes or {}))
    return stops


def _stop(rec: dict, path: str, line: int, postcodes: dict[str, Point]) -> Stop:
    def bad(field: str, problem: str, expected: str | None = None) -> ImportFileError:
        return ImportFileError(path, problem, line=line, field=field, expected=expected)

    oid = str(rec.get("id") or "").strip()
    if not oid:
        raise bad("id", "missing order id")
    point, source = _point(rec, postcodes, bad)
    try:
        weight = float(rec.get("weight_kg"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise bad("weight_kg", f"missing or not a number: {rec.get('weight_kg')!r}", "kg >= 0") from None
    window = None
    if rec.get("window"):
        try:
            window = parse_window(rec["window"])
        except GreencartError as exc:
            raise bad("window", exc.message) from None
    try:
        return Stop(oid, point, weight, float(rec.get("volume_l") or 0.0), window,
                    float(rec.get("service_min") or 3.0), source)
    except (GreencartError, ValueError) as exc:
        raise bad("weight_kg/volume_l/service_min", getattr(exc, "message", str(exc))) from None


def _point(rec: dict, postcodes: dict[str, Point], bad: Any) -> tuple[Point, str]:
    lat, lon = rec.get("lat"), rec.get("lon")
    if lat not in (None, "") and lon not in (None, ""):
        try:
            return Point(float(lat), float(lon)), "file coordinates"
        except (ValueError, GreencartError) as exc:
            raise bad("lat/lon", f"bad coordinates ({getattr(exc, 'message', exc)})") from None
    pc = rec.get("postcode")
    if pc:
        if _norm(pc) in postcodes:
            return postcodes[_norm(pc)], "postcode centroid"
        raise bad("postcode", f"no coordinates for postcode {pc!r}", "a postcode in the --postcodes table")
    raise bad("lat", "missing coordinates", "lat and lon, or a postcode")


def load_orders(path: str | Path, postcodes: dict[str, Point] | None = None) -> list[Stop]:
    path = Path(path)
    if path.suffix.lower() == ".csv":
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot read ({exc.strerror})") from None
        return stops_from_records(rows, str(path), postcodes, first_line=2)
    doc = _read_doc(path)
    rows = doc.get("orders") if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        raise ImportFileError(str(path), "no orders", field="orders", expected="a list of orders")
    return stops_from_records(rows, str(path), postcodes, first_line=1)
