"""Attention heads of a BERT encoder in torch: how much each matters, and removing some.

transformers 5 has no ``prune_heads`` any more, so heads are removed by slicing the
query/key/value rows and the attention output projection's columns; the attention
reshapes by head size, so layers may keep different numbers of heads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from greencart.catalog.embed import MAX_TOKENS
from greencart.compress.embedder.export import TOKENIZER_FILE


def encode(src: Path, texts: Sequence[str]) -> tuple[Any, Any]:
    """Token ids and attention mask (torch, padded) of ``texts`` with the tokenizer in ``src``."""
    import torch
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(src / TOKENIZER_FILE))
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    enc = tok.encode_batch(list(texts))
    ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
    return ids, mask


def _pooled(model: Any, ids: Any, mask: Any, batch: int = 64) -> Any:
    import torch

    parts = []
    for i in range(0, ids.shape[0], batch):
        b_ids, b_mask = ids[i : i + batch], mask[i : i + batch]
        with torch.no_grad():
            hidden = model(
                input_ids=b_ids, attention_mask=b_mask, token_type_ids=torch.zeros_like(b_ids)
            ).last_hidden_state
        m = b_mask.unsqueeze(-1).float()
        parts.append((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9))
    return torch.nn.functional.normalize(torch.cat(parts), dim=-1)


def head_importance(model: Any, ids: Any, mask: Any) -> np.ndarray:
    """(layers, heads): mean 1 - cosine of the pooled embedding when that one head is masked."""
    layers = model.encoder.layer
    n_heads = layers[0].attention.self.num_attention_heads
    size = layers[0].attention.self.attention_head_size
    base = _pooled(model, ids, mask)
    scores = np.zeros((len(layers), n_heads))
    for li, layer in enumerate(layers):
        for h in range(n_heads):

            def zero_head(_mod: Any, _inp: Any, out: Any, h: int = h) -> Any:
                ctx = out[0].clone()
                ctx[..., h * size : (h + 1) * size] = 0
                return (ctx, *out[1:])

            handle = layer.attention.self.register_forward_hook(zero_head)
            try:
                masked = _pooled(model, ids, mask)
            finally:
                handle.remove()
            scores[li, h] = float((1 - (base * masked).sum(-1)).mean())
    return scores


def slice_heads(layer: Any, keep: list[int]) -> None:
    """Keep only the heads ``keep`` in one BertLayer (Q/K/V rows, output projection columns)."""
    import torch

    att = layer.attention.self
    size = att.attention_head_size
    idx = torch.cat([torch.arange(h * size, (h + 1) * size) for h in keep])

    def cut(lin: torch.nn.Linear, dim: int) -> torch.nn.Linear:
        w = lin.weight.index_select(dim, idx).clone()
        new = torch.nn.Linear(w.shape[1], w.shape[0], bias=lin.bias is not None)
        new.weight.data.copy_(w)
        if lin.bias is not None:
            new.bias.data.copy_(lin.bias if dim == 1 else lin.bias.index_select(0, idx))
        return new

    att.query, att.key, att.value = cut(att.query, 0), cut(att.key, 0), cut(att.value, 0)
    layer.attention.output.dense = cut(layer.attention.output.dense, 1)
    att.num_attention_heads = len(keep)
    att.all_head_size = len(keep) * size
