"""The local runner: order, shared objects, chunking, clear errors; no Ray import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from greencart.errors import ConfigError, InvalidParameter
from greencart.scale import LocalRunner, Runner, chunked, runner_from_name


def add(shared, chunk):
    return [shared + x for x in chunk]


def test_local_runner_maps_in_order_with_shared():
    runner = LocalRunner()
    assert isinstance(runner, Runner)
    chunks = chunked(list(range(10)), 3)
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    assert runner.map(add, chunks, shared=100) == [[100, 101, 102], [103, 104, 105], [106, 107, 108], [109]]
    assert runner.map(sum, chunks) == [3, 12, 21, 9]
    assert runner.stats.tasks == 4


def test_bad_arguments_are_named():
    with pytest.raises(InvalidParameter, match="chunk size"):
        chunked([1, 2], 0)
    with pytest.raises(InvalidParameter, match="runner 'local' or 'ray'"):
        runner_from_name("spark")


def test_local_backend_never_imports_ray():
    code = ("import sys; from greencart.scale import runner_from_name; r = runner_from_name('local'); "
            "r.map(len, [[1], [2, 3]]); print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ray_backend_without_ray_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    from greencart.scale import RayRunner

    with pytest.raises(ConfigError, match=r"\[scale\]"):
        RayRunner()


def test_forecast_on_the_local_runner_matches_the_plain_call():
    import numpy as np
    import pandas as pd

    from greencart.ops.forecast import ForecastSpec, forecast

    ds = pd.date_range("2024-01-01", periods=60, freq="D")
    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": (np.arange(60) % 7 + i).astype(float)})
                    for i in range(5)], ignore_index=True)
    spec = ForecastSpec(freq="D", horizon=7, models=("seasonal_naive",))
    runner = LocalRunner()
    pd.testing.assert_frame_equal(forecast(df, spec, runner=runner).frame, forecast(df, spec).frame)
    assert runner.stats.tasks == 5
