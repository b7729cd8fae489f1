"""Generate the held-out phrasing set of the assistant benchmark (seeded, deterministic).

    .venv/bin/python benchmarks/heldout_generate.py [--check]

Writes ``benchmarks/tasks/heldout/dev.jsonl`` and ``benchmarks/tasks/heldout/test.jsonl``:
hand-written phrasings (``heldout_phrasings.py``) and templated variants
(``heldout_templates.py``, its own templates, vocabulary and seed, not those of
``benchmarks/tasks/generate.py``), over the demo catalogue and the Online Retail
sample, in English, Chinese and mixed Chinese-English, single and multi-turn.

Every task is checked here against its catalogue: each turn's cumulative
constraints must be met by at least one product (``n_satisfying_turns``), a budget
or an exclusion the task is about must bind (drop at least one product that meets
the rest: ``binding``), and "the second one" needs that many candidates. A
hand-written task failing a check is an error; a templated one is dropped.
The split into ``dev`` and ``test`` is stratified by primary class, language,
catalogue and single/multi-turn. The test half is sealed: whoever changes the
assistant's understanding must not open it (nor the phrasing sources), only run it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tasks"))

from assistant_tasks import Task, TaskConstraints, count_satisfying

from greencart.errors import InvalidParameter

OUT_DIR = HERE / "tasks" / "heldout"
SPLIT_SEED = 90417
CLASSES = ("exclusion", "number-words", "zh-numerals", "budget-phrasing", "range", "reference", "typo",
           "cross-lingual", "mixed", "correction", "follow-up", "synonym")
BUDGET_CLASSES = ("number-words", "zh-numerals", "budget-phrasing", "range")
MERGED = ("attributes", "exclude_attributes")


def accumulate(steps: Sequence[tuple[str, Mapping[str, Any]]]) -> tuple[tuple[str, ...], tuple[TaskConstraints, ...]]:
    """Per-turn deltas -> cumulative constraints. Keys replace, except ``attributes`` and
    ``exclude_attributes`` (merged per key); a value None removes the key; ``pick`` holds for its
    turn only; ``cheaper`` means cheaper than the previous turn's top pick."""
    current: dict[str, Any] = {}
    turns, out = [], []
    for i, (text, delta) in enumerate(steps):
        current.pop("pick", None)
        for key, value in delta.items():
            if key == "cheaper":
                if i == 0:
                    raise InvalidParameter(f"'cheaper' needs an earlier turn: {text!r}")
                current["cheaper_than_turn"] = i - 1
            elif value is None:
                current.pop(key, None)
            elif key in MERGED:
                merged = {**current.get(key, {}), **value}
                current[key] = {k: v for k, v in merged.items() if v}
            else:
                current[key] = value
        turns.append(text)
        out.append(TaskConstraints.from_dict(current, f"turn {text!r}"))
    return tuple(turns), tuple(out)


def _static(c: TaskConstraints, drop: Sequence[str] = ()) -> TaskConstraints:
    skip = ("cheaper_than_turn", "pick", *drop)
    return TaskConstraints.from_dict({k: v for k, v in c.to_dict().items() if k not in skip})


def check(spec: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> tuple[Task, dict[str, Any]] | str:
    """The task and its generation metadata, or why it is not a valid task on ``rows``."""
    turns, tcs = accumulate(spec["steps"])
    counts = [count_satisfying(rows, _static(c)) for c in tcs]
    if min(counts) < 1:
        return f"turn {counts.index(min(counts)) + 1} is not satisfiable ({counts})"
    final = tcs[-1]
    binding = {
        "budget": count_satisfying(rows, _static(final, ("max_price", "min_price"))) - counts[-1],
        "exclusion": count_satisfying(rows, _static(final, ("exclude_attributes", "exclude_categories",
                                                            "title_excludes"))) - counts[-1],
    }
    classes = tuple(spec["classes"])
    if "exclusion" in classes and binding["exclusion"] < 1:
        return "the exclusion excludes nothing that meets the rest"
    if set(classes) & set(BUDGET_CLASSES) and binding["budget"] < 1 and final.cheaper_than_turn is None:
        return "the budget drops nothing that meets the rest"
    if final.pick is not None and counts[final.pick[0]] < final.pick[1]:
        return f"'pick' rank {final.pick[1]} but {counts[final.pick[0]]} candidates"
    if final.cheaper_than_turn is not None:
        prices = {round(float(r["price"]), 2) for r in rows if count_satisfying([r], _static(final))}
        if len(prices) < 2:
            return "nothing cheaper than the top pick can exist"
    kind = classes[0] if classes else "other"
    task = Task(spec["id"], spec["catalogue"], spec["lang"], spec["source"], kind, turns, tcs, counts[-1],
                classes)
    return task, {"n_satisfying_turns": counts, "binding": binding}


def split(tasks: Sequence[Task], seed: int = SPLIT_SEED) -> dict[str, str]:
    """Task id -> "dev" | "test", stratified by (primary class, language, catalogue, single/multi-turn)."""
    strata: dict[tuple[str, ...], list[str]] = {}
    for t in tasks:
        key = (t.kind, t.lang, t.catalogue, "multi" if t.multi_turn else "single")
        strata.setdefault(key, []).append(t.id)
    rng = random.Random(seed)
    sizes = {"dev": 0, "test": 0}
    out: dict[str, str] = {}
    for key in sorted(strata):
        ids = sorted(strata[key])
        rng.shuffle(ids)
        first = min(sizes, key=lambda h: (sizes[h], rng.random()))
        second = "test" if first == "dev" else "dev"
        for i, tid in enumerate(ids):
            half = first if i % 2 == 0 else second
            out[tid] = half
            sizes[half] += 1
    return out


def build(catalogue: str, rows: list[dict[str, Any]]) -> tuple[list[Task], dict[str, dict[str, Any]], list[str]]:
    from heldout_phrasings import handwritten
    from heldout_templates import templated

    tasks, meta, dropped, errors = [], {}, [], []
    for spec in handwritten(catalogue):
        got = check(spec, rows)
        if isinstance(got, str):
            errors.append(f"{spec['id']} {spec['steps'][0][0]!r}: {got}")
            continue
        tasks.append(got[0])
        meta[got[0].id] = got[1]
    if errors:
        raise InvalidParameter(f"hand-written held-out tasks invalid on {catalogue} (fix them in "
                               f"{HERE / 'heldout_phrasings.py'}):\n" + "\n".join(errors))
    seen = {t.turns for t in tasks}
    for spec in templated(catalogue, rows):
        if tuple(s[0] for s in spec["steps"]) in seen:
            dropped.append(f"{spec['id']}: same words as an earlier task")
            continue
        got = check(spec, rows)
        if isinstance(got, str):
            dropped.append(f"{spec['id']}: {got}")
            continue
        tasks.append(got[0])
        meta[got[0].id] = got[1]
        seen.add(got[0].turns)
    return tasks, meta, dropped


def write(path: Path, tasks: Sequence[Task], meta: Mapping[str, Mapping[str, Any]]) -> None:
    lines = [json.dumps({**t.to_dict(), **meta[t.id]}, ensure_ascii=False) for t in tasks]
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    from generate import demo_rows, online_retail_rows

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list the templated tasks dropped, and why")
    args = ap.parse_args(argv)
    tasks: list[Task] = []
    meta: dict[str, dict[str, Any]] = {}
    for catalogue, load in (("demo", demo_rows), ("online-retail", online_retail_rows)):
        got, m, dropped = build(catalogue, load())
        tasks += got
        meta.update(m)
        print(f"{catalogue}: {len(got)} tasks ({len(dropped)} templated dropped)", file=sys.stderr)
        if args.verbose:
            print("\n".join(dropped), file=sys.stderr)
    ids = Counter(t.id for t in tasks)
    if dupes := [i for i, n in ids.items() if n > 1]:
        raise InvalidParameter(f"Duplicate held-out task ids: {dupes[:5]}")
    halves = split(tasks)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for half in ("dev", "test"):
        mine = [Task(**{**t.__dict__, "split": half}) for t in tasks if halves[t.id] == half]
        write(OUT_DIR / f"{half}.jsonl", mine, meta)
        by = Counter(f"{t.catalogue}/{t.lang}/{'multi' if t.multi_turn else 'single'}" for t in mine)
        print(f"{half}: {len(mine)} tasks {dict(sorted(by.items()))}", file=sys.stderr)
    by_class = Counter(c for t in tasks for c in t.classes)
    print(f"classes: {dict(sorted(by_class.items()))}; hand-written: "
          f"{sum(t.source == 'handwritten' for t in tasks)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
