"""The Online Retail importer: small hand-written files, hostile files, and the real sample."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pandas as pd
import pytest

from greencart.catalog.importers import import_online_retail
from greencart.catalog.importers.online_retail import tidy_title
from greencart.errors import ImportFileError
from greencart.store import catalog_repo as repo
from greencart.store.import_runs_repo import list_import_runs

HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
ROWS = [
    # a purchase by 17850: two lines of 85123A at the same price sum into one
    ["536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "2010-12-01 08:26:00", "2.55", "17850.0", "United Kingdom"],
    ["536365", "85123a", "WHITE HANGING HEART T-LIGHT HOLDER", "2", "2010-12-01 08:26:00", "2.55", "17850.0", "United Kingdom"],
    ["536365", "71053", "WHITE METAL LANTERN", "6", "2010-12-01 08:26:00", "3.39", "17850.0", "United Kingdom"],
    ["536365", "71053", "WHITE METAL LANTERN", "6", "2010-12-01 08:26:00", "3.39", "17850.0", "United Kingdom"],  # exact dup
    ["536365", "POST", "POSTAGE", "1", "2010-12-01 08:26:00", "18.00", "17850.0", "United Kingdom"],
    # no customer: kept for demand
    ["536366", "85123A", "CREAM HANGING HEART T-LIGHT HOLDER", "1", "2010-12-01 09:00:00", "2.95", "", "United Kingdom"],
    ["536366", "22633", "HAND WARMER UNION JACK", "4", "2010-12-01 09:00:00", "1.85", "", "United Kingdom"],
    # a cancellation by 17850
    ["C536379", "71053", "WHITE METAL LANTERN", "-2", "2010-12-02 10:00:00", "3.39", "17850", "United Kingdom"],
    # dropped: missing description, free line, stock adjustment, voucher, service line under a numeric code
    ["536380", "22139", "", "-5", "2010-12-03 10:00:00", "0", "", "United Kingdom"],
    ["536381", "21166", "COOK WITH WINE METAL SIGN", "2", "2010-12-03 10:00:00", "0", "12583", "France"],
    ["536382", "21166", "damaged", "-12", "2010-12-03 11:00:00", "0", "", "United Kingdom"],
    ["536383", "gift_0001_20", "Dotcomgiftshop Gift Voucher £20.00", "1", "2010-12-03 12:00:00", "16.67", "", "United Kingdom"],
    ["536384", "23444", "Next Day Carriage", "1", "2010-12-03 12:00:00", "15.00", "12583", "France"],
    ["536385", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "32", "2010-12-04 12:00:00", "2.55", "12583", "France"],
]


def _write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    frame = pd.DataFrame(rows, columns=HEADER)
    for col in ("Quantity",):
        frame[col] = frame[col].astype(int)
    frame["UnitPrice"] = frame["UnitPrice"].astype(float)
    frame["InvoiceDate"] = pd.to_datetime(frame["InvoiceDate"])
    frame["CustomerID"] = pd.to_numeric(frame["CustomerID"])  # floats like 17850.0, NaN where empty
    frame.to_excel(path, index=False)
    return path


def _check_small_import(db, summary) -> None:
    assert summary.rows_read == len(ROWS)
    assert summary.dropped == {
        "exact duplicate row (collapsed)": 1,
        "non-product code POST (postage)": 1,
        "missing description": 1,
        "unit price <= 0 (free line or stock adjustment)": 2,
        "non-product code: gift voucher": 1,
        "non-product line: next day carriage": 1,
    }
    assert (summary.products, summary.shoppers, summary.orders, summary.returns) == (3, 2, 4, 1)
    assert summary.kept_for_demand_only == 2 and summary.merged_lines == 1
    with db.read() as s:
        lantern = repo.get_product(s, "85123A")
        assert lantern.title == "White Hanging Heart T-Light Holder"
        assert lantern.description == "WHITE HANGING HEART T-LIGHT HOLDER"  # the original, most frequent
        assert (lantern.price, lantern.currency, lantern.source) == (2.55, "GBP", "online-retail")
        assert lantern.category == "home-decor"
        assert repo.get_product(s, "22633").category != "uncategorised"
        assert repo.table_counts(s)["order_lines"] == 6
        events = {(i.user_id, i.product_id, i.kind): i.value for i in repo.iter_interactions(s)}
    assert events == {
        ("17850", "85123A", "purchase"): 8.0,  # 6 + 2, the lower-case code folded in
        ("17850", "71053", "purchase"): 6.0,  # the duplicate row collapsed
        ("17850", "71053", "return"): 2.0,
        ("12583", "85123A", "purchase"): 32.0,
    }
    assert summary.interactions == 4


def test_small_csv_keeps_drops_and_reimports_idempotently(db, tmp_path):
    path = _write_csv(tmp_path / "retail.csv", ROWS)
    summary = import_online_retail(db, path)
    _check_small_import(db, summary)
    with db.read() as s:
        first = repo.table_counts(s)
        from greencart.store.tables import OrderRow

        order = s.get(OrderRow, "C536379")
        assert order.is_return and order.customer_id == "17850"
        assert s.get(OrderRow, "536366").customer_id is None
    again = import_online_retail(db, path)
    assert {k: v for k, v in again.as_dict().items() if k != "duration_s"} == {
        k: v for k, v in summary.as_dict().items() if k != "duration_s"
    }
    with db.read() as s:
        assert repo.table_counts(s) == first
        runs = list_import_runs(s)
    assert [r.kind for r in runs] == ["online-retail", "online-retail"]
    assert runs[0].summary["products"] == 3 and len(runs[0].sha256) == 64


def test_small_xlsx_gives_the_same_result(sqlite_db, tmp_path):
    summary = import_online_retail(sqlite_db, _write_xlsx(tmp_path / "retail.xlsx", ROWS), progress=True)
    _check_small_import(sqlite_db, summary)


def test_summary_renders_what_was_kept_and_dropped(sqlite_db, tmp_path):
    summary = import_online_retail(sqlite_db, _write_csv(tmp_path / "retail.csv", ROWS))
    text = "\n".join(summary.render_lines())
    assert "14 rows read" in text and "3 products" in text and "1 of them returns" in text
    assert "no customer" in text and "non-product code POST (postage)" in text


def test_online_retail_ii_column_names_and_us_dates(sqlite_db, tmp_path):
    header = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"]
    rows = [["489434", "85048", "15CM CHRISTMAS GLASS BALL 20 LIGHTS", "12", "12/1/2009 7:45", "6.95", "13085", "United Kingdom"]]
    summary = import_online_retail(sqlite_db, _write_csv(tmp_path / "ii.csv", rows, header))
    assert (summary.products, summary.orders, summary.interactions) == (1, 1, 1)
    with sqlite_db.read() as s:
        (event,) = list(repo.iter_interactions(s))
    assert event.occurred_at.isoformat() == "2009-12-01T07:45:00"


# --- hostile files ----------------------------------------------------------------------------


def _error(db, path: Path, **kwargs) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        import_online_retail(db, path, **kwargs)
    assert str(path) in info.value.message and "Nothing was written" in info.value.message
    return info.value


def test_missing_empty_and_header_only_files(sqlite_db, tmp_path):
    assert "not found" in _error(sqlite_db, tmp_path / "nope.xlsx").message
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "empty" in _error(sqlite_db, tmp_path / "empty.csv").message
    assert "no data rows" in _error(sqlite_db, _write_csv(tmp_path / "h.csv", [])).message


def test_missing_columns_are_all_named(sqlite_db, tmp_path):
    path = _write_csv(tmp_path / "cols.csv", [["1", "2"]], header=["InvoiceNo", "Description"])
    err = _error(sqlite_db, path)
    assert err.line == 1
    for name in ("StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"):
        assert name in err.message


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("InvoiceDate", "yesterday", "date-time"),
        ("UnitPrice", "two pounds", "number"),
        ("UnitPrice", "inf", "implausible"),
        ("UnitPrice", "1e12", "implausible"),
        ("Quantity", "2.5", "whole number"),
        ("InvoiceNo", "", "missing value"),
    ],
)
def test_bad_cells_name_line_and_column(sqlite_db, tmp_path, column, value, needle):
    rows = [list(r) for r in ROWS[:4]]
    rows[2][HEADER.index(column)] = value
    err = _error(sqlite_db, _write_csv(tmp_path / "bad.csv", rows))
    assert (err.line, err.field) == (4, column)  # header is line 1, third data row is line 4
    assert needle in err.message


def test_latin1_csv_read_as_utf8_says_which_encoding(sqlite_db, tmp_path):
    rows = [list(ROWS[0]), ["536390", "22900", "SET 2 TEA TOWELS I LOVE LONDON £", "1", "2010-12-05 09:00:00", "2.95", "", "France"]]
    path = _write_csv(tmp_path / "latin1.csv", rows, encoding="latin-1")
    err = _error(sqlite_db, path)
    assert err.line == 3 and "utf-8" in err.message and "cp1252" in err.message
    assert import_online_retail(sqlite_db, path, encoding="latin-1").products == 2


def test_csv_named_xlsx_and_corrupt_workbook(sqlite_db, tmp_path):
    fake = _write_csv(tmp_path / "really_a.csv", ROWS).rename(tmp_path / "fake.xlsx")
    assert "not an Excel workbook" in _error(sqlite_db, fake).message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "cannot be read as an .xlsx" in _error(sqlite_db, broken).message


def test_failed_import_leaves_the_previous_catalogue_untouched(db, tmp_path):
    import_online_retail(db, _write_csv(tmp_path / "good.csv", ROWS))
    with db.read() as s:
        before = repo.table_counts(s), [p.title for p in repo.iter_products(s)]
    rows = [list(r) for r in ROWS] + [["999999", "99999", "NEW THING", "1", "2011-01-01 10:00", "1.00", "1", "UK"]]
    rows.append(["999999", "99998", "OTHER", "1", "not a date", "1.00", "1", "UK"])
    _error(db, _write_csv(tmp_path / "bad.csv", rows))
    with db.read() as s:
        assert (repo.table_counts(s), [p.title for p in repo.iter_products(s)]) == before
        assert len(list_import_runs(s)) == 1


def test_tidy_title():
    assert tidy_title("SET/10 RED POLKADOT PARTY CANDLES") == "Set/10 Red Polkadot Party Candles"
    assert tidy_title("BOX OF 6 MINI 50'S CRACKERS") == "Box of 6 Mini 50's Crackers"
    assert tidy_title("POLYESTER FILLER PAD 40x40cm") == "Polyester Filler Pad 40x40cm"


# --- the real sample --------------------------------------------------------------------------


def _expected_from_pandas(path: Path) -> dict[str, int]:
    """The counts, derived directly from the spreadsheet with pandas."""
    raw = pd.read_excel(path, dtype={"InvoiceNo": str, "StockCode": str})
    raw["StockCode"] = raw["StockCode"].str.strip().str.upper()
    fees = {"POST", "DOT", "M", "D", "C2", "S", "B", "CRUK", "PADS", "AMAZONFEE", "BANK CHARGES"}
    service = {"postage", "dotcom postage", "carriage", "next day carriage", "packing charge"}
    is_cancel = raw["InvoiceNo"].str.startswith("C")
    goods = raw[
        ~raw["StockCode"].isin(fees)
        & ~raw["StockCode"].str.startswith("GIFT_")
        & ~raw["Description"].fillna("").str.strip().str.lower().isin(service)
        & raw["Description"].notna()
        & (raw["UnitPrice"] > 0)
        & ((raw["Quantity"] > 0) | is_cancel)
    ]
    goods = goods.drop_duplicates()
    customers = goods["CustomerID"].dropna()
    return {
        "products": goods["StockCode"].nunique(),
        "orders": goods["InvoiceNo"].nunique(),
        "returns": goods.loc[goods["InvoiceNo"].str.startswith("C"), "InvoiceNo"].nunique(),
        "shoppers": customers.nunique(),
        "kept_for_demand_only": int(goods["CustomerID"].isna().sum()),
        "rows_kept": len(goods),
        "units": int(goods["Quantity"].sum()),
    }


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_sample_counts_match_an_independent_pandas_reading(sqlite_db):
    from conftest import shared_file

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    expected = _expected_from_pandas(path)
    started = time.perf_counter()
    summary = import_online_retail(sqlite_db, path)
    elapsed_s = time.perf_counter() - started
    assert elapsed_s < 60
    assert summary.rows_read == 40_000
    assert summary.rows_read - summary.rows_dropped == expected["rows_kept"]
    for key in ("products", "orders", "returns", "shoppers", "kept_for_demand_only"):
        assert getattr(summary, key) == expected[key], key
    assert summary.dropped["non-product code POST (postage)"] > 0
    with sqlite_db.read() as s:
        counts = repo.table_counts(s)
        assert counts["products"] == expected["products"] and counts["orders"] == expected["orders"]
        assert counts["interactions"] == summary.interactions > 0
        from sqlalchemy import func, select

        from greencart.store.tables import OrderLineRow

        assert s.scalar(select(func.sum(OrderLineRow.quantity))) == expected["units"]
        lantern = repo.get_product(s, "85123A")
        assert "Hanging Heart" in lantern.title and lantern.category == "home-decor"
        assert repo.get_products(s, ["POST", "DOT", "M"]) == {}
        uncategorised = repo.count_products(s, repo.ProductFilter(category="uncategorised"))
    assert uncategorised / expected["products"] < 0.05
