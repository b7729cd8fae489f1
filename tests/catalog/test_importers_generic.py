"""Generic products / interactions importers (CSV and JSON Lines) and their hostile files."""

from __future__ import annotations

import csv
import json
import string
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greencart.catalog.importers import import_interactions, import_products
from greencart.catalog.models import Shopper
from greencart.errors import ImportFileError
from greencart.store import catalog_repo as repo
from greencart.store import open_database

PRODUCTS_CSV = """id,title,category,price,currency,weight_kg,title_zh,description,declared_footprint_kg_co2e,declared_footprint_source,attr_colour,attr_material
tee-1,"Organic cotton T-shirt, white",apparel,19.5,EUR,0.18,有机棉T恤,Soft tee,4.2,Supplier PCF 2023,white,cotton
mug-2,Stoneware mug,kitchen,8,,,,,,,blue,
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _jsonl(path: Path, objects: list[dict]) -> Path:
    return _write(path, "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n")


def _error(fn, db, path: Path, **kwargs) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        fn(db, path, **kwargs)
    assert str(path) in info.value.message and "Nothing was written" in info.value.message
    return info.value


def test_products_csv_all_fields_and_idempotent(db, tmp_path):
    path = _write(tmp_path / "products.csv", PRODUCTS_CSV)
    summary = import_products(db, path)
    assert (summary.rows_read, summary.products, summary.dropped) == (2, 2, {})
    again = import_products(db, path)
    assert again.products == 2
    with db.read() as s:
        tee = repo.get_product(s, "tee-1")
        mug = repo.get_product(s, "mug-2")
        assert repo.count_products(s) == 2
    assert tee.title == "Organic cotton T-shirt, white" and tee.title_zh == "有机棉T恤"
    assert (tee.price, tee.currency, tee.weight_kg) == (19.5, "EUR", 0.18)
    assert (tee.declared_footprint_kg_co2e, tee.declared_footprint_source) == (4.2, "Supplier PCF 2023")
    assert tee.attributes == {"colour": "white", "material": "cotton"}
    assert (mug.currency, mug.weight_kg, mug.attributes, mug.description) == ("GBP", None, {"colour": "blue"}, "")


def test_products_jsonl_with_attributes_object_and_sniffed_format(sqlite_db, tmp_path):
    objects = [
        {"id": "lamp-1", "title": "Desk lamp", "category": "home-decor", "price": 25, "attributes": {"colour": "black", "dimmable": True}},
        {"id": 1002, "title": "Notebook A5", "category": "stationery", "price": 3.25, "weight_kg": 0.2},
    ]
    path = _jsonl(tmp_path / "catalogue_export", objects)  # no extension: sniffed as JSONL
    assert import_products(sqlite_db, path).products == 2
    with sqlite_db.read() as s:
        assert repo.get_product(s, "lamp-1").attributes == {"colour": "black", "dimmable": "true"}
        assert repo.get_product(s, "1002").weight_kg == 0.2


def test_unknown_columns_are_ignored_and_reported_exact_duplicates_collapse(sqlite_db, tmp_path):
    text = "ID,Title,Category,Price,Shopify Handle\na,Mug,kitchen,3,x\na,Mug,kitchen,3,x\n"
    summary = import_products(sqlite_db, _write(tmp_path / "p.csv", text))
    assert summary.products == 1 and summary.dropped == {"duplicate product id (same values as an earlier line)": 1}
    assert any("shopify handle" in n for n in summary.notes)


@pytest.mark.parametrize(
    ("text", "line", "field", "needle"),
    [
        ("id,title,category,price\na,Mug,kitchen,3\nb,Cup,kitchen,-2\n", 3, "price", "negative"),
        ("id,title,category,price\na,Mug,kitchen,three\n", 2, "price", "cannot read"),
        ("id,title,category,price\na,Mug,kitchen,nan\n", 2, "price", "not a finite"),
        ("id,title,category,price\na,Mug,kitchen,inf\n", 2, "price", "not a finite"),
        ("id,title,category,price\na,Mug,kitchen,1e12\n", 2, "price", "implausible"),
        ("id,title,category,price\na,Mug,kitchen,\n", 2, "price", "missing"),
        ("id,title,category,price\na,,kitchen,2\n", 2, "title", "missing"),
        ("id,title,category,price,weight_kg\na,Mug,kitchen,2,heavy\n", 2, "weight_kg", "cannot read"),
        ("id,title,category,price,currency\na,Mug,kitchen,2,pounds\n", 2, "currency", "characters"),
        ("id,title,category,price,declared_footprint_kg_co2e\na,Mug,kitchen,2,3.1\n", 2,
         "declared_footprint_source", "without"),
        ("id,title,category,price\na,Mug,kitchen,2\na,Mug,kitchen,3\n", 3, None, "repeats line 2"),
        ("id,title,category,price\na,Mug,kitchen,2,extra\n", 2, None, "fields"),
    ],
)
def test_bad_product_csv_names_line_and_field(sqlite_db, tmp_path, text, line, field, needle):
    err = _error(import_products, sqlite_db, _write(tmp_path / "bad.csv", text))
    assert (err.line, err.field) == (line, field)
    assert needle in err.message


def test_missing_columns_are_all_named(sqlite_db, tmp_path):
    err = _error(import_products, sqlite_db, _write(tmp_path / "p.csv", "title,category\nMug,kitchen\n"))
    assert err.line == 1 and "missing required column(s) id, price" in err.message


@pytest.mark.parametrize(
    ("line2", "field", "needle"),
    [
        ('{"id": "b", "title": "Cup", "category": "kitchen", "price": "3.5"}', "price", "string"),
        ('{"id": "b", "title": "Cup", "category": "kitchen", "price": NaN}', "price", "not a finite"),
        ('{"id": "b", "title": ["Cup"], "category": "kitchen", "price": 3}', "title", "array"),
        ('{"id": "b", "title": "Cup", "category": "kitchen", "price": 3, "attributes": [1]}', "attributes", "list"),
        ('{"id": "b", "title": "Cup", "category": "kitchen", "price": 3', None, "invalid JSON"),
        ('["b", "Cup"]', None, "instead of an object"),
        ('{"id": "b", "category": "kitchen"}', None, "title, price"),
    ],
)
def test_bad_jsonl_names_line_and_field(sqlite_db, tmp_path, line2, field, needle):
    text = '{"id": "a", "title": "Mug", "category": "kitchen", "price": 3}\n' + line2 + "\n"
    err = _error(import_products, sqlite_db, _write(tmp_path / "bad.jsonl", text))
    assert (err.line, err.field) == (2, field)
    assert needle in err.message


def test_files_that_are_missing_empty_or_wrongly_encoded(sqlite_db, tmp_path):
    assert "not found" in _error(import_products, sqlite_db, tmp_path / "none.csv").message
    assert "empty" in _error(import_products, sqlite_db, _write(tmp_path / "e.csv", "\n\n")).message
    header_only = _write(tmp_path / "h.csv", "id,title,category,price\n")
    assert "no data rows" in _error(import_products, sqlite_db, header_only).message
    latin = _write(tmp_path / "l.csv", "id,title,category,price\na,Mug,kitchen,2\nb,Café mug,kitchen,3\n", "latin-1")
    err = _error(import_products, sqlite_db, latin)
    assert err.line == 3 and "utf-8" in err.message
    assert import_products(sqlite_db, latin, encoding="latin-1").products == 2
    xlsx = tmp_path / "p.xlsx"
    xlsx.write_bytes(b"PK\x03\x04rest")
    assert "xlsx" in _error(import_products, sqlite_db, xlsx).message


def test_failed_import_leaves_previous_catalogue_untouched(db, tmp_path):
    import_products(db, _write(tmp_path / "good.csv", PRODUCTS_CSV))
    with db.read() as s:
        before = [(p.id, p.title, p.price) for p in repo.iter_products(s)]
    bad = "id,title,category,price\ntee-1,Renamed,apparel,1\nnew,New,toys,2\nworse,Worse,toys,-1\n"
    _error(import_products, db, _write(tmp_path / "bad.csv", bad))
    with db.read() as s:
        assert [(p.id, p.title, p.price) for p in repo.iter_products(s)] == before


# --- interactions -----------------------------------------------------------------------------


def _catalogue(db, tmp_path: Path) -> None:
    import_products(db, _write(tmp_path / "products.csv", PRODUCTS_CSV))


def test_interactions_csv_create_shoppers_and_keep_existing_ones(db, tmp_path):
    _catalogue(db, tmp_path)
    with db.transaction() as s:
        repo.upsert_shoppers(s, [Shopper(id="u1", country="France", segment="eco")])
    text = (
        "user_id,product_id,kind,occurred_at,value\n"
        "u1,tee-1,view,2024-03-01T10:00:00Z,\n"
        "u1,tee-1,purchase,2024-03-01T12:30:00+02:00,2\n"
        "u2,mug-2,Rating,2024-03-02,4.5\n"
    )
    path = _write(tmp_path / "events.csv", text)
    summary = import_interactions(db, path)
    assert (summary.rows_read, summary.interactions, summary.shoppers) == (3, 3, 2)
    assert "1 of the 2 shoppers are new." in summary.notes
    assert import_interactions(db, path).interactions == 3
    with db.read() as s:
        events = [(i.user_id, i.product_id, i.kind, i.occurred_at, i.value) for i in repo.iter_interactions(s)]
        counts = repo.table_counts(s)
        from greencart.store.tables import ShopperRow

        kept = s.get(ShopperRow, "u1")
        assert (kept.country, kept.segment) == ("France", "eco")
    assert counts["interactions"] == 3 and counts["shoppers"] == 2
    assert events == [
        ("u1", "tee-1", "view", datetime(2024, 3, 1, 10, 0), 1.0),
        ("u1", "tee-1", "purchase", datetime(2024, 3, 1, 10, 30), 2.0),  # converted to UTC
        ("u2", "mug-2", "rating", datetime(2024, 3, 2, 0, 0), 4.5),
    ]


def test_interactions_jsonl(sqlite_db, tmp_path):
    _catalogue(sqlite_db, tmp_path)
    objects = [{"user_id": 7, "product_id": "mug-2", "kind": "cart", "occurred_at": "2024-01-05T08:00:00"}]
    assert import_interactions(sqlite_db, _jsonl(tmp_path / "e.jsonl", objects)).interactions == 1


@pytest.mark.parametrize(
    ("row", "field", "needle"),
    [
        ("u1,ghost,view,2024-03-01T10:00:00", "product_id", "unknown product id 'ghost'"),
        ("u1,tee-1,view,01/03/2024", "occurred_at", "ISO 8601"),
        ("u1,tee-1,like,2024-03-01T10:00:00", "kind", "view or cart"),
        ("u1,tee-1,view,2024-03-01T10:00:00,-1", "value", "negative"),
        (",tee-1,view,2024-03-01T10:00:00", "user_id", "missing"),
    ],
)
def test_bad_interactions_name_the_line_and_write_nothing(db, tmp_path, row, field, needle):
    _catalogue(db, tmp_path)
    good = "user_id,product_id,kind,occurred_at,value\nu0,mug-2,view,2024-01-01T00:00:00,\n"
    import_interactions(db, _write(tmp_path / "first.csv", good))
    text = good + "u9,tee-1,view,2024-02-01T00:00:00,\n" + row + "\n"
    err = _error(import_interactions, db, _write(tmp_path / "bad.csv", text))
    assert (err.line, err.field) == (4, field) and needle in err.message
    with db.read() as s:
        counts = repo.table_counts(s)
    assert (counts["interactions"], counts["shoppers"]) == (1, 1)


def test_interactions_missing_columns(sqlite_db, tmp_path):
    err = _error(import_interactions, sqlite_db, _write(tmp_path / "e.csv", "user,product_id\nu,p\n"))
    assert "user_id, kind, occurred_at" in err.message


# --- property: any valid product survives a CSV round trip ------------------------------------

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip()
)
_products = st.lists(
    st.fixed_dictionaries({
        "id": st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=20),
        "title": _text,
        "category": _text,
        "price": st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2)),
        "attr_colour": st.one_of(st.just(""), _text),
    }),
    min_size=1, max_size=8, unique_by=lambda d: d["id"],
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_products)
def test_csv_round_trip_property(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        db = open_database(f"sqlite:///{Path(tmp) / 'db.sqlite'}", migrate=True)
        try:
            assert import_products(db, path).products == len(rows)
            with db.read() as s:
                got = repo.get_products(s, [r["id"] for r in rows])
        finally:
            db.dispose()
    for row in rows:
        product = got[row["id"]]
        assert (product.title, product.category, product.price) == (row["title"], row["category"], row["price"])
        assert product.attributes == ({"colour": row["attr_colour"]} if row["attr_colour"] else {})


def test_jsonl_strings_may_hold_unicode_line_separators(sqlite_db, tmp_path):
    path = tmp_path / "products.jsonl"
    row = {"id": "U1", "title": "Tea Towel", "category": "kitchen", "price": 4.5,
           "description": "line one\u2028line two\x85three"}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_products(sqlite_db, path).products == 1
    from greencart.store import catalog_repo

    with sqlite_db.read() as s:
        assert catalog_repo.get_product(s, "U1").description == "line one\u2028line two\x85three"
