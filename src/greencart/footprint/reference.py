"""Importing full reference tables from user files, detected by content.

- The Carbon Catalogue workbook (Meinrenken et al. 2022): sheet "Product Level
  Data", one company-reported PCF per row (kg CO2e per product functional
  unit) with weight (kg) and sector -> ``reference_footprints``.
- The US EPA Supply Chain GHG Emission Factors CSV (v1.2, NAICS, kg CO2e per
  2021 USD purchaser price) -> ``spend_factors`` (the factor *with margins*).

The whole file is parsed and validated before anything is written; the write
is one transaction (upserts, so a re-run changes nothing).
"""

from __future__ import annotations

import csv
import hashlib
import math
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from greencart.errors import ImportFileError
from greencart.footprint.factors import EPA_DATASET, EPA_PRICE_YEAR
from greencart.footprint.models import ReferenceImportSummary
from greencart.store.engine import Database

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 200_000
CC_DATASET = "carbon-catalogue-v30oct2021"
CC_SHEET = "Product Level Data"
CC_CITATION = "The Carbon Catalogue (v30Oct2021), Meinrenken et al. (2022), Scientific Data"
CC_COLUMNS = {
    "id": "*PCF-ID",
    "year": "Year of reporting",
    "name": "Product name (and functional unit)",
    "detail": "Product detail",
    "company": "Company",
    "country": "Country (where company is incorporated)",
    "sector": "*Company's sector",
    "weight": "Product weight (kg)",
    "pcf": "Product's carbon footprint (PCF, kg CO2e)",
}
EPA_COLUMNS = {
    "code": "2017 NAICS Code",
    "title": "2017 NAICS Title",
    "unit": "Unit",
    "factor": "Supply Chain Emission Factors with Margins",
}
EXPECTED = (
    "the Carbon Catalogue workbook (sheet 'Product Level Data') or the EPA supply-chain factor CSV"
)
NO_DETAIL = ("field not included", "n/a", "none")


def _number(
    path: Path, value: Any, line: int, field: str, *, optional: bool = False
) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ImportFileError(
            str(path), "empty value", line=line, field=field, expected="a number >= 0"
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(
            str(path), f"not a number: {value!r}", line=line, field=field, expected="a number >= 0"
        ) from None
    if not math.isfinite(number) or number < 0:
        raise ImportFileError(
            str(path),
            f"out of range: {value!r}",
            line=line,
            field=field,
            expected="a finite number >= 0",
        )
    return number


def _text(value: Any, limit: int) -> str:
    return "" if value is None else str(value).strip()[:limit]


def _header_index(path: Path, header: list[Any], wanted: dict[str, str]) -> dict[str, int]:
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [col for col in wanted.values() if col not in names]
    if missing:
        raise ImportFileError(str(path), f"missing columns {missing}", line=1, expected=EXPECTED)
    return {key: names.index(col) for key, col in wanted.items()}


def _cc_row(path: Path, row: tuple[Any, ...], idx: dict[str, int], line: int) -> dict[str, Any]:
    ext_id = _text(row[idx["id"]], 120)
    if not ext_id:
        raise ImportFileError(str(path), "empty PCF id", line=line, field=CC_COLUMNS["id"])
    detail = _text(row[idx["detail"]], 4000)
    year = _number(path, row[idx["year"]], line, CC_COLUMNS["year"], optional=True)
    return {
        "dataset": CC_DATASET,
        "external_id": ext_id,
        "name": _text(row[idx["name"]], 400) or ext_id,
        "detail": "" if detail.lower().startswith(NO_DETAIL) else detail,
        "sector": _text(row[idx["sector"]], 200) or None,
        "company": _text(row[idx["company"]], 200) or None,
        "country": _text(row[idx["country"]], 80) or None,
        "year": int(year) if year is not None else None,
        "weight_kg": _number(path, row[idx["weight"]], line, CC_COLUMNS["weight"], optional=True),
        "footprint_kg_co2e": _number(path, row[idx["pcf"]], line, CC_COLUMNS["pcf"]),
        "citation": f"{CC_CITATION}, PCF-ID {ext_id}",
    }


def _parse_workbook(path: Path) -> list[dict[str, Any]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            str(path), f"unreadable workbook ({type(exc).__name__})", expected=EXPECTED
        ) from None
    try:
        if CC_SHEET not in wb.sheetnames:
            raise ImportFileError(
                str(path), f"no sheet {CC_SHEET!r} (sheets: {wb.sheetnames[:5]})", expected=EXPECTED
            )
        rows = wb[CC_SHEET].iter_rows(values_only=True)
        idx = _header_index(path, list(next(rows, ())), CC_COLUMNS)
        out = []
        for line, row in enumerate(rows, start=2):
            if line > MAX_ROWS:
                raise ImportFileError(str(path), f"more than {MAX_ROWS} rows", expected=EXPECTED)
            if row is None or all(v is None for v in row):
                continue
            out.append(_cc_row(path, tuple(row) + (None,) * 30, idx, line))
        return out
    finally:
        wb.close()


def _parse_epa_csv(path: Path, lines: list[str]) -> list[dict[str, Any]]:
    reader = csv.reader(lines)
    idx = _header_index(path, next(reader), EPA_COLUMNS)
    out = []
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(idx.values()):
            raise ImportFileError(
                str(path),
                f"{len(row)} fields",
                line=line,
                expected=f"{max(idx.values()) + 1} fields",
            )
        code = row[idx["code"]].strip()
        if not (code.isdigit() and len(code) == 6):
            raise ImportFileError(
                str(path),
                f"bad NAICS code {code!r}",
                line=line,
                field=EPA_COLUMNS["code"],
                expected="6 digits",
            )
        unit = row[idx["unit"]]
        if f"{EPA_PRICE_YEAR} USD" not in unit:
            raise ImportFileError(
                str(path),
                f"unit {unit!r}",
                line=line,
                field="Unit",
                expected=f"kg CO2e/{EPA_PRICE_YEAR} USD",
            )
        out.append(
            {
                "dataset": EPA_DATASET,
                "code": code,
                "title": row[idx["title"]].strip()[:300] or code,
                "kg_co2e_per_unit": _number(path, row[idx["factor"]], line, EPA_COLUMNS["factor"]),
                "currency": "USD",
                "price_year": EPA_PRICE_YEAR,
                "citation": f"US EPA Supply Chain GHG Emission Factors v1.2 (NAICS), {code}, with margins, kg CO2e/2021 USD",
            }
        )
    return out


def _read_text(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            str(path), f"not UTF-8 text (byte {exc.start})", expected=EXPECTED
        ) from None
    if not text.strip():
        raise ImportFileError(str(path), "empty file", expected=EXPECTED)
    return text.splitlines()


def parse_reference(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Detect the file's kind by content and parse it: ('carbon-catalogue' | 'epa-supply-chain', rows)."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(str(path), "no such file", expected=EXPECTED)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(
            str(path), f"larger than {MAX_FILE_BYTES // 2**20} MiB", expected=EXPECTED
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        kind, rows = "carbon-catalogue", _parse_workbook(path)
    else:
        kind, rows = "epa-supply-chain", _parse_epa_csv(path, _read_text(path))
    if not rows:
        raise ImportFileError(str(path), "no data rows", expected=EXPECTED)
    return kind, rows


def import_reference(db: Database, path: Path, *, progress: bool = False) -> ReferenceImportSummary:
    """Import a reference table in one transaction; idempotent; ImportFileError on a wrong file.

    ``progress`` is accepted for symmetry with the other importers; both known
    files parse in about a second, so no bar is drawn.
    """
    from greencart.store import footprint_repo

    path = Path(path)
    started = datetime.now(UTC).replace(tzinfo=None)
    kind, rows = parse_reference(path)
    key = "external_id" if kind == "carbon-catalogue" else "code"
    distinct = {r[key] for r in rows}
    with db.transaction() as session:
        if kind == "carbon-catalogue":
            written = footprint_repo.upsert_reference_rows(session, rows)
        else:
            written = footprint_repo.upsert_spend_factors(session, rows)
        summary = ReferenceImportSummary(
            path=str(path),
            kind=kind,
            dataset=rows[0]["dataset"],
            rows_read=len(rows),
            rows_written=written,
            rows_skipped=len(rows) - len(distinct),
            skipped_reasons={"duplicate id (last kept)": len(rows) - len(distinct)}
            if len(rows) > len(distinct)
            else {},
        )
        footprint_repo.record_import_run(
            session,
            kind=f"footprint-{kind}",
            path=str(path),
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            started_at=started,
            summary={k: v for k, v in summary.__dict__.items() if k != "path"},
        )
    return summary
