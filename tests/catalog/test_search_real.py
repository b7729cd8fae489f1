"""Search on the real Online Retail sample (../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencart.catalog.search import SearchFilters, open_index

from conftest import shared_file

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]  # imports 40k rows, embeds ~3k products (~1 min)


@pytest.fixture(scope="module")
def retail_index(tmp_path_factory):  # type: ignore[no-untyped-def]
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    tmp: Path = tmp_path_factory.mktemp("retail")
    db = open_database(f"sqlite:///{tmp / 'retail.db'}", migrate=True)
    import_online_retail(db, path)
    index = open_index(db, tmp / "index")
    with db.read() as session:
        titles = {p.id: p.description or p.title for p in iter_products(session)}
    yield index, titles
    db.dispose()


def test_white_metal_lantern_is_found(retail_index) -> None:  # type: ignore[no-untyped-def]
    index, titles = retail_index
    top3 = [titles[h.product_id].strip().upper() for h in index.search("white metal lantern", k=3)]
    assert "WHITE METAL LANTERN" in top3, top3


def test_chinese_query_crosses_to_english_titles(retail_index) -> None:  # type: ignore[no-untyped-def]
    index, titles = retail_index
    top5 = [titles[h.product_id].upper() for h in index.search("闹钟", k=5)]  # alarm clock
    assert any("CLOCK" in t for t in top5), top5


def test_price_filter_on_real_data(retail_index) -> None:  # type: ignore[no-untyped-def]
    index, _ = retail_index
    hits = index.search("lantern", SearchFilters(max_price=2.0), k=20)
    assert len(hits) == 20 and all(index.columns.prices[index.ids.index(h.product_id)] <= 2.0 for h in hits)
