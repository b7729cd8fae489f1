"""Migration 0004: the ops tables both ways, and the migrated schema matches store/tables.py."""

from __future__ import annotations

OPS_TABLES = {"ops_forecast_runs", "ops_forecast_points", "ops_plans"}


def test_migration_0004_both_ways_and_matches_the_models(db):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from greencart.store.engine import _alembic_config
    from greencart.store.tables import Base

    def tables() -> set[str]:
        return set(inspect(db.engine).get_table_names())

    assert OPS_TABLES <= tables()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ops_diff = [d for d in diff if any(t in repr(d) for t in OPS_TABLES)]
    assert ops_diff == []
    cfg = _alembic_config(db.engine)
    command.downgrade(cfg, "0003")
    assert not (OPS_TABLES & tables())
    command.upgrade(cfg, "head")
    assert OPS_TABLES <= tables()
