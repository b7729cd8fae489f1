"""Scale-out: one batch-runner interface with a local (default) and a Ray backend,
and the shared state many API workers need (see docs/scaling.md).

    from greencart.scale import runner_from_name
    runner = runner_from_name("ray", address="auto")   # or "local" (no Ray import)
    results = runner.map(fn, chunks, shared=big_object)  # fn(shared, chunk) per chunk, in order
"""

from greencart.scale.runner import LocalRunner, RayRunner, Runner, chunked, runner_from_name

__all__ = ["LocalRunner", "RayRunner", "Runner", "chunked", "runner_from_name"]
