"""Texts fed to calibration and importance passes: choosing them, and a reader for onnxruntime."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from greencart.catalog.embed import MAX_TOKENS


def spread(items: list[str], most: int) -> list[str]:
    """At most ``most`` of ``items``, evenly spaced and in order (all of them if fewer)."""
    if len(items) <= most:
        return items
    return [items[int(i)] for i in np.linspace(0, len(items) - 1, most)]


class TextReader:
    """A CalibrationDataReader feeding one tokenised text at a time (no padding to skew ranges)."""

    def __init__(self, tokenizer_path: Path, texts: Sequence[str], input_names: set[str]) -> None:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(tokenizer_path))
        tok.enable_truncation(MAX_TOKENS)
        self._names = input_names
        self._encodings = tok.encode_batch(list(texts))
        self._range = (0, len(self._encodings))
        self._iter: Iterator[dict[str, np.ndarray]] = iter(self._feeds())

    def __len__(self) -> int:
        return len(self._encodings)

    def set_range(self, start_index: int, end_index: int) -> None:
        """Feed only texts [start, end): onnxruntime's strided calibration (bounded memory)."""
        self._range = (start_index, end_index)
        self._iter = iter(self._feeds())

    def _feeds(self) -> Iterator[dict[str, np.ndarray]]:
        for enc in self._encodings[self._range[0] : self._range[1]]:
            ids = np.array([enc.ids], dtype=np.int64)
            feed = {
                "input_ids": ids,
                "attention_mask": np.ones_like(ids),
                "token_type_ids": np.zeros_like(ids),
            }
            yield {k: v for k, v in feed.items() if k in self._names}

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._iter, None)

    def rewind(self) -> None:
        self.set_range(0, len(self._encodings))
