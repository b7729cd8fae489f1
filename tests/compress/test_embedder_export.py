"""Export of a torch encoder to an ONNX artifact, and the runtime that serves it (tiny BERT)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from greencart.compress.artifact import Artifact
from greencart.compress.embedder import export_onnx, load_onnx_embedder, parity, torch_reference
from greencart.errors import InvalidParameter, NotFound

TEXTS = [
    "organic cotton t-shirt",
    "recycled glass water bottle",
    "bamboo toothbrush pack of four",
    "stainless steel lunch box",
    "wool socks for hiking",
    "solar powered phone charger",
    "refillable fountain pen with ink",
    "vegan leather wallet",
    "reusable beeswax food wraps",
    "LED desk lamp with dimmer",
    "cast iron skillet 10 inch",
    "linen bed sheets queen size",
    "a much longer description of a hand-made ceramic coffee mug glazed in blue, dishwasher safe",
]


def build_tiny_model(
    path: Path, *, layers: int = 3, heads: int = 4, hidden: int = 32, seed: int = 0
) -> Path:
    """A random BERT (vocab of the real MiniLM tokenizer) saved with that tokenizer."""
    import torch
    from transformers import BertConfig, BertModel

    from greencart.compress.embedder import default_source_dir

    torch.manual_seed(seed)
    cfg = BertConfig(
        vocab_size=30522,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=2 * hidden,
        max_position_embeddings=512,
    )
    BertModel(cfg, add_pooling_layer=False).eval().save_pretrained(path)
    shutil.copyfile(default_source_dir() / "tokenizer.json", path / "tokenizer.json")
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    torch.set_num_threads(1)
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def fp32(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Artifact:
    return export_onnx(tmp_path_factory.mktemp("art") / "fp32", source_dir=tiny, name="tiny-fp32")


def test_export_writes_a_self_contained_artifact(fp32: Artifact, tiny: Path) -> None:
    from transformers import AutoModel

    assert Artifact.load(fp32.path) == fp32
    assert fp32.format == "onnx-sentence-embedder" and fp32.method == "export-onnx"
    assert set(fp32.files) == {"model.onnx", "tokenizer.json"}
    assert json.loads((fp32.path / "manifest.json").read_text())["name"] == "tiny-fp32"
    weights = list(AutoModel.from_pretrained(tiny, add_pooling_layer=False).parameters())
    expected = sum(p.numel() for p in weights)
    assert fp32.params == expected
    assert (
        fp32.params_nonzero == sum(int((p != 0).sum()) for p in weights) < expected
    )  # zero-initialised biases
    assert fp32.size_bytes() > expected * 4 * 0.9  # fp32 weights are in the file
    assert not list(fp32.path.parent.glob(".fp32.*"))  # no staging dir left behind


def test_export_matches_torch(fp32: Artifact, tiny: Path) -> None:
    onnx_emb = load_onnx_embedder(
        fp32, threads=1, batch_size=4
    )  # several batches of different lengths
    assert onnx_emb.name == "tiny-fp32" and onnx_emb.dim == 32
    result = parity(torch_reference(tiny), onnx_emb, TEXTS, k=5)
    assert result.max_abs_diff < 1e-4
    assert result.mean_cosine > 0.99999 and result.topk_agreement == 1.0
    rows = onnx_emb.embed(TEXTS)
    assert rows.shape == (len(TEXTS), 32) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert onnx_emb.embed([]).shape == (0, 32)


def test_missing_source_is_named(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no-such-model"):
        export_onnx(tmp_path / "out", source_dir=tmp_path / "no-such-model")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "config.json").write_text("{}")
    with pytest.raises(NotFound, match="tokenizer.json"):
        export_onnx(tmp_path / "out", source_dir=tmp_path / "half")
    assert not (tmp_path / "out").exists()


def test_out_dir_that_is_not_a_variant_is_left_alone(tiny: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(InvalidParameter, match="not a model variant"):
        export_onnx(tmp_path, source_dir=tiny)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    with pytest.raises(InvalidParameter, match="variant name"):
        export_onnx(tmp_path / "x", source_dir=tiny, name="bad/name")


def test_export_replaces_a_previous_variant(fp32: Artifact, tiny: Path) -> None:
    again = export_onnx(fp32.path, source_dir=tiny, name="tiny-fp32")
    assert again.path == fp32.path and (again.path / "model.onnx").is_file()


def test_runtime_refuses_other_formats(fp32: Artifact, tmp_path: Path) -> None:
    other = Artifact.create(
        tmp_path,
        name="static",
        kind="embedder",
        method="distil-static",
        source="x",
        format="static-embedder",
        files=[],
        params=0,
        params_nonzero=0,
    )
    with pytest.raises(InvalidParameter, match="onnx-sentence-embedder"):
        load_onnx_embedder(other)
    with pytest.raises(InvalidParameter, match="threads"):
        load_onnx_embedder(fp32, threads=0)


def test_serving_path_imports_no_torch_or_onnx(fp32: Artifact) -> None:
    code = (
        "import sys; from greencart.compress.embedder import load_onnx_embedder; "
        f"e = load_onnx_embedder({str(fp32.path)!r}, threads=1); e.embed(['tea']); "
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'onnx', 'scipy'}); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
