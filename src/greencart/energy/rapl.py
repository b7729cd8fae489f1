"""Intel/AMD RAPL through the Linux powercap interface (measured CPU package energy).

Reads ``<root>/intel-rapl:N/energy_uj`` for the *package* domains only: the
``core``/``uncore``/``dram`` sub-domains (``intel-rapl:N:M``) and ``psys``
overlap the packages and would double count (FIELD_NOTES, "RAPL"). Each
counter wraps at ``max_energy_range_uj``; a reading lower than the previous one
means one wrap (the sampler reads far more often than the fastest wrap, about
an hour at full load).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from greencart.energy.meters import MeterReading, now_s
from greencart.errors import ConfigError

PERMISSION_FIX = (
    "Since Linux 5.10 (CVE-2020-8694) energy_uj is readable by root only. Fix: "
    "`sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj` (again after each boot, "
    "or a udev rule), or run as root; in a container also mount /sys/class/powercap read-only."
)


@dataclass
class _Domain:
    path: Path
    name: str
    max_uj: int
    last_uj: int
    total_uj: int = 0


def package_domains(root: Path) -> list[Path]:
    """Top-level package domains (``intel-rapl:N`` whose name starts with ``package``)."""
    if not root.is_dir():
        return []
    found = []
    for zone in sorted(root.glob("intel-rapl:*")):
        if zone.name.count(":") != 1:
            continue  # sub-domain (core, uncore, dram) of a package
        try:
            name = (zone / "name").read_text().strip()
        except OSError:
            continue
        if name.startswith("package"):
            found.append(zone)
    return found


def rapl_status(root: Path) -> tuple[bool, str]:
    """Whether RAPL is usable here, and if not, why (with the fix)."""
    zones = package_domains(root)
    if not zones:
        return False, f"no package domain under {root} (common in VMs and containers)"
    try:
        int((zones[0] / "energy_uj").read_text())
    except PermissionError:
        return False, f"{zones[0] / 'energy_uj'} is not readable. {PERMISSION_FIX}"
    except (OSError, ValueError) as exc:
        return False, f"{zones[0] / 'energy_uj'} is unreadable: {exc}"
    return True, f"{len(zones)} package domain(s) under {root}"


def _read_uj(path: Path) -> int:
    try:
        return int(path.read_text())
    except PermissionError:
        raise ConfigError(f"Cannot read {path}. {PERMISSION_FIX}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read the RAPL counter {path}: {exc}") from None


class RaplMeter:
    """Sum of the package counters, wrap-around handled. Method ``measured``."""

    method = "measured"
    covers_cpu = True

    def __init__(self, root: Path = Path("/sys/class/powercap"), *, band: float = 0.05) -> None:
        zones = package_domains(root)
        if not zones:
            raise ConfigError(f"No RAPL package domain under {root}: use the modelled meter")
        self.name = "rapl"
        # RAPL reads are within a few percent of wall power meters for the package
        # (Khan et al., "RAPL in Action", ACM TOMPECS 2018): a +-5 % band by default.
        self.band = band
        self._lock = threading.Lock()
        self._domains = [
            _Domain(
                path=z / "energy_uj",
                name=(z / "name").read_text().strip(),
                max_uj=_read_uj(z / "max_energy_range_uj"),
                last_uj=_read_uj(z / "energy_uj"),
            )
            for z in zones
        ]

    def read(self) -> MeterReading:
        with self._lock:
            for d in self._domains:
                value = _read_uj(d.path)
                delta = value - d.last_uj
                if delta < 0:  # wrapped once
                    delta += d.max_uj
                d.total_uj += delta
                d.last_uj = value
            energy_j = sum(d.total_uj for d in self._domains) / 1e6
        return MeterReading(
            energy_j, energy_j * (1 - self.band), energy_j * (1 + self.band), now_s(), "measured", self.name
        )
