"""A daemon thread that runs a step every interval until stopped.

The sampler and the ledger writer both need one; nothing starts at import.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class BackgroundLoop:
    """``start()`` runs ``step`` every ``interval_s`` on a daemon thread; ``stop()``
    joins it. A failing step is logged and retried next interval, so the loop
    survives a bad read or a refused write. Both calls are idempotent."""

    def __init__(self, name: str, interval_s: float, step: Callable[[], object]) -> None:
        self.name = name
        self.interval_s = interval_s
        self._step = step
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self._step()
            except Exception:
                log.exception("%s: step failed; retrying next interval", self.name)
