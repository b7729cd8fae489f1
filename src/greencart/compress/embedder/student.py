"""A static token-embedding student distilled from a sentence embedder.

Distillation (``distil_static``): every vocabulary token is embedded by the
teacher on its own (batched), the (vocab, teacher_dim) table is reduced by PCA
to ``dim``, and each row is scaled by a SIF weight ``a / (a + p(token))`` with
``p`` the token's frequency in a corpus (the catalogue titles), so that
frequent, stop-word-like tokens count little. Rows are stored as float16 in
``static.npz`` beside the teacher's ``tokenizer.json``.

Serving (``StaticEmbedder``): tokenise, look the rows up, sum, L2-normalise.
The weights are folded into the rows, and a weighted mean differs from the
weighted sum only by a positive scale that normalisation removes, so a query
costs a tokenizer call and one gather: numpy and tokenizers, no transformer.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact, check_name
from greencart.errors import InvalidParameter, ModelUnavailable

VECTORS_FILE = "static.npz"
TOKENIZER_FILE = "tokenizer.json"
_SPECIAL = re.compile(r"^\[[A-Za-z0-9_]+\]$")  # BERT's [PAD] [UNK] [CLS] [SEP] [MASK] [unusedN]
_BATCH = 512


@dataclass
class Metered:
    """What a metered block cost (filled in when it ends); ``settings()`` for a manifest."""

    seconds: float = 0.0
    energy_j: float | None = None
    energy_low_j: float | None = None
    energy_high_j: float | None = None
    energy_method: str = "not-metered"

    def settings(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


@contextmanager
def metered(monitor: Any, name: str, **tags: Any) -> Iterator[Metered]:
    """Run a block as an EnergyMonitor work unit ``name``. ``monitor=None`` starts a private monitor
    (process CPU clock: torch runs several threads); ``monitor=False`` only times the block."""
    out, own = Metered(), None
    if monitor is None:
        from greencart.energy import EnergyConfig, EnergyMonitor

        own = monitor = EnergyMonitor(config=EnergyConfig(cpu_clock="process", sample_interval_s=0.2)).start()
    t0 = time.perf_counter()
    try:
        if monitor is False:
            yield out
        else:
            with monitor.unit(name, **tags) as unit:
                yield out
            unit.wait_final(timeout_s=5.0)
            r = unit.result
            out.energy_j, out.energy_low_j, out.energy_high_j, out.energy_method = (
                r.energy_j, r.energy_low_j, r.energy_high_j, r.method)
    finally:
        out.seconds = time.perf_counter() - t0
        if own is not None:
            own.stop()


def _load_tokenizer(path: Path):  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    if not Path(path).is_file():
        raise ModelUnavailable(f"No tokenizer at {path}: expected a Hugging Face tokenizer.json")
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()  # MiniLM's tokenizer.json pads to a fixed 128: [PAD] is no token of the text
    return tok


def _teacher_dim(teacher: Any) -> int:
    if hasattr(teacher, "embed") and isinstance(getattr(teacher, "dim", None), int):
        return int(teacher.dim)
    if isinstance(getattr(getattr(teacher, "config", None), "hidden_size", None), int):
        return int(teacher.config.hidden_size)
    raise InvalidParameter(f"Expected a teacher with embed(texts) and dim (an Embedder) or a "
                           f"transformers model with config.hidden_size, got {type(teacher).__name__}")


def _teacher_rows(teacher: Any, vocab: list[str], keep: np.ndarray, tokenizer: Any) -> np.ndarray:
    """(len(keep), teacher_dim) float32: each kept token embedded on its own, in batches."""
    if not hasattr(teacher, "embed"):
        return np.concatenate(_torch_token_rows(teacher, keep.tolist(), tokenizer))
    return np.concatenate([np.asarray(teacher.embed([vocab[i].removeprefix("##") for i in keep[s:s + _BATCH]]),
                                      dtype=np.float32) for s in range(0, len(keep), _BATCH)])


def _torch_token_rows(model: Any, keep: list[int], tokenizer: Any) -> list[np.ndarray]:
    """Mean-pooled [CLS] token [SEP] outputs of a transformers encoder, batched."""
    import torch

    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise InvalidParameter("Expected a BERT tokenizer with [CLS] and [SEP] for a torch teacher")
    model.eval()
    out = []
    with torch.inference_mode():
        for s in range(0, len(keep), _BATCH):
            ids = torch.tensor([[cls_id, i, sep_id] for i in keep[s:s + _BATCH]], dtype=torch.long)
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out.append(hidden.mean(dim=1).float().numpy())
    return out


def _pca(x: np.ndarray, dim: int) -> tuple[np.ndarray, float]:
    """``x`` centred and projected onto its top ``dim`` principal axes; (projected, explained share)."""
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    return (x @ vt[:dim].T).astype(np.float32), float((s[:dim] ** 2).sum() / max((s**2).sum(), 1e-12))


def sif_weights(tokenizer: Any, vocab_size: int, corpus_texts: Sequence[str], a: float) -> tuple[np.ndarray, np.ndarray]:
    """(weights, counts): ``a / (a + p)`` per token id, ``p`` its frequency in the corpus (1 if unseen)."""
    counts = np.zeros(vocab_size, dtype=np.int64)
    for enc in tokenizer.encode_batch(list(corpus_texts), add_special_tokens=False):
        np.add.at(counts, np.asarray(enc.ids, dtype=np.int64), 1)
    total = counts.sum()
    if total == 0:
        return np.ones(vocab_size, dtype=np.float32), counts
    return (a / (a + counts / total)).astype(np.float32), counts


def distil_static(
    teacher: Any,
    out_dir: Path,
    *,
    dim: int = 256,
    corpus_texts: Sequence[str] = (),
    name: str = "minilm-static-256",
    tokenizer_path: Path | None = None,
    sif_a: float = 1e-3,
    drop_unseen: bool = False,
    source: str = "minilm-fp32",
    monitor: Any = None,
) -> Artifact:
    """Distil ``teacher`` into a static embedder written to ``out_dir``; returns its Artifact.

    ``drop_unseen`` keeps only tokens seen in ``corpus_texts``: a smaller file, but query words
    that never occur in the catalogue then contribute nothing (no semantic match for them).
    """
    check_name(name)
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise InvalidParameter(f"Expected dim to be a positive integer, got {dim!r}")
    teacher_dim = _teacher_dim(teacher)
    if dim > teacher_dim:
        raise InvalidParameter(f"Expected dim <= the teacher's dimension {teacher_dim}, got {dim}")
    if not (sif_a > 0):
        raise InvalidParameter(f"Expected sif_a > 0, got {sif_a}")
    if drop_unseen and not corpus_texts:
        raise InvalidParameter("drop_unseen=True needs corpus_texts: expected the texts whose tokens to keep")
    if tokenizer_path is None:
        from greencart.catalog.embed import minilm_tokenizer_path

        tokenizer_path = minilm_tokenizer_path()
    tokenizer = _load_tokenizer(Path(tokenizer_path))
    vocab = [""] * tokenizer.get_vocab_size(with_added_tokens=True)
    for tok, i in tokenizer.get_vocab(with_added_tokens=True).items():
        vocab[i] = tok
    with metered(monitor, "compress.distil_static", dim=dim) as cost:
        weights, counts = sif_weights(tokenizer, len(vocab), corpus_texts, sif_a)
        live = np.array([t != "" and not _SPECIAL.match(t) for t in vocab])  # special tokens: no row
        kept = np.flatnonzero(live & (counts > 0)) if drop_unseen else np.flatnonzero(live)
        if dim > len(kept):
            raise InvalidParameter(f"Expected dim <= the {len(kept)} tokens kept, got {dim}")
        projected, explained = _pca(_teacher_rows(teacher, vocab, kept, tokenizer), dim)
        vectors = (projected * weights[kept, None]).astype(np.float16)
    settings = {"dim": dim, "teacher_dim": teacher_dim, "pca_explained_variance": round(explained, 4),
                "sif_a": sif_a, "corpus_texts": len(corpus_texts), "vocab_size": len(vocab),
                "vocab_kept": len(kept), "drop_unseen": drop_unseen,
                "teacher": getattr(teacher, "name", type(teacher).__name__), **cost.settings()}
    arrays = {"vectors": vectors, "token_ids": kept.astype(np.int32), "weights": weights[kept].astype(np.float16)}
    return _write(Path(out_dir), name, source, arrays, Path(tokenizer_path), settings)


def _write(out_dir: Path, name: str, source: str, arrays: dict[str, np.ndarray], tokenizer_path: Path,
           settings: dict[str, Any]) -> Artifact:
    """Write into a staging directory that replaces ``out_dir`` only when complete."""
    from greencart.compress.embedder.export import staging  # distil time only: no torch at import

    with staging(out_dir) as tmp:
        np.savez(tmp / VECTORS_FILE, **arrays)
        shutil.copyfile(tokenizer_path, tmp / TOKENIZER_FILE)
        vectors = arrays["vectors"]
        Artifact.create(tmp, name=name, kind="embedder", method="distil-static", source=source,
                        format="static-embedder", files=[VECTORS_FILE, TOKENIZER_FILE],
                        params=int(vectors.size), params_nonzero=int(np.count_nonzero(vectors)),
                        settings=settings)
    return Artifact.load(out_dir)


class StaticEmbedder:
    """The Embedder protocol over a ``static-embedder`` artifact: numpy + tokenizers only."""

    def __init__(self, artifact: Artifact, *, max_tokens: int = 256) -> None:
        if artifact.format != "static-embedder":
            raise InvalidParameter(f"Expected an artifact of format 'static-embedder', got "
                                   f"{artifact.format!r} ({artifact.path})")
        with np.load(artifact.path / VECTORS_FILE) as z:
            vectors, token_ids = z["vectors"], z["token_ids"].astype(np.int64)
        self.name = artifact.name
        self.dim = int(vectors.shape[1])
        self._tok = _load_tokenizer(artifact.path / TOKENIZER_FILE)
        self._tok.enable_truncation(max_tokens)
        # Row 0 is a zero row: unknown, special and dropped tokens contribute nothing.
        self._table = np.vstack([np.zeros((1, self.dim), np.float16), vectors])
        self._row = np.zeros(self._tok.get_vocab_size(with_added_tokens=True), dtype=np.int64)
        self._row[token_ids] = np.arange(1, len(token_ids) + 1)

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encs = self._tok.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        ids = np.fromiter((i for e in encs for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        rows = self._table[self._row[ids]].astype(np.float32)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        nonempty = lengths > 0
        if rows.size:
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty]
            out[nonempty] = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def load_static_embedder(artifact: Artifact | Path) -> StaticEmbedder:
    """A StaticEmbedder from an Artifact or its directory."""
    return StaticEmbedder(artifact if isinstance(artifact, Artifact) else Artifact.load(Path(artifact)))


def agreement(student: np.ndarray, teacher: np.ndarray, *, k: int = 10) -> dict[str, float]:
    """How well ``student`` rows keep ``teacher``'s neighbour structure (rows L2-normalised).

    ``top_k_overlap``: mean share of each row's k nearest teacher neighbours that are also among its
    k nearest student neighbours (self excluded); ``cosine_corr``: Pearson correlation of all
    off-diagonal pairwise cosines.
    """
    n = len(student)
    if n != len(teacher) or n < 2:
        raise InvalidParameter(f"Expected two embeddings of the same >= 2 rows, got {n} and {len(teacher)}")
    k = min(k, n - 1)
    s, t = student @ student.T, teacher @ teacher.T
    np.fill_diagonal(s, -np.inf)
    np.fill_diagonal(t, -np.inf)
    top_s = np.argpartition(-s, k - 1, axis=1)[:, :k]
    top_t = np.argpartition(-t, k - 1, axis=1)[:, :k]
    overlap = np.mean([len(np.intersect1d(a, b)) / k for a, b in zip(top_s, top_t)])
    off = ~np.eye(n, dtype=bool)
    corr = float(np.corrcoef(s[off], t[off])[0, 1])
    return {"top_k_overlap": float(overlap), "cosine_corr": corr, "k": float(k)}
