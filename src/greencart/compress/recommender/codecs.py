"""Stored forms of a factor matrix (rows = users or items) and how to score against them.

Every codec keeps only its compact arrays in memory and scores ``U @ Y.T`` on
them directly: float16 and int8 rows are upcast one block of rows at a time
(never the whole matrix), product-quantised rows are scored with per-user
lookup tables (asymmetric distance computation: the query stays in float, only
the database side is coded). ``encoding`` names the form in the artifact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greencart.errors import InvalidParameter

BLOCK_ROWS = 4096
ENCODINGS = ("float32", "float16", "int8", "pq")


def _blocks(n: int) -> range:
    return range(0, n, BLOCK_ROWS)


@dataclass
class DenseRows:
    """float32 or float16 rows; float16 is upcast per block for the matmul."""

    values: np.ndarray

    @property
    def encoding(self) -> str:
        return "float16" if self.values.dtype == np.float16 else "float32"

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]

    def rows(self, idx: np.ndarray) -> np.ndarray:
        return self.values[idx].astype(np.float32)

    def scores(self, U: np.ndarray) -> np.ndarray:
        U = np.asarray(U, dtype=np.float32)
        if self.values.dtype == np.float32:
            return U @ self.values.T
        out = np.empty((U.shape[0], self.shape[0]), dtype=np.float32)
        for s in _blocks(self.shape[0]):
            out[:, s : s + BLOCK_ROWS] = U @ self.values[s : s + BLOCK_ROWS].astype(np.float32).T
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}": self.values}

    def stored_numbers(self) -> int:
        return int(self.values.size)


@dataclass
class Int8Rows:
    """Symmetric per-row int8: row ~= codes * scale, scale = max|row| / 127 (float32)."""

    codes: np.ndarray  # int8 (n, d)
    scale: np.ndarray  # float32 (n,)
    encoding: str = "int8"

    @classmethod
    def encode(cls, M: np.ndarray) -> Int8Rows:
        M = np.asarray(M, dtype=np.float32)
        scale = np.abs(M).max(axis=1) / 127.0 if M.size else np.zeros(M.shape[0], np.float32)
        safe = np.where(scale > 0, scale, 1.0)
        codes = np.clip(np.rint(M / safe[:, None]), -127, 127).astype(np.int8)
        return cls(codes, scale.astype(np.float32))

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape  # type: ignore[return-value]

    def rows(self, idx: np.ndarray) -> np.ndarray:
        return self.codes[idx].astype(np.float32) * self.scale[idx, None]

    def scores(self, U: np.ndarray) -> np.ndarray:
        U = np.asarray(U, dtype=np.float32)
        out = np.empty((U.shape[0], self.shape[0]), dtype=np.float32)
        for s in _blocks(self.shape[0]):
            blk = slice(s, s + BLOCK_ROWS)
            out[:, blk] = (U @ self.codes[blk].astype(np.float32).T) * self.scale[blk]
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}__codes": self.codes, f"{prefix}__scale": self.scale}

    def stored_numbers(self) -> int:
        return int(self.codes.size + self.scale.size)


def _kmeans(X: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means with k-means++ seeding: (centroids (k, d), labels (n,))."""
    n = X.shape[0]
    centres = np.empty((k, X.shape[1]), dtype=np.float64)
    centres[0] = X[rng.integers(n)]
    d2 = ((X - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        centres[j] = X[rng.choice(n, p=p)]
        d2 = np.minimum(d2, ((X - centres[j]) ** 2).sum(axis=1))
    labels = np.zeros(n, dtype=np.int64)
    x2 = (X**2).sum(axis=1)[:, None]
    for it in range(iters):
        dist = x2 - 2 * X @ centres.T + (centres**2).sum(axis=1)[None, :]
        new = dist.argmin(axis=1)
        counts = np.bincount(new, minlength=k)
        sums = np.zeros_like(centres)
        np.add.at(sums, new, X)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
        if it > 0 and np.array_equal(new, labels):
            break
        labels = new
    return centres, labels


@dataclass
class PQRows:
    """Product quantisation: the d dims split into ``m`` subspaces, each row coded by
    the index of its nearest codeword per subspace (uint8 or uint16 codes)."""

    codebooks: np.ndarray  # float32 (m, k, d_sub)
    codes: np.ndarray  # uint8/uint16 (n, m)
    encoding: str = "pq"

    @classmethod
    def encode(cls, M: np.ndarray, subspaces: int, bits: int, seed: int = 0) -> PQRows:
        M = np.asarray(M, dtype=np.float64)
        n, d = M.shape
        if not (1 <= subspaces <= d) or d % subspaces:
            raise InvalidParameter(f"Expected pq_subspaces to divide the factor dimension {d}, got {subspaces}")
        if not (1 <= bits <= 16):
            raise InvalidParameter(f"Expected pq_bits in [1, 16], got {bits}")
        k = min(2**bits, n)
        d_sub = d // subspaces
        rng = np.random.default_rng(seed)
        books = np.zeros((subspaces, k, d_sub), dtype=np.float32)
        codes = np.zeros((n, subspaces), dtype=np.uint8 if bits <= 8 else np.uint16)
        for m in range(subspaces):
            centres, labels = _kmeans(M[:, m * d_sub : (m + 1) * d_sub], k, rng)
            books[m], codes[:, m] = centres, labels
        return cls(books, codes)

    @property
    def shape(self) -> tuple[int, int]:
        m, _, d_sub = self.codebooks.shape
        return (self.codes.shape[0], m * d_sub)

    def rows(self, idx: np.ndarray) -> np.ndarray:
        m = self.codebooks.shape[0]
        parts = [self.codebooks[j][self.codes[idx, j]] for j in range(m)]
        return np.concatenate(parts, axis=-1).astype(np.float32)

    def scores(self, U: np.ndarray) -> np.ndarray:
        """ADC: per user and subspace a table of inner products with every codeword,
        then each item's score is the sum of ``m`` table look-ups."""
        U = np.asarray(U, dtype=np.float32)
        m, _, d_sub = self.codebooks.shape
        luts = np.einsum("bmd,mkd->mkb", U.reshape(U.shape[0], m, d_sub), self.codebooks)  # (m, k, users)
        out = np.zeros((self.codes.shape[0], U.shape[0]), dtype=np.float32)
        for j in range(m):  # whole-row gathers (items x users) are ~9x faster than column gathers
            out += luts[j][self.codes[:, j]]
        return out.T

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}__codebooks": self.codebooks, f"{prefix}__codes": self.codes}

    def stored_numbers(self) -> int:
        return int(self.codebooks.size + self.codes.size)


Rows = DenseRows | Int8Rows | PQRows


def encode_rows(M: np.ndarray, encoding: str, *, subspaces: int = 8, bits: int = 8, seed: int = 0) -> Rows:
    if encoding == "float32":
        return DenseRows(np.asarray(M, dtype=np.float32))
    if encoding == "float16":
        return DenseRows(np.asarray(M, dtype=np.float16))
    if encoding == "int8":
        return Int8Rows.encode(M)
    if encoding == "pq":
        return PQRows.encode(M, subspaces, bits, seed)
    raise InvalidParameter(f"Expected an encoding in {ENCODINGS}, got {encoding!r}")


def rows_from_arrays(prefix: str, arrays: dict[str, np.ndarray]) -> Rows:
    if prefix in arrays:
        return DenseRows(arrays[prefix])
    if f"{prefix}__scale" in arrays:
        return Int8Rows(arrays[f"{prefix}__codes"], arrays[f"{prefix}__scale"])
    if f"{prefix}__codebooks" in arrays:
        return PQRows(arrays[f"{prefix}__codebooks"], arrays[f"{prefix}__codes"])
    raise InvalidParameter(f"Expected arrays for {prefix!r} (dense, int8 or pq) in the artifact, found {sorted(arrays)}")
