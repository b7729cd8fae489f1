"""What each product contributes to the index, and embedding it in batches.

English side: BM25 over ``Product.search_text``; MiniLM over a short passage
(title, category, attributes, the start of the description). Chinese side:
BM25 (jieba) over the Chinese title, the Chinese category name and the
English title; multilingual-e5 over the Chinese title where there is one,
else the English title, plus the Chinese category name. e5 costs about ten
times MiniLM per passage, so its passage stays short (title-sized).

Identical texts are embedded once, and vectors from a previous index are
reused by text hash, so a rebuild after a catalogue change only embeds the
products whose text changed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from greencart.catalog.categories import BY_SLUG
from greencart.catalog.embed import Embedder
from greencart.catalog.models import Product

BATCH_SIZE = 64
_DESCRIPTION_CHARS = 160


def display_title(title: str) -> str:
    """All-caps titles (Online Retail) in sentence case: cased models read them better."""
    t = " ".join(title.split())
    return t.capitalize() if t.isupper() else t


def _category_names(p: Product) -> tuple[str, str]:
    cat = BY_SLUG.get(p.category)
    if cat is None:
        name = p.category.replace("-", " ")
        return name, ""
    return cat.name_en, cat.name_zh


def english_lexical_text(p: Product) -> str:
    name_en, _ = _category_names(p)
    return f"{p.search_text} {name_en}"


def english_passage(p: Product) -> str:
    name_en, _ = _category_names(p)
    parts = [display_title(p.title), name_en]
    attrs = " ".join(str(v) for v in p.attributes.values())
    if attrs:
        parts.append(attrs)
    if p.description:
        parts.append(p.description[:_DESCRIPTION_CHARS])
    return ". ".join(parts)


def chinese_lexical_text(p: Product) -> str:
    """Chinese title and category name, plus the English title (for Latin words in a query).

    Without a Chinese title there is no Chinese text to match: the category name alone would
    only add noise (every product of the category matches), so e5 carries such products.
    """
    if not p.title_zh:
        return p.title
    _, name_zh = _category_names(p)
    return " ".join(x for x in (p.title_zh, name_zh, p.title) if x)


def chinese_passage(p: Product) -> str:
    _, name_zh = _category_names(p)
    title = p.title_zh or display_title(p.title)
    return f"{title}，{name_zh}" if name_zh else title


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def _progress_bar(label: str, total: int, enabled: bool):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        disable=not enabled,
        transient=False,
    )
    return progress, progress.add_task(label, total=total)


def embed_texts(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    reuse: Callable[[str], np.ndarray | None] | None = None,
    progress: bool = False,
    label: str = "Embedding",
    runner: Any = None,
) -> np.ndarray:
    """(len(texts), dim) float32 rows; unique texts only, shortest first, in batches.
    With a ``runner`` (greencart.scale) the batches run on it, by embedder name."""
    keys = [text_key(t) for t in texts]
    vectors: dict[str, np.ndarray] = {}
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts):
        if key in vectors or key in todo:
            continue
        cached = reuse(key) if reuse is not None else None
        if cached is not None:
            vectors[key] = cached
        else:
            todo[key] = text
    pending = sorted(todo.items(), key=lambda kv: len(kv[1]))  # less padding per batch
    if runner is not None:  # scale-out (greencart.scale): same batches, any backend
        batches = [[t for _, t in pending[i : i + BATCH_SIZE]] for i in range(0, len(pending), BATCH_SIZE)]
        from greencart.scale.jobs import embed_chunk

        rows = runner.map(embed_chunk, batches, shared=embedder.name)
        vectors.update(zip([k for k, _ in pending], (r for block in rows for r in block)))
        pending = []
    bar, task = _progress_bar(f"{label} ({embedder.name})", len(pending), progress)
    with bar:
        for start in range(0, len(pending), BATCH_SIZE):
            batch = pending[start : start + BATCH_SIZE]
            out = embedder.embed([t for _, t in batch])
            for (key, _), row in zip(batch, out):
                vectors[key] = row
            bar.advance(task, len(batch))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, key in enumerate(keys):
        out[i] = vectors[key]
    return out
