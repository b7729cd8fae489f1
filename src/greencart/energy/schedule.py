"""Carbon-aware scheduling: the start within a window that minimises expected gCO2e.

The intensity series is hourly and piecewise constant. Where it ends before
the deadline it is extended by a seasonal-naive forecast: each missing hour
takes the mean of the same hour-of-week over the last ``weeks`` weeks.
A job's expected intensity is the time-weighted mean over its run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from greencart.errors import InvalidParameter

HOUR = timedelta(hours=1)
WEEK_H = 7 * 24


@dataclass(frozen=True)
class Series:
    """Hourly intensities from ``start`` (UTC, on the hour), one per hour."""

    start: datetime
    values_g_per_kwh: tuple[float, ...]
    forecast_from: int | None = None  # index of the first forecast hour, if any

    def __post_init__(self) -> None:
        if not self.values_g_per_kwh:
            raise InvalidParameter("Expected a non-empty intensity series")
        if self.start.tzinfo is None:
            raise InvalidParameter("Expected a timezone-aware series start")

    @property
    def end(self) -> datetime:
        return self.start + HOUR * len(self.values_g_per_kwh)

    def value_at_hour(self, i: int) -> float:
        return self.values_g_per_kwh[i]


def series_from_points(times: list[datetime], values: list[float]) -> Series:
    """Regularise (time, value) points onto an hourly grid (gaps hold the last value)."""
    if not times:
        raise InvalidParameter("Expected at least one point")
    start = times[0].astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    n = int((times[-1].astimezone(timezone.utc) - start) / HOUR) + 1
    out: list[float] = []
    j = 0
    for h in range(n):
        t = start + HOUR * h
        while j + 1 < len(times) and times[j + 1] <= t:
            j += 1
        out.append(values[j])
    return Series(start, tuple(out))


def extend_seasonal_naive(series: Series, until: datetime, *, weeks: int = 4) -> Series:
    """Append forecast hours up to ``until`` by the mean of the same hour-of-week."""
    values = list(series.values_g_per_kwh)
    first_forecast = len(values)
    need = int((until - series.start) / HOUR) + 1
    while len(values) < need:
        i = len(values)
        past = [values[i - k * WEEK_H] for k in range(1, weeks + 1) if i - k * WEEK_H >= 0]
        if not past:  # less than a week of history: seasonal naive by hour of day
            past = [values[i - k * 24] for k in range(1, weeks + 1) if i - k * 24 >= 0] or [values[-1]]
        values.append(sum(past) / len(past))
    if len(values) == first_forecast:
        return series
    return Series(series.start, tuple(values), first_forecast)


def mean_intensity(series: Series, start: datetime, duration: timedelta) -> float:
    """Time-weighted mean intensity over ``[start, start + duration)``."""
    if start < series.start or start + duration > series.end:
        raise InvalidParameter(
            f"Expected [{start}, {start + duration}) inside the series {series.start}..{series.end}"
        )
    total, t, end = 0.0, start, start + duration
    while t < end:
        i = int((t - series.start) / HOUR)
        hour_end = min(series.start + HOUR * (i + 1), end)
        total += series.value_at_hour(i) * (hour_end - t).total_seconds()
        t = hour_end
    return total / duration.total_seconds()


@dataclass(frozen=True)
class ScheduleChoice:
    start: datetime
    end: datetime
    intensity_g_per_kwh: float
    now_intensity_g_per_kwh: float
    saving_pct: float
    uses_forecast: bool
    energy_kwh: float | None = None

    @property
    def carbon_g(self) -> float | None:
        return None if self.energy_kwh is None else self.energy_kwh * self.intensity_g_per_kwh

    @property
    def saving_g(self) -> float | None:
        if self.energy_kwh is None:
            return None
        return self.energy_kwh * (self.now_intensity_g_per_kwh - self.intensity_g_per_kwh)


def best_start(
    series: Series,
    now: datetime,
    duration: timedelta,
    deadline: datetime,
    *,
    step: timedelta = timedelta(minutes=15),
    energy_kwh: float | None = None,
) -> ScheduleChoice:
    """The start in ``[now, deadline - duration]`` with the lowest mean intensity.

    Ties go to the earliest start. Hours past the series are forecast.
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise InvalidParameter(f"Expected a positive duration and step, got {duration}, {step}")
    if now + duration > deadline:
        raise InvalidParameter(f"The deadline {deadline} is before now + duration ({now + duration})")
    if now < series.start:
        raise InvalidParameter(f"Expected now ({now}) within or after the series start {series.start}")
    full = extend_seasonal_naive(series, deadline)
    candidates = [now]
    # then every step from the next whole minute until the job would miss the deadline
    t = (now + step).replace(second=0, microsecond=0)
    while t + duration <= deadline:
        candidates.append(t)
        t += step
    now_mean = mean_intensity(full, now, duration)
    best, best_mean = now, now_mean
    for c in candidates[1:]:
        m = mean_intensity(full, c, duration)
        if m < best_mean - 1e-12:
            best, best_mean = c, m
    uses_fc = full.forecast_from is not None and best + duration > full.start + HOUR * full.forecast_from
    return ScheduleChoice(
        start=best,
        end=best + duration,
        intensity_g_per_kwh=best_mean,
        now_intensity_g_per_kwh=now_mean,
        saving_pct=100.0 * (now_mean - best_mean) / now_mean if now_mean > 0 else 0.0,
        uses_forecast=uses_fc,
        energy_kwh=energy_kwh,
    )


def parse_duration(text: str) -> timedelta:
    """``90m``, ``2h``, ``1h30m``, ``1d`` -> timedelta."""
    import re

    m = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*", text)
    if not text.strip() or m is None or not any(m.groups()):
        raise InvalidParameter(f"Expected a duration like 2h, 90m or 1h30m, got {text!r}")
    d, h, mi = (float(g) if g else 0.0 for g in m.groups())
    return timedelta(days=d, hours=h, minutes=mi)
