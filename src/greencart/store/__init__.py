"""Persistence: SQLAlchemy 2 tables, Alembic migrations and repositories.

Only this package writes SQL. SQLite (WAL, foreign keys on) is the embedded
default; PostgreSQL is used through ``postgresql+psycopg://`` URLs.
"""

from greencart.store.engine import Database, open_database

__all__ = ["Database", "open_database"]
