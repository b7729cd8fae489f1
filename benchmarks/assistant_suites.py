"""Task suites of the assistant benchmark and their side-by-side report.

Suites: ``existing`` (benchmarks/tasks/*.jsonl, the generator's own vocabulary),
``heldout-dev`` and ``heldout-test`` (benchmarks/tasks/heldout/{dev,test}.jsonl,
phrasings written independently of the assistant's rules, see
``benchmarks/heldout_generate.py``). The test half is sealed: its failures are
recorded as task ids and classes only, never with the shopper's words or replies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant_tasks import CONSTRAINT_TYPES, TASKS_DIR, Task, load_tasks

from greencart.errors import InvalidParameter

HELDOUT_DIR = TASKS_DIR / "heldout"
SUITES = ("existing", "heldout-dev", "heldout-test")
SEALED = ("heldout-test",)


def parse_suites(spec: str) -> list[str]:
    """``existing``, ``heldout-dev``, ``heldout-test``, ``heldout`` (both halves), ``all``, or a comma list."""
    out: list[str] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        names = list(SUITES) if part == "all" else ["heldout-dev", "heldout-test"] if part == "heldout" else [part]
        for name in names:
            if name not in SUITES:
                raise InvalidParameter(f"Expected --suite in {SUITES + ('heldout', 'all')}, got {part!r}")
            if name not in out:
                out.append(name)
    if not out:
        raise InvalidParameter("Expected at least one suite in --suite, got none")
    return out


def load_suite(name: str) -> list[Task]:
    if name == "existing":
        return load_tasks()
    path = HELDOUT_DIR / f"{name.removeprefix('heldout-')}.jsonl"
    if not path.exists():
        raise InvalidParameter(f"{path} is absent: run benchmarks/heldout_generate.py")
    return load_tasks([path])


def sealed_failures(failures: Sequence[Mapping[str, Any]], tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Failures of a sealed suite without the shopper's words: id, catalogue, lang, classes, what broke."""
    classes = {t.id: list(t.classes) for t in tasks}
    return [{"id": f["id"], "catalogue": f["catalogue"], "lang": f["lang"], "kind": f["kind"],
             "classes": classes.get(f["id"], []), "success": f["success"], "error": bool(f.get("error")),
             "violations": sorted({k for t in f["turns"] for v in t["violating"].values() for k in v}),
             "ungrounded_turns": sum(not t["grounded"] for t in f["turns"])} for f in failures]


def merge_previous(path: Path, payload: dict[str, Any], suites: Sequence[str]) -> dict[str, Any]:
    """Keep the rows of suites this run did not run (from the previous results file), each dated by its run,
    so ``assistant.md`` always shows every suite side by side."""
    if not path.exists():
        return payload
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return payload
    if "suite_runs" not in old:  # written before suites existed: all of it is the existing suite
        env = old.get("environment") or {}
        old["suite_runs"] = {"existing": {"date": env.get("date"), "command": env.get("command", ""),
                                          "tasks": env.get("tasks")}}
        old["rows"] = [{"suite": "existing", **r} for r in old.get("rows", [])]
        old["failures"] = {f"existing/{k}": v for k, v in (old.get("failures") or {}).items()}
    runs = {k: v for k, v in (old.get("suite_runs") or {}).items() if k not in suites}
    rows = [r for r in old.get("rows", []) if r.get("suite", "existing") not in suites and r.get("suite") in runs]
    fails = {k: v for k, v in (old.get("failures") or {}).items() if k.split("/")[0] in runs}
    payload["suite_runs"] = {**runs, **payload["suite_runs"]}
    payload["rows"] = rows + payload["rows"]
    payload["failures"] = {**fails, **payload["failures"]}
    payload["classes"] = [c for c in old.get("classes", []) if c.get("suite") in runs] + payload["classes"]
    if "existing" not in suites and "existing" in runs:
        for key in ("energy_ratio", "load", "baseline_subset"):
            payload[key] = old.get(key) or payload[key]
    return payload


SIDE_BY_SIDE = (
    ("tasks", "all", "all", "tasks"),
    ("success, all", "all", "all", "success_rate"),
    ("success, en", "lang", "en", "success_rate"),
    ("success, zh", "lang", "zh", "success_rate"),
    ("success, demo", "catalogue", "demo", "success_rate"),
    ("success, online-retail", "catalogue", "online-retail", "success_rate"),
    ("success, single-turn", "turns", "single", "success_rate"),
    ("success, multi-turn", "turns", "multi", "success_rate"),
    ("violation rate (any constraint)", "all", "all", "constraint_violation_rate"),
    *((f"violation rate: {t}", "all", "all", f"violation_rate_by_type.{t}") for t in CONSTRAINT_TYPES),
    ("hallucination rate", "all", "all", "hallucination_rate"),
    ("share of turns without a generative model", "all", "all", "share_turns_without_llm"),
    ("tier share", "all", "all", "tier_share"),
    ("deterministic-tier p50 latency (ms)", "all", "all", "latency_ms_p50_deterministic"),
    ("p50 latency, all turns (ms)", "all", "all", "latency_ms_p50"),
)


def _get(row: Mapping[str, Any] | None, key: str) -> Any:
    if row is None:
        return None
    head, _, sub = key.partition(".")
    v = row.get(head)
    return v.get(sub) if sub and isinstance(v, Mapping) else v


def side_by_side(rows: Sequence[Mapping[str, Any]], suites: Sequence[str], cell: Any) -> list[str]:
    """One column per suite (default router), one line per metric; a blank cell = not measured or not stated."""
    mine = [s for s in SUITES if s in suites]
    pick = {(r.get("suite", "existing"), r["group"], r["value"]): r for r in rows if r["config"] == "default"}
    out = ["| metric | " + " | ".join(mine) + " |", "|---|" + "---|" * len(mine)]
    for label, group, value, key in SIDE_BY_SIDE:
        out.append(f"| {label} | " + " | ".join(cell(_get(pick.get((s, group, value)), key)) for s in mine) + " |")
    return out


def class_rows(scores: Sequence[Any], suite: str) -> list[dict[str, Any]]:
    """Success per phrasing class (held-out suites): class -> tasks, successes, rate."""
    counts: dict[str, list[int]] = {}
    for s in scores:
        if s.vacuous:
            continue
        for c in s.task.classes:
            n = counts.setdefault(c, [0, 0])
            n[0] += 1
            n[1] += int(s.success)
    return [{"suite": suite, "class": c, "tasks": n, "successes": k, "success_rate": round(k / n, 4)}
            for c, (n, k) in sorted(counts.items())]
