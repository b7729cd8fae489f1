"""Prune a recommender artifact: latent dimensions, items, and item-item weights.

- ``keep_dims`` (factors): ``dim_method="svd"`` (default) first re-rotates the
  factors so the dimensions are the singular directions of the score matrix
  U Y^T (thin QR of both, SVD of R_u R_y^T, singular values split evenly), then
  keeps the top ones: the best rank-k approximation of the scores (Eckart-Young).
  ``dim_method="norm"`` keeps the k original dimensions with the largest
  energy ||U[:, j]|| x ||Y[:, j]||, no rotation.
- ``keep_items_fraction``: keeps the items with the most training interaction
  mass; the rest are dropped and can never be recommended (coverage loss is
  recorded: ``items_kept``, ``items_total``, ``interaction_mass_kept``).
- ``keep_per_column`` (item-item, EASE): magnitude sparsification of B, the k
  largest |B_ij| kept per column, stored sparse.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact
from greencart.compress.recommender.codecs import DenseRows
from greencart.compress.recommender.itemitem import DenseItemItem, TopKColumns, decode_item_item
from greencart.compress.recommender.store import (
    FACTORS,
    Variant,
    read_variant,
    source_settings,
    write_variant,
)
from greencart.errors import InvalidParameter

DIM_METHODS = ("svd", "norm")
LEAST_SQUARES = {"kind": "least-squares", "alpha": 1.0, "reg": 0.1}


def svd_rotate(U: np.ndarray, Y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rank-k factors (U', Y') with U' Y'^T the best rank-k approximation of U Y^T."""
    Qu, Ru = np.linalg.qr(U.astype(np.float64))
    Qy, Ry = np.linalg.qr(Y.astype(np.float64))
    A, s, Bt = np.linalg.svd(Ru @ Ry.T)
    k_eff = min(k, s.size)  # fewer singular directions than asked only when rows < dims: pad with zeros
    root = np.sqrt(s[:k_eff])
    U2 = np.zeros((U.shape[0], k), dtype=np.float32)
    Y2 = np.zeros((Y.shape[0], k), dtype=np.float32)
    U2[:, :k_eff] = (Qu @ A[:, :k_eff]) * root
    Y2[:, :k_eff] = (Qy @ Bt.T[:, :k_eff]) * root
    return U2, Y2


def norm_keep(U: np.ndarray, Y: np.ndarray, k: int) -> np.ndarray:
    """Indices (ascending) of the k dimensions with the largest ||U_j|| x ||Y_j||."""
    energy = np.linalg.norm(U, axis=0) * np.linalg.norm(Y, axis=0)
    return np.sort(np.argsort(-energy, kind="stable")[:k])


def _check_args(v: Variant, keep_dims: Any, keep_items_fraction: Any, keep_per_column: Any, dim_method: str) -> None:
    if keep_dims is None and keep_items_fraction is None and keep_per_column is None:
        raise InvalidParameter("Expected at least one of keep_dims, keep_items_fraction or keep_per_column")
    if dim_method not in DIM_METHODS:
        raise InvalidParameter(f"Expected dim_method in {DIM_METHODS}, got {dim_method!r}")
    if keep_items_fraction is not None and not (0.0 < float(keep_items_fraction) <= 1.0):
        raise InvalidParameter(f"Expected keep_items_fraction in (0, 1], got {keep_items_fraction!r}")
    if v.format == FACTORS:
        assert v.users is not None and v.items is not None
        if not isinstance(v.items, DenseRows) or not isinstance(v.users, DenseRows):
            raise InvalidParameter("Expected a float factors artifact to prune (prune first, then quantise)")
        d = v.items.shape[1]
        if keep_dims is not None and (isinstance(keep_dims, bool) or not isinstance(keep_dims, int)
                                      or not 1 <= keep_dims <= d):
            raise InvalidParameter(f"Expected keep_dims to be an integer in [1, {d}], got {keep_dims!r}")
        if keep_per_column is not None:
            raise InvalidParameter("Expected keep_per_column only for an item-item (EASE) artifact; "
                                   "a factors artifact prunes keep_dims or keep_items_fraction")
    else:
        if keep_dims is not None:
            raise InvalidParameter("Expected keep_dims only for a factors artifact; an item-item (EASE) artifact "
                                   "prunes keep_per_column or keep_items_fraction")
        if not isinstance(v.B, DenseItemItem):
            raise InvalidParameter("Expected a dense item-item artifact to prune (prune first, then quantise)")


def _prune_items(v: Variant, fraction: float) -> tuple[Variant, dict[str, Any]]:
    kept_now = v.kept_items
    n_keep = max(1, math.ceil(fraction * kept_now.size))
    mass = v.item_mass[kept_now]
    local = np.sort(np.argsort(-mass, kind="stable")[:n_keep])
    total_mass = float(v.item_mass.sum())
    info = {"items_kept": int(n_keep), "items_total": len(v.item_ids), "keep_items_fraction": fraction,
            "interaction_mass_kept": float(mass[local].sum() / total_mass) if total_mass > 0 else 1.0,
            "coverage_loss": 1.0 - n_keep / len(v.item_ids)}
    if v.format == FACTORS:
        assert isinstance(v.items, DenseRows)
        out = v.with_(items=DenseRows(v.items.values[local]), item_index=kept_now[local])
    else:
        assert v.B is not None
        B = decode_item_item(v.B)
        out = v.with_(B=DenseItemItem(np.ascontiguousarray(B[np.ix_(local, local)])), item_index=kept_now[local])
    return out, info


def _prune_dims(v: Variant, k: int, dim_method: str) -> tuple[Variant, dict[str, Any]]:
    assert isinstance(v.users, DenseRows) and isinstance(v.items, DenseRows)
    U, Y = v.users.values.astype(np.float32), v.items.values.astype(np.float32)
    if dim_method == "svd":
        U2, Y2 = svd_rotate(U, Y, k)
    else:
        keep = norm_keep(U, Y, k)
        U2, Y2 = U[:, keep], Y[:, keep]
    settings = dict(v.settings)
    if settings.get("fold", {}).get("kind") == "centroid-bias":  # BPR's bias slot is gone after rotation
        settings["fold"] = dict(LEAST_SQUARES)
    settings["dim"] = k
    out = v.with_(users=DenseRows(U2), items=DenseRows(Y2), settings=settings)
    return out, {"dims_kept": k, "dims_total": int(U.shape[1]), "dim_method": dim_method}


def prune_factors(src: Artifact, out_dir: Path, *, keep_dims: int | None = None,
                  keep_items_fraction: float | None = None, keep_per_column: int | None = None,
                  dim_method: str = "svd", name: str | None = None) -> Artifact:
    """Prune dims and/or items of a factors artifact, or items and/or B's weights of an item-item one."""
    v = read_variant(src)
    _check_args(v, keep_dims, keep_items_fraction, keep_per_column, dim_method)
    settings: dict[str, Any] = {}
    parts = []
    if keep_items_fraction is not None:
        v, info = _prune_items(v, float(keep_items_fraction))
        settings.update(info)
        parts.append(f"items{keep_items_fraction:g}")
    if keep_dims is not None:
        v, info = _prune_dims(v, keep_dims, dim_method)
        settings.update(info)
        parts.append(f"dims{keep_dims}{'' if dim_method == 'svd' else '-' + dim_method}")
    if keep_per_column is not None:
        assert v.B is not None
        n = len(v.kept_items)
        if isinstance(keep_per_column, bool) or not isinstance(keep_per_column, int) or not 1 <= keep_per_column <= n:
            raise InvalidParameter(f"Expected keep_per_column to be an integer in [1, {n}], got {keep_per_column!r}")
        v = v.with_(B=TopKColumns.encode(decode_item_item(v.B), keep_per_column))
        settings.update(keep_per_column=keep_per_column)
        parts.append(f"top{keep_per_column}")
    v.settings = {**source_settings(v.settings), **settings, "encoding": "topk" if keep_per_column else "float32"}
    return write_variant(v, out_dir, name=name or f"{src.name}-prune-{'-'.join(parts)}", method="prune-factors",
                         source=src.name)
