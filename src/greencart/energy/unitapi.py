"""The work-unit API: ``monitor.unit(name, **tags)`` (sync and async) and ``@monitor.track``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from greencart.energy.workunit import UnitResult, WorkUnit
from greencart.errors import InvalidParameter

F = TypeVar("F", bound=Callable[..., Any])


class UnitApiMixin:
    """Adds ``unit`` and ``track`` to a monitor that implements ``_register``/``_estimate``."""

    config: Any
    _process_clock: bool = False

    def _register(self, unit: WorkUnit) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _estimate(self, unit: WorkUnit) -> UnitResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def unit(self, name: str, **tags: Any) -> WorkUnit:
        """A work unit: ``with monitor.unit("turn", tier="cache") as u: ...``; then ``u.result``."""
        if not name or len(name) > 120:
            raise InvalidParameter(f"Expected a unit name of 1..120 characters, got {name!r}")
        return WorkUnit(self, name, tags, self._process_clock)

    def track(self, name: str | None = None, **tags: Any) -> Callable[[F], F]:
        """Decorator: every call of the function (sync or async) is a work unit."""

        def decorate(fn: F) -> F:
            unit_name = name or fn.__qualname__
            if inspect.iscoroutinefunction(fn):

                @functools.wraps(fn)
                async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                    async with self.unit(unit_name, **tags):
                        return await fn(*args, **kwargs)

                return async_wrapper  # type: ignore[return-value]

            @functools.wraps(fn)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                with self.unit(unit_name, **tags):
                    return fn(*args, **kwargs)

            return wrapper  # type: ignore[return-value]

        return decorate
