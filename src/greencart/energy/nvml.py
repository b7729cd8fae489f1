"""NVIDIA GPUs through NVML's total-energy counter (measured, per device).

``nvmlDeviceGetTotalEnergyConsumption`` returns millijoules since the driver
loaded and updates about every 10 ms on Volta and newer. Power readings are a
~1 s trailing average and are never integrated here (FIELD_NOTES, "NVML").
``pynvml`` (package ``nvidia-ml-py``) is imported lazily, only when asked.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from greencart.energy.meters import MeterReading, now_s
from greencart.errors import ModelUnavailable

_init_lock = threading.Lock()
_initialised = False


def _pynvml() -> Any:
    global _initialised
    try:
        nv = importlib.import_module("pynvml")
    except ImportError:
        raise ModelUnavailable(
            "NVML metering needs nvidia-ml-py: `pip install nvidia-ml-py`"
        ) from None
    with _init_lock:
        if not _initialised:
            nv.nvmlInit()
            _initialised = True
    return nv


def nvml_available() -> tuple[bool, str]:
    """Whether at least one GPU with an energy counter is visible, and why not."""
    try:
        nv = _pynvml()
        count = nv.nvmlDeviceGetCount()
    except ModelUnavailable as exc:
        return False, exc.message
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded...
        return False, f"NVML unavailable ({type(exc).__name__}: {exc})"
    if count == 0:
        return False, "NVML sees no GPU"
    try:
        nv.nvmlDeviceGetTotalEnergyConsumption(nv.nvmlDeviceGetHandleByIndex(0))
    except Exception as exc:
        return False, f"GPU 0 has no total-energy counter (pre-Volta?): {exc}"
    return True, f"{count} GPU(s)"


class NvmlMeter:
    """One GPU's energy since this meter was created. Method ``measured``."""

    method = "measured"
    covers_cpu = False

    def __init__(self, index: int = 0, *, band: float = 0.05) -> None:
        self._nv = _pynvml()
        self.index = index
        self.name = f"nvml:{index}"
        # NVIDIA documents +-5 % accuracy for board power on data-centre GPUs.
        self.band = band
        self._handle = self._nv.nvmlDeviceGetHandleByIndex(index)
        self._start_mj = self._read_mj()

    @classmethod
    def all_devices(cls) -> list["NvmlMeter"]:
        nv = _pynvml()
        return [cls(i) for i in range(nv.nvmlDeviceGetCount())]

    def _read_mj(self) -> int:
        return int(self._nv.nvmlDeviceGetTotalEnergyConsumption(self._handle))

    def read(self) -> MeterReading:
        energy_j = max(0, self._read_mj() - self._start_mj) / 1000.0
        return MeterReading(
            energy_j, energy_j * (1 - self.band), energy_j * (1 + self.band), now_s(), "measured", self.name
        )
