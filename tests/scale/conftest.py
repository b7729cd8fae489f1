"""A real local Ray cluster with two nodes (ray.cluster_utils.Cluster), once per session."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def ray_cluster():
    """Head + one worker node, one CPU each, a small object store; shut down at the end."""
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI requires Ray: install the scale extra (make test does)")
        pytest.skip("Ray tests need the scale extra: pip install -e '.[scale]'")
    from ray.cluster_utils import Cluster

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    store = 80 * 1024 * 1024
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": store,
                                                            "include_dashboard": False})
    cluster.add_node(num_cpus=1, object_store_memory=store)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()


@pytest.fixture(scope="session")
def ray_runner(ray_cluster):
    from greencart.scale import RayRunner

    runner = RayRunner(ray_cluster.address)
    yield runner
    runner.close()
