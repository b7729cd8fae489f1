"""Shared fixtures and helpers: databases (SQLite and PostgreSQL), shared data
paths, a live `greencart serve` process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from greencart.store import Database, open_database

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = bool(os.environ.get("CI"))


def pytest_configure(config: pytest.Config) -> None:
    """The suite is deterministic unless a test asks for the local model: servers and CLIs
    started by tests inherit GREENCART_LOCAL_LLM=off (tests that need SmolLM2 build it)."""
    os.environ.setdefault("GREENCART_LOCAL_LLM", "off")


def shared_file(relative: str) -> Path:
    """A file from ../shared/data; skips where absent, fails under CI."""
    path = SHARED_DATA / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"CI requires {path} (../shared/data beside the clone)")
        pytest.skip(f"{path} is absent: real-data tests need ../shared/data beside the clone")
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A private database for this test run, created on the server that
    GREENCART_TEST_POSTGRES_URL points at and dropped at the end, so that two
    runs (or two checkouts) never drop each other's tables."""
    url = os.environ.get("GREENCART_TEST_POSTGRES_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI requires PostgreSQL: GREENCART_TEST_POSTGRES_URL is unset (make test sets it)")
        pytest.skip("GREENCART_TEST_POSTGRES_URL is unset: run through `make test` to start PostgreSQL")
    base = make_url(url)
    name = f"{base.database}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(db: Database) -> None:
    """Every table goes, including ones a newer migration (run by a subprocess) made that
    this process's metadata does not know: the public schema is dropped and recreated."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def sqlite_db(tmp_path: Path):
    db = open_database(f"sqlite:///{tmp_path / 'test.db'}", migrate=True)
    yield db
    db.dispose()


@pytest.fixture
def postgres_db(postgres_url):
    db = open_database(postgres_url)
    _reset_postgres(db)
    db.migrate()
    yield db
    _reset_postgres(db)
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request):
    """A freshly migrated database; store tests run once on each backend."""
    yield request.getfixturevalue(f"{request.param}_db")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(var_dir: Path, products: Sequence, *, timeout_s: float = 60) -> Iterator[httpx.Client]:
    """`greencart serve` as a real process on 127.0.0.1 over a SQLite catalogue
    of ``products`` in ``var_dir``; yields a client bound to it."""
    from greencart.store import catalog_repo

    db = open_database(f"sqlite:///{var_dir / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, list(products))
    db.dispose()
    port = _free_port()
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir)}
    env.pop("GREENCART_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "greencart.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stdout.read()}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"server did not answer /health within {timeout_s} s")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
