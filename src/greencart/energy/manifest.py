"""Export an SCI as a Green Software Foundation Impact Framework manifest (YAML).

The manifest carries every input (energy in kWh, grid intensity, the embodied
parameters and the precomputed embodied carbon, the functional-unit count) and
a pipeline of IF builtins (Multiply -> Sum -> Sci) so ``if-run`` can recompute
it; :func:`recompute_sci` does the same arithmetic here, from the YAML alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from greencart.energy.sci import EmbodiedConfig, SciResult, sci
from greencart.errors import ImportFileError


def manifest_dict(result: SciResult, embodied: EmbodiedConfig, *, start_iso: str, duration_s: float,
                  component: str = "greencart") -> dict[str, Any]:
    fu = result.functional_unit
    return {
        "name": f"{component}-sci",
        "description": "SCI (ISO/IEC 21031) of greencart work units, exported by greencart.energy",
        "tags": {"method": result.method, "functional-unit": fu},
        "initialize": {
            "plugins": {
                "operational-carbon": {
                    "method": "Multiply", "path": "builtin",
                    "config": {"input-parameters": ["energy", "grid/carbon-intensity"],
                               "output-parameter": "carbon-operational"},
                },
                "sum-carbon": {
                    "method": "Sum", "path": "builtin",
                    "config": {"input-parameters": ["carbon-operational", "carbon-embodied"],
                               "output-parameter": "carbon"},
                },
                "sci": {"method": "Sci", "path": "builtin", "config": {"functional-unit": fu}},
            }
        },
        "tree": {
            "children": {
                component: {
                    "pipeline": {"compute": ["operational-carbon", "sum-carbon", "sci"]},
                    "defaults": {
                        "device/emissions-embodied": embodied.total_kg_co2e * 1000.0,
                        "device/expected-lifespan": embodied.expected_life_years * 365 * 24 * 3600,
                        "resources-reserved": embodied.resources_reserved,
                        "resources-total": embodied.resources_total,
                        "embodied-source": embodied.source,
                    },
                    "inputs": [{
                        "timestamp": start_iso,
                        "duration": duration_s,
                        "energy": result.energy_kwh,
                        "grid/carbon-intensity": result.intensity_g_per_kwh,
                        "carbon-embodied": result.embodied_g,
                        fu: result.functional_units,
                    }],
                }
            }
        },
    }


def write_manifest(path: Path, result: SciResult, embodied: EmbodiedConfig, **kwargs: Any) -> Path:
    import yaml

    from greencart.energy.ledger import _atomic_write

    data = manifest_dict(result, embodied, **kwargs)
    _atomic_write(Path(path), lambda fh: yaml.safe_dump(data, fh, sort_keys=False, allow_unicode=True))
    return Path(path)


def recompute_sci(path: Path) -> SciResult:
    """Recompute the SCI of every input row of the manifest's components (summed)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text())
        fu = data["initialize"]["plugins"]["sci"]["config"]["functional-unit"]
        rows = [r for c in data["tree"]["children"].values() for r in c["inputs"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ImportFileError(str(path), f"not a greencart SCI manifest ({exc})",
                              expected="an Impact Framework manifest written by greencart") from None
    energy = sum(float(r["energy"]) for r in rows)
    op_g = sum(float(r["energy"]) * float(r["grid/carbon-intensity"]) for r in rows)
    intensity = op_g / energy if energy > 0 else float(rows[0]["grid/carbon-intensity"])
    return sci(energy, intensity, sum(float(r["carbon-embodied"]) for r in rows),
               sum(float(r[fu]) for r in rows), fu, data.get("tags", {}).get("method", "modelled"))
