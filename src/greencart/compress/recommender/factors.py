"""Export a fitted recommender to an artifact: the "original" every variant starts from.

ALS and BPR (user and item factor matrices) become format ``factors``; EASE
(the item x item matrix B) becomes ``item-item``. Both keep the id maps and the
per-item interaction mass of the training data (item pruning ranks by it), and
the settings the runtime needs to fold in a new shopper the way the source
model does (ALS least squares with its alpha and regularisation; BPR's scaled
centroid of the history items plus the bias slot).
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact
from greencart.compress.recommender.codecs import DenseRows
from greencart.compress.recommender.itemitem import DenseItemItem
from greencart.compress.recommender.store import FACTORS, ITEM_ITEM, Variant, write_variant
from greencart.errors import InvalidParameter, ModelUnavailable

ORIGINAL = "original"


def item_mass(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel().astype(np.float32)


def fold_settings(model: Any) -> dict[str, Any]:
    """How the runtime folds in a history row for this kind of factor model."""
    if getattr(model, "name", "") == "bpr":
        typical = float(np.linalg.norm(model.user_factors[:, :-1], axis=1).mean())
        return {"kind": "centroid-bias", "typical_user_norm": typical}
    return {"kind": "least-squares", "alpha": float(getattr(model, "fold_alpha", 1.0)),
            "reg": float(getattr(model, "fold_reg", 0.1))}


def variant_of(model: Any) -> Variant:
    """The in-memory float32 variant of a fitted ALS, BPR or EASE model."""
    data = getattr(model, "data", None)
    if data is None:
        raise ModelUnavailable(f"Expected a fitted recommender to export, got an unfitted {type(model).__name__}: "
                               "call fit() first")
    common: dict[str, Any] = {"user_ids": data.user_ids, "item_ids": data.item_ids, "item_mass": item_mass(data.matrix)}
    if hasattr(model, "user_factors") and hasattr(model, "item_factors"):
        U = np.asarray(model.user_factors, dtype=np.float32)
        Y = np.asarray(model.item_factors, dtype=np.float32)
        if U.shape[0] != data.n_users or Y.shape[0] != data.n_items or U.shape[1] != Y.shape[1]:
            raise InvalidParameter(f"Expected factors of shape ({data.n_users}, d) and ({data.n_items}, d), "
                                   f"got {U.shape} and {Y.shape}")
        settings = {"source_model": model.name, "fold": fold_settings(model), "dim": int(U.shape[1])}
        return Variant(FACTORS, users=DenseRows(U), items=DenseRows(Y), settings=settings, **common)
    if hasattr(model, "B"):
        B = np.asarray(model.B, dtype=np.float32)
        if B.shape != (data.n_items, data.n_items):
            raise InvalidParameter(f"Expected B of shape ({data.n_items}, {data.n_items}), got {B.shape}")
        binary = bool(getattr(getattr(model, "params", None), "binary", True))
        settings = {"source_model": model.name, "binary": binary}
        return Variant(ITEM_ITEM, B=DenseItemItem(B), settings=settings, **common)
    raise InvalidParameter(f"Expected a factor model (ALS, BPR: user_factors and item_factors) or an item-item "
                           f"model (EASE: B), got {type(model).__name__}")


def export_factors(model: Any, out_dir: Path, *, name: str) -> Artifact:
    """Write a fitted ALS/BPR/EASE model as the ``original`` artifact at ``out_dir``."""
    variant = variant_of(model)
    p = getattr(model, "params", None)
    params = asdict(p) if is_dataclass(p) and not isinstance(p, type) else {}
    return write_variant(variant, out_dir, name=name, method=ORIGINAL, source=str(variant.settings["source_model"]),
                         settings={"encoding": "float32", "model_params": params})
