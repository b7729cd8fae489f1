"""How closely a candidate embedder reproduces a reference one on the same texts.

``parity`` needs only numpy and scipy; ``torch_reference`` runs the original torch model
(the ``compress`` extra) and is the yardstick for export parity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.catalog.embed import MAX_TOKENS, Embedder
from greencart.errors import InvalidParameter


@dataclass(frozen=True)
class Parity:
    """Agreement of ``candidate`` with ``reference`` on ``n_texts`` texts.

    max_abs_diff: largest |difference| of any coordinate of the normalised embeddings.
    mean_cosine / min_cosine: cosine between the two embeddings of the same text.
    topk_agreement: mean share of each text's ``k`` nearest neighbours (among the other
    texts) that both embedders find. spearman / kendall: rank correlation of all pairwise
    similarities (upper triangle).
    """

    reference: str
    candidate: str
    n_texts: int
    k: int
    max_abs_diff: float
    mean_cosine: float
    min_cosine: float
    topk_agreement: float
    spearman: float
    kendall: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _neighbours(sim: np.ndarray, k: int) -> np.ndarray:
    sim = sim.copy()
    np.fill_diagonal(sim, -np.inf)
    return np.argsort(-sim, axis=1, kind="stable")[:, :k]


def parity(
    reference: Embedder, candidate: Embedder, texts: Sequence[str], *, k: int = 10
) -> Parity:
    """Compare two embedders on ``texts`` (at least k + 1 of them, so every text has k neighbours)."""
    from scipy.stats import kendalltau, spearmanr

    texts = list(texts)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidParameter(f"Expected k >= 1, got {k!r}")
    if len(texts) < k + 1:
        raise InvalidParameter(
            f"Expected at least k + 1 = {k + 1} texts for top-{k} agreement, got {len(texts)}"
        )
    a = np.asarray(reference.embed(texts), dtype=np.float64)
    b = np.asarray(candidate.embed(texts), dtype=np.float64)
    if a.shape != b.shape:
        raise InvalidParameter(
            f"Expected both embedders to return {a.shape} for these texts, "
            f"got {b.shape} from {candidate.name!r}"
        )
    cos = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    sim_a, sim_b = a @ a.T, b @ b.T
    na, nb = _neighbours(sim_a, k), _neighbours(sim_b, k)
    overlap = [len(set(x) & set(y)) / k for x, y in zip(na, nb, strict=True)]
    iu = np.triu_indices(len(texts), 1)
    pa, pb = sim_a[iu], sim_b[iu]
    return Parity(
        reference=reference.name,
        candidate=candidate.name,
        n_texts=len(texts),
        k=k,
        max_abs_diff=float(np.abs(a - b).max()),
        mean_cosine=float(cos.mean()),
        min_cosine=float(cos.min()),
        topk_agreement=float(np.mean(overlap)),
        spearman=float(spearmanr(pa, pb).statistic),
        kendall=float(kendalltau(pa, pb).statistic),
    )


class TorchEmbedder:
    """The torch model itself as an :class:`Embedder` (mean pooling, L2-normalised rows)."""

    def __init__(
        self, source_dir: Path | None = None, *, name: str = "torch-fp32", batch_size: int = 64
    ) -> None:
        from tokenizers import Tokenizer

        from greencart.compress.embedder.export import (
            TOKENIZER_FILE,
            load_torch_model,
            resolve_source,
        )

        src = resolve_source(source_dir)
        self.name = name
        self._model = load_torch_model(src)
        self.dim = int(self._model.config.hidden_size)
        self._tok = Tokenizer.from_file(str(src / TOKENIZER_FILE))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch = batch_size

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        import torch

        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), self._batch):
            enc = self._tok.encode_batch(texts[i : i + self._batch])
            ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
            mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
            with torch.no_grad():
                hidden = self._model(
                    input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
                ).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            parts.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        return np.concatenate(parts).astype(np.float32)


def torch_reference(source_dir: Path | None = None, *, name: str = "torch-fp32") -> Embedder:
    """An embedder running the torch model at ``source_dir`` (default: the fp32 MiniLM)."""
    return TorchEmbedder(source_dir, name=name)
