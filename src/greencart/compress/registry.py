"""Where model variants live, which one serves, promotion and rollback.

Layout under the state folder (``Settings.var_dir``)::

    models/variants/<kind>/<name>/manifest.json      an Artifact (compress.artifact)
    models/variants/<kind>/<name>/evaluations/<dataset>.json   Evaluations, one per data set
    models/variants/<kind>/active.json               the serving pointer and its history

(Variants are not kept in ``models/<kind>/`` itself: ``models/recommender`` is the
trained model that ``greencart train`` replaces wholesale.)

``promote`` refuses a variant whose evaluations miss the merchant's quality bar
unless forced; ``rollback`` restores the previous pointer. The pointer file is
written to a temp file and renamed, so a reader sees the old pointer or the new one.
The pointer itself is :mod:`greencart.promoted` (serving reads it there, without
importing compress). The composition root (:func:`greencart.bootstrap.build_services`)
wires :func:`load_serving_embedder` into ``catalog.embed`` and :func:`load_promoted_recommender`
into ``RecommendService``: ``get_embedder("minilm-int8")`` then serves the promoted
embedder (named ``minilm-int8@<variant>``, so a search index built with another
embedder is rebuilt), and ``RecommendService`` the promoted recommender.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from greencart.compress.artifact import KINDS, Artifact, Evaluation, check_name
from greencart.errors import InvalidParameter, NotFound, check_range
from greencart.promoted import (
    active_name,
    split_serving_name,
    write_json_atomic,
    write_pointer,
)
from greencart.promoted import read_pointer as _read_pointer
from greencart.promoted import serving_embedder_name as _serving_embedder_name

EVALUATIONS = "evaluations"


def default_var_dir() -> Path:
    """Settings' default state folder. Callers pass theirs (built once, from Settings, at
    the composition root); the environment is not read here."""
    from greencart.config import Settings

    return Path(Settings().var_dir)


def _var(var_dir: Path | None) -> Path:
    return Path(var_dir) if var_dir is not None else default_var_dir()


def variants_root(var_dir: Path | None = None) -> Path:
    return _var(var_dir) / "models" / "variants"


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidParameter(f"Expected a model kind in {KINDS}, got {kind!r}")
    return kind


def variant_dir(kind: str, name: str, var_dir: Path | None = None) -> Path:
    return variants_root(var_dir) / _check_kind(kind) / check_name(name)


@dataclass(frozen=True)
class QualityBar:
    """The most relative loss of ``metric`` (vs the variant's baseline) the merchant accepts."""

    metric: str = "ndcg@10"
    max_relative_loss: float = 0.01

    def __post_init__(self) -> None:
        check_range("max_relative_loss", self.max_relative_loss, 0.0, 1.0)

    def misses(self, ev: Evaluation) -> str | None:
        """Why ``ev`` misses the bar, or None when it meets it."""
        if not ev.baseline:
            return f"evaluation on {ev.dataset!r} has no baseline to compare with"
        if self.metric not in ev.deltas:
            return f"evaluation on {ev.dataset!r} has no {self.metric} delta (has {sorted(ev.deltas)})"
        loss = -ev.deltas[self.metric]
        if loss > self.max_relative_loss:
            return (f"{self.metric} on {ev.dataset!r} is {100 * loss:.2f} % below {ev.baseline!r}, "
                    f"more than the bar of {100 * self.max_relative_loss:.2f} %")
        return None


@dataclass(frozen=True)
class Variant:
    artifact: Artifact
    evaluations: dict[str, Evaluation] = field(default_factory=dict)  # by dataset


def save_evaluation(artifact: Artifact, ev: Evaluation) -> Path:
    """Store ``ev`` beside ``artifact`` (one file per data set, replaced atomically)."""
    target = artifact.path / EVALUATIONS / f"{check_name(ev.dataset)}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_json(target, ev.to_dict())
    return target


def load_evaluations(path: Path) -> dict[str, Evaluation]:
    out: dict[str, Evaluation] = {}
    folder = Path(path) / EVALUATIONS
    for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            ev = Evaluation(**json.loads(f.read_text()))
        except (ValueError, TypeError) as exc:
            raise InvalidParameter(f"{f} is not a valid evaluation: {exc}") from None
        out[ev.dataset] = ev
    return out


def list_variants(kind: str | None = None, var_dir: Path | None = None) -> list[Variant]:
    root = variants_root(var_dir)
    out = []
    for k in (kind,) if kind else KINDS:
        folder = root / _check_kind(k)
        for d in sorted(folder.iterdir()) if folder.is_dir() else []:
            if (d / "manifest.json").is_file():
                out.append(Variant(Artifact.load(d), load_evaluations(d)))
    return out


def get_variant(name: str, kind: str | None = None, var_dir: Path | None = None) -> Variant:
    """The variant ``name`` (of ``kind``, or of the one kind that has it)."""
    found = [v for v in list_variants(kind, var_dir) if v.artifact.name == name]
    if not found:
        known = [v.artifact.name for v in list_variants(kind, var_dir)]
        raise NotFound(f"No model variant {name!r} under {variants_root(var_dir)}; known: {known or 'none'} "
                       "(make one with `greencart compress run`)")
    if len(found) > 1:
        raise InvalidParameter(f"Both an embedder and a recommender are named {name!r}: pass the kind")
    return found[0]


# -- the serving pointer ---------------------------------------------------------------------


def _write_json(path: Path, obj: Any) -> None:
    write_json_atomic(path, obj)


def read_pointer(kind: str, var_dir: Path | None = None) -> dict[str, Any]:
    """``{"kind", "active": name or None, "history": [entries, oldest first]}`` (see greencart.promoted)."""
    return _read_pointer(_check_kind(kind), _var(var_dir))


def active(kind: str, var_dir: Path | None = None) -> Artifact | None:
    """The promoted variant of ``kind``, or None when the original model serves."""
    name = active_name(_check_kind(kind), _var(var_dir))
    return Artifact.load(variant_dir(kind, name, var_dir)) if name else None


def promote(name: str, kind: str, *, quality_bar: QualityBar = QualityBar(), force: bool = False,
            var_dir: Path | None = None) -> dict[str, Any]:
    """Serve variant ``name`` of ``kind``; refused (InvalidParameter) when an evaluation
    misses ``quality_bar`` or there is none, unless ``force``. Returns the new pointer."""
    variant = get_variant(name, _check_kind(kind), var_dir)
    problems = [p for ev in variant.evaluations.values() if (p := quality_bar.misses(ev))]
    if not variant.evaluations:
        problems.append("it has never been evaluated (run `greencart compress run` or evaluate it)")
    if problems and not force:
        raise InvalidParameter(f"Not promoting {name!r}: " + "; ".join(problems) + ". Pass --force to promote anyway.")
    pointer = read_pointer(kind, var_dir)
    entry = {"name": name, "promoted_at": datetime.now(UTC).isoformat(timespec="seconds"), "forced": bool(problems),
             "quality_bar": asdict(quality_bar), "problems": problems}
    pointer = {"kind": kind, "active": name, "history": [*pointer["history"], entry]}
    write_pointer(kind, pointer, _var(var_dir))
    return pointer


def rollback(kind: str, var_dir: Path | None = None) -> dict[str, Any]:
    """Restore the pointer before the last promotion (the original model when there was none)."""
    pointer = read_pointer(kind, var_dir)
    if not pointer["history"]:
        raise NotFound(f"Nothing to roll back: no {kind} variant has been promoted")
    history = pointer["history"][:-1]
    pointer = {"kind": kind, "active": history[-1]["name"] if history else None, "history": history}
    write_pointer(kind, pointer, _var(var_dir))
    return pointer


# -- serving hooks (wired into catalog.embed and recommend.service by greencart.bootstrap) ----


def serving_embedder_name(name: str, var_dir: Path | None = None) -> str:
    """``name``, or ``name@<variant>`` when a promoted embedder serves in its place."""
    return _serving_embedder_name(name, _var(var_dir))


class NamedEmbedder:
    """A variant's embedder under its serving name (the search index records this name)."""

    def __init__(self, inner: Any, name: str) -> None:
        self.inner, self.name, self.dim = inner, name, int(inner.dim)

    def embed(self, texts: Any, *, is_query: bool = False) -> Any:
        return self.inner.embed(texts, is_query=is_query)


def load_serving_embedder(serving_name: str, var_dir: Path | None = None) -> NamedEmbedder:
    """The embedder for ``minilm-int8@<variant>``, loaded from the variant's folder."""
    from greencart.compress.loaders import load_embedder

    _, name = split_serving_name(serving_name)
    return NamedEmbedder(load_embedder(Artifact.load(variant_dir("embedder", name, var_dir))), serving_name)


def load_promoted_recommender(var_dir: Path, data: Any) -> Any:
    """The recommender variant promoted under ``var_dir``, serving ``data`` (the trained
    model's Interactions); None when none is promoted. GreencartError when it cannot serve
    that data (e.g. made before `greencart train` changed the ids)."""
    from greencart.compress.loaders import load_recommender

    variant = active("recommender", var_dir)
    return None if variant is None else load_recommender(variant, data)
