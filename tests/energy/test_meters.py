"""Each meter's contract, with recorded traces for RAPL (a fake sysfs) and NVML (a fake pynvml)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from greencart.energy.config import EnergyConfig
from greencart.energy.fake import FakeMeter
from greencart.energy.hostcpu import CpuTimes
from greencart.energy.meters import Meter, MeterReading, SummedMeter, detect_meters
from greencart.energy.modelled import ModelledCpuMeter, teads_power_w
from greencart.energy.rapl import RaplMeter, rapl_status
from greencart.errors import ConfigError, ImportFileError, InvalidParameter

# A recorded RAPL trace (energy_uj of package-0), including one wrap-around at
# max_energy_range_uj = 262143328850 (a common Intel value).
RAPL_MAX_UJ = 262_143_328_850
RAPL_TRACE_UJ = [262_140_000_000, 262_142_000_000, 1_000_000, 3_500_000]
NVML_TRACE_MJ = [5_000_000, 5_000_740, 5_002_130, 5_002_200]


def make_powercap(root: Path, energy_uj: int) -> Path:
    pkg = root / "intel-rapl:0"
    (pkg / "intel-rapl:0:0").mkdir(parents=True)
    (pkg / "name").write_text("package-0\n")
    (pkg / "max_energy_range_uj").write_text(f"{RAPL_MAX_UJ}\n")
    (pkg / "energy_uj").write_text(f"{energy_uj}\n")
    (pkg / "intel-rapl:0:0" / "name").write_text("core\n")
    (pkg / "intel-rapl:0:0" / "energy_uj").write_text("999999999\n")
    psys = root / "intel-rapl:1"
    psys.mkdir()
    (psys / "name").write_text("psys\n")
    (psys / "energy_uj").write_text("123\n")
    return pkg / "energy_uj"


def test_rapl_sums_packages_only_and_handles_wrap(tmp_path):
    counter = make_powercap(tmp_path, RAPL_TRACE_UJ[0])
    meter = RaplMeter(tmp_path)
    readings = []
    for value in RAPL_TRACE_UJ[1:]:
        counter.write_text(f"{value}\n")
        readings.append(meter.read())
    expected_uj = (RAPL_TRACE_UJ[1] - RAPL_TRACE_UJ[0]) + (RAPL_MAX_UJ - RAPL_TRACE_UJ[1] + RAPL_TRACE_UJ[2])
    assert readings[1].energy_j == pytest.approx(expected_uj / 1e6)
    assert readings[2].energy_j == pytest.approx((expected_uj + 2_500_000) / 1e6)
    assert all(r.method == "measured" for r in readings)
    assert rapl_status(tmp_path)[0]


def test_rapl_permission_message_names_the_fix(tmp_path, monkeypatch):
    make_powercap(tmp_path, 1)

    def denied(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: denied(self) if self.name == "energy_uj" else Path.read_bytes(self).decode())
    ok, why = rapl_status(tmp_path)
    assert not ok and "sudo chmod o+r" in why and "CVE-2020-8694" in why
    with pytest.raises(ConfigError, match="chmod"):
        RaplMeter(tmp_path)


def test_rapl_absent_is_explained(tmp_path):
    ok, why = rapl_status(tmp_path / "nothing")
    assert not ok and "VMs" in why
    with pytest.raises(ConfigError, match="modelled"):
        RaplMeter(tmp_path)


@pytest.fixture
def fake_pynvml(monkeypatch):
    trace = iter(NVML_TRACE_MJ)
    mod = types.SimpleNamespace(
        nvmlInit=lambda: None,
        nvmlDeviceGetCount=lambda: 1,
        nvmlDeviceGetHandleByIndex=lambda i: ("gpu", i),
        nvmlDeviceGetTotalEnergyConsumption=lambda h: next(trace),
    )
    monkeypatch.setitem(sys.modules, "pynvml", mod)
    import greencart.energy.nvml as nvml

    monkeypatch.setattr(nvml, "_initialised", False)
    return mod


def test_nvml_reads_the_total_energy_counter(fake_pynvml):
    from greencart.energy.nvml import NvmlMeter

    meter = NvmlMeter(0)
    r1, r2 = meter.read(), meter.read()
    assert r1.energy_j == pytest.approx(0.74) and r2.energy_j == pytest.approx(2.13)
    assert r1.method == "measured" and meter.name == "nvml:0"


def test_nvml_unavailable_here_is_explained(monkeypatch):
    import greencart.energy.nvml as nvml

    monkeypatch.setitem(sys.modules, "pynvml", None)  # import fails
    ok, why = nvml.nvml_available()
    assert not ok and "nvidia-ml-py" in why


def fixed_cpu(busy: list[float]):
    it = iter(busy)
    return lambda: CpuTimes(next(it), 4, "test")


def test_modelled_meter_uses_ccf_coefficients_with_bounds():
    clock = iter([0.0, 10.0, 20.0])
    cfg = EnergyConfig(cloud="aws", vcpus=4, memory_gb=8.0)
    m = ModelledCpuMeter(cfg, cpu_times=fixed_cpu([0.0, 20.0, 20.0]), clock=lambda: next(clock))
    r = m.read()  # 10 s, 20 CPU-s busy of 40
    cpu_j = 4 * 0.74 * 10 + 20 * (3.5 - 0.74)
    mem_j = 8.0 * 0.392 * 10
    assert r.energy_j == pytest.approx((cpu_j + mem_j) * 1.135)
    assert r.method == "modelled"
    assert r.energy_low_j < r.energy_j < r.energy_high_j
    idle = m.read()  # 10 s idle
    assert idle.energy_j - r.energy_j == pytest.approx(m.idle_power_w() * 10)


def test_teads_curve_points():
    assert teads_power_w(100.0, 0.0) == pytest.approx(12.0)
    assert teads_power_w(100.0, 0.5) == pytest.approx(75.0)
    assert teads_power_w(100.0, 0.3) == pytest.approx(53.5)
    with pytest.raises(InvalidParameter):
        teads_power_w(100.0, 1.5)


def test_fake_meter_replays_a_csv_trace(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_text("timestamp_s,energy_j\n0,0\n1,5\n2,12\n")
    meter = FakeMeter.from_csv(path)
    assert [meter.read().energy_j for _ in range(4)] == [0, 5, 12, 12]
    path.write_text("timestamp_s,energy_j\n0,zero\n")
    with pytest.raises(ImportFileError, match="line 2"):
        FakeMeter.from_csv(path)
    with pytest.raises(InvalidParameter, match="non-decreasing"):
        FakeMeter([(0, 5), (1, 4)])


@pytest.mark.parametrize("kind", ["fake", "modelled", "rapl", "summed"])
def test_meter_contract(kind, tmp_path):
    if kind == "fake":
        meter: Meter = FakeMeter([(0, 0), (1, 3), (2, 9)])
    elif kind == "modelled":
        meter = ModelledCpuMeter(EnergyConfig(memory_gb=1.0))
    elif kind == "rapl":
        make_powercap(tmp_path, 10)
        meter = RaplMeter(tmp_path)
    else:
        meter = SummedMeter([FakeMeter([(0, 0), (1, 3)]), ModelledCpuMeter()])
    assert isinstance(meter, Meter)
    assert meter.method in ("measured", "modelled")
    previous = 0.0
    for _ in range(3):
        r = meter.read()
        assert isinstance(r, MeterReading)
        assert r.energy_low_j <= r.energy_j <= r.energy_high_j
        assert r.energy_j >= previous
        previous = r.energy_j


def test_detect_meters_falls_back_to_modelled_with_a_logged_reason(tmp_path, caplog):
    cfg = EnergyConfig(powercap_root=tmp_path, use_nvml=False)
    with caplog.at_level("INFO"):
        meters = detect_meters(cfg)
    assert [m.method for m in meters] == ["modelled"]
    assert "No RAPL counter" in caplog.text and "modelled" in caplog.text


def test_detect_meters_prefers_counters(tmp_path):
    make_powercap(tmp_path, 10)
    meters = detect_meters(EnergyConfig(powercap_root=tmp_path, use_nvml=False))
    assert [m.name for m in meters] == ["rapl"]


def test_config_validation():
    with pytest.raises(InvalidParameter, match="cloud"):
        EnergyConfig(cloud="ibm")
    with pytest.raises(InvalidParameter, match="pue"):
        EnergyConfig(pue=0.9)
    with pytest.raises(InvalidParameter, match="vcpu_min_w <= vcpu_max_w"):
        EnergyConfig(vcpu_min_w=5.0, vcpu_max_w=1.0)


def test_config_from_env():
    cfg = EnergyConfig.from_env({"GREENCART_ENERGY_CLOUD": "gcp", "GREENCART_ENERGY_VCPUS": "8",
                                 "GREENCART_ENERGY_PREFER_MODELLED": "true"})
    assert cfg.cloud == "gcp" and cfg.vcpus == 8 and cfg.prefer_modelled
    assert cfg.vcpu_watts == (0.71, 4.26) and cfg.pue_value == 1.1
    with pytest.raises(InvalidParameter, match="GREENCART_ENERGY_VCPUS"):
        EnergyConfig.from_env({"GREENCART_ENERGY_VCPUS": "many"})
