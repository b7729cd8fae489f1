"""Host energy reconciled from per-worker counters: each host counted once."""

from __future__ import annotations

import pytest

from greencart.scale.workers import WorkerEnergyPublisher, host_energy, reconcile


def row(wid, host, started, total, attributed, idle, windows=10):
    return {"worker_id": wid, "host": host, "pid": 1, "meter": "modelled-cpu", "method": "modelled",
            "started_s": started, "updated_s": started + 100, "windows": windows, "total_j": total,
            "attributed_j": attributed, "unattributed_j": total - attributed - idle, "idle_j": idle}


def test_two_workers_on_one_host_count_the_host_once():
    # both sampled the same host: 100 J, 30 J idle; worker a ran 20 J of units, b 25 J
    rows = [row("a", "h1", 0.0, 100.0, 20.0, 30.0), row("b", "h1", 0.5, 99.0, 25.0, 29.8)]
    e = reconcile(rows)
    assert e.total_j == 100.0 and e.idle_j == 30.0 and e.attributed_j == 45.0
    assert e.unattributed_j == pytest.approx(25.0)  # other processes: not the other worker's units
    assert e.naive_sum_total_j == 199.0
    assert e.attributed_j + e.unattributed_j + e.idle_j == pytest.approx(e.total_j)


def test_hosts_add_up():
    rows = [row("a", "h1", 0.0, 100.0, 20.0, 30.0), row("c", "h2", 0.0, 50.0, 10.0, 20.0)]
    e = reconcile(rows)
    assert (e.hosts, e.total_j, e.idle_j, e.attributed_j) == (2, 150.0, 50.0, 30.0)


def test_publisher_round_trip(db):
    class Monitor:
        def snapshot(self):
            return {"meter": "modelled-cpu", "method": "modelled", "windows": 3, "total_j": 12.0,
                    "attributed_j": 2.0, "unattributed_j": 4.0, "idle_j": 6.0}

    a, b = WorkerEnergyPublisher(db, Monitor()), WorkerEnergyPublisher(db, Monitor())
    a.publish()
    b.publish()
    e = host_energy(db, live_within_s=60)
    assert (e.workers, e.total_j, e.attributed_j, e.idle_j, e.naive_sum_total_j) == (2, 12.0, 4.0, 6.0, 24.0)
