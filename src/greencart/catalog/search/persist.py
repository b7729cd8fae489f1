"""Saving and loading a search index directory.

Layout (``FORMAT_VERSION`` 2)::

    manifest.json        format, version, fingerprint, size, models, fusion, lexical, sha256 of every file
    products.json        ids, filter columns, text hashes of the embedded passages
    vectors_en.npy       (n, 384) float32, MiniLM
    vectors_zh.npy       (n, 384) float32, multilingual-e5
    bm25_en/, bm25_zh/   bm25s' own files
    bm25_en_title/       English titles only (field-aware scoring), when lexical.title_weight > 0

``save`` writes a sibling temp directory and renames it into place, so a
reader sees the old index or the new one, never half of one. ``load``
checks every checksum and shape and raises :class:`StoreError` naming the
file and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from greencart.catalog.search.filters import FilterColumns
from greencart.errors import InvalidParameter, StoreError

if TYPE_CHECKING:
    from greencart.catalog.search.index import SearchIndex

FORMAT = "greencart-search-index"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def _write(index: SearchIndex, tmp: Path) -> None:
    products = {
        "ids": index.ids,
        "columns": index.columns.to_json(),
        "keys_en": index.en.keys,
        "keys_zh": index.zh.keys,
    }
    (tmp / "products.json").write_text(json.dumps(products, ensure_ascii=False), encoding="utf-8")
    for lang, side in (("en", index.en), ("zh", index.zh)):
        np.save(tmp / f"vectors_{lang}.npy", side.vectors, allow_pickle=False)
        side.retriever.save(str(tmp / f"bm25_{lang}"), show_progress=False)  # type: ignore[attr-defined]
        if side.title_retriever is not None:
            side.title_retriever.save(str(tmp / f"bm25_{lang}_title"), show_progress=False)  # type: ignore[attr-defined]
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "fingerprint": index.fingerprint,
        "size": index.size,
        "models": {"en": index.en.model, "zh": index.zh.model},
        "fusion": {"en": asdict(index.fusion), "zh": asdict(index.fusion_zh)},  # informational only
        "lexical": asdict(index.lexical),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": {str(p.relative_to(tmp)): _sha256(p) for p in _files(tmp)},
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def save_index(index: SearchIndex, directory: Path) -> None:
    directory = directory.absolute()
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = directory.parent / f".{directory.name}.tmp-{tag}"
    old = directory.parent / f".{directory.name}.old-{tag}"
    try:
        tmp.mkdir(parents=True)
        _write(index, tmp)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
    except OSError as exc:
        raise StoreError(f"Cannot write the search index to {directory}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise StoreError(
            f"No search index at {directory} ({MANIFEST} is missing): build one with "
            "open_index(db, dir) or SearchIndex.build(products).save(dir)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _corrupt(directory, MANIFEST, f"unreadable JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupt(directory, MANIFEST, f"not a {FORMAT} manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise _corrupt(directory, MANIFEST, f"format version {manifest.get('version')!r}, expected {FORMAT_VERSION}")
    return manifest


def _corrupt(directory: Path, name: str, problem: str) -> StoreError:
    return StoreError(
        f"The search index at {directory} is corrupt: {name}: {problem}. "
        "Delete the directory (or pass rebuild=True to open_index) to rebuild it."
    )


def _verify(directory: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise _corrupt(directory, MANIFEST, "no file list")
    for name, digest in files.items():
        path = directory / name
        if not path.is_file():
            raise _corrupt(directory, name, "missing")
        if _sha256(path) != digest:
            raise _corrupt(directory, name, "checksum mismatch (truncated or modified)")


def _side(side_cls: type, directory: Path, lang: str, model: str, keys: list[str], n: int) -> Any:
    import bm25s

    vectors = np.load(directory / f"vectors_{lang}.npy", allow_pickle=False)
    if vectors.ndim != 2 or vectors.shape[0] != n or vectors.dtype != np.float32 or len(keys) != n:
        raise _corrupt(directory, f"vectors_{lang}.npy", f"shape {vectors.shape}, expected ({n}, dim)")
    retriever = bm25s.BM25.load(str(directory / f"bm25_{lang}"), show_progress=False)
    # An empty catalogue is indexed with one placeholder document (bm25s needs a vocabulary).
    if int(retriever.scores["num_docs"]) != max(n, 1):
        raise _corrupt(directory, f"bm25_{lang}", f"{retriever.scores['num_docs']} documents, expected {n}")
    title_dir = directory / f"bm25_{lang}_title"
    title = bm25s.BM25.load(str(title_dir), show_progress=False) if title_dir.is_dir() else None
    if title is not None and int(title.scores["num_docs"]) != max(n, 1):
        raise _corrupt(directory, f"bm25_{lang}_title", f"{title.scores['num_docs']} documents, expected {n}")
    return side_cls(model=model, retriever=retriever, vectors=vectors, keys=keys, title_retriever=title)


def load_index(index_cls: type, side_cls: type, directory: Path) -> SearchIndex:
    manifest = read_manifest(directory)
    _verify(directory, manifest)
    try:
        products = json.loads((directory / "products.json").read_text(encoding="utf-8"))
        ids = list(products["ids"])
        n = int(manifest["size"])
        if len(ids) != n:
            raise ValueError(f"{len(ids)} ids, expected {n}")
        columns = FilterColumns.from_json(products["columns"])
        models = manifest["models"]
        en = _side(side_cls, directory, "en", models["en"], products["keys_en"], n)
        zh = _side(side_cls, directory, "zh", models["zh"], products["keys_zh"], n)
    except StoreError:
        raise
    except (OSError, ValueError, KeyError, TypeError, InvalidParameter) as exc:
        raise _corrupt(directory, "products.json", f"{type(exc).__name__}: {exc}") from None
    from greencart.catalog.search.lexical import LexicalConfig

    lexical = LexicalConfig.from_json(manifest.get("lexical") or {})
    return index_cls(ids, columns, en, zh, str(manifest["fingerprint"]), lexical=lexical)
