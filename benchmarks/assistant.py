"""Assistant benchmark: the shopping task suite through the real Assistant, default router vs
"LLM on every turn", plus a load test of POST /v1/chat.

    OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/assistant.py \
        [--suite existing|heldout-dev|heldout-test|heldout|all] [--quick] [--no-baseline] [--no-load] \
        [--baseline-tasks 40] [--keep DIR]

Catalogues: the demo catalogue and the Online Retail sample (../shared/data/retail),
each loaded into a temp SQLite database with footprints, search index and
recommender built as ``greencart init`` / ``greencart import`` do. Tasks:
``benchmarks/tasks/*.jsonl`` (``benchmarks/tasks/generate.py``, suite ``existing``) and the
held-out phrasing set ``benchmarks/tasks/heldout/{dev,test}.jsonl`` (``benchmarks/heldout_generate.py``,
suites ``heldout-dev`` and ``heldout-test``; the test half is sealed: run it only to report). Writes
``benchmarks/results/assistant.{json,md}``, keeping the rows of suites not run this time (dated), so the
report shows every suite side by side.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assistant_report import markdown
from assistant_run import failures, group_rows, run_task
from assistant_suites import (
    SEALED,
    class_rows,
    load_suite,
    merge_previous,
    parse_suites,
    sealed_failures,
)
from assistant_tasks import Task

ROOT = Path(__file__).resolve().parents[1]
RETAIL_FILE = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail" \
    / "online_retail_sample_40k.xlsx"
RESULTS = ROOT / "benchmarks" / "results"
BASELINE_SEED = 7


def build_catalogue(name: str, var: Path, monitor: Any = None) -> dict[str, Any]:
    """A var dir with the catalogue, footprints, search index and recommender, the services built
    by the composition root the CLI and the API use (greencart.bootstrap)."""
    from greencart.bootstrap import build_services
    from greencart.config import Settings
    from greencart.footprint import estimate_all
    from greencart.store.catalog_repo import iter_products

    t0 = time.perf_counter()
    var.mkdir(parents=True, exist_ok=True)
    services = build_services(Settings(var_dir=var), migrate=True, monitor=monitor)
    svc, rec = services.catalog, services.recommender
    marker = var / ".built"
    if not marker.exists():  # --keep reuses a catalogue built by an earlier run
        if name == "demo":
            from greencart.demo import load_demo

            load_demo(svc.db)
        else:
            from greencart.catalog.importers.online_retail import import_online_retail

            import_online_retail(svc.db, RETAIL_FILE)
        estimate_all(svc.db)
        svc.index()
        rec.train()
        marker.write_text(datetime.now(UTC).isoformat(), encoding="utf-8")
    svc.index()
    with svc.db.read() as s:
        rows = {p.id: {"id": p.id, "title": p.title, "category": p.category, "price": float(p.price),
                       "attributes": dict(p.attributes)} for p in iter_products(s)}
        titles = [t for p in iter_products(s) for t in (p.title, p.title_zh) if t]
    print(f"[{name}] {len(rows)} products ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return {"name": name, "var": var, "service": svc, "recommender": rec, "rows": rows, "titles": titles}


def local_llm() -> tuple[Any, Any, str]:
    """(backend, every-turn RouterConfig, note); backend None with the reason when unavailable."""
    from greencart.assistant.router import RouterConfig

    every = getattr(RouterConfig, "llm_every_turn", None)
    try:
        from greencart.assistant.llm_local import LlamaCppBackend  # type: ignore[import-not-found]
    except ImportError as exc:
        return None, None, f"greencart.assistant.llm_local.LlamaCppBackend unavailable ({exc})"
    if every is None:
        return None, None, "RouterConfig.llm_every_turn() is not defined"
    try:
        backend = LlamaCppBackend().load()
    except Exception as exc:  # noqa: BLE001 - reported, the benchmark goes on without the baseline
        return None, None, f"LlamaCppBackend() failed: {type(exc).__name__}: {exc}"
    return backend, every(), "SmolLM2-135M via llama-cpp-python"


class CountingBackend:
    """Delegates to a backend and counts completions, so a turn that ran a model is seen as such
    even when its answer is labelled ``rules`` (the model's output was rejected)."""

    def __init__(self, backend: Any) -> None:
        self.backend, self.name, self.calls = backend, backend.name, 0

    def estimate_energy_j(self, prompt_chars: int, max_tokens: int) -> float:
        return float(self.backend.estimate_energy_j(prompt_chars, max_tokens))

    def count(self) -> int:
        return self.calls

    def complete(self, messages: list[dict[str, str]], **kwargs: Any) -> Any:
        self.calls += 1
        return self.backend.complete(messages, **kwargs)


def make_assistant(cat: dict[str, Any], monitor: Any, *, llm: Any = None, config: Any = None) -> Any:
    from greencart.assistant import Assistant

    return Assistant(cat["service"], cat["recommender"], monitor, llm=llm, config=config)


def run_config(label: str, tasks: list[Task], cats: dict[str, dict[str, Any]], monitor: Any, *,
               llm: Any = None, config: Any = None) -> list[Any]:
    scores = []
    for name, cat in cats.items():
        counter = CountingBackend(llm) if llm is not None else None
        assistant = make_assistant(cat, monitor, llm=counter, config=config)
        mine = [t for t in tasks if t.catalogue == name]
        t0 = time.perf_counter()
        for i, task in enumerate(mine, 1):
            scores.append(run_task(assistant, task, cat["rows"], cat["titles"],
                                   counter.count if counter else (lambda: 0)))
            if i % 25 == 0 or i == len(mine):
                print(f"[{label}/{name}] {i}/{len(mine)} tasks, {time.perf_counter() - t0:.0f} s",
                      file=sys.stderr, flush=True)
    return scores


def energy_ratio(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Default vs baseline on the same tasks (the baseline subset): J per turn and its ratio."""
    def pick(cfg: str) -> dict[str, Any] | None:
        return next((r for r in rows if r["config"] == cfg and r["group"] == "all"), None)

    d, b = pick("default@subset"), pick("llm-every-turn")
    if not d or not b or not d["energy_j_per_turn"]:
        return {}
    return {"default_energy_j_per_turn": d["energy_j_per_turn"], "baseline_energy_j_per_turn": b["energy_j_per_turn"],
            "baseline_over_default_energy_ratio": round(b["energy_j_per_turn"] / d["energy_j_per_turn"], 1),
            "default_success_rate": d["success_rate"], "baseline_success_rate": b["success_rate"],
            "default_latency_ms_p50": d["latency_ms_p50"], "baseline_latency_ms_p50": b["latency_ms_p50"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="existing",
                    help="existing | heldout-dev | heldout-test | heldout (both halves) | all, or a comma list")
    ap.add_argument("--quick", action="store_true", help="a small subset (smoke run)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the LLM-on-every-turn baseline")
    ap.add_argument("--no-load", action="store_true", help="skip the HTTP load test")
    ap.add_argument("--baseline-tasks", type=int, default=40, help="size of the baseline's fixed random subset")
    ap.add_argument("--load-seconds", type=float, default=60.0)
    ap.add_argument("--keep", type=Path, default=None,
                    help="build the catalogues in this folder and reuse them on later runs (default: a temp dir)")
    args = ap.parse_args(argv)
    from greencart.energy import EnergyConfig, EnergyMonitor

    suites = parse_suites(args.suite)
    names = ["demo"] + (["online-retail"] if RETAIL_FILE.exists() else [])
    if "online-retail" not in names:
        print(f"skipping online-retail: {RETAIL_FILE} is absent", file=sys.stderr)
    by_suite = {s: [t for t in load_suite(s) if t.catalogue in names] for s in suites}
    if args.quick:
        by_suite = {s: random.Random(1).sample(ts, min(24, len(ts))) for s, ts in by_suite.items()}
    tasks = by_suite.get("existing", [])
    n_base = min(len(tasks), 6 if args.quick else args.baseline_tasks)
    subset = sorted(random.Random(BASELINE_SEED).sample(tasks, n_base), key=lambda t: t.id)
    started = datetime.now(UTC)
    monitor = EnergyMonitor(config=EnergyConfig.from_env()).start()
    command = "benchmarks/assistant.py " + " ".join(argv if argv is not None else sys.argv[1:])
    env: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine(),
                           "processor": platform.processor() or platform.uname().machine, "cpus": os.cpu_count(),
                           "date": started.isoformat(timespec="seconds"), "meter_method": monitor.method,
                           "command": command, "tasks": sum(map(len, by_suite.values())),
                           "baseline_tasks": 0 if args.no_baseline or not tasks else n_base}
    runs = {s: {"date": env["date"], "command": command, "tasks": len(ts)} for s, ts in by_suite.items()}
    rows: list[dict[str, Any]] = []
    fails: dict[str, Any] = {}
    classes: list[dict[str, Any]] = []
    load: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="greencart-bench-assistant-") as tmp:
        where = args.keep or Path(tmp)
        cats = {n: build_catalogue(n, where / n, monitor) for n in names}
        backend, every, note = local_llm()
        env["llm"] = note
        for suite, mine in by_suite.items():
            scores = run_config(f"{suite}/default", mine, cats, monitor, llm=backend)
            rows += [{"suite": suite, **r} for r in group_rows(scores, "default")]
            classes += class_rows(scores, suite)
            fails[f"{suite}/default"] = (sealed_failures(failures(scores), mine) if suite in SEALED
                                         else failures(scores))
            if suite != "existing":
                continue
            if not args.no_baseline and backend is not None:
                ids = {t.id for t in subset}
                rows += [{"suite": suite, **r} for r in group_rows([s for s in scores if s.task.id in ids],
                                                                      "default@subset")]
                base_scores = run_config("llm-every-turn", subset, cats, monitor, llm=backend, config=every)
                rows += [{"suite": suite, **r} for r in group_rows(base_scores, "llm-every-turn")]
                fails["existing/llm-every-turn"] = failures(base_scores)
            elif not args.no_baseline:
                print(f"baseline skipped: {note}", file=sys.stderr)
        if not args.no_load and tasks:
            messages = [t.turns[0] for t in tasks if t.catalogue == "demo"]
            for cat in cats.values():
                cat["service"].close()
                cat["recommender"].close()
            load = load_test_safe(cats["demo"]["var"], messages, args.load_seconds)
    monitor.stop()
    if hasattr(os, "getloadavg"):  # latencies depend on what else the machine runs: say how busy it was
        for run in runs.values():
            run["load_average_1m"] = round(os.getloadavg()[0], 1)
    payload = {"environment": env, "suite_runs": runs, "baseline_subset": [t.id for t in subset], "rows": rows,
               "classes": classes, "energy_ratio": energy_ratio(rows), "load": load, "failures": fails}
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = merge_previous(RESULTS / "assistant.json", payload, suites)
    (RESULTS / "assistant.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown(payload)
    (RESULTS / "assistant.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0


def load_test_safe(var: Path, messages: list[str], seconds: float) -> dict[str, Any]:
    from assistant_load import load_test

    from greencart.errors import GreencartError

    try:
        return load_test(var, messages, total_s=seconds)
    except GreencartError as exc:
        return {"error": exc.message}


if __name__ == "__main__":
    raise SystemExit(main())
