"""Grid carbon intensity (location-based) behind one protocol.

- :class:`CountryAnnualIntensity`: per-country annual averages from the table
  CodeCarbon ships (``codecarbon/data/private_infra/global_energy_mix.json``,
  gCO2/kWh, 213 countries), read from the installed package, never copied.
- :class:`HourlySeriesIntensity`: an hourly series from an Electricity Maps CSV.
- :class:`StaticIntensity`: a configured constant.
- ``greencart.energy.intensity_http.HttpIntensity``: a live provider with fallback.
"""

from __future__ import annotations

import bisect
import csv
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from greencart.errors import ImportFileError, InvalidParameter, ModelUnavailable, NotFound

log = logging.getLogger(__name__)

# World average 2023: 480 gCO2/kWh (Ember, "Global Electricity Review 2024").
WORLD_AVERAGE_G_PER_KWH = 480.0


@dataclass(frozen=True)
class IntensityValue:
    intensity_g_per_kwh: float
    source: str
    kind: str = "annual"  # annual | hourly | live | forecast | static

    def __post_init__(self) -> None:
        if not 0 <= self.intensity_g_per_kwh <= 2000:
            raise InvalidParameter(
                f"Expected intensity_g_per_kwh in [0, 2000], got {self.intensity_g_per_kwh}"
            )


@runtime_checkable
class IntensityProvider(Protocol):
    name: str

    def intensity_at(self, when: datetime) -> IntensityValue: ...


class StaticIntensity:
    def __init__(self, intensity_g_per_kwh: float, source: str = "configured") -> None:
        self.value = IntensityValue(intensity_g_per_kwh, source, "static")
        self.name = f"static:{source}"

    def intensity_at(self, when: datetime) -> IntensityValue:
        return self.value


@lru_cache(maxsize=1)
def codecarbon_energy_mix() -> dict[str, dict]:
    """CodeCarbon's per-country energy mix table, read from the installed package.

    Found with ``importlib.util.find_spec`` so that codecarbon itself (which
    imports pandas, requests and more) is never imported.
    """
    from importlib.util import find_spec

    spec = find_spec("codecarbon")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "data" / "private_infra" / "global_energy_mix.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise ModelUnavailable(
        "Per-country intensities come from codecarbon's table: `pip install codecarbon==3.3.2`"
    )


def _codecarbon_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("codecarbon")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


class CountryAnnualIntensity:
    """A country's annual average (ISO 3166 alpha-3, e.g. ``FRA``)."""

    def __init__(self, country_iso3: str) -> None:
        table = codecarbon_energy_mix()
        code = country_iso3.upper()
        if code not in table:
            raise NotFound(f"No grid intensity for country {country_iso3!r}; expected ISO alpha-3 like FRA, GBR, USA")
        row = table[code]
        year = row.get("year", "?")
        self.name = f"codecarbon:{code}"
        self.value = IntensityValue(
            float(row["carbon_intensity"]),
            f"codecarbon {_codecarbon_version()} global_energy_mix.json, "
            f"{row.get('country_name', code)} {year} annual average",
            "annual",
        )

    def intensity_at(self, when: datetime) -> IntensityValue:
        return self.value


def default_provider(country_iso3: str) -> IntensityProvider:
    """The country's annual average, or the world average (logged) without codecarbon."""
    try:
        return CountryAnnualIntensity(country_iso3)
    except (ModelUnavailable, NotFound) as exc:
        log.warning("Using the world average grid intensity: %s", exc.message)
        return StaticIntensity(WORLD_AVERAGE_G_PER_KWH, "world average 2023 (Ember Global Electricity Review 2024)")


_COLUMNS = {
    "direct": "Carbon intensity gCO₂eq/kWh (direct)",
    "lifecycle": "Carbon intensity gCO₂eq/kWh (Life cycle)",
}


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


class HourlySeriesIntensity:
    """An hourly series (Electricity Maps CSV export); each hour holds its value."""

    def __init__(self, times: list[datetime], values_g_per_kwh: list[float], source: str) -> None:
        if not times or len(times) != len(values_g_per_kwh):
            raise InvalidParameter("Expected equally long, non-empty times and values")
        pairs = sorted(zip((_utc(t) for t in times), values_g_per_kwh))
        self.times = [p[0] for p in pairs]
        self.values = [p[1] for p in pairs]
        self.source = source
        self.name = f"series:{source}"

    @classmethod
    def from_csv(cls, *paths: Path, column: str = "direct") -> "HourlySeriesIntensity":
        if column not in _COLUMNS:
            raise InvalidParameter(f"Expected column in {sorted(_COLUMNS)}, got {column!r}")
        times: list[datetime] = []
        values: list[float] = []
        for path in paths:
            t, v = _read_em_csv(Path(path), _COLUMNS[column])
            times += t
            values += v
        names = ", ".join(Path(p).name for p in paths)
        return cls(times, values, f"Electricity Maps ({names}, {column})")

    def intensity_at(self, when: datetime) -> IntensityValue:
        when = _utc(when)
        i = bisect.bisect_right(self.times, when) - 1
        if i < 0 or (when - self.times[-1]).total_seconds() >= 3600:
            raise NotFound(
                f"{when.isoformat()} is outside the series {self.times[0].isoformat()}.."
                f"{self.times[-1].isoformat()} ({self.source}); use schedule.forecast for the future"
            )
        return IntensityValue(self.values[i], self.source, "hourly")


def _read_em_csv(path: Path, column: str) -> tuple[list[datetime], list[float]]:
    times: list[datetime] = []
    values: list[float] = []
    try:
        fh = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot open: {exc.strerror}") from None
    with fh:
        reader = csv.DictReader(fh)
        for name in ("Datetime (UTC)", column):
            if name not in (reader.fieldnames or []):
                raise ImportFileError(str(path), "missing column", line=1, field=name,
                                      expected="an Electricity Maps hourly CSV")
        for line, row in enumerate(reader, start=2):
            try:
                t = datetime.fromisoformat(row["Datetime (UTC)"]).replace(tzinfo=timezone.utc)
                v = float(row[column])
            except (TypeError, ValueError):
                raise ImportFileError(str(path), "bad value", line=line, field=column,
                                      expected="a timestamp and a number") from None
            times.append(t)
            values.append(v)
    if not times:
        raise ImportFileError(str(path), "no rows", expected="at least one hour")
    return times, values
