"""Opening a database: engine, pragmas, migrations, sessions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from greencart.errors import ConfigError, StoreError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL: readers never block the writer and a killed process leaves the last committed
    state (uncommitted pages in the WAL are ignored on recovery). synchronous=FULL: each
    commit is fsynced before it returns, so what the API acknowledged (a stored turn, an
    import) survives a power cut too, not only a killed process (NORMAL may lose the last
    commits then). tests/crash holds this to account."""
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and foreign keys, parents created."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"Expected a database URL, got {url!r}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ConfigError(
        f"Expected a sqlite:/// or postgresql+psycopg:// URL, got backend {parsed.get_backend_name()!r}"
    )


def _alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@dataclass
class Database:
    """An engine plus a session factory. Create with :func:`open_database`."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent)."""
        from alembic import command

        try:
            command.upgrade(_alembic_config(self.engine), "head")
        except OperationalError as exc:
            raise StoreError(f"Cannot migrate {self.url}: {exc.orig}") from None

    def is_migrated(self) -> bool:
        try:
            return inspect(self.engine).has_table("products")
        except OperationalError as exc:
            raise StoreError(f"Cannot reach the database {self.url}: {exc.orig}") from None

    def require_migrated(self) -> None:
        if not self.is_migrated():
            raise StoreError(
                f"The database {self.url} has no greencart tables. Run `greencart init` first."
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back everything on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StoreError(f"Database write failed, nothing was saved: {exc}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = False) -> Database:
    engine = make_engine(url)
    db = Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    if migrate:
        db.migrate()
    return db
