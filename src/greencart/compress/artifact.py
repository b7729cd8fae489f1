"""A model variant on disk, the unit every compression method produces.

An artifact is a directory holding the model's files and a ``manifest.json``
describing them. Every method (quantise, prune, distil, adapt, export) takes a
source model and writes one artifact; the evaluators measure it; the registry
promotes one per kind to serve and can roll back.

    art = Artifact.create(out_dir, name="minilm-int8-dynamic", kind="embedder",
                          method="quantise-dynamic", source="minilm-fp32",
                          files=["model.onnx"], params=22_700_000, params_nonzero=22_700_000,
                          settings={"weight_type": "QInt8"})
    Artifact.load(out_dir).size_bytes()
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter, NotFound

KINDS = ("embedder", "recommender")
MANIFEST = "manifest.json"
# Runtime formats an artifact can be loaded as (see loaders in compress.embedders / compress.recommenders).
FORMATS = ("onnx-sentence-embedder", "static-embedder", "factors", "item-item", "torch-reference")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidParameter(f"Expected a variant name of letters, digits, '.', '_' or '-' "
                               f"(1-80 characters, no '/'), got {name!r}")
    return name


@dataclass(frozen=True)
class Artifact:
    name: str
    kind: str  # one of KINDS
    method: str  # e.g. original, export-onnx, quantise-dynamic, quantise-static, prune-magnitude,
    #              prune-heads, prune-layers, distil-static, lora, float16, int8, pq, prune-factors, distil-kd
    source: str  # the artifact or package it was made from
    format: str  # one of FORMATS: how to load it
    path: Path
    files: tuple[str, ...]  # the files (relative to path) that make up the model: size counts these
    params: int  # parameter count of the model as stored
    params_nonzero: int  # after pruning: the ones that are not zero
    settings: dict[str, Any] = field(default_factory=dict)  # method parameters, for the report
    created_at: str = ""

    def __post_init__(self) -> None:
        check_name(self.name)
        if self.kind not in KINDS:
            raise InvalidParameter(f"Expected kind in {KINDS}, got {self.kind!r}")
        if self.format not in FORMATS:
            raise InvalidParameter(f"Expected format in {FORMATS}, got {self.format!r}")
        if self.params < 0 or self.params_nonzero < 0 or self.params_nonzero > self.params:
            raise InvalidParameter(f"Expected 0 <= params_nonzero <= params, got {self.params_nonzero}, {self.params}")

    def size_bytes(self) -> int:
        """Bytes on disk of the model files (the manifest excluded)."""
        return sum((self.path / f).stat().st_size for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        d["files"] = list(self.files)
        return d

    @classmethod
    def create(cls, path: Path, **fields: Any) -> Artifact:
        """Write ``manifest.json`` into ``path`` (which already holds the files) and return it."""
        path = Path(path)
        fields.setdefault("created_at", datetime.now(UTC).isoformat(timespec="seconds"))
        art = cls(path=path, files=tuple(fields.pop("files")), **fields)
        missing = [f for f in art.files if not (path / f).is_file()]
        if missing:
            raise InvalidParameter(f"Artifact {art.name!r} names files that are not in {path}: {missing}")
        tmp = path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps({k: v for k, v in art.to_dict().items() if k != "path"}, indent=2,
                                  ensure_ascii=False, default=str))
        tmp.replace(path / MANIFEST)
        return art

    @classmethod
    def load(cls, path: Path) -> Artifact:
        path = Path(path)
        manifest = path / MANIFEST
        if not manifest.is_file():
            raise NotFound(f"No model variant at {path}: expected a directory with {MANIFEST}")
        try:
            d = json.loads(manifest.read_text())
            d["files"] = tuple(d["files"])
            return cls(path=path, **d)
        except (ValueError, TypeError, KeyError) as exc:
            raise InvalidParameter(f"{manifest} is not a valid variant manifest: {exc}") from None


@dataclass
class Evaluation:
    """What the report shows for one variant on one data set; quality keys are
    ``ndcg@10`` (search and recommender) and ``recall@20`` (recommender)."""

    variant: str
    kind: str
    method: str
    dataset: str  # "online-retail" or "demo"
    size_bytes: int
    params: int
    params_nonzero: int
    quality: dict[str, float]
    latency_p50_ms: float
    latency_p99_ms: float
    energy_j_per_1k: float
    energy_method: str  # e.g. "modelled" (how the J were obtained)
    baseline: str = ""  # the variant the deltas are against
    compression_ratio: float = 1.0  # baseline size / this size
    deltas: dict[str, float] = field(default_factory=dict)  # relative change vs baseline, per metric
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
