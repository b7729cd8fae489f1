"""A recommender variant in memory (:class:`Variant`) and on disk (an Artifact directory).

Files: ``arrays.npz`` (the codec arrays, ``item_mass`` and, after item pruning,
``item_index``: the catalogue positions of the kept items) and ``ids.json``
(user and item ids in row order). Written to a temporary folder beside the
target, manifest included, then renamed into place; loaded with
``allow_pickle=False``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact, check_name
from greencart.compress.recommender.codecs import Rows, rows_from_arrays
from greencart.compress.recommender.itemitem import ItemItem, item_item_from_arrays
from greencart.errors import InvalidParameter

ARRAYS, IDS = "arrays.npz", "ids.json"
FACTORS, ITEM_ITEM = "factors", "item-item"


@dataclass
class Variant:
    """One model variant. Exactly one of (``users``, ``items``) or ``B`` is set."""

    format: str  # FACTORS or ITEM_ITEM
    user_ids: tuple[str, ...]
    item_ids: tuple[str, ...]  # the whole catalogue, pruned items included
    item_mass: np.ndarray  # float32 (n_items,): training interaction weight per item
    users: Rows | None = None
    items: Rows | None = None  # rows for the kept items only
    B: ItemItem | None = None
    item_index: np.ndarray | None = None  # int64 catalogue positions of the kept items; None = all
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.format == FACTORS and (self.users is None or self.items is None):
            raise InvalidParameter("Expected user and item factors for a 'factors' variant")
        if self.format == ITEM_ITEM and self.B is None:
            raise InvalidParameter("Expected an item-item matrix B for an 'item-item' variant")
        if self.format not in (FACTORS, ITEM_ITEM):
            raise InvalidParameter(f"Expected a recommender format in {(FACTORS, ITEM_ITEM)}, got {self.format!r}")

    @property
    def kept_items(self) -> np.ndarray:
        return np.arange(len(self.item_ids)) if self.item_index is None else self.item_index

    def with_(self, **changes: Any) -> Variant:
        return replace(self, **changes)

    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {"item_mass": self.item_mass.astype(np.float32)}
        if self.item_index is not None:
            out["item_index"] = self.item_index.astype(np.int32)
        if self.format == FACTORS:
            assert self.users is not None and self.items is not None
            out.update(self.users.arrays("user_factors"))
            out.update(self.items.arrays("item_factors"))
        else:
            assert self.B is not None
            out.update(self.B.arrays())
        return out

    def stored_numbers(self) -> tuple[int, int]:
        """(params, params_nonzero) of the model as stored (ids and item mass not counted)."""
        extra = 0 if self.item_index is None else int(self.item_index.size)
        if self.format == FACTORS:
            assert self.users is not None and self.items is not None
            n = self.users.stored_numbers() + self.items.stored_numbers() + extra
            return n, n
        assert self.B is not None
        total, nonzero = self.B.stored_numbers()
        return total + extra, nonzero + extra


def write_variant(variant: Variant, out_dir: Path, *, name: str, method: str, source: str,
                  settings: dict[str, Any] | None = None) -> Artifact:
    """Write ``variant`` as an artifact at ``out_dir`` (replacing one there) and return it."""
    check_name(name)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        with open(tmp / ARRAYS, "wb") as fh:
            np.savez(fh, **variant.arrays())
        (tmp / IDS).write_text(json.dumps({"user_ids": list(variant.user_ids), "item_ids": list(variant.item_ids)}))
        params, nonzero = variant.stored_numbers()
        all_settings = {**variant.settings, **(settings or {})}
        Artifact.create(tmp, name=name, kind="recommender", method=method, source=source, format=variant.format,
                        files=[ARRAYS, IDS], params=params, params_nonzero=nonzero, settings=all_settings)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Artifact.load(out_dir)


def read_variant(artifact: Artifact | Path) -> Variant:
    art = artifact if isinstance(artifact, Artifact) else Artifact.load(Path(artifact))
    if art.kind != "recommender" or art.format not in (FACTORS, ITEM_ITEM):
        raise InvalidParameter(f"Expected a recommender artifact in format 'factors' or 'item-item', "
                               f"got kind {art.kind!r}, format {art.format!r} at {art.path}")
    with np.load(art.path / ARRAYS, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    ids = json.loads((art.path / IDS).read_text())
    common: dict[str, Any] = {
        "user_ids": tuple(ids["user_ids"]), "item_ids": tuple(ids["item_ids"]), "item_mass": arrays["item_mass"],
        "item_index": arrays["item_index"].astype(np.int64) if "item_index" in arrays else None,
        "settings": dict(art.settings)}
    if art.format == FACTORS:
        return Variant(FACTORS, users=rows_from_arrays("user_factors", arrays),
                       items=rows_from_arrays("item_factors", arrays), **common)
    return Variant(ITEM_ITEM, B=item_item_from_arrays(arrays), **common)


def source_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings a derived variant inherits (how to fold in and score), not the method's own."""
    keep = ("source_model", "fold", "binary", "dim")
    return {k: settings[k] for k in keep if k in settings}
