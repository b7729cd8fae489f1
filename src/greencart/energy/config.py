"""Per-deployment energy settings: sampling, modelled-power coefficients, PUE, carbon.

Every coefficient carries its source. Defaults are Cloud Carbon Footprint's
published averages (https://www.cloudcarbonfootprint.org/docs/methodology,
"Energy Estimate (Watt-Hours)" and "Power Usage Effectiveness").
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from greencart.errors import InvalidParameter, check_range

# Cloud Carbon Footprint, per-vCPU average watts (min, max) by cloud.
CCF_VCPU_W: dict[str, tuple[float, float]] = {
    "aws": (0.74, 3.5),
    "gcp": (0.71, 4.26),
    "azure": (0.78, 3.76),
}
# Cloud Carbon Footprint, PUE by cloud.
CCF_PUE: dict[str, float] = {"aws": 1.135, "gcp": 1.1, "azure": 1.185}
# Cloud Carbon Footprint memory coefficient: 0.000392 kWh per GB-hour = 0.392 W per GB.
CCF_MEMORY_W_PER_GB = 0.392


@dataclass(frozen=True)
class EnergyConfig:
    """How a deployment meters itself.

    ``cloud`` picks CCF coefficients ("aws", "gcp", "azure"); explicit
    ``vcpu_min_w``/``vcpu_max_w``/``pue`` override them. Bounds of the
    modelled meter span the lowest and highest published coefficients.
    """

    sample_interval_s: float = 0.5
    cloud: str = "aws"
    vcpus: int = 0  # 0: os.cpu_count()
    vcpu_min_w: float | None = None
    vcpu_max_w: float | None = None
    memory_gb: float | None = None  # None: MemTotal from /proc/meminfo
    memory_w_per_gb: float = CCF_MEMORY_W_PER_GB
    pue: float | None = None
    prefer_modelled: bool = False
    powercap_root: Path = Path("/sys/class/powercap")
    use_nvml: bool = True
    country_iso3: str = "GBR"
    cpu_clock: str = "thread"  # "thread" or "process"

    def __post_init__(self) -> None:
        check_range("sample_interval_s", self.sample_interval_s, 0.01, 60.0)
        if self.cloud not in CCF_VCPU_W:
            raise InvalidParameter(f"Expected cloud in {sorted(CCF_VCPU_W)}, got {self.cloud!r}")
        if self.vcpus < 0:
            raise InvalidParameter(f"Expected vcpus >= 0, got {self.vcpus}")
        if self.pue is not None:
            check_range("pue", self.pue, 1.0, 3.0)
        if self.cpu_clock not in ("thread", "process"):
            raise InvalidParameter(f"Expected cpu_clock 'thread' or 'process', got {self.cpu_clock!r}")
        low, high = self.vcpu_watts
        if not (0 <= low <= high):
            raise InvalidParameter(f"Expected 0 <= vcpu_min_w <= vcpu_max_w, got {low}, {high}")
        check_range("memory_w_per_gb", self.memory_w_per_gb, 0.0, 10.0)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "EnergyConfig":
        """From ``GREENCART_ENERGY_*`` variables (SAMPLE_INTERVAL_S, CLOUD, VCPUS,
        VCPU_MIN_W, VCPU_MAX_W, MEMORY_GB, PUE, COUNTRY, CPU_CLOCK, PREFER_MODELLED)."""
        env = os.environ if environ is None else environ
        kinds: dict[str, tuple[str, type]] = {
            "SAMPLE_INTERVAL_S": ("sample_interval_s", float), "CLOUD": ("cloud", str),
            "VCPUS": ("vcpus", int), "VCPU_MIN_W": ("vcpu_min_w", float),
            "VCPU_MAX_W": ("vcpu_max_w", float), "MEMORY_GB": ("memory_gb", float),
            "PUE": ("pue", float), "COUNTRY": ("country_iso3", str), "CPU_CLOCK": ("cpu_clock", str),
        }
        kwargs: dict[str, object] = {}
        for suffix, (field_name, kind) in kinds.items():
            raw = env.get(f"GREENCART_ENERGY_{suffix}")
            if raw:
                try:
                    kwargs[field_name] = kind(raw)
                except ValueError:
                    raise InvalidParameter(
                        f"Expected GREENCART_ENERGY_{suffix} to be a {kind.__name__}, got {raw!r}"
                    ) from None
        if env.get("GREENCART_ENERGY_PREFER_MODELLED", "").lower() in ("1", "true", "yes"):
            kwargs["prefer_modelled"] = True
        return cls(**kwargs)  # type: ignore[arg-type]

    @property
    def vcpu_watts(self) -> tuple[float, float]:
        base_min, base_max = CCF_VCPU_W[self.cloud]
        low = base_min if self.vcpu_min_w is None else self.vcpu_min_w
        high = base_max if self.vcpu_max_w is None else self.vcpu_max_w
        return low, high

    @property
    def pue_value(self) -> float:
        return CCF_PUE[self.cloud] if self.pue is None else self.pue
