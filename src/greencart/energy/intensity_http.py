"""A live intensity provider over HTTP (Electricity Maps v3 ``carbon-intensity/latest`` shape).

Short timeouts, a time-to-live cache, and a fallback provider used (with the
reason logged and carried in ``source``) whenever the service fails.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from greencart.energy.intensity import IntensityProvider, IntensityValue
from greencart.errors import InvalidParameter

log = logging.getLogger(__name__)


class HttpIntensity:
    """GET ``{base_url}/carbon-intensity/latest?zone=ZONE``; expects ``{"carbonIntensity": g}``."""

    def __init__(
        self,
        base_url: str,
        zone: str,
        fallback: IntensityProvider,
        *,
        token: str | None = None,
        timeout_s: float = 2.0,
        ttl_s: float = 300.0,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise InvalidParameter(f"Expected an http(s) base_url, got {base_url!r}")
        if not 0 < timeout_s <= 30:
            raise InvalidParameter(f"Expected timeout_s in (0, 30], got {timeout_s}")
        self.base_url = base_url.rstrip("/")
        self.zone = zone
        self.fallback = fallback
        self.token = token
        self.timeout_s = timeout_s
        self.ttl_s = ttl_s
        self.name = f"http:{self.base_url}:{zone}"
        self._lock = threading.Lock()
        self._cached: tuple[float, IntensityValue] | None = None
        self._retry_after_s = 0.0
        self.last_error: str | None = None

    def _fetch(self) -> IntensityValue:
        import httpx

        headers = {"auth-token": self.token} if self.token else {}
        resp = httpx.get(
            f"{self.base_url}/carbon-intensity/latest",
            params={"zone": self.zone},
            headers=headers,
            timeout=self.timeout_s,
        )
        resp.raise_for_status()
        value = float(resp.json()["carbonIntensity"])
        return IntensityValue(value, f"live {self.base_url} zone {self.zone}", "live")

    def intensity_at(self, when: datetime) -> IntensityValue:
        """Live value for 'now' (cached ``ttl_s``); the fallback on any failure."""
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self.ttl_s:
                return self._cached[1]
            if now < self._retry_after_s:  # do not hammer a failing service
                return self._fallback(when)
            try:
                value = self._fetch()
            except Exception as exc:  # network, HTTP status, bad JSON: all fall back
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("Live grid intensity failed (%s); using %s", self.last_error, self.fallback.name)
                self._retry_after_s = now + min(self.ttl_s, 60.0)
                return self._fallback(when)
            self._cached = (now, value)
            self.last_error = None
            return value

    def _fallback(self, when: datetime) -> IntensityValue:
        fb = self.fallback.intensity_at(when)
        return IntensityValue(fb.intensity_g_per_kwh, f"{fb.source} (fallback: {self.last_error})", fb.kind)
