"""Saving and loading models without pickle: ``model.json`` + ``arrays.npz``.

The folder is written beside the target and renamed into place, so a crash
never leaves half a model; arrays load with ``allow_pickle=False``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.errors import ModelUnavailable

FORMAT = "greencart-recommender/1"


def csr_to_arrays(prefix: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    m = m.tocsr()
    return {
        f"{prefix}__data": m.data,
        f"{prefix}__indices": m.indices,
        f"{prefix}__indptr": m.indptr,
        f"{prefix}__shape": np.array(m.shape, dtype=np.int64),
    }


def csr_from_arrays(prefix: str, arrays: dict[str, np.ndarray]) -> sp.csr_matrix:
    shape = tuple(int(x) for x in arrays[f"{prefix}__shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}__data"], arrays[f"{prefix}__indices"], arrays[f"{prefix}__indptr"]), shape=shape
    )


def write_model(directory: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write ``meta`` and ``arrays`` to ``directory`` atomically (replacing an older model)."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        meta = {"format": FORMAT, "saved_at": datetime.now(UTC).isoformat(), **meta}
        (tmp / "model.json").write_text(json.dumps(meta, indent=2, sort_keys=True))
        with open(tmp / "arrays.npz", "wb") as fh:
            np.savez(fh, **arrays)
        old = None
        if directory.exists():
            old = directory.with_name(f".{directory.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            directory.rename(old)
        tmp.rename(directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_model(directory: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    directory = Path(directory)
    meta_path, arrays_path = directory / "model.json", directory / "arrays.npz"
    if not meta_path.exists() or not arrays_path.exists():
        raise ModelUnavailable(
            f"No trained recommender in {directory} (expected model.json and arrays.npz): "
            "run `greencart train` first"
        )
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != FORMAT:
        raise ModelUnavailable(f"{meta_path}: expected format {FORMAT!r}, got {meta.get('format')!r}; retrain")
    with np.load(arrays_path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return meta, arrays
