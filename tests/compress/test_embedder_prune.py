"""Magnitude, head and layer pruning of a tiny BERT, each re-exported as an ONNX artifact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

from tests.compress.test_embedder_export import TEXTS, build_tiny_model

from greencart.compress.artifact import Artifact
from greencart.compress.embedder import (
    load_onnx_embedder,
    parity,
    prune_heads,
    prune_layers,
    prune_magnitude,
    torch_reference,
)
from greencart.errors import InvalidParameter, NotFound

LAYERS, HEADS, HIDDEN = 3, 4, 32
HEAD = HIDDEN // HEADS


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    torch.set_num_threads(1)
    return build_tiny_model(
        tmp_path_factory.mktemp("tiny"), layers=LAYERS, heads=HEADS, hidden=HIDDEN
    )


def _runs(art: Artifact, dim: int = HIDDEN) -> None:
    rows = load_onnx_embedder(art, threads=1).embed(TEXTS[:4])
    assert rows.shape == (4, dim) and np.isfinite(rows).all()


def _matmul_weights(art: Artifact) -> list[np.ndarray]:
    graph = onnx.load(str(art.path / "model.onnx")).graph
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    return [inits[n.input[1]] for n in graph.node if n.op_type == "MatMul" and n.input[1] in inits]


@pytest.mark.parametrize("sparsity", [0.3, 0.7])
def test_magnitude_reaches_the_requested_sparsity(
    tiny: Path, tmp_path: Path, sparsity: float
) -> None:
    art = prune_magnitude(tmp_path / "mag", sparsity=sparsity, source_dir=tiny, name="tiny-mag")
    assert art.method == "prune-magnitude" and art.source == str(tiny)
    assert abs(art.settings["linear_sparsity"] - sparsity) <= 0.01
    weights = _matmul_weights(art)
    assert len(weights) == 6 * LAYERS
    onnx_sparsity = sum(int((w == 0).sum()) for w in weights) / sum(w.size for w in weights)
    assert abs(onnx_sparsity - sparsity) <= 0.01  # the zeros survive the export
    linear = sum(w.size for w in weights)
    assert art.params - art.params_nonzero >= int(linear * (sparsity - 0.01))
    assert art.settings["gzip_bytes"] < art.size_bytes()
    assert Artifact.load(art.path).settings["gzip_bytes"] == art.settings["gzip_bytes"]
    _runs(art)


def test_magnitude_gzip_shrinks_with_sparsity(tiny: Path, tmp_path: Path) -> None:
    low = prune_magnitude(tmp_path / "low", sparsity=0.1, source_dir=tiny)
    high = prune_magnitude(tmp_path / "high", sparsity=0.9, source_dir=tiny)
    assert high.settings["gzip_bytes"] < low.settings["gzip_bytes"]
    assert low.name == "minilm-prune-mag10" and high.size_bytes() == pytest.approx(
        low.size_bytes(), rel=0.01
    )


@pytest.mark.parametrize("bad", [1.5, -0.1, 1.0, True, "0.5"])
def test_magnitude_rejects_bad_sparsity(tiny: Path, tmp_path: Path, bad: object) -> None:
    with pytest.raises(InvalidParameter, match="sparsity in \\[0, 1\\)"):
        prune_magnitude(tmp_path / "x", sparsity=bad, source_dir=tiny)  # type: ignore[arg-type]
    assert not (tmp_path / "x").exists()


def test_head_pruning_removes_heads_and_keeps_the_width(tiny: Path, tmp_path: Path) -> None:
    full = prune_heads(tmp_path / "h0", fraction=0.0, importance_texts=TEXTS, source_dir=tiny)
    art = prune_heads(tmp_path / "h50", fraction=0.5, importance_texts=TEXTS, source_dir=tiny)
    removed = LAYERS * HEADS // 2
    assert art.settings["heads_removed"] == removed and full.settings["heads_removed"] == 0
    per_head = 3 * (HIDDEN * HEAD + HEAD) + HEAD * HIDDEN  # Q/K/V rows and biases, output columns
    assert full.params - art.params == removed * per_head
    assert all(
        len(v) < HEADS for v in art.settings["removed"].values()
    )  # a head stays in every layer
    assert np.array(art.settings["importance"]).shape == (LAYERS, HEADS)
    _runs(art)


def test_the_head_that_does_nothing_goes_first(tmp_path: Path) -> None:
    import torch
    from transformers import AutoModel

    src = build_tiny_model(tmp_path / "src", layers=LAYERS, heads=HEADS, hidden=HIDDEN, seed=3)
    model = AutoModel.from_pretrained(src)
    with torch.no_grad():  # layer 1, head 2 writes nothing: masking it changes nothing
        model.encoder.layer[1].attention.output.dense.weight[:, 2 * HEAD : 3 * HEAD] = 0
    model.save_pretrained(src)
    art = prune_heads(
        tmp_path / "h", fraction=1 / (LAYERS * HEADS), importance_texts=TEXTS, source_dir=src
    )
    assert art.settings["removed"] == {"1": [2]}
    assert art.settings["importance"][1][2] == pytest.approx(0.0, abs=1e-6)
    result = parity(torch_reference(src), load_onnx_embedder(art, threads=1), TEXTS, k=5)
    assert result.max_abs_diff < 1e-4  # removing a silent head is lossless


def test_head_pruning_rejects_bad_arguments(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter, match="fraction in \\[0, 1\\)"):
        prune_heads(tmp_path / "x", fraction=1.0, importance_texts=TEXTS, source_dir=tiny)
    with pytest.raises(InvalidParameter, match="importance text"):
        prune_heads(tmp_path / "x", fraction=0.5, importance_texts=[], source_dir=tiny)
    with pytest.raises(NotFound):
        prune_heads(
            tmp_path / "x", fraction=0.5, importance_texts=TEXTS, source_dir=tmp_path / "missing"
        )


def test_layer_pruning_keeps_the_chosen_layers(tiny: Path, tmp_path: Path) -> None:
    two = prune_layers(tmp_path / "two", keep=2, source_dir=tiny)
    assert two.settings["kept_layers"] == [0, 2] and two.name == "minilm-prune-layers2"
    one = prune_layers(tmp_path / "one", keep=[1], source_dir=tiny, name="tiny-l1")
    graph_layers = sum(
        n.op_type == "Softmax" for n in onnx.load(str(two.path / "model.onnx")).graph.node
    )
    assert graph_layers == 2
    per_layer = two.params - one.params
    assert per_layer > 0
    assert prune_layers(tmp_path / "all", keep=3, source_dir=tiny).params == two.params + per_layer
    _runs(two)
    _runs(one)


@pytest.mark.parametrize("bad", [[7], 0, 4, [], [0, 0], True, [1.5]])
def test_layer_pruning_rejects_bad_keep(tiny: Path, tmp_path: Path, bad: object) -> None:
    with pytest.raises(InvalidParameter, match="3-layer model|layer count|layer indices"):
        prune_layers(tmp_path / "x", keep=bad, source_dir=tiny)  # type: ignore[arg-type]
