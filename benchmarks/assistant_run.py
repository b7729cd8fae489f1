"""Run tasks through an Assistant and score them: success, violations, grounding, latency, energy, tiers.

Used by ``benchmarks/assistant.py``; the checker itself is ``assistant_tasks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from assistant_tasks import (
    CONSTRAINT_TYPES,
    TOP_K,
    Task,
    TaskConstraints,
    active_types,
    constraint_type,
    satisfies,
    violations,
)

from greencart.assistant.grounding import check_grounded


@dataclass
class TurnScore:
    text: str
    tier: str
    latency_ms: float
    energy_j: float
    carbon_g: float
    method: str
    shown: list[str]
    violating: dict[str, list[str]]  # product id -> constraints it breaks
    grounded: bool
    grounding_reason: str
    reply: str
    model_calls: int = 0  # generative-model completions during the turn (whatever tier it is labelled)
    types: tuple[str, ...] = ()  # constraint types stated so far (budget, exclusion, colour, ...)


@dataclass
class TaskScore:
    task: Task
    success: bool
    vacuous: bool  # a cheaper-than task where nothing cheaper exists: excluded from success
    turns: list[TurnScore] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.task.id, "catalogue": self.task.catalogue, "lang": self.task.lang,
                "source": self.task.source, "kind": self.task.kind, "success": self.success,
                "vacuous": self.vacuous, "error": self.error,
                "turns": [{"text": t.text, "tier": t.tier, "latency_ms": t.latency_ms, "energy_j": t.energy_j,
                           "model_calls": t.model_calls, "shown": t.shown, "violating": t.violating, "grounded": t.grounded,
                           "grounding": t.grounding_reason, "reply": t.reply[:400]} for t in self.turns]}


def _others(titles: Sequence[str], result: Any) -> list[str]:
    """Catalogue titles to look for in the reply, less those inside a title the tools returned
    ("Bands, Blue" inside "Corefit Bands, Blue" is not a second product)."""
    returned = [str(p.get("title", "")).casefold() for p in result.products]
    returned += [str(t.get("title", "")).casefold() for t in result.tool_results if isinstance(t, dict)]
    return [t for t in titles if not any(t.casefold() in r for r in returned if r)]


HARD_KINDS = ("max_price", "min_price", "cheaper", "colour", "material", "size", "condition")


def _is_hard(kind: str) -> bool:
    return kind in HARD_KINDS or kind.startswith("exclude:")


def _static(c: TaskConstraints) -> TaskConstraints:
    return TaskConstraints.from_dict({k: v for k, v in c.to_dict().items() if k not in ("cheaper_than_turn", "pick")})


def run_task(assistant: Any, task: Task, rows: Mapping[str, Mapping[str, Any]],
             titles: Sequence[str] = (), model_calls: Callable[[], int] = lambda: 0) -> TaskScore:
    """One conversation, fresh session; every shown product checked against its catalogue row."""
    session: str | None = None
    top_prices: list[float | None] = []
    shown_after: list[list[str]] = []
    score = TaskScore(task, False, False)
    result = None
    ref: float | None = None
    for i, text in enumerate(task.turns):
        calls_before = model_calls()
        try:
            result = assistant.turn(text, session=session)
        except Exception as exc:  # noqa: BLE001 - a crash is a failed task, recorded with its reason
            score.error = f"turn {i + 1} {text!r}: {type(exc).__name__}: {exc}"
            return score
        session = result.session
        shown = [p["id"] for p in result.products]
        shown_after.append(shown)
        top_prices.append(float(rows[shown[0]]["price"]) if shown else None)
        c = task.turn_constraints[i]
        ref = top_prices[c.cheaper_than_turn] if c.cheaper_than_turn is not None else None
        bad = {pid: v for pid in shown if (v := violations(rows[pid], c, cheaper_than=ref))}
        report = check_grounded(result.reply, result.tool_results, catalogue_titles=_others(titles, result))
        e = result.energy
        score.turns.append(TurnScore(text, result.tier, float(result.latency_ms), float(e["energy_j"]),
                                     float(e["carbon_g"]), str(e["method"]), shown, bad, report.ok,
                                     report.reason(), result.reply, model_calls() - calls_before,
                                     tuple(sorted(active_types(c)))))
    final = task.constraints
    assert result is not None
    top = [rows[p["id"]] for p in result.products[:TOP_K]]
    if final.cheaper_than_turn is not None:
        if ref is None:
            return score  # nothing was shown to be cheaper than: a failure
        static = _static(final)
        if not any(satisfies(r, static) and float(r["price"]) < ref - 1e-9 for r in rows.values()):
            score.vacuous = True
    score.success = any(satisfies(r, final, cheaper_than=ref) for r in top)
    if final.pick is not None:  # "the second one": that product of that turn's list must be the one shown first
        turn, rank = final.pick
        listed = shown_after[turn] if turn < len(shown_after) else []
        picked = listed[rank - 1] if len(listed) >= rank else None
        score.success = (picked is not None and bool(top) and top[0]["id"] == picked
                         and satisfies(rows[picked], final, cheaper_than=ref))
    return score


def _pct(values: Sequence[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def summarise(scores: Iterable[TaskScore], *, deterministic_tiers: tuple[str, ...] = ("cache", "rules")) -> dict[str, Any]:
    """The metrics of a group of task runs (one row of the results table)."""
    scores = list(scores)
    counted = [s for s in scores if not s.vacuous]
    turns = [t for s in scores for t in s.turns]
    shown = sum(len(t.shown) for t in turns)
    violating = sum(len(t.violating) for t in turns)
    hard = sum(any(map(_is_hard, v)) for t in turns for v in t.violating.values())
    need = sum(any(not _is_hard(k) for k in v) for t in turns for v in t.violating.values())
    det = [t for t in turns if t.tier in deterministic_tiers and not t.model_calls]
    tiers: dict[str, int] = {}
    for t in turns:
        tiers[t.tier] = tiers.get(t.tier, 0) + 1
    methods = sorted({t.method for t in turns})
    n = len(turns) or 1
    return {
        "tasks": len(scores),
        "tasks_vacuous": len(scores) - len(counted),
        "tasks_errored": sum(s.error is not None for s in scores),
        "success_rate": round(sum(s.success for s in counted) / len(counted), 4) if counted else None,
        "turns": len(turns),
        "shown_products": shown,
        "constraint_violation_rate": round(violating / shown, 4) if shown else 0.0,
        "price_attribute_violation_rate": round(hard / shown, 4) if shown else 0.0,
        "type_violation_rate": round(need / shown, 4) if shown else 0.0,
        "hallucination_rate": round(sum(not t.grounded for t in turns) / n, 4) if turns else 0.0,
        "latency_ms_p50": _pct([t.latency_ms for t in turns], 50),
        "latency_ms_p99": _pct([t.latency_ms for t in turns], 99),
        "latency_ms_p50_deterministic": _pct([t.latency_ms for t in det], 50),
        "energy_j_per_turn": round(sum(t.energy_j for t in turns) / n, 6) if turns else None,
        "carbon_g_per_turn": round(sum(t.carbon_g for t in turns) / n, 9) if turns else None,
        "energy_method": ", ".join(methods),
        "share_turns_without_llm": round(len(det) / n, 4) if turns else None,
        "tier_share": {k: round(v / n, 4) for k, v in sorted(tiers.items())},
        "violation_rate_by_type": by_type(turns),
    }


def by_type(turns: Sequence[TurnScore]) -> dict[str, float]:
    """Per constraint type: shown products breaking a constraint of that type, over the products shown
    in turns where a constraint of that type was stated (types never stated are left out)."""
    out = {}
    for kind in CONSTRAINT_TYPES:
        mine = [t for t in turns if kind in t.types]
        shown = sum(len(t.shown) for t in mine)
        if shown:
            bad = sum(any(constraint_type(k) == kind for k in v) for t in mine for v in t.violating.values())
            out[kind] = round(bad / shown, 4)
    return out


def group_rows(scores: Sequence[TaskScore], label: str) -> list[dict[str, Any]]:
    """Overall, per catalogue, per language, per source (hand-written vs templated), per turn count."""
    groups: list[tuple[str, str, list[TaskScore]]] = [("all", "all", list(scores))]
    for key, get in (("catalogue", lambda s: s.task.catalogue), ("lang", lambda s: s.task.lang),
                     ("source", lambda s: s.task.source),
                     ("turns", lambda s: "multi" if s.task.multi_turn else "single")):
        for value in sorted({get(s) for s in scores}):
            groups.append((key, value, [s for s in scores if get(s) == value]))
    for cat in sorted({s.task.catalogue for s in scores}):
        for lang in sorted({s.task.lang for s in scores if s.task.catalogue == cat}):
            groups.append(("catalogue+lang", f"{cat}/{lang}",
                           [s for s in scores if s.task.catalogue == cat and s.task.lang == lang]))
    return [{"config": label, "group": g, "value": v, **summarise(ss)} for g, v, ss in groups if ss]


def failures(scores: Sequence[TaskScore], limit: int = 400) -> list[dict[str, Any]]:
    """Failed tasks and bad turns, for the report's failure analysis."""
    out = []
    for s in scores:
        bad_turn = any(t.violating or not t.grounded for t in s.turns)
        if (not s.success and not s.vacuous) or bad_turn or s.error:
            d = s.to_dict()
            d["expected"] = s.task.constraints.to_dict()
            out.append(d)
    return out[:limit]
