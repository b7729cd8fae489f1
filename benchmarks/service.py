"""Customer-service and content benchmark.

    OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/service.py \
        [--shoppers 30] [--baseline 12] [--polish 10] [--keep DIR]

Service: questions about orders, returns and policies (en/zh) over the demo
catalogue and the Online Retail sample (../shared/data/retail), generated from
each shopper's own orders with verifiable answers (order ids; clause ids for
policy questions, from benchmarks/tasks/content/faq.tsv), plus probes where one
shopper asks about another's order. Every question goes through the real
Assistant (redaction, routing, metering). Scored: answer accuracy, wrong-user
leaks (an order id in the reply that is not the asker's), invented numbers (a
number not in the asker's orders, the policy or the computed due dates), J per
answer; a baseline lets the local model (SmolLM2-135M) answer a subset with the
shopper's orders and the policy in its prompt, as a model-every-turn assistant
would. Content: J per 1,000 template descriptions, and the share of model-polished
descriptions that pass the grounding check, with their J per 1,000. Title
translation: chrF against benchmarks/tasks/content/titles_en_zh.tsv.
Writes benchmarks/results/service.{json,md}.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assistant import RETAIL_FILE, build_catalogue  # noqa: E402
from service_tasks import ServiceTask, chrf, faq_tasks, shopper_tasks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ORDER_ID = re.compile(r"(?<![\w.])(C?\d{6}|O\d{7})(?![\w.])")


def _norm(numbers: list[str]) -> set[str]:
    """'07' and '7', '3.50' and '3.5' are the same figure."""
    from decimal import Decimal

    return {format(Decimal(n).normalize(), "f") for n in numbers}


def _allowed_numbers(orders: list[Any], policy_text: str, facts: dict[str, Any], question: str = "") -> set[str]:
    text = [policy_text, json.dumps(facts, default=str), question]  # echoing the shopper's own figures is fine
    for o in orders:
        d = o.ordered_at
        # the reply lists at most 3 items and says "and N more": N is derived from the data too
        text += [o.order_id, f"{d.year} {d.month} {d.day} {d:%d}", f"{o.total:.2f}", str(len(o.lines)),
                 str(max(len(o.lines) - 3, 0))]
        text += [f"{ln.title} {ln.title_zh or ''} {ln.quantity} {ln.unit_price:.2f}" for ln in o.lines]
    return _norm(NUMBER.findall(" ".join(text)))


def _score(task: ServiceTask, result: Any, asker_orders: list[Any], policy_text: str) -> dict[str, Any]:
    answer = next((r for r in result.tool_results if hasattr(r, "order_ids")), None)
    reply = result.reply
    mine = {o.order_id for o in asker_orders}
    shown_ids = set(ORDER_ID.findall(reply))
    leak = bool(shown_ids - mine - ({task.probe_id} if task.probe_id else set()))
    leak = leak or bool(task.probe_id and answer is not None and task.probe_id in answer.order_ids)
    facts = answer.facts if answer is not None else {}
    invented = sorted(_norm(NUMBER.findall(reply)) - _allowed_numbers(asker_orders, policy_text, facts, task.text))
    if task.expect_clause:
        correct = answer is not None and task.expect_clause in answer.clause_ids
    elif task.probe_id:
        correct = answer is not None and not leak and task.probe_id not in answer.order_ids
    else:
        correct = answer is not None and set(answer.order_ids) == set(task.expect_orders)
    return {"kind": task.kind, "lang": task.lang, "correct": correct, "leak": leak, "invented": invented,
            "tier": result.tier, "energy_j": result.energy["energy_j"], "latency_ms": result.latency_ms,
            "text": task.text, "reply": reply[:300]}


def _policy_terms(policy_text: str) -> str:
    """The policy's English clauses, shortened to fit the small model's context."""
    return " ".join(line for line in policy_text.split("---")[-1].splitlines()
                    if line and not any("\u4e00" <= ch <= "\u9fff" for ch in line))[:700]


def _baseline(backend: Any, monitor: Any, tasks: list[tuple[ServiceTask, list[Any]]], policy_text: str,
              n: int) -> dict[str, Any]:
    """The local model answers with the shopper's orders and the policy in its prompt."""
    rows = []
    for task, orders in tasks[:n]:
        data = "\n".join(f"order {o.order_id} on {o.ordered_at:%Y-%m-%d}: "
                         + "; ".join(f"{ln.quantity} x {ln.title} at {ln.unit_price:.2f}" for ln in o.lines[:3])
                         for o in orders[:4])  # SmolLM2 runs with a 1,024-token context
        messages = [{"role": "system", "content": "You are a shop's customer-service assistant. Answer from the "
                     "orders and policy given; if you cannot see something, say so.\nPolicy:\n" + _policy_terms(policy_text)},
                    {"role": "user", "content": f"My orders:\n{data}\n\nQuestion: {task.text}"}]
        from greencart.errors import ModelUnavailable

        with monitor.unit("service.baseline", route="bench") as unit:
            try:
                reply = backend.complete(messages, max_tokens=120, temperature=0.2)
            except ModelUnavailable as exc:  # counted as a failed answer, its energy kept
                print(f"baseline: {exc.message}", file=sys.stderr)
                reply = None
        r = unit.result
        if reply is None:
            rows.append({"energy_j": r.energy_j if r else 0.0, "correct": False, "invented": [], "leak": False})
            continue
        ids = set(ORDER_ID.findall(reply.text))
        correct = (task.expect_clause is None and bool(task.expect_orders)
                   and set(task.expect_orders) <= ids)
        invented = sorted(_norm(NUMBER.findall(reply.text)) - _allowed_numbers(orders, policy_text, {}, task.text))
        rows.append({"energy_j": (r.energy_j if r else 0.0) + (reply.energy_j if reply.method == "estimated" else 0),
                     "correct": correct, "invented": invented, "leak": bool(ids - {o.order_id for o in orders})})
    if not rows:
        return {}
    return {"answers": len(rows), "accuracy": sum(r["correct"] for r in rows) / len(rows),
            "energy_j_per_answer": sum(r["energy_j"] for r in rows) / len(rows),
            "answers_with_invented_numbers": sum(bool(r["invented"]) for r in rows) / len(rows),
            "leaks": sum(r["leak"] for r in rows)}


def run_catalogue(name: str, var: Path, args: argparse.Namespace, backend: Any, monitor: Any) -> dict[str, Any]:
    from greencart.assistant import Assistant, SemanticCache
    from greencart.store.order_repo import orders_of
    from greencart.support import sample_policy_path, support_desk

    built = build_catalogue(name, var)
    svc = built["service"]
    with svc.db.read() as s:
        from sqlalchemy import func, select

        from greencart.store.tables import OrderRow

        last = s.execute(select(func.max(OrderRow.ordered_at))).scalar_one()
        customers = [c for (c,) in s.execute(select(OrderRow.customer_id).where(OrderRow.customer_id.is_not(None))
                                             .distinct().order_by(OrderRow.customer_id))]
    now = last + timedelta(days=10)  # the data's "today": recent orders are inside the returns window
    desk = support_desk(svc.db, now=lambda: now)
    policy_text = sample_policy_path().read_text(encoding="utf-8")
    assistant = Assistant(svc, None, monitor, cache=SemanticCache(embedder=None), support=desk, llm=[])
    rng = random.Random(13)
    shoppers = rng.sample(customers, min(args.shoppers, len(customers)))
    orders_by = {}
    with svc.db.read() as s:
        for c in shoppers:
            orders_by[c] = orders_of(s, c)
    tasks = shopper_tasks(shoppers, orders_by, rng, now) + faq_tasks(shoppers[0]) \
        + faq_tasks(shoppers[0], heldout=True)
    rows, baseline_pool = [], []
    for task in tasks:
        result = assistant.turn(task.text, user=task.user)
        asker = orders_by.get(task.user, [])
        rows.append({**_score(task, result, asker, policy_text), "catalogue": name})
        if task.expect_orders and not task.probe_id:
            baseline_pool.append((task, asker))
    base = _baseline(backend, monitor, baseline_pool, policy_text, args.baseline) if backend is not None else {}
    content = _content(svc, monitor, backend, args.polish, name)
    svc.close()
    built["recommender"].close()
    return {"rows": rows, "baseline": base, "content": content}


def _content(svc: Any, monitor: Any, backend: Any, n_polish: int, name: str) -> dict[str, Any]:
    from greencart.content.service import ContentService

    service = ContentService(svc, monitor, backend)
    ids = service.all_ids()[:500]
    out: dict[str, Any] = {}
    for lang in ("en", "zh"):
        service.describe(ids[:5], lang, refresh=True)  # loads the dictionary outside the measured batch
        rep = service.describe(ids, lang, refresh=True)
        out[f"template_{lang}_energy_j_per_1k"] = rep.energy_j_per_1k
    if backend is not None and n_polish:
        rep = service.describe(ids[:n_polish], "en", polish_with_model=True, refresh=True)
        out.update({"polished_tried": rep.generated, "polish_pass_rate": rep.polished / max(rep.generated, 1),
                    "polish_energy_j_per_1k": rep.energy_j_per_1k, "polish_rejections": rep.problems})
    print(f"[{name}] content: {out}", file=sys.stderr, flush=True)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for key in (f"{r['catalogue']}", f"lang={r['lang']}", f"kind={r['kind']}", "all"):
            groups[key].append(r)
    out = {}
    for key, rs in sorted(groups.items()):
        out[key] = {"questions": len(rs), "accuracy": sum(r["correct"] for r in rs) / len(rs),
                    "leaks": sum(r["leak"] for r in rs), "invented": sum(bool(r["invented"]) for r in rs),
                    "energy_j_per_answer": sum(r["energy_j"] for r in rs) / len(rs),
                    "model_free_share": sum(r["tier"] in ("rules", "cache") for r in rs) / len(rs)}
    return out


def translation_quality() -> dict[str, Any]:
    from greencart.content.translate import to_chinese, to_english

    pairs = [line.rstrip("\n").split("\t") for line in
             (ROOT / "benchmarks" / "tasks" / "content" / "titles_en_zh.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    t0 = time.perf_counter()
    zh = [to_chinese(en).text for en, _ in pairs]
    ms = (time.perf_counter() - t0) * 1000 / len(pairs)
    en_back = [to_english(z).text for _, z in pairs]
    return {"pairs": len(pairs), "en_to_zh_chrf": chrf(zh, [z for _, z in pairs]),
            "en_to_zh_exact": sum(a == b for a, (_, b) in zip(zh, pairs)) / len(pairs),
            "zh_to_en_chrf": chrf([e.lower() for e in en_back], [e.lower() for e, _ in pairs]),
            "ms_per_title": ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shoppers", type=int, default=30)
    ap.add_argument("--baseline", type=int, default=12, help="questions the local model answers (0: none)")
    ap.add_argument("--polish", type=int, default=10, help="descriptions the local model polishes (0: none)")
    ap.add_argument("--keep", type=Path, help="reuse catalogues built here")
    args = ap.parse_args()
    from greencart.energy import EnergyConfig, EnergyMonitor

    from assistant import local_llm

    backend, _, note = local_llm() if (args.baseline or args.polish) else (None, None, "not asked")
    print(f"local model: {note}", file=sys.stderr)
    monitor = EnergyMonitor(config=EnergyConfig.from_env()).start()
    root = args.keep or Path(tempfile.mkdtemp(prefix="gc-service-"))
    names = ["demo"] + (["online-retail"] if RETAIL_FILE.exists() else [])
    runs = {n: run_catalogue(n, root / n, args, backend, monitor) for n in names}
    monitor.stop()
    rows = [r for run in runs.values() for r in run["rows"]]
    result = {"summary": summarise(rows), "baseline": {n: r["baseline"] for n, r in runs.items()},
              "content": {n: r["content"] for n, r in runs.items()}, "translation": translation_quality(),
              "energy_method": monitor.method, "local_model": note,
              "failures": [r for r in rows if not r["correct"] or r["leak"] or r["invented"]][:60]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "service.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    (RESULTS / "service.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def markdown(result: dict[str, Any]) -> str:
    lines = ["# Customer service and content benchmark", "",
             f"Energy method: {result['energy_method']}. Local model: {result['local_model']}.", "",
             "| group | questions | accuracy | wrong-user leaks | answers with invented numbers | J per answer "
             "| without a model |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for key, s in result["summary"].items():
        lines.append(f"| {key} | {s['questions']} | {s['accuracy']:.3f} | {s['leaks']} | {s['invented']} | "
                     f"{s['energy_j_per_answer']:.3g} | {s['model_free_share']:.0%} |")
    lines += ["", "Model-every-turn baseline (SmolLM2 answers with the orders and policy in its prompt):", ""]
    for name, b in result["baseline"].items():
        if b:
            lines.append(f"- {name}: {b['answers']} answers, accuracy {b['accuracy']:.3f}, "
                         f"{b['energy_j_per_answer']:.3g} J per answer, invented numbers in "
                         f"{b['answers_with_invented_numbers']:.0%}, leaks {b['leaks']}")
    lines += ["", "Content:", ""] + [f"- {n}: {json.dumps(c, default=str)}" for n, c in result["content"].items()]
    lines += ["", f"Title translation: {json.dumps(result['translation'])}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
