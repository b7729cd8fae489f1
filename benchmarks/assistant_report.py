"""Markdown for ``benchmarks/results/assistant.md`` (from the JSON payload)."""

from __future__ import annotations

from typing import Any

from assistant_suites import side_by_side

COLS = ("suite", "config", "group", "value", "tasks", "success_rate", "constraint_violation_rate",
        "price_attribute_violation_rate", "type_violation_rate", "hallucination_rate",
        "turns", "latency_ms_p50", "latency_ms_p99", "latency_ms_p50_deterministic", "energy_j_per_turn",
        "carbon_g_per_turn", "share_turns_without_llm", "tier_share")
TARGETS = (
    ("constraint_violation_rate", "zero violations (any stated constraint)", lambda v: v == 0),
    ("price_attribute_violation_rate", "zero violations of price / attribute / cheaper", lambda v: v == 0),
    ("hallucination_rate", "zero hallucinated figures", lambda v: v == 0),
    ("share_turns_without_llm", ">= 90 % of turns without a generative model", lambda v: v is not None and v >= 0.9),
    ("latency_ms_p50_deterministic", "p50 < 30 ms per deterministic turn", lambda v: v is not None and v < 30),
)


def _cell(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k} {x:.0%}" for k, x in v.items())
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def table(rows: list[dict[str, Any]], cols: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(_cell(r.get(c)) for c in cols) + " |" for r in rows]
    return out


def markdown(payload: dict[str, Any]) -> str:
    env = payload["environment"]
    rows = payload["rows"]
    intro = (
        f"Command: `OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 .venv/bin/python {env['command'].strip()}`  ",
        (f"Date: {env['date']}; machine: {env['machine']} ({env['processor']}), {env['cpus']} CPUs, "
         f"Python {env['python']}; energy meter: {env['meter_method']}; local model: {env.get('llm')}.  "),
        (f"Tasks this run: {env['tasks']}; the LLM-on-every-turn baseline runs on a fixed "
         f"random subset of {env['baseline_tasks']} of them (seeded), compared with the default router on the "
         "same subset (`default@subset`).  "),
        ("Success = a product in the top 3 shown after the final turn meets every constraint (checked against "
         "the catalogue row). Violation rate = share of shown products, over all turns, breaking a constraint "
         "stated so far (split: price/attribute/cheaper vs type/category/title words). Hallucination rate = "
         "share of replies failing `check_grounded` on the turn's tool results (and the catalogue's titles). "
         "`share_turns_without_llm` counts turns in which no model completion ran, whatever the tier label."),
    )
    out = ["# Assistant benchmark", "", *intro, ""]
    runs = payload.get("suite_runs") or {}
    if runs:
        out += ["## Suites side by side (default router)", ""]
        out += [f"- `{s}`: {r['tasks']} tasks, run {r['date']} by `{r['command'].strip()}`"
                + (f" (load average {r['load_average_1m']} on {env['cpus']} CPUs)" if r.get("load_average_1m") else "")
                for s, r in runs.items()]
        out += [""] + side_by_side(rows, list(runs), _cell) + [""]
        note = ("Violation rate per type = shown products breaking a constraint of that type, over the products "
                "shown in turns where such a constraint was stated (budget = max/min price and cheaper-than; "
                "exclusion = excluded colour/material/category/words; colour/material include title words "
                "naming one; category = category or product type; word = other title words). A task saying "
                "\"the second one\" succeeds only when that product of the earlier list is shown first.")
        out += [note, ""]
    cls = payload.get("classes") or []
    if cls:
        suites = [s for s in runs if any(c["suite"] == s for c in cls)]
        names = sorted({c["class"] for c in cls})
        get = {(c["suite"], c["class"]): c for c in cls}
        out += ["## Held-out success per phrasing class", "", "| class | " + " | ".join(suites) + " |",
                "|---|" + "---|" * len(suites)]
        for n in names:
            cells = [get.get((s, n)) for s in suites]
            out.append(f"| {n} | " + " | ".join(f"{c['successes']}/{c['tasks']} ({c['success_rate']:.0%})" if c else ""
                                                 for c in cells) + " |")
        out.append("")
    head = [r for r in rows if r["group"] in ("all", "catalogue", "lang", "catalogue+lang", "source", "turns")]
    out += ["## Quality, latency, energy", ""] + table(head, COLS) + [""]
    main = next((r for r in rows if r["config"] == "default" and r["group"] == "all"
                 and r.get("suite", "existing") == "existing"), None)
    if main:
        out += ["## Targets (default router, existing suite)", "", "| target | measured | met |", "|---|---|---|"]
        for key, label, ok in TARGETS:
            v = main.get(key)
            out.append(f"| {label} | {_cell(v)} | {'yes' if v is not None and ok(v) else 'no'} |")
        out.append("")
    ratio = payload.get("energy_ratio") or {}
    if ratio:
        out += ["## Default router vs LLM on every turn (same subset, same run)", "",
                "| metric | value |", "|---|---|"] + [f"| {k} | {_cell(v)} |" for k, v in ratio.items()] + [""]
    load = payload.get("load") or {}
    if load.get("rows"):
        title = (f"## Load test: POST /v1/chat ({load['server']}, demo catalogue, "
                 f"{load['seconds_per_level']} s per level)")
        out += [title, ""]
        out += table(load["rows"], ("clients", "requests", "errors", "requests_per_s", "latency_ms_p50",
                                    "latency_ms_p99", "tier_share"))
        note = ("Each request opens a new session; the messages (first turns of the demo tasks) repeat, so "
                "after the first pass most turns are answered by the semantic cache (see tier_share).")
        out += ["", note]
        out.append("")
    elif load.get("error"):
        out += ["## Load test", "", f"Failed: {load['error']}", ""]
    n_fail = {k: len(v) for k, v in (payload.get("failures") or {}).items()}
    if n_fail:
        out += [f"Failed or flawed tasks (details in assistant.json `failures`): {n_fail}", ""]
    return "\n".join(out)
