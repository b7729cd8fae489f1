"""Load an artifact as the model it is, by its ``format``, importing the method package lazily.

    emb = load_embedder(Artifact.load(path))            # an Embedder (catalog.embed)
    rec = load_recommender(Artifact.load(path), data)   # a Recommender (recommend.protocol)

Loaders run on the serving path: numpy, scipy and onnxruntime only, never torch.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from greencart.compress.artifact import Artifact
from greencart.errors import InvalidParameter, ModelUnavailable

# format -> "module:function" (or a callable); embedders take (artifact[, threads=]),
# recommenders (artifact, data) where data is the Interactions the model serves.
EMBEDDER_LOADERS: dict[str, str | Callable[..., Any]] = {
    "onnx-sentence-embedder": "greencart.compress.embedder:load_onnx_embedder",
    "static-embedder": "greencart.compress.embedder.student:load_static_embedder",
}
RECOMMENDER_LOADERS: dict[str, str | Callable[..., Any]] = {
    "factors": "greencart.compress.recommender:load_recommender",
    "item-item": "greencart.compress.recommender:load_recommender",
}


def resolve(target: str | Callable[..., Any]) -> Callable[..., Any]:
    """The callable behind ``"module:function"``; ModelUnavailable naming it when absent."""
    if callable(target):
        return target
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelUnavailable(f"{target} is not available ({exc}): that compression method package "
                               "is missing or incomplete") from None
    fn = getattr(module, attr, None)
    if fn is None:
        raise ModelUnavailable(f"{module_name} has no {attr!r}: that compression method package is incomplete")
    return fn


def _loader(table: dict[str, str | Callable[..., Any]], artifact: Artifact, kind: str) -> Callable[..., Any]:
    if not isinstance(artifact, Artifact):
        raise InvalidParameter(f"Expected an Artifact, got {type(artifact).__name__}")
    if artifact.kind != kind:
        raise InvalidParameter(f"Variant {artifact.name!r} is a {artifact.kind}, expected a {kind}")
    if artifact.format not in table:
        raise InvalidParameter(f"Variant {artifact.name!r} has format {artifact.format!r}; a {kind} loads from "
                               f"one of {sorted(table)}")
    return resolve(table[artifact.format])


def accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def load_embedder(artifact: Artifact, *, threads: int | None = None) -> Any:
    """The artifact's Embedder; ``threads`` (intra-op) is passed where the loader takes it."""
    fn = _loader(EMBEDDER_LOADERS, artifact, "embedder")
    embedder = fn(artifact, threads=threads) if threads is not None and accepts(fn, "threads") else fn(artifact)
    for attr in ("name", "dim", "embed"):
        if not hasattr(embedder, attr):
            raise ModelUnavailable(f"The loader for {artifact.format!r} returned an object without {attr!r}")
    return embedder


def load_recommender(artifact: Artifact, data: Any) -> Any:
    """The artifact's Recommender, serving the users and items of ``data`` (Interactions)."""
    fn = _loader(RECOMMENDER_LOADERS, artifact, "recommender")
    model = fn(artifact, data)
    for attr in ("score_users", "recommend"):
        if not hasattr(model, attr):
            raise ModelUnavailable(f"The loader for {artifact.format!r} returned an object without {attr!r}")
    return model
