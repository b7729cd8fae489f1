"""``greencart import online-retail PATH``: the UCI Online Retail format (xlsx or csv).

Columns InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
CustomerID, Country (the Online Retail II names Invoice, Price and
"Customer ID" are accepted too). Products come from stock codes, orders from
invoices, interactions (purchase/return) from invoices with a customer.
Cancellations (invoice "C...", negative quantity) become returns. Rows are
dropped, with a reason each, for non-product codes (postage, fees,
adjustments, vouchers), a missing description, a unit price <= 0, a negative
quantity outside a cancellation, and exact duplicates. Dataset: Chen, D. (2015),
Online Retail, UCI Machine Learning Repository, https://doi.org/10.24432/C5BW33.
"""

from __future__ import annotations

import io
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from greencart.catalog.importers.common import (
    MAX_PRICE,
    ImportProgress,
    ImportSummary,
    check_file,
    decode_text,
    detect_format,
    sha256_of,
)
from greencart.catalog.categorise import categorise
from greencart.catalog.importers.common import write_in_chunks
from greencart.catalog.models import Interaction, Order, OrderLine, Product, Shopper
from greencart.errors import ImportFileError
from greencart.store import Database
from greencart.store import catalog_repo as repo
from greencart.store.import_runs_repo import record_import_run

KIND = "online-retail"
EXPECTED = "a UCI Online Retail .xlsx or .csv file"
COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")
_FIELDS = ("invoice", "code", "description", "quantity", "date", "price", "customer", "country")
_ALIASES = {
    "invoiceno": "invoice", "invoice": "invoice", "stockcode": "code", "description": "description",
    "quantity": "quantity", "invoicedate": "date", "unitprice": "price", "price": "price",
    "customerid": "customer", "customer id": "customer", "country": "country",
}
_FIELD_COLUMN = dict(zip(_FIELDS, COLUMNS))

# Stock codes that are charges, fees or adjustments, not goods (seen in the UCI data).
NON_PRODUCT_CODES: dict[str, str] = {
    "POST": "postage", "DOT": "dotcom postage", "C2": "carriage", "M": "manual adjustment",
    "D": "discount", "S": "samples", "B": "bad debt adjustment", "CRUK": "CRUK charity commission",
    "PADS": "cushion pads placeholder", "AMAZONFEE": "Amazon fee", "BANK CHARGES": "bank charges",
    "ADJUST": "adjustment", "ADJUST2": "adjustment", "TEST001": "test code", "TEST002": "test code",
}
_GIFT_VOUCHER = re.compile(r"^GIFT_\d+_\d+$")
# Service lines filed under an ordinary numeric code (e.g. 23444 "Next Day Carriage").
_SERVICE_DESCRIPTION = re.compile(
    r"^(postage|dotcom postage|carriage|next day carriage|packing charge|bank charges|amazon fee"
    r"|manual|discount|samples|adjust bad debt)$",
    re.IGNORECASE,
)
_DATE_FORMATS = ("ISO8601", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%y %H:%M", "%d/%m/%y %H:%M")


def import_online_retail(
    db: Database, path: Path, *, progress: bool = False, encoding: str | None = None
) -> ImportSummary:
    """Import a UCI Online Retail file in one transaction; returns what was kept and dropped."""
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    path = Path(path)
    summary = ImportSummary(kind=KIND, path=str(path))
    with ImportProgress(progress) as bars:
        advance = bars.task("reading", 1)
        frame = read_online_retail(path, encoding=encoding)
        advance(1)
        summary.rows_read = len(frame)
        parsed = parse_frame(path, frame)
        kept = classify_rows(parsed, summary)
        records = build_records(kept, summary)
        with db.transaction() as session:
            write_records(session, records, bars)
            summary.duration_s = round(time.perf_counter() - started, 3)
            record_import_run(
                session, kind=KIND, path=str(path.resolve()), sha256=sha256_of(path), started_at=started_at,
                finished_at=datetime.now(timezone.utc).replace(tzinfo=None), summary=summary.as_dict(),
            )
    summary.duration_s = round(time.perf_counter() - started, 3)
    return summary


# --- reading ----------------------------------------------------------------------------------


def read_online_retail(path: Path, *, encoding: str | None = None) -> pd.DataFrame:
    """All cells as text, canonical column names, ``_line`` (1-based, header = 1) and ``_where``."""
    head = check_file(path, EXPECTED)
    fmt = detect_format(path, head, ("xlsx", "csv"))
    sheets = _read_xlsx(path, head) if fmt == "xlsx" else {"": _read_csv(path, encoding)}
    frames = []
    for name, raw in sheets.items():
        frame = _canonical(path, raw, name, required=len(sheets) == 1)
        if frame is not None:
            frames.append(frame)
    if not frames:
        raise ImportFileError(str(path), "no sheet has the Online Retail columns", expected=", ".join(COLUMNS))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    blank = (frame[list(_FIELDS)] == "").all(axis=1)
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        raise ImportFileError(str(path), "no data rows", expected="at least one row after the header")
    return frame


def _read_xlsx(path: Path, head: bytes) -> dict[str, pd.DataFrame]:
    if not head.startswith(b"PK\x03\x04"):
        kind = "text (CSV?)" if head[:1].isascii() and head[:64].decode("latin-1").isprintable() else "not a zip archive"
        raise ImportFileError(
            str(path), f"is not an Excel workbook: its content is {kind}",
            expected="an .xlsx (Office Open XML) workbook; rename a CSV file to .csv",
        )
    try:
        return pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise ImportFileError(
            str(path), f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})",
            expected="an .xlsx workbook saved by Excel or LibreOffice",
        ) from None


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    text = decode_text(path, path.read_bytes(), encoding)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, sep=None, engine="python"
        )
    except (pd.errors.ParserError, ValueError, pd.errors.EmptyDataError) as exc:
        raise ImportFileError(str(path), f"malformed CSV: {exc}", expected="comma-separated values") from None


def _canonical(path: Path, raw: pd.DataFrame, sheet: str, *, required: bool) -> pd.DataFrame | None:
    rename = {c: _ALIASES.get(str(c).strip().lower()) for c in raw.columns}
    present = {v for v in rename.values() if v}
    if not required and not {"invoice", "code", "quantity"} <= present:
        return None  # a notes sheet in a workbook with data sheets
    if len(present) < len(_FIELDS):
        missing = [_FIELD_COLUMN[f] for f in _FIELDS if f not in present]
        raise ImportFileError(
            f"{path}" + (f" (sheet {sheet!r})" if sheet else ""),
            f"missing required column(s) {', '.join(missing)}", line=1,
            expected=f"columns {', '.join(COLUMNS)} (found {', '.join(map(str, raw.columns)) or 'none'})",
        )
    frame = raw.rename(columns={c: n for c, n in rename.items() if n})[list(_FIELDS)].fillna("")
    frame = frame.astype(str).apply(lambda col: col.str.strip())
    frame["_line"] = range(2, len(frame) + 2)
    frame["_where"] = f" (sheet {sheet!r})" if sheet else ""
    return frame


# --- parsing ----------------------------------------------------------------------------------


def _fail(path: Path, frame: pd.DataFrame, bad: pd.Series, field: str, problem: str, expected: str) -> None:
    if bool(bad.any()):
        row = frame.loc[bad.idxmax()]
        value = row[field]
        raise ImportFileError(
            f"{path}{row['_where']}", problem.format(value=value), line=int(row["_line"]),
            field=_FIELD_COLUMN[field], expected=expected,
        )


def _parse_dates(path: Path, frame: pd.DataFrame) -> pd.Series:
    text = frame["date"]
    best: pd.Series | None = None
    for fmt in _DATE_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if not parsed.isna().any():
            return parsed
        if best is None or parsed.isna().sum() < best.isna().sum():
            best = parsed
    assert best is not None
    _fail(path, frame, best.isna(), "date", "cannot read {value!r} as a date-time",
          "a date-time such as 2011-12-09 12:50:00 or 12/9/2011 12:50")
    return best  # pragma: no cover


def parse_frame(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """Typed columns; a bad cell raises ImportFileError naming its line and column."""
    for field in ("invoice", "code", "quantity", "date", "price"):
        _fail(path, frame, frame[field] == "", field, "missing value", f"a value in every row")
    qty = pd.to_numeric(frame["quantity"], errors="coerce")
    _fail(path, frame, qty.isna() | (qty % 1 != 0), "quantity", "cannot read {value!r} as a whole number",
          "an integer quantity such as 6 or -2")
    price = pd.to_numeric(frame["price"], errors="coerce")
    _fail(path, frame, price.isna() & ~frame["price"].str.lower().isin(["nan", "inf", "-inf", "infinity"]),
          "price", "cannot read {value!r} as a number", "a decimal price such as 2.55")
    _fail(path, frame, ~price.abs().le(MAX_PRICE), "price", "implausible unit price {value!r}",
          f"a finite unit price below {MAX_PRICE:g}")
    out = pd.DataFrame({
        "invoice": frame["invoice"].str.upper(),
        "code": frame["code"].str.upper(),
        "description": frame["description"],
        "quantity": qty.astype("int64"),
        "date": _parse_dates(path, frame).dt.floor("s"),
        "price": price.round(6),
        "customer": _customer_ids(frame["customer"]),
        "country": frame["country"],
    })
    return out


def _customer_ids(raw: pd.Series) -> pd.Series:
    """17850.0 -> "17850"; empty -> ""; other text kept."""
    num = pd.to_numeric(raw, errors="coerce")
    integral = num.notna() & (num % 1 == 0)
    out = raw.copy()
    out[integral] = num[integral].astype("int64").astype(str)
    return out


# --- keeping and dropping ---------------------------------------------------------------------


def classify_rows(parsed: pd.DataFrame, summary: ImportSummary) -> pd.DataFrame:
    """The rows to keep; every other row is counted in ``summary.dropped`` under its reason."""
    reason = pd.Series("", index=parsed.index, dtype=object)

    def mark(mask: pd.Series, why: pd.Series | str) -> None:
        todo = mask & (reason == "")
        reason[todo] = why[todo] if isinstance(why, pd.Series) else why

    code, desc = parsed["code"], parsed["description"]
    labels = code.map(NON_PRODUCT_CODES)
    mark(labels.notna(), "non-product code " + code + " (" + labels.fillna("") + ")")
    mark(code.str.match(_GIFT_VOUCHER), "non-product code: gift voucher")
    mark(desc.str.match(_SERVICE_DESCRIPTION), "non-product line: " + desc.str.lower())
    mark(code.str.len() > 64, "stock code longer than 64 characters")
    mark(desc == "", "missing description")
    mark(parsed["price"] <= 0, "unit price <= 0 (free line or stock adjustment)")
    cancel = parsed["invoice"].str.startswith("C")
    mark((parsed["quantity"] < 0) & ~cancel, "negative quantity outside a cancellation (stock adjustment)")
    mark((parsed["quantity"] > 0) & cancel, "positive quantity on a cancellation invoice")
    mark(parsed["quantity"] == 0, "zero quantity")
    candidates = parsed.loc[reason == ""]
    dup = candidates.duplicated()
    reason[dup[dup].index] = "exact duplicate row (collapsed)"
    for why, n in reason[reason != ""].value_counts().items():
        summary.drop(str(why), int(n))
    kept = parsed.loc[reason == ""].copy()
    kept["is_return"] = kept["invoice"].str.startswith("C")
    return kept


# --- records ----------------------------------------------------------------------------------

SOURCE = "online-retail"
_SMALL_WORDS = frozenset({"of", "and", "with", "in", "on", "for", "the", "a", "to", "w", "or"})
_ACRONYMS = frozenset({"led", "usb", "uk", "usa", "diy", "bbq", "cd", "dvd", "tv", "abc", "xl"})


def tidy_title(text: str) -> str:
    """"WHITE HANGING HEART T-LIGHT HOLDER" -> "White Hanging Heart T-Light Holder"."""
    words = []
    for i, word in enumerate(text.lower().split()):
        if i and word in _SMALL_WORDS:
            words.append(word)
        elif word in _ACRONYMS:
            words.append(word.upper())
        else:
            words.append(re.sub(r"(?:(?<=^)|(?<=[^a-z0-9']))[a-z]", lambda m: m.group(0).upper(), word))
    return " ".join(words)


@dataclass
class Records:
    products: list[Product]
    shoppers: list[Shopper]
    orders: list[Order]
    interactions: list[Interaction]


def _mode(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """The most frequent ``column`` value per ``key``; ties go to the smallest value."""
    counts = frame.groupby([key, column], sort=False).size().reset_index(name="_n")
    counts = counts.sort_values([key, "_n", column], ascending=[True, False, True])
    return counts.drop_duplicates(key).set_index(key)[column]


def _products(kept: pd.DataFrame) -> list[Product]:
    titles, prices = _mode(kept, "code", "description"), _mode(kept, "code", "price").to_dict()
    out = []
    for code, description in titles.items():
        category, _confidence = categorise(description)
        out.append(Product(
            id=str(code), title=tidy_title(description), description=description, category=category,
            price=float(prices[code]), currency="GBP", source=SOURCE,
        ))
    return out


def _orders(kept: pd.DataFrame) -> list[Order]:
    lines = kept.groupby(["invoice", "code", "price"], sort=False, as_index=False)["quantity"].sum()
    by_invoice: dict[str, list[OrderLine]] = defaultdict(list)
    for invoice, code, price, qty in lines.itertuples(index=False, name=None):
        by_invoice[invoice].append(OrderLine(product_id=code, quantity=int(qty), unit_price=float(price)))
    head = kept.groupby("invoice", sort=False).agg(
        date=("date", "min"), country=("country", "first"), is_return=("is_return", "first")
    )
    with_customer = kept.loc[kept["customer"] != ""]
    customers = _mode(with_customer, "invoice", "customer") if len(with_customer) else pd.Series(dtype=object)
    customer_of = customers.to_dict()
    return [
        Order(
            id=str(invoice), ordered_at=date.to_pydatetime(), lines=tuple(by_invoice[invoice]),
            customer_id=customer_of.get(invoice), country=country or None, is_return=bool(is_return),
            source=SOURCE,
        )
        for invoice, date, country, is_return in head.itertuples(name=None)
    ]


def _shoppers_and_interactions(kept: pd.DataFrame) -> tuple[list[Shopper], list[Interaction]]:
    known = kept.loc[kept["customer"] != ""]
    if known.empty:
        return [], []
    countries = _mode(known.loc[known["country"] != ""], "customer", "country")
    shoppers = [
        Shopper(id=str(c), country=countries.get(c), source=SOURCE) for c in sorted(known["customer"].unique())
    ]
    events = known.assign(
        kind=known["is_return"].map({True: "return", False: "purchase"}), value=known["quantity"].abs()
    ).groupby(["customer", "code", "kind", "date"], sort=False, as_index=False)["value"].sum()
    interactions = [
        Interaction(user_id=u, product_id=p, kind=k, occurred_at=d.to_pydatetime(), value=float(v), source=SOURCE)
        for u, p, k, d, v in events.itertuples(index=False, name=None)
    ]
    return shoppers, interactions


def build_records(kept: pd.DataFrame, summary: ImportSummary) -> Records:
    """Typed records from the kept rows; fills the kept counts of ``summary``."""
    summary.merged_lines = len(kept) - len(kept.groupby(["invoice", "code", "price"], sort=False))
    summary.kept_for_demand_only = int((kept["customer"] == "").sum())
    shoppers, interactions = _shoppers_and_interactions(kept)
    records = Records(_products(kept), shoppers, _orders(kept), interactions)
    summary.products, summary.shoppers = len(records.products), len(records.shoppers)
    summary.orders, summary.interactions = len(records.orders), len(records.interactions)
    summary.returns = sum(1 for o in records.orders if o.is_return)
    uncategorised = sum(1 for p in records.products if p.category == "uncategorised")
    if uncategorised:
        summary.notes.append(f"{uncategorised:,} products matched no category keyword: category 'uncategorised'.")
    return records


def write_records(session: Any, records: Records, bars: ImportProgress) -> None:
    steps = (
        ("products", records.products, repo.upsert_products),
        ("shoppers", records.shoppers, repo.upsert_shoppers),
        ("orders", records.orders, repo.upsert_orders),
        ("interactions", records.interactions, repo.upsert_interactions),
    )
    for label, items, write in steps:
        write_in_chunks(items, lambda part, w=write: w(session, part), bars.task(f"writing {label}", len(items)))
