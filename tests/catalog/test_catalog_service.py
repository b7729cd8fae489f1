"""The catalogue facade the API and CLI share: hard filters hold even when the
search index lags behind the database (another process imported products)."""

from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.catalog.search import SearchFilters
from greencart.config import Settings
from greencart.errors import InvalidParameter
from greencart.catalog.service import CatalogService
from greencart.store import catalog_repo


def _lamp(price: float, pid: str = "LAMP1") -> Product:
    return Product(id=pid, title="Brass Desk Lamp", category="home-decor", price=price, weight_kg=1.0,
                   attributes={"colour": "gold", "material": "brass"})


@pytest.fixture
def service(tmp_path, sqlite_db):
    svc = CatalogService(Settings(var_dir=tmp_path), sqlite_db)
    with sqlite_db.transaction() as s:
        catalog_repo.upsert_products(s, [_lamp(5.0)])
    return svc


def test_a_price_change_elsewhere_never_breaks_a_price_filter(service):
    assert [c.id for c in service.search("lamp", SearchFilters(max_price=10))] == ["LAMP1"]
    with service.db.transaction() as s:  # as if `greencart import products` ran in another process
        catalog_repo.upsert_products(s, [_lamp(15.0)])
    assert service.search("lamp", SearchFilters(max_price=10)) == []
    assert [c.price for c in service.search("lamp")] == [15.0]


def test_products_added_elsewhere_are_found_without_a_restart(service):
    service.search("lamp")
    with service.db.transaction() as s:
        catalog_repo.upsert_products(s, [_lamp(7.0, "LAMP2")])
    assert {c.id for c in service.search("lamp")} == {"LAMP1", "LAMP2"}


def test_search_on_an_empty_catalogue_is_empty_and_the_index_reloads(tmp_path, sqlite_db):
    svc = CatalogService(Settings(var_dir=tmp_path), sqlite_db)
    assert svc.search("anything") == []
    again = CatalogService(Settings(var_dir=tmp_path), sqlite_db)
    assert again.search("anything") == []


def test_absurd_k_is_rejected(service):
    with pytest.raises(InvalidParameter, match="k"):
        service.search("lamp", k=0)


@pytest.mark.parametrize("bad", ["A/B", "tab\tid", " padded"])
def test_product_ids_must_be_usable_in_urls(bad):
    with pytest.raises(InvalidParameter, match="product id"):
        _lamp(1.0, bad)


def test_an_empty_index_round_trips(tmp_path):
    from greencart.catalog.search import SearchIndex

    SearchIndex.build([]).save(tmp_path / "index")
    assert SearchIndex.load(tmp_path / "index").size == 0
