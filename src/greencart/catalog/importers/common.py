"""What every importer shares: opening and decoding files, CSV/JSONL rows with
their line numbers, value parsers that raise ``ImportFileError``, the progress
bar and the :class:`ImportSummary`.

Line numbers are 1-based as an editor or a spreadsheet shows them: the header
of a CSV file is line 1, its first data row line 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from greencart.errors import ImportFileError

DEFAULT_ENCODING = "utf-8"
MAX_PRICE = 1e9  # a price above this is a unit or parsing mistake, not a product
MAX_WEIGHT_KG = 1e6
MAX_FOOTPRINT_KG_CO2E = 1e9
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


@dataclass
class ImportSummary:
    """What an import read, kept and dropped (and why)."""

    kind: str
    path: str
    rows_read: int = 0
    products: int = 0
    shoppers: int = 0
    orders: int = 0
    returns: int = 0
    interactions: int = 0
    kept_for_demand_only: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    merged_lines: int = 0
    notes: list[str] = field(default_factory=list)

    def drop(self, reason: str, rows: int = 1) -> None:
        if rows:
            self.dropped[reason] = self.dropped.get(reason, 0) + rows

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rows_dropped"] = self.rows_dropped
        return out

    def render_lines(self) -> list[str]:
        lines = [
            f"Imported {self.path} ({self.kind}) in {self.duration_s:.1f} s: "
            f"{self.rows_read:,} rows read, {self.rows_read - self.rows_dropped:,} kept, "
            f"{self.rows_dropped:,} dropped.",
        ]
        kept = [
            (self.products, "products"),
            (self.shoppers, "shoppers"),
            (self.orders, f"orders ({self.returns:,} of them returns)" if self.orders else "orders"),
            (self.interactions, "interactions"),
        ]
        lines.append("  Kept: " + ", ".join(f"{n:,} {what}" for n, what in kept if n or what == "products"))
        if self.kept_for_demand_only:
            lines.append(
                f"  {self.kept_for_demand_only:,} rows have no customer: kept for orders and demand, "
                "not for personalisation."
            )
        if self.merged_lines:
            lines.append(f"  {self.merged_lines:,} rows merged into a line of the same invoice, product and price.")
        if self.dropped:
            lines.append("  Dropped:")
            for reason, n in sorted(self.dropped.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"    {n:>7,}  {reason}")
        lines.extend(f"  Note: {note}" for note in self.notes)
        return lines


# --- files ------------------------------------------------------------------------------------


def check_file(path: Path, expected: str) -> bytes:
    """The file's first bytes; raises when it is missing, a folder or empty."""
    if not path.exists():
        raise ImportFileError(str(path), "file not found", expected=expected)
    if not path.is_file():
        raise ImportFileError(str(path), "is not a file", expected=expected)
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise ImportFileError(str(path), "file is empty", expected=expected)
    return head


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_format(path: Path, head: bytes, allowed: Sequence[str]) -> str:
    """'xlsx', 'csv' or 'jsonl' from the extension, else sniffed from the first bytes."""
    suffix = path.suffix.lower()
    by_suffix = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".tsv": "csv",
                 ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
    fmt = by_suffix.get(suffix)
    if fmt is None:
        if head.startswith(XLSX_MAGIC):
            fmt = "xlsx"
        elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            fmt = "jsonl"
        else:
            fmt = "csv"
    if fmt == "xls" or (fmt == "xlsx" and head.startswith(OLE_MAGIC)):
        raise ImportFileError(
            str(path), "is a legacy Excel .xls workbook", expected="an .xlsx workbook or a CSV file: save it as .xlsx or CSV"
        )
    if fmt not in allowed:
        raise ImportFileError(str(path), f"is a {fmt} file", expected=" or ".join(allowed))
    return fmt


def decode_text(path: Path, data: bytes, encoding: str | None) -> str:
    """Decode ``data``; a decoding error names the line and the expected encoding."""
    enc = encoding or DEFAULT_ENCODING
    try:
        text = data.decode("utf-8-sig" if enc.lower().replace("_", "-") in ("utf-8", "utf8") else enc)
    except LookupError:
        raise ImportFileError(str(path), f"unknown text encoding {enc!r}", expected="an encoding such as utf-8 or cp1252") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("cp1252")
            hint = "; it decodes as Windows-1252/Latin-1: re-import with encoding cp1252 or save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise ImportFileError(
            str(path),
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid {enc}{hint}",
            line=line,
            expected=f"text encoded as {enc}",
        ) from None
    if "\x00" in text:
        raise ImportFileError(str(path), "contains NUL bytes: it is binary, not text", expected=f"a text file in {enc}")
    return text


def csv_rows(path: Path, text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Lower-cased header and ``(line, row)`` pairs; blank lines skipped."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=lambda d: (first_line.count(d), d == ","))  # comma unless another dominates
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(str(path), "file is empty", expected="a header line and data rows") from None
    names = [h.strip().lower() for h in header]
    if len(set(n for n in names if n)) != len([n for n in names if n]):
        dupes = sorted({n for n in names if n and names.count(n) > 1})
        raise ImportFileError(str(path), f"repeated column(s) {', '.join(dupes)}", line=1, expected="each column once")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        try:
            for values in reader:
                line, start = start, reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(names):
                    raise ImportFileError(
                        str(path), f"{len(values)} fields but the header has {len(names)}", line=line,
                        expected="one value per header column (quote values that contain the delimiter)",
                    )
                yield line, {n: v.strip() for n, v in zip(names, values) if n}
        except csv.Error as exc:
            raise ImportFileError(str(path), f"malformed CSV: {exc}", line=reader.line_num, expected="valid CSV") from None

    return names, rows()


def jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` for each non-blank line of a JSON Lines file."""
    # split on "\n" only: str.splitlines() also splits on U+2028 and other
    # separators that are legal inside JSON strings.
    for number, raw in enumerate((ln.removesuffix("\r") for ln in text.split("\n")), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                str(path), f"invalid JSON at column {exc.colno}: {exc.msg}", line=number,
                expected="one JSON object per line",
            ) from None
        if not isinstance(obj, dict):
            raise ImportFileError(
                str(path), f"a JSON {type(obj).__name__} instead of an object", line=number,
                expected="one JSON object per line",
            )
        yield number, {str(k).strip().lower(): v for k, v in obj.items()}


def require_columns(path: Path, present: Sequence[str], required: Sequence[str], line: int | None = 1) -> None:
    missing = [c for c in required if c not in present]
    if missing:
        raise ImportFileError(
            str(path),
            f"missing required column(s) {', '.join(missing)}",
            line=line,
            expected=f"columns {', '.join(required)} (found {', '.join(present) or 'none'})",
        )


# --- values -----------------------------------------------------------------------------------


def parse_number(
    path: Path, line: int, name: str, raw: Any, *, maximum: float, required: bool = True, json_only: bool = False
) -> float | None:
    """A finite number in [0, maximum] from CSV text or (``json_only=True``) a JSON number."""
    if raw is None or (isinstance(raw, str) and not raw.strip() and not json_only):
        if required:
            raise ImportFileError(str(path), "missing value", line=line, field=name, expected="a number")
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float) if json_only else (int, float, str)):
        raise ImportFileError(
            str(path), f"a JSON {_json_type(raw)} ({raw!r})", line=line, field=name, expected="a JSON number"
        )
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ImportFileError(str(path), f"cannot read {raw!r} as a number", line=line, field=name,
                              expected="a decimal number such as 12.50") from None
    if not math.isfinite(value):
        raise ImportFileError(str(path), f"{raw!r} is not a finite number", line=line, field=name,
                              expected="a finite number")
    if value < 0:
        raise ImportFileError(str(path), f"negative value {value:g}", line=line, field=name, expected="a number >= 0")
    if value > maximum:
        raise ImportFileError(str(path), f"implausible value {value:g}", line=line, field=name,
                              expected=f"a number <= {maximum:g}")
    return value


def _json_type(raw: Any) -> str:
    names = {bool: "boolean", str: "string", int: "number", float: "number", list: "array", dict: "object"}
    return "null" if raw is None else names.get(type(raw), type(raw).__name__)


def parse_text(path: Path, line: int, name: str, raw: Any, *, required: bool, max_len: int = 10_000) -> str | None:
    """A stripped string; JSON numbers are accepted for identifiers, other types are not."""
    if raw is None:
        value = ""
    elif isinstance(raw, str):
        value = raw.strip()
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = str(raw)
    else:
        raise ImportFileError(str(path), f"a JSON {_json_type(raw)} ({raw!r})", line=line, field=name,
                              expected="a string")
    if not value:
        if required:
            raise ImportFileError(str(path), "missing value", line=line, field=name, expected="a non-empty string")
        return None
    if len(value) > max_len:
        raise ImportFileError(str(path), f"{len(value)} characters", line=line, field=name,
                              expected=f"at most {max_len} characters")
    return value


def parse_timestamp(path: Path, line: int, name: str, raw: Any) -> datetime:
    """ISO 8601 date or date-time; aware times are converted to naive UTC, naive ones taken as UTC."""
    if not isinstance(raw, str) or not raw.strip():
        got = "missing value" if raw in (None, "") else f"a JSON {_json_type(raw)} ({raw!r})"
        raise ImportFileError(str(path), got, line=line, field=name,
                              expected="an ISO 8601 date-time such as 2024-03-01T14:30:00Z")
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise ImportFileError(str(path), f"cannot read {raw!r} as a date-time", line=line, field=name,
                              expected="an ISO 8601 date-time such as 2024-03-01T14:30:00Z") from None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


# --- progress ---------------------------------------------------------------------------------


class ImportProgress(AbstractContextManager["ImportProgress"]):
    """A rich progress bar on stderr, or nothing when ``enabled`` is false."""

    def __init__(self, enabled: bool) -> None:
        self._progress: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )

    def __enter__(self) -> "ImportProgress":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def task(self, description: str, total: int | None) -> Callable[[int], None]:
        """A new bar; returns ``advance(n)``."""
        if self._progress is None:
            return lambda n: None
        task_id = self._progress.add_task(description, total=total)
        return lambda n: self._progress.advance(task_id, n)


def write_in_chunks(items: Sequence[Any], write: Callable[[Sequence[Any]], object], advance: Callable[[int], None],
                    chunk: int = 2000) -> None:
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        write(part)
        advance(len(part))
