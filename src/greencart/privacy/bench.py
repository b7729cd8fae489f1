"""Redaction latency per message: ``python -m greencart.privacy.bench`` (or
``greencart privacy bench``). Prints the cold load time of the engines and
p50/p95/max per message over a fixed bilingual corpus, with and without personal data."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from greencart.privacy.redact import Redactor

CORPUS: tuple[str, ...] = (
    "a white t-shirt under 20",
    "compare the first two",
    "kettles between 20 and 40 pounds, low carbon please",
    "email me at jane.doe@example.co.uk when the red linen shirt is back",
    "call me on +44 20 7946 0958 or 07911 123456 about my order",
    "my card 4111 1111 1111 1111 was charged twice for the kettle",
    "refund to GB82 WEST 1234 5698 7654 32 please, from 192.168.1.20",
    "50元以下的红色T恤",
    "比较前两个",
    "我的手机是13812345678，邮箱是wang@example.cn",
    "请退款到卡号4111111111111111，电话+86 138 1234 5678",
)


def run(cache_dir: Path, rounds: int = 20) -> dict[str, Any]:
    redactor = Redactor(cache_dir)
    t0 = time.perf_counter()
    redactor.load()
    load_s = time.perf_counter() - t0
    redactor.redact("warm up a@b.com")
    times = {"clean": [], "personal": []}  # type: dict[str, list[float]]
    for _ in range(rounds):
        for text in CORPUS:
            t = time.perf_counter()
            found = redactor.redact(text).count
            times["personal" if found else "clean"].append((time.perf_counter() - t) * 1000)
    out: dict[str, Any] = {"engine_load_s": round(load_s, 3), "rounds": rounds}
    for kind, ms in times.items():
        ms.sort()
        out[kind] = {"messages": len(ms), "latency_ms_p50": round(statistics.median(ms), 3),
                     "latency_ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 3), "latency_ms_max": round(ms[-1], 3)}
    return out


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    rounds = int(args[0]) if args else 20
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), rounds)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
