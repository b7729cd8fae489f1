"""Governance figures: encryption overhead per stored turn, the deletion-test rate of the
recommenders' explanations, and stratified K-fold figures of the classifiers.

    OPENBLAS_NUM_THREADS=1 python benchmarks/governance.py [--turns 300] [--cases 300] [--quick]

Writes benchmarks/results/governance.json (one object per row) and governance.md.

- encryption: the same exchanges (two turns each) stored by ``append_turns`` in clear
  (the baseline, measured in the same run on the same SQLite file) and encrypted
  (AES-256-GCM, data key looked up and unwrapped per exchange; a returning shopper
  and a new one, who costs a key insert). The ratio to the baseline is the figure.
- deletion test: removing the top-k contributing purchases vs k random ones, on the
  Online Retail sample (real purchases; skipped when ../shared/data is absent) and
  the demo data, for ItemKNN, EASE and ALS.
- K-fold: ``greencart.governance.evaluation`` with and without the MiniLM embedder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
RETAIL_FILE = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail" \
    / "online_retail_sample_40k.xlsx"
RESULTS = ROOT / "benchmarks" / "results"
TEXT = ("do you have a red linen t-shirt under 30 pounds, my name is Ana Souza", ("Here are 3 options: 1. Red Linen "
        "T-Shirt — £31.00, 1.90 kg CO2e (range 1.43–2.38, declared) 2. ..."))


def _exchange(db: Any, cipher: Any, conv: str, pseudonym: str | None, i: int) -> tuple[float, float]:
    """(wall ms, CPU ms) of storing one exchange (two turns) in its own transaction."""
    from greencart.store.conversation_repo import StoredTurn, append_turns

    turns = [StoredTurn("user", f"{TEXT[0]} #{i}"), StoredTurn("assistant", TEXT[1], 0, "rules", 0.2, 0.001,
                                                                "modelled", "search", ("K1", "K2"))]
    t0, c0 = time.perf_counter(), time.process_time()
    with db.transaction() as s:
        append_turns(s, conv, turns, user_pseudonym=pseudonym, lang="en", now=datetime.now(UTC), cipher=cipher)
    return (time.perf_counter() - t0) * 1000.0, (time.process_time() - c0) * 1000.0


def encryption_rows(n: int) -> list[dict[str, Any]]:
    """Each round stores one exchange per case, in a shuffled order (a loaded machine hits all alike);
    CPU ms is the steadier figure on a shared machine, wall ms includes the commit's fsync."""
    import random

    from greencart.governance.erasure import open_cipher
    from greencart.store import open_database

    rng = random.Random(0)
    cases = {"clear (baseline, no encryption)": (False, "p" * 64), "encrypted, returning shopper": (True, "q" * 64),
             "encrypted, new shopper (key created)": (True, None)}
    samples: dict[str, list[tuple[float, float]]] = {c: [] for c in cases}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db", migrate=True)
        cipher = open_cipher(Path(tmp), db, environ={})
        for w in range(30):  # warm-up: imports, SQLite pages, the returning shopper's key
            for name, (enc, who) in cases.items():
                _exchange(db, cipher if enc else None, f"warm-{w}-{name[:5]}", who or f"w{w:063d}", w)
        for i in range(n):
            order = list(cases.items())
            rng.shuffle(order)
            for name, (enc, who) in order:
                samples[name].append(_exchange(db, cipher if enc else None, f"{name[:9]}-{i}", who or f"{i:064d}", i))
        db.dispose()
    from greencart.governance.crypto import FieldCipher

    key = os.urandom(32)
    t0 = time.perf_counter()
    for _ in range(2000):
        FieldCipher.seal_with("k" * 32, key, b"aad", TEXT[0])
    seal_us = (time.perf_counter() - t0) / 2000 * 1e6
    base_wall = statistics.median(w for w, _ in samples["clear (baseline, no encryption)"])
    base_cpu = statistics.median(c for _, c in samples["clear (baseline, no encryption)"])
    rows = []
    for name, xs in samples.items():
        wall, cpu = statistics.median(w for w, _ in xs), statistics.median(c for _, c in xs)
        rows.append({"table": "encryption", "case": name, "exchanges": n, "store_cpu_ms_p50": round(cpu, 3),
                     "store_wall_ms_p50": round(wall, 3), "store_wall_ms_p90": round(_q([w for w, _ in xs], 0.9), 3),
                     "overhead_cpu_ms_per_exchange": round(cpu - base_cpu, 3),
                     "overhead_wall_ms_per_exchange": round(wall - base_wall, 3),
                     "ratio_cpu_vs_clear": round(cpu / base_cpu, 3), "ratio_wall_vs_clear": round(wall / base_wall, 3)})
    rows.append({"table": "encryption", "case": "AES-256-GCM seal of one turn text (in memory)",
                 "seal_us_per_text": round(seal_us, 2)})
    return rows


def _q(xs: list[float], q: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))]


def _retail_interactions(tmp: Path) -> Any:
    from greencart.catalog.importers import import_online_retail
    from greencart.recommend.data import interactions_from_db
    from greencart.store import open_database

    db = open_database(f"sqlite:///{tmp}/retail.db", migrate=True)
    import_online_retail(db, RETAIL_FILE)
    data = interactions_from_db(db)
    db.dispose()
    return data


def deletion_rows(cases: int, quick: bool) -> list[dict[str, Any]]:
    from greencart.demo import generate_demo
    from greencart.governance.explain import DeletionTestConfig, deletion_test
    from greencart.recommend.data import EventLog, build_interactions
    from greencart.recommend.factory import make_recommender

    sets = {"demo": build_interactions(EventLog.from_interactions(generate_demo().interactions))}
    if RETAIL_FILE.exists() and not quick:
        with tempfile.TemporaryDirectory() as tmp:
            sets["online-retail-40k"] = _retail_interactions(Path(tmp))
    else:
        print(f"[deletion] {RETAIL_FILE} absent or --quick: Online Retail skipped", file=sys.stderr)
    rows = []
    for dataset, data in sets.items():
        for name in ("itemknn", "ease", "als"):
            model = make_recommender(name).fit(data)
            for k in (1, 2, 3):
                t0 = time.perf_counter()
                r = deletion_test(model, DeletionTestConfig(k=k, random_draws=10, max_cases=cases, seed=0))
                rows.append({"table": "deletion", "dataset": dataset, "model": name, "k": k, "cases": r.cases,
                             "faithful_rate": round(r.faithful_rate, 4), "mean_drop_top_k": round(r.mean_drop_top_k, 5),
                             "mean_drop_random_k": round(r.mean_drop_random_k, 5),
                             "drop_ratio_top_vs_random": round(r.mean_drop_top_k / r.mean_drop_random_k, 3)
                             if r.mean_drop_random_k > 0 else None, "wall_s": round(time.perf_counter() - t0, 2)})
                print(f"[deletion] {dataset} {name} k={k}: {r.faithful_rate:.3f}", flush=True)
            if name == "als":  # control: attributions replaced by noise must fall to about chance
                import numpy as np

                rng = np.random.default_rng(0)
                model._contributions = lambda row, item, rng=rng: rng.random(row.nnz)
                r = deletion_test(model, DeletionTestConfig(k=2, random_draws=10, max_cases=cases, seed=0))
                rows.append({"table": "deletion", "dataset": dataset, "model": "als, noise attributions (control)",
                             "k": 2, "cases": r.cases, "faithful_rate": round(r.faithful_rate, 4),
                             "mean_drop_top_k": round(r.mean_drop_top_k, 5),
                             "mean_drop_random_k": round(r.mean_drop_random_k, 5)})
                print(f"[deletion] {dataset} control: {r.faithful_rate:.3f}", flush=True)
    return rows


def kfold_rows(quick: bool) -> list[dict[str, Any]]:
    from greencart.governance.evaluation import evaluate_classifiers

    rows = []
    configs: list[tuple[str, Any]] = [("keywords", None)]
    if not quick:
        from greencart.catalog.embed import get_embedder

        configs.append(("keywords+minilm", get_embedder("minilm-int8")))
    for label, emb in configs:
        results = evaluate_classifiers(ROOT / "benchmarks" / "tasks" / "demo.jsonl", k=5, embedder=emb)
        for r in results:
            if label != "keywords" and not r.model.startswith("footprint"):
                continue  # the other rows do not depend on the embedder
            rows.append({"table": "kfold", "model": r.model, "dataset": r.dataset, "protocol": r.protocol, "n": r.n,
                         "classes": r.classes, "accuracy_mean": round(r.accuracy_mean, 4),
                         "accuracy_sd": round(r.accuracy_sd, 4), "macro_f1_mean": round(r.macro_f1_mean, 4),
                         "macro_f1_sd": round(r.macro_f1_sd, 4)})
            print(f"[kfold] {r.model}: acc {r.accuracy_mean:.3f} ± {r.accuracy_sd:.3f}", flush=True)
    return rows


def markdown(rows: list[dict[str, Any]], env: dict[str, Any]) -> str:
    out = ["# Governance benchmark", "", f"`{env['command']}` · {env['date']} · {env['cpus']} CPUs", ""]
    for table in ("encryption", "deletion", "kfold"):
        part = [r for r in rows if r["table"] == table]
        if not part:
            continue
        cols = [c for c in dict.fromkeys(k for r in part for k in r) if c != "table"]
        out += [f"## {table}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        out += ["| " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + " |" for r in part]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=300, help="exchanges per encryption case")
    ap.add_argument("--cases", type=int, default=300, help="shoppers per deletion test")
    ap.add_argument("--quick", action="store_true", help="demo data only, no embedder")
    args = ap.parse_args(argv)
    env = {"command": "python benchmarks/governance.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "date": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
           "python": sys.version.split()[0]}
    rows = encryption_rows(args.turns) + deletion_rows(args.cases, args.quick) + kfold_rows(args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "governance.json").write_text(json.dumps({"environment": env, "rows": rows}, indent=2))
    text = markdown(rows, env)
    (RESULTS / "governance.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
