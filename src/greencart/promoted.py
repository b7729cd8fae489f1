"""The promoted-model pointer: which compressed variant serves in place of an original model.

One small module that serving (``catalog.embed``, ``recommend.service``) reads and
``compress.registry`` writes, so neither side imports the other. Layout under the
state folder (``Settings.var_dir``)::

    models/variants/<kind>/active.json   {"kind", "active": name or None, "history": [...]}

The file is written to a temp file and renamed: a reader sees the old pointer or the
new one. Every function takes the state folder explicitly; nothing reads the environment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter, StoreError

POINTER_KINDS = ("embedder", "recommender")
ACTIVE = "active.json"
# The serving name a promoted embedder stands in for (the English search side).
SERVED_EMBEDDER = "minilm-int8"


def variants_root(var_dir: Path | str) -> Path:
    return Path(var_dir) / "models" / "variants"


def check_kind(kind: str) -> str:
    if kind not in POINTER_KINDS:
        raise InvalidParameter(f"Expected a model kind in {POINTER_KINDS}, got {kind!r}")
    return kind


def pointer_path(kind: str, var_dir: Path | str) -> Path:
    return variants_root(var_dir) / check_kind(kind) / ACTIVE


def write_json_atomic(path: Path, obj: Any) -> None:
    """``obj`` as JSON at ``path`` through a temp file and a rename (never half-written)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Cannot write {path}: {exc}") from exc


def read_pointer(kind: str, var_dir: Path | str) -> dict[str, Any]:
    """``{"kind", "active": name or None, "history": [entries, oldest first]}``."""
    path = pointer_path(kind, var_dir)
    if not path.is_file():
        return {"kind": kind, "active": None, "history": []}
    try:
        pointer = json.loads(path.read_text())
        ok = isinstance(pointer, dict) and isinstance(pointer.get("history"), list) and "active" in pointer
        problem = "" if ok else "expected an object with 'active' and 'history'"
    except (OSError, ValueError) as exc:
        problem = str(exc)
    if problem:
        raise StoreError(f"{path} is corrupt ({problem}): expected the JSON written by `greencart compress "
                         "promote`; delete it to serve the original models")
    return pointer


def write_pointer(kind: str, pointer: dict[str, Any], var_dir: Path | str) -> None:
    path = pointer_path(kind, var_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, pointer)


def active_name(kind: str, var_dir: Path | str) -> str | None:
    """The name of the variant of ``kind`` promoted to serve, or None (the original serves)."""
    name = read_pointer(kind, var_dir)["active"]
    return str(name) if name else None


def serving_embedder_name(name: str, var_dir: Path | str) -> str:
    """``name``, or ``name@<variant>`` when a promoted embedder serves in its place."""
    if name != SERVED_EMBEDDER:
        return name
    variant = active_name("embedder", var_dir)
    return f"{name}@{variant}" if variant else name


def split_serving_name(serving_name: str) -> tuple[str, str]:
    """``minilm-int8@<variant>`` -> ``("minilm-int8", "<variant>")``; InvalidParameter otherwise."""
    base, _, variant = serving_name.partition("@")
    if base != SERVED_EMBEDDER or not variant:
        raise InvalidParameter(f"Expected an embedder name like {SERVED_EMBEDDER}@<variant>, got {serving_name!r}")
    return base, variant
