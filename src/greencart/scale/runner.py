"""Batch runners: map a top-level function over chunks, in order, locally or on Ray.

``Runner.map(fn, chunks, shared=None)`` returns ``[fn(shared, c) for c in chunks]``
(or ``fn(c)`` when ``shared`` is None). The local backend is a plain loop and
never imports Ray; the Ray backend puts ``shared`` in the object store once and
runs one task per chunk on whatever cluster ``ray.init(address=...)`` reaches
(a local one when ``address`` is None). Results come back in input order, so
both backends give identical output for deterministic ``fn``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from greencart.errors import ConfigError, InvalidParameter, check_range

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidParameter(f"Expected chunk size to be a positive integer, got {size!r}")
    return [items[i : i + size] for i in range(0, len(items), size)]


@runtime_checkable
class Runner(Protocol):
    name: str

    def map(self, fn: Callable[..., R], chunks: Sequence[Any], *, shared: Any = None) -> list[R]: ...

    def close(self) -> None: ...


@dataclass
class RunStats:
    """What the last ``map`` did: tasks, wall time, workers that ran them."""

    tasks: int = 0
    duration_s: float = 0.0
    workers: int = 1
    nodes: list[str] = field(default_factory=list)


class LocalRunner:
    """In-process loop (the default): no Ray, no pickling, no extra processes."""

    name = "local"

    def __init__(self) -> None:
        self.stats = RunStats()

    def map(self, fn: Callable[..., R], chunks: Sequence[Any], *, shared: Any = None) -> list[R]:
        t0 = time.perf_counter()
        out = [fn(c) if shared is None else fn(shared, c) for c in chunks]
        self.stats = RunStats(len(chunks), time.perf_counter() - t0, 1, ["local"])
        return out

    def close(self) -> None:
        return None


class RayRunner:
    """Ray tasks: ``address`` of an existing cluster ("auto", "ray://host:10001"), or None
    for a local one with ``num_cpus`` CPUs. ``max_in_flight`` bounds queued tasks (memory)."""

    name = "ray"

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None,
                 max_in_flight: int = 64, runtime_env: dict[str, Any] | None = None) -> None:
        check_range("max_in_flight", max_in_flight, 1, 100_000)
        if num_cpus is not None:
            check_range("num_cpus", num_cpus, 1, 4096)
        try:
            import ray
        except ImportError:
            raise ConfigError("The Ray backend needs the scale extra: pip install -e '.[scale]'") from None
        self._ray = ray
        self.max_in_flight = max_in_flight
        self._owns = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"address": address, "log_to_driver": False,
                                      "include_dashboard": False, "runtime_env": runtime_env}
            if address is None:  # a new local Ray, never one that `ray start` left running
                kwargs["address"] = "local"
                kwargs["num_cpus"] = num_cpus
                kwargs["object_store_memory"] = 200 * 1024 * 1024  # small containers: stay in /dev/shm
            ray.init(**{k: v for k, v in kwargs.items() if v is not None})
            self._owns = True
        self.stats = RunStats()
        self._task = ray.remote(num_cpus=1)(_call_on_node)

    @property
    def cluster_cpus(self) -> int:
        return int(self._ray.cluster_resources().get("CPU", 0))

    def map(self, fn: Callable[..., R], chunks: Sequence[Any], *, shared: Any = None) -> list[R]:
        ray = self._ray
        t0 = time.perf_counter()
        remote = self._task.options(name=getattr(fn, "__name__", "greencart-task"))
        ref = ray.put(shared) if shared is not None else None
        refs: list[Any] = []
        for i, chunk in enumerate(chunks):
            if i >= self.max_in_flight:  # back-pressure: wait for the oldest before queuing more
                ray.wait(refs[i - self.max_in_flight : i - self.max_in_flight + 1], num_returns=1)
            refs.append(remote.remote(fn, ref, chunk))
        pairs = ray.get(refs)
        nodes = sorted({node for _, node in pairs})
        self.stats = RunStats(len(chunks), time.perf_counter() - t0, self.cluster_cpus, nodes)
        return [value for value, _ in pairs]

    def close(self) -> None:
        if self._owns and self._ray.is_initialized():
            self._ray.shutdown()
        self._owns = False


def _call_on_node(fn: Callable[..., Any], shared: Any, chunk: Any) -> tuple[Any, str]:
    """Runs in a Ray worker: the result and the node it ran on (for RunStats.nodes)."""
    import ray

    node = ray.get_runtime_context().get_node_id()
    return (fn(chunk) if shared is None else fn(shared, chunk)), node


def runner_from_name(name: str = "local", *, address: str | None = None,
                     num_cpus: int | None = None) -> Runner:
    """``local`` (default) or ``ray``; anything else is a clear error."""
    if name == "local":
        return LocalRunner()
    if name == "ray":
        return RayRunner(address, num_cpus=num_cpus)
    raise InvalidParameter(f"Expected runner 'local' or 'ray', got {name!r}")

