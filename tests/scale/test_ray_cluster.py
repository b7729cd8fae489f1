"""The Ray backend on a real two-node local cluster gives the local backend's results."""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np
import pytest

from greencart.scale import LocalRunner, chunked

pytestmark = [pytest.mark.ray, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _ship_this_module(ray_cluster):
    """Ray workers cannot import tests/: send this module's functions by value."""
    import sys

    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


def slow_square(chunk):
    time.sleep(0.3)  # long enough that both nodes take tasks
    return [x * x for x in chunk]


def test_tasks_run_on_both_nodes_in_order(ray_runner):
    chunks = chunked(list(range(40)), 5)
    got = ray_runner.map(slow_square, chunks)
    assert got == LocalRunner().map(slow_square, chunks)
    assert ray_runner.cluster_cpus == 2
    assert len(ray_runner.stats.nodes) == 2, ray_runner.stats


def test_index_embeddings_identical(ray_runner):
    from greencart.catalog.embed import get_embedder
    from greencart.catalog.search.vectors import embed_texts

    texts = [f"organic cotton t-shirt size {i}" for i in range(70)] + ["bamboo toothbrush", "oak table"]
    embedder = get_embedder("minilm-int8")
    local = embed_texts(embedder, texts)
    on_local_runner = embed_texts(embedder, texts, runner=LocalRunner())
    on_ray = embed_texts(embedder, texts, runner=ray_runner)
    np.testing.assert_array_equal(local, on_local_runner)
    np.testing.assert_allclose(on_ray, local, rtol=0, atol=1e-6)


def test_recommend_all_identical(ray_runner, tmp_path):
    from greencart.catalog.models import Interaction, Product
    from greencart.footprint.models import Footprint
    from greencart.recommend.data import EventLog, build_interactions
    from greencart.recommend.engine import RecommendEngine
    from greencart.recommend.factory import make_recommender
    from greencart.recommend.green import GreenMeter
    from greencart.recommend.itemtable import table_from_records

    rng = np.random.default_rng(0)
    items = [f"i{j}" for j in range(30)]
    t0 = datetime(2024, 1, 1)
    events = [Interaction(f"u{u}", items[int(j)], "purchase", t0) for u in range(300)
              for j in rng.choice(30, size=4, replace=False)]
    data = build_interactions(EventLog.from_interactions(events), item_ids=items)
    products = {p: Product(id=p, title=f"Item {p}", category="home", price=10.0) for p in items}
    fps = {p: Footprint(1.0 + k, 0.8 + k, 1.2 + k, "spend", "test", None, 0.8) for k, p in enumerate(items)}
    engine = RecommendEngine(make_recommender("ease").fit(data), table_from_records(data.item_ids, products, fps))
    meter = GreenMeter()
    from greencart.recommend.batch import score_all

    a = score_all(engine, tmp_path / "local.jsonl", 5, 0.5, meter)
    b = score_all(engine, tmp_path / "ray.jsonl", 5, 0.5, meter, runner=ray_runner)
    meter.close()
    assert a["users"] == b["users"] == 300 and b["runner"] == "ray"
    assert (tmp_path / "local.jsonl").read_text() == (tmp_path / "ray.jsonl").read_text()


def test_footprint_estimation_identical(ray_runner, sqlite_db):
    from greencart.catalog.models import Product
    from greencart.footprint import estimate_all
    from greencart.store import catalog_repo, footprint_repo

    products = [Product(f"p{i}", title, cat, price, weight_kg=w) for i, (title, cat, price, w) in enumerate([
        ("Cotton t-shirt", "apparel", 15.0, 0.2), ("Oak dining table", "furniture", 450.0, 40.0),
        ("Mystery box", "uncategorised", 0.0, None), ("Steel kettle", "kitchen", 30.0, 1.1),
        ("Wool scarf", "apparel", 25.0, 0.15), ("LED desk lamp", "lighting", 40.0, 0.8)])]
    with sqlite_db.transaction() as s:
        catalog_repo.upsert_products(s, products)
    ids = [p.id for p in products]
    local_counts = estimate_all(sqlite_db, batch_size=2)
    with sqlite_db.read() as s:
        local = footprint_repo.get_footprints(s, ids)
    ray_counts = estimate_all(sqlite_db, batch_size=2, runner=ray_runner)
    with sqlite_db.read() as s:
        remote = footprint_repo.get_footprints(s, ids)
    assert ray_counts == local_counts and sum(local_counts.values()) == len(products)
    assert remote == local


def _many_series(n=12, periods=70):
    import pandas as pd

    rng = np.random.default_rng(3)
    ds = pd.date_range("2024-01-01", periods=periods, freq="D")
    frames = [pd.DataFrame({"unique_id": f"s{i:02d}", "ds": ds,
                            "y": np.maximum(0, 5 + 3 * np.sin(np.arange(periods) * 2 * np.pi / 7 + i)
                                            + rng.normal(0, 1, periods)).round()}) for i in range(n)]
    return pd.concat(frames, ignore_index=True)


def test_forecasting_many_series_identical(ray_runner):
    import pandas as pd

    from greencart.ops.forecast import ForecastSpec, forecast

    df, spec = _many_series(), ForecastSpec(freq="D", horizon=7, models=("auto_ets",))
    local = forecast(df, spec).frame
    on_ray = forecast(df, spec, runner=ray_runner).frame
    assert len(ray_runner.stats.nodes) == 2 and ray_runner.stats.tasks == 12
    pd.testing.assert_frame_equal(on_ray, local, check_exact=False, rtol=1e-9)
