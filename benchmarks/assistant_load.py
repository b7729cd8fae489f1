"""Load test of ``POST /v1/chat``: `greencart serve` in a subprocess, rising concurrency.

Used by ``benchmarks/assistant.py`` (``--no-load`` skips it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from greencart.errors import GreencartError

LEVELS = (1, 2, 4, 8, 16)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(proc: subprocess.Popen[str], base: str, timeout_s: float, log_path: Path) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise GreencartError(f"greencart serve exited with {proc.returncode}: {tail}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise GreencartError(f"greencart serve did not answer {base}/health within {timeout_s:.0f} s")


def _level(base: str, clients: int, seconds: float, messages: Sequence[str]) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    tiers: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            i = k
            while time.monotonic() < stop_at:
                msg = messages[i % len(messages)]
                i += clients
                t0 = time.perf_counter()
                try:
                    r = client.post("/v1/chat", json={"message": msg})
                    ok = r.status_code == 200
                    err = None if ok else f"HTTP {r.status_code}: {r.text[:120]}"
                    tier = str(r.json().get("tier")) if ok else "error"
                except (httpx.HTTPError, ValueError) as exc:
                    err, tier = f"{type(exc).__name__}: {exc}", "error"
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    (errors.append(err) if err else latencies.append(ms))
                    tiers[tier] = tiers.get(tier, 0) + 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(latencies) + len(errors), "errors": len(errors),
            "error_examples": sorted(set(errors))[:3], "requests_per_s": round(len(latencies) / wall, 2),
            "latency_ms_p50": round(float(np.percentile(latencies, 50)), 2) if latencies else None,
            "latency_ms_p99": round(float(np.percentile(latencies, 99)), 2) if latencies else None,
            "tier_share": {k: round(v / max(1, sum(tiers.values())), 3) for k, v in sorted(tiers.items())}}


def load_test(var_dir: Path, messages: Sequence[str], *, total_s: float = 60.0,
              levels: Sequence[int] = LEVELS) -> dict[str, Any]:
    """Serve ``var_dir`` (a built catalogue) and POST chat turns at each concurrency level."""
    port = _free_port()
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir)}
    env.pop("GREENCART_DATABASE_URL", None)
    env.pop("GREENCART_LLM_URL", None)
    log_path = Path(var_dir) / "serve.log"  # a file, not a pipe: an unread pipe fills and stalls the server
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "greencart.cli", "serve", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, base, 120, log_path)
        _level(base, 1, 8.0, messages)  # warm-up: models loaded, index opened (not reported)
        rows = [_level(base, n, total_s / len(levels), messages) for n in levels]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return {"server": "greencart serve (uvicorn, 1 worker)", "seconds_per_level": round(total_s / len(levels), 1),
            "messages": len(messages), "rows": rows}
