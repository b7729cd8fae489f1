"""Ledger persistence (SQLite and PostgreSQL), batching off the request path, export."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest

from greencart.energy.ledger import LedgerWriter, export_records, query
from greencart.energy.workunit import UnitResult
from greencart.errors import InvalidParameter
from greencart.store import ledger_repo

from .conftest import burn_cpu

T0 = datetime(2024, 6, 1, 12, tzinfo=timezone.utc)


def result(name: str, i: int, **tags: str) -> UnitResult:
    return UnitResult(
        name=name, tags=tags, started_at=T0 + timedelta(minutes=i), duration_s=0.01, cpu_s=0.005,
        energy_j=1.0 + i, energy_low_j=0.9 + i, energy_high_j=1.1 + i, carbon_g=(1.0 + i) / 3.6e6 * 200,
        method="modelled", meter="modelled-ccf-aws", intensity_g_per_kwh=200.0,
        intensity_source="test", final=True,
    )


def test_writer_batches_and_queries_by_name_tag_and_time(db):
    writer = LedgerWriter(db, batch_size=3)
    for i in range(5):
        writer.put(result("turn", i, tier="cache" if i % 2 else "llm"))
    writer.put(result("recommend", 9))
    assert writer.flush() == 6 and writer.written == 6
    assert len(query(db)) == 6
    turns = query(db, name="turn")
    assert [r["energy_j"] for r in turns] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert turns[0]["started_at"] == T0 and turns[0]["tags"] == {"tier": "llm"}
    assert len(query(db, tags={"tier": "cache"})) == 2
    assert len(query(db, since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=5))) == 2
    with db.read() as s:
        summary = ledger_repo.summarise(s)
    turn = next(r for r in summary if r["name"] == "turn")
    assert turn["count"] == 5 and turn["energy_j"] == pytest.approx(15.0)


def test_monitor_to_ledger_through_the_background_writer(sqlite_db, make_monitor):
    m = make_monitor()
    writer = LedgerWriter(sqlite_db, flush_interval_s=0.05).attach(m)
    with m.unit("request", route="/search") as u:
        burn_cpu()
    m.close_window()
    writer.stop()
    rows = query(sqlite_db, name="request")
    assert len(rows) == 1
    assert rows[0]["energy_j"] == pytest.approx(u.result.energy_j)
    assert rows[0]["method"] == "measured" and rows[0]["tags"] == {"route": "/search"}


def test_put_never_blocks_and_counts_drops(sqlite_db):
    writer = LedgerWriter(sqlite_db, batch_size=1, max_pending=2)
    for i in range(5):
        writer.put(result("x", i))
    assert writer.dropped == 3
    assert writer.flush() == 2


def test_export_csv_and_json(sqlite_db, tmp_path):
    writer = LedgerWriter(sqlite_db)
    writer.put(result("turn", 0, tier="cache"))
    writer.flush()
    recs = query(sqlite_db)
    assert export_records(recs, tmp_path / "l.csv") == 1
    assert export_records(recs, tmp_path / "l.json") == 1
    with open(tmp_path / "l.csv") as fh:
        row = next(csv.DictReader(fh))
    assert row["name"] == "turn" and json.loads(row["tags"]) == {"tier": "cache"}
    data = json.loads((tmp_path / "l.json").read_text())
    assert data[0]["started_at"].startswith("2024-06-01T12:00")
    with pytest.raises(InvalidParameter, match="csv or json"):
        export_records(recs, tmp_path / "l.xml")
