"""A meter that replays a recorded trace: for tests and for reproducing figures."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from greencart.energy.meters import MeterReading
from greencart.errors import ImportFileError, InvalidParameter


class FakeMeter:
    """Replays ``(timestamp_s, energy_j)`` points, one per :meth:`read`.

    After the trace ends it repeats the last point. ``band`` widens each
    reading to ``energy_j * (1 -/+ band)``. ``idle_w`` is reported as the
    host's static power hint.
    """

    def __init__(
        self,
        trace: Sequence[tuple[float, float]],
        *,
        method: str = "measured",
        band: float = 0.0,
        idle_w: float = 0.0,
        name: str = "fake",
    ) -> None:
        if not trace:
            raise InvalidParameter("Expected a non-empty trace of (timestamp_s, energy_j)")
        for (t0, e0), (t1, e1) in zip(trace, trace[1:]):
            if t1 < t0 or e1 < e0:
                raise InvalidParameter(
                    f"Expected a non-decreasing trace, got ({t0}, {e0}) then ({t1}, {e1})"
                )
        self.trace = list(trace)
        self.method = method
        self.band = band
        self.idle_w = idle_w
        self.name = name
        self._i = 0

    @classmethod
    def from_csv(cls, path: Path, **kwargs: object) -> "FakeMeter":
        """A trace from a CSV with columns ``timestamp_s,energy_j``."""
        rows: list[tuple[float, float]] = []
        with open(path, newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    rows.append((float(row["timestamp_s"]), float(row["energy_j"])))
                except (KeyError, ValueError, TypeError):
                    raise ImportFileError(
                        str(path), "bad row", line=line, expected="timestamp_s,energy_j numbers"
                    ) from None
        return cls(rows, **kwargs)  # type: ignore[arg-type]

    def read(self) -> MeterReading:
        t, e = self.trace[min(self._i, len(self.trace) - 1)]
        self._i += 1
        return MeterReading(e, e * (1 - self.band), e * (1 + self.band), t, self.method, self.name)

    def idle_power_w(self) -> float:
        return self.idle_w
