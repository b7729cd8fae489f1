"""Importing greencart.energy has no side effects and pulls in no optional dependency."""

from __future__ import annotations

import subprocess
import sys


def test_import_is_lean_and_starts_nothing():
    code = (
        "import sys, threading, greencart.energy, greencart.cli.energy;"
        "heavy = [m for m in ('prometheus_client', 'httpx', 'yaml', 'pynvml', 'codecarbon', 'pandas', 'sqlalchemy')"
        " if m in sys.modules];"
        "print(heavy, threading.active_count())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] 1"
