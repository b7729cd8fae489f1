"""Serve an ``onnx-sentence-embedder`` artifact: onnxruntime + tokenizers + numpy only.

Mean pooling over the attention mask and L2 normalisation, as in
:class:`greencart.catalog.embed.OnnxMiniLMEmbedder`, which this reuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from greencart.catalog.embed import OnnxMiniLMEmbedder
from greencart.compress.artifact import Artifact
from greencart.compress.embedder.export import FORMAT, MODEL_FILE, TOKENIZER_FILE
from greencart.errors import InvalidParameter, NotFound


def _as_artifact(artifact: Artifact | Path | str) -> Artifact:
    art = artifact if isinstance(artifact, Artifact) else Artifact.load(Path(artifact))
    if art.format != FORMAT:
        raise InvalidParameter(
            f"Variant {art.name!r} has format {art.format!r}; "
            f"expected {FORMAT!r} to load it as an ONNX embedder"
        )
    for needed in (MODEL_FILE, TOKENIZER_FILE):
        if not (art.path / needed).is_file():
            raise NotFound(
                f"Variant {art.name!r} at {art.path} has no {needed}: "
                f"expected {MODEL_FILE} and {TOKENIZER_FILE} in the variant directory"
            )
    return art


class OnnxEmbedder(OnnxMiniLMEmbedder):
    """An :class:`~greencart.catalog.embed.Embedder` over one ONNX artifact.

    ``name`` is the artifact's name and ``dim`` the model's hidden size (read from the
    graph's output, so pruned or distilled widths work). ``threads`` sets onnxruntime's
    intra-op threads; texts are run ``batch_size`` at a time to bound padding and memory.
    """

    def __init__(
        self, artifact: Artifact | Path | str, *, threads: int | None = None, batch_size: int = 64
    ) -> None:
        if threads is not None and threads < 1:
            raise InvalidParameter(
                f"Expected threads >= 1 (or None for the default), got {threads}"
            )
        if batch_size < 1:
            raise InvalidParameter(f"Expected batch_size >= 1, got {batch_size}")
        art = _as_artifact(artifact)
        super().__init__(
            art.path / MODEL_FILE, art.path / TOKENIZER_FILE, art.name, threads=threads
        )
        self.artifact = art
        self.batch_size = batch_size
        self.dim = self._output_dim()

    def _output_dim(self) -> int:
        width = self._session.get_outputs()[0].shape[-1]
        if isinstance(width, int):
            return width
        return int(super().embed(["dim probe"]).shape[1])  # symbolic width: ask the model

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        texts = list(texts)
        if len(texts) <= self.batch_size:
            return super().embed(texts, is_query=is_query)
        parts = [
            super(OnnxEmbedder, self).embed(texts[i : i + self.batch_size], is_query=is_query)
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(parts, axis=0)


def load_onnx_embedder(
    artifact: Artifact | Path | str, *, threads: int | None = None, batch_size: int = 64
) -> OnnxEmbedder:
    """The embedder serving ``artifact`` (an :class:`Artifact` or its directory)."""
    return OnnxEmbedder(artifact, threads=threads, batch_size=batch_size)
