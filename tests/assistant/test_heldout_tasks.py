"""The held-out phrasing set (benchmarks/tasks/heldout/{dev,test}.jsonl) and the checker's new constraint types.

Reads the test half only as data (ids, counts, metadata), never to look at its phrasings for tuning.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
HELDOUT = BENCH / "tasks" / "heldout"
NEEDED_CLASSES = {"exclusion", "number-words", "zh-numerals", "range", "reference", "typo", "cross-lingual", "mixed",
                  "correction", "follow-up"}


@pytest.fixture(scope="module")
def bench():
    """benchmarks/assistant_{tasks,run,suites}.py (benchmarks/ is not a package)."""
    sys.path.insert(0, str(BENCH))
    try:
        yield SimpleNamespace(tasks=importlib.import_module("assistant_tasks"),
                              run=importlib.import_module("assistant_run"),
                              suites=importlib.import_module("assistant_suites"))
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def halves(bench):
    return {h: bench.suites.load_suite(f"heldout-{h}") for h in ("dev", "test")}


def raw(half: str) -> list[dict]:
    return [json.loads(line) for line in (HELDOUT / f"{half}.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_both_halves_load_and_cover_languages_catalogues_turns_and_classes(halves):
    assert sum(map(len, halves.values())) >= 320
    for half, tasks in halves.items():
        assert {t.lang for t in tasks} == {"en", "zh"}, half
        assert {t.catalogue for t in tasks} == {"demo", "online-retail"}, half
        assert any(t.catalogue == "online-retail" and t.lang == "zh" for t in tasks), half
        assert sum(t.multi_turn for t in tasks) >= 30, half
        assert NEEDED_CLASSES <= {c for t in tasks for c in t.classes}, half
        assert all(t.split == half for t in tasks), half
    hand = sum(t.source == "handwritten" for ts in halves.values() for t in ts)
    assert hand >= 100
    assert abs(len(halves["dev"]) - len(halves["test"])) <= 10


def test_every_task_carries_its_satisfiability_metadata():
    for half in ("dev", "test"):
        for d in raw(half):
            assert d["n_satisfying"] >= 1, d["id"]
            counts = d["n_satisfying_turns"]
            assert len(counts) == len(d["turns"]) and min(counts) >= 1, d["id"]
            assert counts[-1] == d["n_satisfying"], d["id"]
            assert set(d["binding"]) == {"budget", "exclusion"}, d["id"]
            if "exclusion" in d["classes"]:
                assert d["binding"]["exclusion"] >= 1, d["id"]
            assert d["classes"] and d["split"] == half, d["id"]


def test_halves_do_not_overlap(halves):
    dev, test = halves["dev"], halves["test"]
    assert not {t.id for t in dev} & {t.id for t in test}
    assert not {(t.catalogue, t.turns) for t in dev} & {(t.catalogue, t.turns) for t in test}


def test_demo_counts_match_the_catalogue(bench, halves):
    from greencart.demo import generate_demo

    rows = [{"id": p.id, "title": p.title, "category": p.category, "price": p.price,
             "attributes": dict(p.attributes)} for p in generate_demo().products]
    for t in (t for ts in halves.values() for t in ts if t.catalogue == "demo"):
        static = bench.tasks.TaskConstraints.from_dict(
            {k: v for k, v in t.constraints.to_dict().items() if k not in ("cheaper_than_turn", "pick")})
        assert bench.tasks.count_satisfying(rows, static) == t.n_satisfying, t.id


@pytest.mark.shared_data
def test_online_retail_counts_match_the_imported_sample(bench, halves, tmp_path):
    from conftest import shared_file
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    db = open_database(f"sqlite:///{tmp_path / 'or.db'}", migrate=True)
    import_online_retail(db, path)
    with db.read() as s:
        rows = [{"id": p.id, "title": p.title, "category": p.category, "price": p.price,
                 "attributes": dict(p.attributes)} for p in iter_products(s)]
    db.dispose()
    for t in (t for ts in halves.values() for t in ts if t.catalogue == "online-retail"):
        static = bench.tasks.TaskConstraints.from_dict(
            {k: v for k, v in t.constraints.to_dict().items() if k not in ("cheaper_than_turn", "pick")})
        assert bench.tasks.count_satisfying(rows, static) == t.n_satisfying, t.id


def test_checker_scores_planted_exclusions_as_violations(bench):
    bt = bench.tasks
    c = bt.TaskConstraints(product_type="mug", exclude_attributes={"colour": ("red",), "material": ("plastic",)},
                           exclude_categories=("garden",), title_excludes=("pink",), max_price=5)
    good = {"id": "P1", "title": "Blue Enamel Mug", "category": "kitchen", "price": 3.0,
            "attributes": {"type": "mug", "colour": "blue", "material": "enamel"}}
    assert bt.violations(good, c) == []
    planted = {
        "exclude:colour": {"attributes": {**good["attributes"], "colour": "Red"}},
        "exclude:material": {"attributes": {**good["attributes"], "material": "plastic"}},
        "exclude:category": {"category": "garden"},
        "exclude:title:pink": {"title": "Pink Enamel Mugs"},
    }
    for kind, change in planted.items():
        assert bt.violations({**good, **change}, c) == [kind], kind
        assert bt.constraint_type(kind) == "exclusion"
    assert bt.violations({**good, "price": 6.0}, c) == ["max_price"]
    assert [bt.constraint_type(k) for k in ("max_price", "cheaper", "title:red", "title:wooden", "title:mug",
                                             "colour", "product_type")] == \
        ["budget", "budget", "colour", "material", "word", "colour", "category"]
    assert bt.active_types(c) == {"exclusion", "budget", "category"}
    again = bt.TaskConstraints.from_dict(json.loads(json.dumps(c.to_dict())))
    assert again == c


class FakeAssistant:
    """Shows fixed product lists turn by turn (what run_task scores)."""

    def __init__(self, lists: list[list[dict]]):
        self.lists = lists
        self.n = 0

    def turn(self, text: str, session: str | None = None) -> SimpleNamespace:
        products = self.lists[self.n]
        self.n += 1
        return SimpleNamespace(session="s1", products=products, tier="rules", latency_ms=5.0, reply="Here you go.",
                               tool_results=[], energy={"energy_j": 0.1, "carbon_g": 0.0, "method": "modelled"})


def test_runner_counts_a_shown_excluded_product_as_a_violation_and_a_failure(bench):
    rows = {"A": {"id": "A", "title": "Red Retrospot Mug", "category": "kitchen", "price": 2.0, "attributes": {}},
            "B": {"id": "B", "title": "Blue Spotty Mug", "category": "kitchen", "price": 2.5, "attributes": {}},
            "C": {"id": "C", "title": "Green Mug", "category": "kitchen", "price": 9.0, "attributes": {}}}
    tc = {"title_contains": ["mug"], "title_excludes": ["red"], "max_price": 5}
    task = bench.tasks.Task.from_dict({"id": "h1", "catalogue": "online-retail", "lang": "en", "turns": ["mugs not red"],
                                       "constraints": tc, "n_satisfying": 1, "classes": ["exclusion"]})
    bad = bench.run.run_task(FakeAssistant([[rows["A"]]]), task, rows)
    assert not bad.success and bad.turns[0].violating == {"A": ["exclude:title:red"]}
    assert bench.run.summarise([bad])["violation_rate_by_type"] == {"budget": 0.0, "exclusion": 1.0, "word": 0.0}
    good = bench.run.run_task(FakeAssistant([[rows["B"], rows["A"]]]), task, rows)
    assert good.success and good.turns[0].violating == {"A": ["exclude:title:red"]}


def test_runner_checks_the_second_one_reference(bench):
    rows = {k: {"id": k, "title": f"{k} Clock", "category": "home-decor", "price": 3.0, "attributes": {}}
            for k in ("A", "B", "C")}
    task = bench.tasks.Task.from_dict({
        "id": "h2", "catalogue": "online-retail", "lang": "en", "turns": ["clocks", "the second one"],
        "turn_constraints": [{"title_contains": ["clock"]}, {"title_contains": ["clock"], "pick": [0, 2]}],
        "constraints": {"title_contains": ["clock"], "pick": [0, 2]}, "n_satisfying": 3})
    listed = [rows["A"], rows["B"], rows["C"]]
    assert bench.run.run_task(FakeAssistant([listed, [rows["B"]]]), task, rows).success
    assert not bench.run.run_task(FakeAssistant([listed, listed]), task, rows).success
    assert not bench.run.run_task(FakeAssistant([listed, [rows["C"]]]), task, rows).success


def test_sealed_failures_keep_no_shopper_words(bench, halves):
    task = halves["test"][0]
    fail = {"id": task.id, "catalogue": task.catalogue, "lang": task.lang, "kind": task.kind, "success": False,
            "turns": [{"text": task.turns[0], "reply": "x", "violating": {"P": ["max_price"]}, "grounded": True}]}
    out = bench.suites.sealed_failures([fail], halves["test"])
    assert out[0]["violations"] == ["max_price"] and out[0]["classes"] == list(task.classes)
    assert task.turns[0] not in json.dumps(out, ensure_ascii=False)
    assert bench.suites.parse_suites("all") == ["existing", "heldout-dev", "heldout-test"]
    with pytest.raises(Exception, match="--suite"):
        bench.suites.parse_suites("heldout-final")


def test_results_keep_suites_not_run_this_time(bench, tmp_path):
    legacy = {"environment": {"date": "2026-11-23T16:05:00+00:00", "command": "benchmarks/assistant.py", "tasks": 239},
              "rows": [{"config": "default", "group": "all", "value": "all", "success_rate": 1.0}],
              "failures": {"default": []}}
    path = tmp_path / "assistant.json"
    path.write_text(json.dumps(legacy), encoding="utf-8")
    new = {"suite_runs": {"heldout-dev": {"date": "d", "command": "c", "tasks": 2}}, "classes": [],
           "rows": [{"suite": "heldout-dev", "config": "default", "group": "all", "value": "all", "success_rate": 0.5}],
           "failures": {"heldout-dev/default": []}, "energy_ratio": {}, "load": {}, "baseline_subset": []}
    merged = bench.suites.merge_previous(path, new, ["heldout-dev"])
    assert list(merged["suite_runs"]) == ["existing", "heldout-dev"]
    assert [(r["suite"], r["success_rate"]) for r in merged["rows"]] == [("existing", 1.0), ("heldout-dev", 0.5)]
    assert set(merged["failures"]) == {"existing/default", "heldout-dev/default"}
    table = bench.suites.side_by_side(merged["rows"], list(merged["suite_runs"]), str)
    assert table[3] == "| success, all | 1.0 | 0.5 |"
