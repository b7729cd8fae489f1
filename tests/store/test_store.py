from datetime import datetime

import pytest
from sqlalchemy import text

from greencart.catalog.models import Interaction, Order, OrderLine, Product, Shopper
from greencart.errors import NotFound, StoreError
from greencart.store import catalog_repo as repo
from greencart.store import open_database


def _product(pid: str, price: float = 3.0, category: str = "home") -> Product:
    return Product(id=pid, title=f"Lantern {pid}", category=category, price=price, attributes={"colour": "white"})


def test_migrate_is_idempotent_and_products_upsert(db):
    db.migrate()
    with db.transaction() as s:
        repo.upsert_products(s, [_product("a"), _product("b", 9.0, "garden")])
    with db.transaction() as s:
        repo.upsert_products(s, [Product(id="a", title="Renamed", category="home", price=4.0)])
    with db.read() as s:
        assert repo.get_product(s, "a").title == "Renamed"
        assert repo.count_products(s) == 2
        assert repo.categories(s) == [("garden", 1), ("home", 1)]
        assert [p.id for p in repo.list_products(s, repo.ProductFilter(max_price=5))] == ["a"]
        assert [p.id for p in repo.iter_products(s, batch_size=1)] == ["a", "b"]
        with pytest.raises(NotFound, match="'zzz'"):
            repo.get_product(s, "zzz")


def test_failed_transaction_leaves_nothing(db):
    with db.transaction() as s:
        repo.upsert_products(s, [_product("keep")])
    with pytest.raises(StoreError, match="nothing was saved"):
        with db.transaction() as s:
            repo.upsert_products(s, [_product("new")])
            # violates the foreign key: the unknown product "ghost"
            repo.upsert_shoppers(s, [Shopper(id="u1")])
            repo.upsert_interactions(
                s, [Interaction(user_id="u1", product_id="ghost", kind="purchase", occurred_at=datetime(2021, 1, 1))]
            )
            s.flush()
    with db.read() as s:
        assert [p.id for p in repo.iter_products(s)] == ["keep"]
        assert repo.table_counts(s)["shoppers"] == 0


def test_orders_replace_lines_on_reimport(db):
    order = Order(
        id="536365",
        ordered_at=datetime(2010, 12, 1, 8, 26),
        customer_id="17850",
        lines=(OrderLine("a", 6, 2.55), OrderLine("b", 2, 1.0)),
    )
    for _ in range(2):
        with db.transaction() as s:
            repo.upsert_products(s, [_product("a"), _product("b")])
            repo.upsert_shoppers(s, [Shopper(id="17850", country="United Kingdom")])
            repo.upsert_orders(s, [order])
    with db.read() as s:
        counts = repo.table_counts(s)
    assert counts["orders"] == 1 and counts["order_lines"] == 2


def test_interactions_roundtrip_in_time_order(db):
    with db.transaction() as s:
        repo.upsert_products(s, [_product("a"), _product("b")])
        repo.upsert_shoppers(s, [Shopper(id="u")])
        repo.upsert_interactions(
            s,
            [
                Interaction("u", "b", "purchase", datetime(2021, 2, 1), 2.0),
                Interaction("u", "a", "view", datetime(2021, 1, 1)),
                Interaction("u", "a", "view", datetime(2021, 1, 1)),  # duplicate collapses
            ],
        )
    with db.read() as s:
        got = list(repo.iter_interactions(s))
        assert [(i.product_id, i.kind) for i in got] == [("a", "view"), ("b", "purchase")]
        assert [i.product_id for i in repo.iter_interactions(s, kinds=["purchase"])] == ["b"]


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_unmigrated_database_is_reported(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreError, match="greencart init"):
        db.require_migrated()


def test_bad_urls_are_rejected():
    from greencart.errors import ConfigError

    with pytest.raises(ConfigError, match="sqlite"):
        open_database("mysql://x@y/z")


def test_migration_0003_indexes_the_ledger_by_time(db):
    """The dashboard's time-window queries use ix_energy_ledger_started_at; 0003 adds it both ways."""
    from alembic import command
    from sqlalchemy import inspect

    from greencart.store.engine import _alembic_config

    def indexes() -> set[str]:
        return {ix["name"] for ix in inspect(db.engine).get_indexes("energy_ledger")}

    cfg = _alembic_config(db.engine)
    assert "ix_energy_ledger_started_at" in indexes()
    command.downgrade(cfg, "0002")
    assert "ix_energy_ledger_started_at" not in indexes()
    command.upgrade(cfg, "head")
    assert "ix_energy_ledger_started_at" in indexes()
