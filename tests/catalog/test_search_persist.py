"""Search index persistence: round trip, corrupt directories, fingerprints, open_index on a database."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from greencart.catalog.models import Product
from greencart.catalog.search import SearchFilters, SearchIndex, catalogue_fingerprint, open_index
from greencart.errors import StoreError
from greencart.store.catalog_repo import upsert_products

PRODUCTS = [
    Product("lantern", "White metal lantern", "home-decor", 4.5, title_zh="白色金属灯笼",
            attributes={"colour": "white", "material": "metal"}),
    Product("mug", "Ceramic coffee mug", "kitchen", 6.0, title_zh="陶瓷咖啡杯",
            attributes={"colour": "blue", "material": "ceramic"}),
    Product("tee", "Organic cotton t-shirt", "apparel", 18.0, title_zh="有机棉T恤",
            attributes={"colour": "white", "material": "cotton"}),
    Product("kettle", "Stainless steel electric kettle", "small-appliances", 35.0, title_zh="不锈钢电热水壶"),
    Product("bottle", "Insulated water bottle", "sports", 19.0),
]


@pytest.fixture(scope="module")
def built() -> SearchIndex:
    return SearchIndex.build(PRODUCTS)


def _results(index: SearchIndex) -> list:
    queries = [("lantern", SearchFilters()), ("咖啡杯", SearchFilters()), ("white", SearchFilters(max_price=10))]
    return [[(h.product_id, round(h.score, 5)) for h in index.search(q, f, k=5)] for q, f in queries]


def test_round_trip_gives_the_same_results(built: SearchIndex, tmp_path: Path) -> None:
    target = tmp_path / "index"
    built.save(target)
    loaded = SearchIndex.load(target)
    assert loaded.size == built.size == len(PRODUCTS)
    assert loaded.fingerprint == built.fingerprint == catalogue_fingerprint(PRODUCTS)
    assert _results(loaded) == _results(built)
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["size"] == 5 and manifest["models"] == {"en": "minilm-int8", "zh": "e5-small-q4"}


def test_save_replaces_atomically_and_leaves_no_temp_dirs(built: SearchIndex, tmp_path: Path) -> None:
    target = tmp_path / "index"
    built.save(target)
    built.save(target)  # over an existing index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]
    assert SearchIndex.load(target).size == 5


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="No search index at .*manifest.json is missing"):
        SearchIndex.load(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: (d / "manifest.json").write_text("{not json"), "manifest.json: unreadable JSON"),
        (lambda d: (d / "vectors_en.npy").write_bytes(b"\x93NUMPY garbage"), "vectors_en.npy: checksum mismatch"),
        (lambda d: (d / "products.json").unlink(), "products.json: missing"),
        (lambda d: _truncate(d / "vectors_zh.npy"), "vectors_zh.npy: checksum mismatch"),
        (lambda d: _set_manifest(d, version=99), "format version 99"),
        (lambda d: _set_manifest(d, size=6), "products.json"),
    ],
)
def test_corrupt_index_is_a_clear_error(built: SearchIndex, tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "index"
    built.save(target)
    damage(target)
    with pytest.raises(StoreError, match=message) as err:
        SearchIndex.load(target)
    assert "corrupt" in str(err.value) and "rebuild" in str(err.value)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _set_manifest(directory: Path, **changes: object) -> None:
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def test_fingerprint_tracks_indexed_fields_not_order() -> None:
    fp = catalogue_fingerprint(PRODUCTS)
    assert catalogue_fingerprint(list(reversed(PRODUCTS))) == fp
    cheaper = [dataclasses.replace(PRODUCTS[0], price=3.0), *PRODUCTS[1:]]
    assert catalogue_fingerprint(cheaper) != fp
    recoloured = [dataclasses.replace(PRODUCTS[0], attributes={"colour": "black"}), *PRODUCTS[1:]]
    assert catalogue_fingerprint(recoloured) != fp


def test_rebuild_reuses_vectors_of_unchanged_texts(built: SearchIndex) -> None:
    changed = [*PRODUCTS[:4], dataclasses.replace(PRODUCTS[4], title="Insulated steel flask")]

    class Counting:
        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, []

        def embed(self, texts, *, is_query=False):  # type: ignore[no-untyped-def]
            self.texts.extend(texts)
            return self.inner.embed(texts, is_query=is_query)

    en, zh = Counting(built.en.get_embedder()), Counting(built.zh.get_embedder())
    rebuilt = SearchIndex.build(changed, previous=built, embedder_en=en, embedder_zh=zh)
    assert len(en.texts) == 1 and "flask" in en.texts[0]
    assert len(zh.texts) == 1
    np.testing.assert_array_equal(rebuilt.en.vectors[:4], built.en.vectors[:4])
    assert rebuilt.search("flask", k=1)[0].product_id == "bottle"


def test_open_index_builds_loads_and_rebuilds_on_change(sqlite_db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.transaction() as session:
        upsert_products(session, PRODUCTS)
    index_dir = tmp_path / "var" / "index"
    first = open_index(sqlite_db, index_dir)
    assert first.size == 5 and (index_dir / "manifest.json").exists()

    real_build = SearchIndex.build.__func__  # type: ignore[attr-defined]
    calls = []

    def counting_build(cls, products, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(products))
        return real_build(cls, products, **kw)

    monkeypatch.setattr(SearchIndex, "build", classmethod(counting_build))
    again = open_index(sqlite_db, index_dir)
    assert calls == [] and again.fingerprint == first.fingerprint  # loaded, not rebuilt

    with sqlite_db.transaction() as session:
        upsert_products(session, [Product("candle", "Soy wax candle", "home-decor", 7.0, title_zh="大豆蜡烛")])
    changed = open_index(sqlite_db, index_dir)
    assert calls == [6] and changed.size == 6 and changed.fingerprint != first.fingerprint
    assert changed.search("candle", k=1)[0].product_id == "candle"
    assert SearchIndex.load(index_dir).fingerprint == changed.fingerprint

    open_index(sqlite_db, index_dir, rebuild=True)
    assert calls == [6, 6]


def test_open_index_rebuilds_a_corrupt_index(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.transaction() as session:
        upsert_products(session, PRODUCTS)
    index_dir = tmp_path / "index"
    open_index(sqlite_db, index_dir)
    (index_dir / "vectors_en.npy").write_bytes(b"broken")
    assert open_index(sqlite_db, index_dir).search("lantern", k=1)[0].product_id == "lantern"
    assert SearchIndex.load(index_dir).size == 5
