"""The energy dashboard's read API: ledger aggregation in SQL (SQLite and PostgreSQL),
the window rules, and GET /v1/energy/series|summary on a real server after chat turns."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from tests.assistant.conftest import PRODUCTS

from conftest import live_server
from greencart.api.routes_dashboard import DEFAULT_BUCKETS, MAX_BUCKETS, MAX_GROUPS, SeriesWindow, build_series
from greencart.energy.ledger import query, top_level
from greencart.errors import InvalidParameter
from greencart.store import ledger_repo, open_database

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
CHAT = "http POST /v1/chat"


def rec(name: str, at: datetime, energy_j: float, method: str = "modelled", **tags: str) -> dict:
    return {"name": name, "tags": tags, "started_at": at, "duration_s": 0.5, "cpu_s": 0.1,
            "energy_j": energy_j, "energy_low_j": energy_j / 2, "energy_high_j": energy_j * 2,
            "method": method, "meter": "test", "carbon_g": energy_j / 10, "intensity_g_per_kwh": 360.0,
            "intensity_source": "test"}


LEDGER = [
    rec(CHAT, T0 - timedelta(milliseconds=1), 3.0, kind="http"),
    rec("assistant.turn", T0, 2.0, route="chat", tier="rules", parent_unit=CHAT),
    rec("assistant.turn", T0 + timedelta(seconds=59.999), 0.5, route="chat", tier="cache", parent_unit=CHAT),
    rec("assistant.turn", T0 + timedelta(minutes=1), 4.0, "measured", route="chat", tier="rules"),  # CLI turn
    rec("http GET /v1/products/search", T0 + timedelta(minutes=2, seconds=30), 1.0, kind="http"),
    rec("catalog search", T0 + timedelta(minutes=2, seconds=30), 0.8, parent_unit="http GET /v1/products/search"),
    rec("assistant.turn", T0 + timedelta(hours=1), 100.0, route="chat", tier="rules"),
]


@pytest.fixture
def ledger_db(db):
    with db.transaction() as s:
        ledger_repo.insert_records(s, LEDGER)
    return db


def _series(db, by: str, bucket_s: int, since: datetime, until: datetime) -> dict:
    with db.read() as s:
        rows = ledger_repo.series_rows(s, by=by, bucket_s=bucket_s, since=since, until=until)
    out: dict = {}
    for r in rows:
        out[(datetime.fromtimestamp(r["bucket"], timezone.utc), r["group"], r["method"])] = (
            r["count"], pytest.approx(r["energy_j"]), pytest.approx(r["carbon_g"]))
    return out


def test_series_buckets_exactly_and_groups_by_tier_and_route(ledger_db):
    minute = timedelta(minutes=1)
    by_tier = _series(ledger_db, "tier", 60, T0 - minute, T0 + 5 * minute)
    assert by_tier == {
        (T0, "cache", "modelled"): (1, 0.5, 0.05),
        (T0, "rules", "modelled"): (1, 2.0, 0.2),
        (T0 + minute, "rules", "measured"): (1, 4.0, 0.4),
    }
    by_route = _series(ledger_db, "route", 60, T0 - minute, T0 + 5 * minute)
    assert by_route == {  # top-level units only: nested turns and catalog search are inside their parents
        (T0 - minute, CHAT, "modelled"): (1, 3.0, 0.3),
        (T0 + minute, "chat", "measured"): (1, 4.0, 0.4),
        (T0 + 2 * minute, "http GET /v1/products/search", "modelled"): (1, 1.0, 0.1),
    }
    hourly = _series(ledger_db, "tier", 3600, T0 - timedelta(hours=1), T0 + timedelta(hours=2))
    assert hourly[(T0, "rules", "modelled")][0] == 1 and hourly[(T0 + timedelta(hours=1), "rules", "modelled")][0] == 1
    assert _series(ledger_db, "tier", 60, T0 + minute, T0 + 2 * minute) == {
        (T0 + minute, "rules", "measured"): (1, 4.0, 0.4)}  # since inclusive, until exclusive


def test_totals_and_sci_inputs_equal_the_ledger(ledger_db):
    records = query(ledger_db)
    with ledger_db.read() as s:
        tiers = ledger_repo.group_totals(s, by="tier")
        routes = ledger_repo.group_totals(s, by="route", until=T0 + timedelta(minutes=30))
        sci_in = ledger_repo.sci_inputs(s)
    tiered = [r for r in records if "tier" in r["tags"]]
    assert sum(t["energy_j"] for t in tiers) == pytest.approx(sum(r["energy_j"] for r in tiered))
    assert {(t["group"], t["method"]): t["count"] for t in tiers} == {
        ("cache", "modelled"): 1, ("rules", "measured"): 1, ("rules", "modelled"): 2}
    assert sum(r["energy_j"] for r in routes) == pytest.approx(3.0 + 4.0 + 1.0)
    tops = top_level(records)
    assert sci_in["count"] == len(tops) == 4
    assert sci_in["energy_j"] == pytest.approx(sum(r["energy_j"] for r in tops))
    assert sci_in["energy_x_intensity"] / sci_in["energy_j"] == pytest.approx(360.0)
    assert sci_in["last_end_s"] - sci_in["first_start_s"] == pytest.approx(3600.001 + 0.5, abs=1e-3)
    assert sci_in["methods"] == ["measured", "modelled"]


def test_window_alignment_defaults_and_limits():
    now = datetime(2026, 3, 1, 12, 0, 30, 500, tzinfo=timezone.utc)
    w = SeriesWindow.resolve("minute", None, None, now=now)
    assert w.until == datetime(2026, 3, 1, 12, 1, tzinfo=timezone.utc) and w.n_buckets == 61
    w = SeriesWindow.resolve("hour", datetime(2026, 3, 1, 10, 30), datetime(2026, 3, 1, 12, 0), now=now)
    assert (w.since.hour, w.until.hour, w.n_buckets) == (10, 12, 2)  # naive times are UTC
    assert SeriesWindow.resolve("minute", T0, T0 + timedelta(minutes=MAX_BUCKETS)).n_buckets == MAX_BUCKETS
    # Well-formed windows are never refused: too long keeps the latest MAX_BUCKETS buckets,
    # since after until is empty, times beyond 2000..2100 are clamped.
    w = SeriesWindow.resolve("minute", T0, T0 + timedelta(minutes=MAX_BUCKETS + 1))
    assert w.n_buckets == MAX_BUCKETS and w.until == T0 + timedelta(minutes=MAX_BUCKETS + 1)
    w = SeriesWindow.resolve("day", T0, T0 - timedelta(days=1))
    assert w.n_buckets == 0 and w.since == w.until
    w = SeriesWindow.resolve("day", None, datetime(9999, 12, 31))
    assert w.until == datetime(2100, 1, 1, tzinfo=timezone.utc) and w.n_buckets == DEFAULT_BUCKETS["day"]
    with pytest.raises(InvalidParameter, match="since before until"):
        SeriesWindow("day", T0, T0 - timedelta(days=1))
    with pytest.raises(InvalidParameter, match=f"at most {MAX_BUCKETS} minute buckets"):
        SeriesWindow("minute", T0, T0 + timedelta(minutes=MAX_BUCKETS + 1))


def test_many_groups_fold_into_other_and_keep_the_sums():
    rows = [{"bucket": 0, "group": f"r{i}", "method": "modelled", "count": 1, "energy_j": float(i),
             "carbon_g": i / 10} for i in range(1, MAX_GROUPS + 4)]
    out = build_series(rows, SeriesWindow.resolve("minute", None, None), "route")
    assert len(out["groups"]) == MAX_GROUPS and out["groups"][-1] == "other"
    assert "r1" not in out["groups"] and f"r{MAX_GROUPS + 3}" == out["groups"][0]
    assert sum(g["energy_j"] for g in out["totals"].values()) == pytest.approx(sum(r["energy_j"] for r in rows))
    assert out["totals"]["other"]["count"] == 4


# -- the HTTP API on a real `greencart serve` --------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("dash-var")
    with live_server(var, PRODUCTS) as client:
        tiers = [client.post("/v1/chat", json={"message": m}).json()["tier"]
                 for m in ("white t-shirt under 20", "white t-shirt under 20", "kettles under 30")]
        for q in ("kettle", "lantern"):
            assert client.get("/v1/products/search", params={"q": q}).status_code == 200
        db = open_database(f"sqlite:///{var / 'greencart.db'}")
        yield client, db, tiers
        db.dispose()


def test_series_after_chat_turns_matches_the_ledger(served):
    client, db, tiers = served
    assert "rules" in tiers and "cache" in tiers, tiers
    before = datetime.now(timezone.utc)
    time.sleep(0.01)
    tier = client.get("/v1/energy/series", params={"by": "tier", "bucket": "minute"}).json()
    route = client.get("/v1/energy/series", params={"by": "route", "bucket": "hour"}).json()
    assert tier["flushed"] is True and tier["bucket_s"] == 60 and tier["lag_note"]
    assert {"rules", "cache"} <= set(tier["groups"]) and tier["methods"]
    assert set(tier["methods"]) <= {"modelled", "measured"}
    assert sum(g["count"] for g in tier["totals"].values()) == len(tiers)
    for b in tier["buckets"]:
        assert set(b["groups"]) <= set(tier["groups"])
        assert tier["since"] <= b["start"] < tier["until"]
    records = query(db, until=before)
    tiered = [r for r in records if "tier" in r["tags"]]
    assert sum(g["energy_j"] for g in tier["totals"].values()) == pytest.approx(sum(r["energy_j"] for r in tiered))
    assert sum(g["carbon_g"] for g in tier["totals"].values()) == pytest.approx(sum(r["carbon_g"] for r in tiered))
    assert route["totals"][CHAT]["count"] == len(tiers)
    assert route["totals"]["http GET /v1/products/search"]["count"] == 2
    # the ledger's top-level units, less the dashboard's own reads (the one in flight is not there yet)
    route_before = {k: v for k, v in route["totals"].items() if k != "http GET /v1/energy/series"}
    tops = [r for r in top_level(records) if r["name"] != "http GET /v1/energy/series"]
    assert sum(g["energy_j"] for g in route_before.values()) == pytest.approx(sum(r["energy_j"] for r in tops))
    bucket_sum = sum(g["energy_j"] for b in tier["buckets"] for g in b["groups"].values())
    assert bucket_sum == pytest.approx(sum(g["energy_j"] for g in tier["totals"].values()))


def test_summary_per_tier_and_route_with_sci(served):
    client, _, tiers = served
    s = client.get("/v1/energy/summary").json()
    by_tier = {t["tier"]: t for t in s["by_tier"]}
    assert {t: by_tier[t]["count"] for t in by_tier} == {t: tiers.count(t) for t in set(tiers)}
    assert sum(t["share_of_turns"] for t in s["by_tier"]) == pytest.approx(1.0)
    rules = by_tier["rules"]
    assert rules["energy_j_per_turn"] == pytest.approx(rules["energy_j"] / rules["count"]) and rules["energy_j"] > 0
    assert s["turns"]["count"] == len(tiers) and s["turns"]["carbon_g"] > 0
    assert s["turns"]["energy_j"] == pytest.approx(sum(t["energy_j"] for t in s["by_tier"]))
    routes = {r["route"]: r for r in s["by_route"]}
    assert routes[CHAT]["count"] == len(tiers) and routes[CHAT]["methods"]
    assert routes[CHAT]["energy_j"] >= s["turns"]["energy_j"] * 0.999  # a request includes its turn
    sci = s["sci"]
    assert sci["functional_unit"] == "turn" and sci["functional_units"] == len(tiers)
    assert sci["sci_g_per_unit"] == pytest.approx((sci["operational_g"] + sci["embodied_g"]) / len(tiers))
    assert sci["method"] in ("modelled", "measured") and "illustrative" in sci["embodied_source"]
    later = client.get("/v1/energy/summary", params={"since": "2099-01-01T00:00:00Z"}).json()
    assert later["turns"]["count"] == 0 and later["sci"] is None and later["by_tier"] == []


@pytest.mark.parametrize(
    ("path", "params", "needle"),
    [
        ("/v1/energy/series", {"bucket": "week"}, "bucket"),
        ("/v1/energy/series", {"by": "colour"}, "by"),
        ("/v1/energy/series", {"since": "yesterday"}, "since"),
        ("/v1/energy/series", {"bucket": "day", "since": "2026-01-02"}, "RFC 3339"),  # format: date-time
        ("/v1/energy/summary", {"until": "1767225600"}, "RFC 3339"),
    ],
)
def test_bad_parameters_are_422_naming_the_problem(served, path, params, needle):
    resp = served[0].get(path, params=params)
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "InvalidParameter" and needle in body["detail"], body


@pytest.mark.parametrize(
    ("path", "params", "since", "until"),
    [
        ("/v1/energy/series", {"since": "2026-01-01T00:00:00Z", "until": "2026-01-03T00:00:00Z"},
         "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"),  # the latest MAX_BUCKETS minutes
        ("/v1/energy/series", {"bucket": "day", "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
         "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"),  # empty
        ("/v1/energy/summary", {"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
         "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"),
        ("/v1/energy/summary", {"since": "1900-01-01T00:00:00Z"}, "2000-01-01T00:00:00+00:00", None),
        # offsets at the ends of the calendar overflowed in astimezone (a 500 once, a 422 later)
        ("/v1/energy/summary", {"since": "0001-01-01T00:00:00+01:00"}, "2000-01-01T00:00:00+00:00", None),
        ("/v1/energy/series", {"bucket": "day", "until": "9999-12-31T23:59:59-05:00"},
         "2099-12-02T00:00:00+00:00", "2100-01-01T00:00:00+00:00"),
    ],
)
def test_well_formed_windows_are_clamped_not_refused(served, path, params, since, until):
    """The schema cannot say "since before until" or "at most 1440 buckets", so the API
    never refuses them: it answers for the window it used and says which."""
    resp = served[0].get(path, params=params)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["since"] == since and body["until"] == until, body


def test_dashboard_page_and_links(served):
    client = served[0]
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/"' in page.text and "/static/dashboard.js" in page.text
    assert client.get("/static/dashboard.js").status_code == 200
    assert 'href="/dashboard"' in client.get("/").text
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/energy/series" in paths and "/v1/energy/summary" in paths and "/dashboard" not in paths
