"""Carbon-aware scheduling: best start, forecast past the series, saving against now."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from greencart.energy.intensity import HourlySeriesIntensity
from greencart.energy.schedule import (
    Series,
    best_start,
    extend_seasonal_naive,
    mean_intensity,
    parse_duration,
)
from greencart.errors import InvalidParameter

from conftest import shared_file

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_picks_the_low_valley_and_reports_the_saving():
    values = (300, 300, 100, 100, 300, 300)
    s = Series(T0, values)
    choice = best_start(s, T0, timedelta(hours=2), T0 + timedelta(hours=6), step=timedelta(hours=1), energy_kwh=10)
    assert choice.start == T0 + timedelta(hours=2)
    assert choice.intensity_g_per_kwh == 100 and choice.now_intensity_g_per_kwh == 300
    assert choice.saving_pct == pytest.approx(100 * 200 / 300)
    assert choice.saving_g == pytest.approx(2000) and not choice.uses_forecast


def test_fractional_hours_are_time_weighted():
    s = Series(T0, (100, 200))
    assert mean_intensity(s, T0 + timedelta(minutes=30), timedelta(hours=1)) == pytest.approx(150)


def test_seasonal_naive_forecast_by_hour_of_week():
    week = tuple(float(h % 24) for h in range(7 * 24))
    s = Series(T0, week * 2)
    ext = extend_seasonal_naive(s, s.end + timedelta(hours=5))
    assert ext.forecast_from == 14 * 24
    assert ext.values_g_per_kwh[14 * 24 : 14 * 24 + 6] == (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)


def test_deadline_past_the_series_uses_forecast():
    s = Series(T0, tuple(([100.0] * 4 + [300.0] * 20) * 2))  # two days, valley at 00-04
    now = T0 + timedelta(hours=40)
    choice = best_start(s, now, timedelta(hours=2), now + timedelta(hours=20), step=timedelta(hours=1))
    assert choice.uses_forecast and choice.start == T0 + timedelta(hours=48)  # tomorrow's forecast valley
    assert choice.intensity_g_per_kwh == 100


def test_starting_now_when_nothing_is_better():
    s = Series(T0, (100.0,) * 10)
    choice = best_start(s, T0, timedelta(hours=1), T0 + timedelta(hours=5))
    assert choice.start == T0 and choice.saving_pct == 0


def test_bad_inputs():
    s = Series(T0, (1.0,))
    with pytest.raises(InvalidParameter, match="deadline"):
        best_start(s, T0, timedelta(hours=2), T0 + timedelta(hours=1))
    with pytest.raises(InvalidParameter, match="duration like"):
        parse_duration("two hours")
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2h") == timedelta(hours=2)


@pytest.mark.shared_data
def test_real_gb_series_schedule_saves_against_now():
    series = HourlySeriesIntensity.from_csv(shared_file("grid/GB_2024_hourly.csv"))
    from greencart.energy.schedule import series_from_points

    s = series_from_points(series.times, series.values)
    now = datetime(2024, 3, 5, 17, tzinfo=timezone.utc)  # evening peak
    choice = best_start(s, now, timedelta(hours=2), now + timedelta(hours=24))
    assert choice.intensity_g_per_kwh <= choice.now_intensity_g_per_kwh
    assert now <= choice.start <= now + timedelta(hours=22)
