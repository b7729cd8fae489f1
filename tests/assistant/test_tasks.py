"""The assistant benchmark's task suite (benchmarks/tasks/*.jsonl) and its success checker."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from greencart.errors import InvalidParameter

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bt():
    """benchmarks/assistant_tasks.py (benchmarks/ is not a package)."""
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("assistant_tasks")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def tasks(bt):
    return bt.load_tasks()


def test_suite_parses_and_covers_languages_catalogues_and_turns(tasks):
    assert len(tasks) >= 200
    ids = [t.id for t in tasks]
    assert len(ids) == len(set(ids))
    assert {t.lang for t in tasks} == {"en", "zh"}
    assert {t.catalogue for t in tasks} == {"demo", "online-retail"}
    assert {t.source for t in tasks} == {"template", "handwritten"}
    assert sum(t.multi_turn for t in tasks) >= 50
    assert all(t.n_satisfying >= 1 for t in tasks)
    assert not [t.id for t in tasks if t.catalogue == "online-retail" and t.lang == "zh"]
    kinds = {t.kind for t in tasks}
    assert {"cheaper", "compare", "refine", "select"} <= kinds


def test_demo_tasks_are_satisfiable_in_the_demo_catalogue(bt, tasks):
    from greencart.demo import generate_demo

    rows = [{"id": p.id, "title": p.title, "category": p.category, "price": p.price,
             "attributes": dict(p.attributes)} for p in generate_demo().products]
    for t in (t for t in tasks if t.catalogue == "demo"):
        static = bt.TaskConstraints.from_dict({k: v for k, v in t.constraints.to_dict().items()
                                               if k != "cheaper_than_turn"})
        assert bt.count_satisfying(rows, static) == t.n_satisfying, t.id


def test_checker_accepts_a_product_meeting_all_constraints_and_rejects_each_violation(bt):
    c = bt.TaskConstraints(category="apparel", product_type="t-shirt",
                           attributes={"colour": "white", "material": "cotton", "size": "M"},
                           max_price=20, min_price=5, title_contains=("shirt",), cheaper_than_turn=0)
    good = {"id": "P1", "title": "White Cotton T-Shirt", "category": "apparel", "price": 12.0,
            "attributes": {"type": "t-shirt", "colour": "White", "material": "cotton", "size": "M"}}
    assert bt.satisfies(good, c, cheaper_than=15.0)
    breaks = {
        "category": {"category": "footwear"},
        "product_type": {"attributes": {**good["attributes"], "type": "hoodie"}},
        "colour": {"attributes": {**good["attributes"], "colour": "red"}},
        "material": {"attributes": {**good["attributes"], "material": "polyester"}},
        "size": {"attributes": {**good["attributes"], "size": "XL"}},
        "max_price": {"price": 25.0},
        "min_price": {"price": 4.0},
        "title:shirt": {"title": "White Cotton Top"},
    }
    for kind, change in breaks.items():
        assert bt.violations({**good, **change}, c, cheaper_than=30.0) == [kind], kind
    assert bt.violations(good, c, cheaper_than=12.0) == ["cheaper"]
    missing = dict(good, attributes={"type": "t-shirt", "colour": "white", "material": "cotton"})
    assert bt.violations(missing, c, cheaper_than=15.0) == ["size"]


def test_bad_task_lines_fail_with_file_and_line(bt, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "catalogue": "demo", "lang": "en", "turns": ["a"], '
                   '"constraints": {"colour_name": "red"}, "n_satisfying": 1}\n', encoding="utf-8")
    with pytest.raises(InvalidParameter, match=r"bad.jsonl:1"):
        bt.load_tasks([bad])
    unsat = tmp_path / "unsat.jsonl"
    unsat.write_text('{"id": "x", "catalogue": "demo", "lang": "en", "turns": ["a"], '
                     '"constraints": {}, "n_satisfying": 0}\n', encoding="utf-8")
    with pytest.raises(InvalidParameter, match="satisfiable"):
        bt.load_tasks([unsat])


def test_demo_tasks_succeed_end_to_end_through_the_assistant(bt, assistant):
    """On the shared test catalogue (tests/assistant/conftest.py), scored by the benchmark's runner."""
    sys.path.insert(0, str(BENCH))
    try:
        run = importlib.import_module("assistant_run")
    finally:
        sys.path.remove(str(BENCH))
    from tests.assistant.conftest import PRODUCTS

    rows = {p.id: {"id": p.id, "title": p.title, "category": p.category, "price": p.price,
                   "attributes": dict(p.attributes)} for p in PRODUCTS}
    specs = [
        (["white t-shirts", "under 15"], [{"product_type": "t-shirt", "attributes": {"colour": "white"}},
                                          {"product_type": "t-shirt", "attributes": {"colour": "white"}, "max_price": 15}]),
        (["a kettle under 25"], [{"product_type": "kettle", "max_price": 25}]),
        (["红色T恤"], [{"product_type": "t-shirt", "attributes": {"colour": "red"}}]),
        (["t-shirts", "the red one"], [{"product_type": "t-shirt"}, {"product_type": "t-shirt", "attributes": {"colour": "red"}}]),
        (["kettles", "cheaper"], [{"product_type": "kettle"}, {"product_type": "kettle", "cheaper_than_turn": 0}]),
    ]
    for i, (turns, tcs) in enumerate(specs):
        task = bt.Task.from_dict({"id": f"e2e-{i}", "catalogue": "demo", "lang": "zh" if "红" in turns[0] else "en",
                                  "turns": turns, "turn_constraints": tcs, "constraints": tcs[-1], "n_satisfying": 1})
        score = run.run_task(assistant, task, rows)
        assert score.error is None, score.error
        assert score.success, (task.id, [(t.text, t.shown, t.reply) for t in score.turns])
        assert all(not t.violating and t.grounded for t in score.turns), task.id
    summary = run.summarise([score])
    assert summary["success_rate"] == 1.0 and summary["constraint_violation_rate"] == 0.0


@pytest.mark.shared_data
def test_online_retail_tasks_are_satisfiable_in_the_imported_sample(bt, tasks, tmp_path):
    from conftest import shared_file

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    db = open_database(f"sqlite:///{tmp_path / 'or.db'}", migrate=True)
    import_online_retail(db, path)
    with db.read() as s:
        rows = [{"id": p.id, "title": p.title, "category": p.category, "price": p.price,
                 "attributes": dict(p.attributes)} for p in iter_products(s)]
    db.dispose()
    for t in (t for t in tasks if t.catalogue == "online-retail"):
        static = bt.TaskConstraints.from_dict({k: v for k, v in t.constraints.to_dict().items()
                                               if k != "cheaper_than_turn"})
        assert bt.count_satisfying(rows, static) == t.n_satisfying, t.id
