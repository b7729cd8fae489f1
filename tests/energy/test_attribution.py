"""Conservation of the window split (property-based) and its rules."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greencart.energy.attribution import Window, cap_shares, split_window
from greencart.errors import InvalidParameter

finite = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def windows_and_units(draw):
    dt = draw(st.floats(min_value=0.01, max_value=10.0))
    ncpu = draw(st.integers(min_value=1, max_value=64))
    energy = draw(finite)
    band = draw(st.floats(min_value=0.0, max_value=0.5))
    busy = draw(st.floats(min_value=0.0, max_value=ncpu * dt))
    idle_w = draw(st.floats(min_value=0.0, max_value=500.0))
    units = draw(st.dictionaries(st.integers(1, 10_000), st.floats(0.0, ncpu * dt), max_size=40))
    w = Window(dt, energy, energy * (1 - band), energy * (1 + band), busy, ncpu * dt, idle_w)
    return w, units


@settings(max_examples=400, deadline=None)
@given(windows_and_units())
def test_units_plus_unattributed_plus_idle_equals_window_energy(case):
    window, units = case
    split = split_window(window, units)
    assert math.isclose(split.total_j, window.energy_j, rel_tol=1e-9, abs_tol=1e-9)
    assert all(v >= 0 for v in split.unit_j.values())
    assert split.unattributed_j >= 0 and split.idle_j >= 0
    assert set(split.unit_j) == set(units)


@settings(max_examples=200, deadline=None)
@given(windows_and_units())
def test_share_is_proportional_to_cpu_time(case):
    window, units = case
    split = split_window(window, units)
    for uid, c in units.items():
        assert math.isclose(split.unit_j[uid], c * split.rate_j_per_cpu_s, rel_tol=1e-9, abs_tol=1e-12)


def test_idle_is_not_smeared_over_units():
    # 10 s, 4 CPUs, 40 W idle + 100 J dynamic; one unit used 1 CPU-second, nothing else ran.
    w = Window(10.0, 500.0, 500.0, 500.0, busy_cpu_s=1.0, capacity_cpu_s=40.0, idle_power_w=40.0)
    split = split_window(w, {1: 1.0})
    assert split.unit_j[1] == pytest.approx(400.0 / 40.0 + 100.0)  # its static share + all dynamic
    assert split.idle_j == pytest.approx(390.0)
    assert split.unattributed_j == pytest.approx(0.0)


def test_a_unit_without_cpu_gets_nothing_and_other_processes_are_unattributed():
    w = Window(1.0, 100.0, 90.0, 110.0, busy_cpu_s=2.0, capacity_cpu_s=2.0, idle_power_w=0.0)
    split = split_window(w, {1: 0.0, 2: 1.0})
    assert split.unit_j == {1: 0.0, 2: pytest.approx(50.0)}
    assert split.unattributed_j == pytest.approx(50.0)
    assert (split.low_ratio, split.high_ratio) == pytest.approx((0.9, 1.1))


def test_units_reporting_more_cpu_than_the_host_still_conserve():
    w = Window(1.0, 10.0, 10.0, 10.0, busy_cpu_s=0.5, capacity_cpu_s=1.0, idle_power_w=5.0)
    split = split_window(w, {1: 0.8, 2: 0.8})
    assert split.total_j == pytest.approx(10.0)
    assert split.unit_j[1] == pytest.approx(5.0)


def test_cap_shares_scales_concurrent_units_to_the_thread_delta():
    assert cap_shares({1: 0.2, 2: 0.2}, 0.2) == {1: pytest.approx(0.1), 2: pytest.approx(0.1)}
    assert cap_shares({1: 0.1}, 0.5) == {1: 0.1}
    assert cap_shares({1: 0.1}, None) == {1: 0.1}


def test_window_validation_messages():
    with pytest.raises(InvalidParameter, match="energy_j >= 0"):
        Window(1.0, -1.0, -1.0, -1.0, 0.0, 1.0)
    with pytest.raises(InvalidParameter, match="cpu_s >= 0"):
        split_window(Window(1.0, 1.0, 1.0, 1.0, 0.0, 1.0), {1: -0.1})
