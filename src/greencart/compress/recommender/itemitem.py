"""Stored forms of an item x item weight matrix B (EASE) and scoring ``X @ B`` on them.

- ``float32``/``float16``: dense; float16 rows are gathered and upcast per user chunk;
- ``int8``: symmetric per-column int8, B[:, j] ~= codes[:, j] * scale[j];
- ``topk``: magnitude sparsification, the k largest |B_ij| of each column kept (stored CSR).

A user's scores are the sum of B's rows over the history items, so only those
rows are ever decoded: memory stays at the compact form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter

CHUNK_NNZ = 2048
COLUMN_BLOCK = 1024
ITEM_ITEM_ENCODINGS = ("float32", "float16", "int8", "topk")


def gathered_product(X: sp.csr_matrix, rows: Callable[[np.ndarray], np.ndarray], n_cols: int,
                     columns: Callable[[slice], np.ndarray] | None = None) -> np.ndarray:
    """``X @ B`` where ``rows(idx)`` decodes rows of B to float32 (chunks keep the decoded
    block under CHUNK_NNZ rows), or, for batches with more history entries than B has
    columns, ``columns(block)`` decodes B one block of COLUMN_BLOCK columns at a time."""
    X = sp.csr_matrix(X, dtype=np.float32)
    out = np.zeros((X.shape[0], n_cols), dtype=np.float32)
    if columns is not None and X.nnz > n_cols:  # many users: decoding all of B once, by column blocks, is cheaper
        for s in range(0, n_cols, COLUMN_BLOCK):
            out[:, s : s + COLUMN_BLOCK] = X @ columns(slice(s, s + COLUMN_BLOCK))
        return out
    start = 0
    while start < X.shape[0]:
        stop = start + 1
        while stop < X.shape[0] and X.indptr[stop + 1] - X.indptr[start] <= CHUNK_NNZ:
            stop += 1
        lo, hi = X.indptr[start], X.indptr[stop]
        if hi > lo:
            sel = sp.csr_matrix((X.data[lo:hi], np.arange(hi - lo), X.indptr[start : stop + 1] - lo),
                                shape=(stop - start, hi - lo))
            out[start:stop] = sel @ rows(X.indices[lo:hi])
        start = stop
    return out


@dataclass
class DenseItemItem:
    values: np.ndarray  # (n, n) float32 or float16

    @property
    def encoding(self) -> str:
        return "float16" if self.values.dtype == np.float16 else "float32"

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        if self.values.dtype == np.float32:
            return np.asarray(sp.csr_matrix(X, dtype=np.float32) @ self.values)
        return gathered_product(X, lambda idx: self.values[idx].astype(np.float32), self.values.shape[1],
                                lambda blk: self.values[:, blk].astype(np.float32))

    def row(self, i: int) -> np.ndarray:
        return self.values[i].astype(np.float32)

    def entries(self, rows: np.ndarray, col: int) -> np.ndarray:
        return self.values[rows, col].astype(np.float32)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"B": self.values}

    def stored_numbers(self) -> tuple[int, int]:
        return int(self.values.size), int(np.count_nonzero(self.values))


@dataclass
class Int8Columns:
    codes: np.ndarray  # int8 (n, n)
    scale: np.ndarray  # float32 (n,) per column
    encoding: str = "int8"

    @classmethod
    def encode(cls, B: np.ndarray) -> Int8Columns:
        B = np.asarray(B, dtype=np.float32)
        scale = (np.abs(B).max(axis=0) / 127.0).astype(np.float32)
        safe = np.where(scale > 0, scale, 1.0)
        return cls(np.clip(np.rint(B / safe[None, :]), -127, 127).astype(np.int8), scale)

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        return gathered_product(X, lambda idx: self.codes[idx].astype(np.float32), self.codes.shape[1],
                                lambda blk: self.codes[:, blk].astype(np.float32)) * self.scale

    def row(self, i: int) -> np.ndarray:
        return self.codes[i].astype(np.float32) * self.scale

    def entries(self, rows: np.ndarray, col: int) -> np.ndarray:
        return self.codes[rows, col].astype(np.float32) * self.scale[col]

    def arrays(self) -> dict[str, np.ndarray]:
        return {"B__codes": self.codes, "B__scale": self.scale}

    def stored_numbers(self) -> tuple[int, int]:
        return int(self.codes.size + self.scale.size), int(np.count_nonzero(self.codes) + self.scale.size)


@dataclass
class TopKColumns:
    matrix: sp.csr_matrix  # float32 values; column indices stored as uint16 where they fit
    encoding: str = "topk"

    @classmethod
    def encode(cls, B: np.ndarray, keep: int) -> TopKColumns:
        n = B.shape[0]
        if not (1 <= keep <= n):
            raise InvalidParameter(f"Expected keep_per_column in [1, {n}], got {keep}")
        mag = np.abs(B)
        idx = np.argpartition(-mag, keep - 1, axis=0)[:keep]  # (keep, n) row indices per column
        idx.sort(axis=0)
        vals = np.take_along_axis(B, idx, axis=0).astype(np.float32)
        indptr = np.arange(0, keep * n + 1, keep, dtype=np.int64)
        m = sp.csc_matrix((vals.T.ravel(), idx.T.ravel(), indptr), shape=B.shape).tocsr()
        m.eliminate_zeros()
        return cls(m)

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        return (sp.csr_matrix(X, dtype=np.float32) @ self.matrix).toarray()  # csr @ csr: no conversion

    def row(self, i: int) -> np.ndarray:
        return self.matrix[i].toarray().ravel().astype(np.float32)

    def entries(self, rows: np.ndarray, col: int) -> np.ndarray:
        return np.asarray(self.matrix[rows, col].todense(), dtype=np.float32).ravel()

    def arrays(self) -> dict[str, np.ndarray]:
        m = self.matrix
        small = m.shape[1] <= np.iinfo(np.uint16).max + 1
        return {"B__data": m.data.astype(np.float32),
                "B__indices": m.indices.astype(np.uint16 if small else np.int32),
                "B__indptr": m.indptr.astype(np.int64), "B__shape": np.array(m.shape, dtype=np.int64)}

    def stored_numbers(self) -> tuple[int, int]:
        return int(self.matrix.shape[0] * self.matrix.shape[1]), int(self.matrix.nnz)


ItemItem = DenseItemItem | Int8Columns | TopKColumns


def item_item_from_arrays(arrays: dict[str, np.ndarray]) -> ItemItem:
    if "B" in arrays:
        return DenseItemItem(arrays["B"])
    if "B__scale" in arrays:
        return Int8Columns(arrays["B__codes"], arrays["B__scale"])
    if "B__data" in arrays:
        shape = tuple(int(x) for x in arrays["B__shape"])
        m = sp.csr_matrix((arrays["B__data"], arrays["B__indices"].astype(np.int32), arrays["B__indptr"]), shape=shape)
        return TopKColumns(m)
    raise InvalidParameter(f"Expected an item-item matrix B (dense, int8 or topk) in the artifact, found {sorted(arrays)}")


def decode_item_item(b: ItemItem) -> np.ndarray:
    """The full float32 matrix (for re-compression, not for serving)."""
    if isinstance(b, DenseItemItem):
        return b.values.astype(np.float32)
    if isinstance(b, Int8Columns):
        return b.codes.astype(np.float32) * b.scale[None, :]
    return b.matrix.toarray().astype(np.float32)
