"""Generate the assistant's shopping tasks (deterministic: same catalogue, same tasks).

    .venv/bin/python benchmarks/tasks/generate.py [--only demo|online-retail]

Writes ``benchmarks/tasks/demo.jsonl`` and ``benchmarks/tasks/online_retail.jsonl``:
templated tasks over each catalogue's own vocabulary (``tasks_templates``) plus the
hand-written phrasings of ``handwritten.py``. Every task is checked against the
catalogue here: one that no product satisfies is an error (hand-written) or is
not emitted (templated), and ``n_satisfying`` records how many products do.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/ (run as a script)
sys.path.insert(0, str(HERE))

from assistant_tasks import Task, TaskConstraints, count_satisfying, write_tasks

from greencart.errors import InvalidParameter

ROOT = HERE.parents[1]
RETAIL_FILE = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail" \
    / "online_retail_sample_40k.xlsx"
OUTPUT = {"demo": HERE / "demo.jsonl", "online-retail": HERE / "online_retail.jsonl"}


def product_row(p: Any) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "title_zh": p.title_zh, "category": p.category,
            "price": float(p.price), "attributes": dict(p.attributes)}


def demo_rows() -> list[dict[str, Any]]:
    from greencart.demo import generate_demo

    return [product_row(p) for p in generate_demo().products]


def online_retail_rows(path: Path = RETAIL_FILE) -> list[dict[str, Any]]:
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    if not path.exists():
        raise InvalidParameter(f"{path} is absent: the Online Retail tasks need ../shared/data beside the clone")
    with tempfile.TemporaryDirectory(prefix="greencart-tasks-") as tmp:
        db = open_database(f"sqlite:///{tmp}/tasks.db", migrate=True)
        import_online_retail(db, path)
        with db.read() as s:
            rows = [product_row(p) for p in iter_products(s)]
        db.dispose()
    return rows


def accumulate(steps: list[tuple[str, dict[str, Any]]]) -> tuple[tuple[str, ...], tuple[TaskConstraints, ...]]:
    """Turn texts and per-turn constraint deltas into the cumulative constraints after each turn.
    A delta ``{"cheaper": True}`` means cheaper than the top pick shown after the previous turn."""
    current: dict[str, Any] = {}
    turns, out = [], []
    for i, (text, delta) in enumerate(steps):
        delta = dict(delta)
        if delta.pop("cheaper", False):
            if i == 0:
                raise InvalidParameter(f"'cheaper' needs an earlier turn: {text!r}")
            current["cheaper_than_turn"] = i - 1
            current.pop("max_price", None)  # the earlier ceiling is implied by a cheaper top pick
        attrs = {**current.get("attributes", {}), **delta.pop("attributes", {})}
        current.update(delta)
        if attrs:
            current["attributes"] = attrs
        turns.append(text)
        out.append(TaskConstraints.from_dict(current, f"turn {text!r}"))
    return tuple(turns), tuple(out)


def make_task(tid: str, catalogue: str, lang: str, source: str, kind: str,
              steps: list[tuple[str, dict[str, Any]]], rows: list[dict[str, Any]]) -> Task | None:
    """A task when its final constraints are satisfiable in ``rows`` (else None). A cheaper-than
    task needs at least two satisfying prices, so that some top pick has a cheaper one."""
    turns, tcs = accumulate(steps)
    final = tcs[-1]
    static = TaskConstraints.from_dict({k: v for k, v in final.to_dict().items() if k != "cheaper_than_turn"})
    n = count_satisfying(rows, static)
    if final.cheaper_than_turn is not None:
        prices = {round(r["price"], 2) for r in rows if count_satisfying([r], static)}
        n = n if len(prices) >= 2 else 0
    if n == 0:
        return None
    return Task(tid, catalogue, lang, source, kind, turns, tcs, n)


def build(catalogue: str, rows: list[dict[str, Any]]) -> list[Task]:
    from handwritten import HANDWRITTEN
    from tasks_templates import templated

    tasks: list[Task] = []
    for spec in HANDWRITTEN:
        if spec["catalogue"] != catalogue:
            continue
        task = make_task(spec["id"], catalogue, spec["lang"], "handwritten", spec["kind"], spec["steps"], rows)
        if task is None:
            raise InvalidParameter(f"hand-written task {spec['id']} is not satisfiable in the {catalogue} "
                                   f"catalogue: fix its constraints in {HERE / 'handwritten.py'}")
        tasks.append(task)
    for tid, lang, kind, steps in templated(catalogue, rows):
        task = make_task(tid, catalogue, lang, "template", kind, steps, rows)
        if task is not None:
            tasks.append(task)
    return tasks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(OUTPUT), default=None)
    args = ap.parse_args(argv)
    loaders = {"demo": demo_rows, "online-retail": online_retail_rows}
    for catalogue in [args.only] if args.only else sorted(OUTPUT):
        tasks = build(catalogue, loaders[catalogue]())
        n = write_tasks(OUTPUT[catalogue], tasks)
        by = {}
        for t in tasks:
            key = f"{t.lang}/{t.source}/{'multi' if t.multi_turn else 'single'}"
            by[key] = by.get(key, 0) + 1
        print(f"{catalogue}: {n} tasks -> {OUTPUT[catalogue].relative_to(ROOT)} {dict(sorted(by.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
