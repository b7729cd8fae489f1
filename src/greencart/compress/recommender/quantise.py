"""Quantise a recommender artifact: float16, int8 (symmetric, per row / per column), PQ.

- ``factors`` (ALS, BPR, students): ``float16`` both matrices; ``int8`` both
  matrices, one float32 scale per row (max error per entry <= scale / 2);
  ``pq`` codes the item factors by product quantisation (``pq_subspaces``
  k-means codebooks of ``2**pq_bits`` codewords) and keeps the user factors
  as float16 (``user_scheme``: the query side of asymmetric scoring; int8 for size).
- ``item-item`` (EASE): ``float16``; ``int8`` with one scale per column of B.
  Its pruning counterpart (top-k per column) is :func:`prune_factors`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from greencart.compress.artifact import Artifact
from greencart.compress.recommender.codecs import DenseRows, PQRows, Rows, encode_rows
from greencart.compress.recommender.itemitem import DenseItemItem, Int8Columns, decode_item_item
from greencart.compress.recommender.store import (
    FACTORS,
    Variant,
    read_variant,
    source_settings,
    write_variant,
)
from greencart.errors import InvalidParameter

SCHEMES = ("float16", "int8", "pq")
USER_SCHEMES = ("float32", "float16", "int8")


def _decoded(rows: Rows) -> np.ndarray:
    if isinstance(rows, DenseRows):
        return rows.values.astype(np.float32)
    return rows.rows(np.arange(rows.shape[0]))


def _check(scheme: str, pq_subspaces: int, pq_bits: int) -> None:
    if scheme not in SCHEMES:
        raise InvalidParameter(f"Expected scheme in {SCHEMES}, got {scheme!r}")
    for label, value, high in (("pq_subspaces", pq_subspaces, 1024), ("pq_bits", pq_bits, 16)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            raise InvalidParameter(f"Expected {label} to be an integer in [1, {high}], got {value!r}")


def quantise_variant(v: Variant, scheme: str, *, pq_subspaces: int = 8, pq_bits: int = 8, seed: int = 0,
                     user_scheme: str = "float16") -> tuple[Variant, dict[str, object]]:
    """The quantised variant and the settings that describe it."""
    _check(scheme, pq_subspaces, pq_bits)
    if user_scheme not in USER_SCHEMES:
        raise InvalidParameter(f"Expected user_scheme in {USER_SCHEMES} (PQ's user side), got {user_scheme!r}")
    if v.format == FACTORS:
        assert v.users is not None and v.items is not None
        if any(not isinstance(r, DenseRows) for r in (v.users, v.items)):
            raise InvalidParameter(f"Expected a float source to quantise (an original or pruned artifact), got "
                                   f"encodings {v.users.encoding!r}/{v.items.encoding!r}: quantise the float one")
        U, Y = _decoded(v.users), _decoded(v.items)
        if scheme == "pq":
            items = encode_rows(Y, "pq", subspaces=pq_subspaces, bits=pq_bits, seed=seed)
            assert isinstance(items, PQRows)
            users = encode_rows(U, user_scheme)
            settings = {"encoding": "pq", "user_encoding": user_scheme, "pq_subspaces": pq_subspaces,
                        "pq_bits": pq_bits, "pq_codewords": int(items.codebooks.shape[1]), "seed": seed}
        else:
            users, items = encode_rows(U, scheme), encode_rows(Y, scheme)
            settings = {"encoding": scheme, "user_encoding": scheme}
        return v.with_(users=users, items=items), settings
    if scheme == "pq":
        raise InvalidParameter("Expected scheme float16 or int8 for an item-item (EASE) artifact, got 'pq' "
                               "(PQ codes factor rows; sparsify B with prune_factors(keep_per_column=...))")
    if not isinstance(v.B, DenseItemItem):
        raise InvalidParameter(f"Expected a dense float item-item source to quantise, got {v.B.encoding!r}")
    B = decode_item_item(v.B)
    if scheme == "float16":
        return v.with_(B=DenseItemItem(B.astype("float16"))), {"encoding": "float16"}
    return v.with_(B=Int8Columns.encode(B)), {"encoding": "int8", "scale": "per-column"}


def quantise_factors(src: Artifact, out_dir: Path, *, scheme: str, pq_subspaces: int = 8, pq_bits: int = 8,
                     name: str | None = None, seed: int = 0, user_scheme: str = "float16") -> Artifact:
    """Quantise artifact ``src`` with ``scheme`` ("float16", "int8" or "pq") into ``out_dir``;
    ``user_scheme`` is how PQ stores the user side (float32, float16 or int8)."""
    v = read_variant(src)
    out, settings = quantise_variant(v, scheme, pq_subspaces=pq_subspaces, pq_bits=pq_bits, seed=seed,
                                     user_scheme=user_scheme)
    out.settings = {**source_settings(v.settings), **_inherited(v), **settings}
    label = f"pq{pq_subspaces}x{pq_bits}" + ("" if user_scheme == "float16" else f"-users-{user_scheme}") \
        if scheme == "pq" else scheme
    return write_variant(out, out_dir, name=name or f"{src.name}-{label}", method=scheme, source=src.name)


def _inherited(v: Variant) -> dict[str, object]:
    """Keep what an earlier pruning step recorded (items and dims kept)."""
    keys = ("items_kept", "items_total", "interaction_mass_kept", "dims_kept", "keep_per_column", "dim_method")
    return {k: v.settings[k] for k in keys if k in v.settings}
