"""The sustainability report: a period, section providers, and three renderings.

    report = build_report(ReportContext(db, Period.parse("2024-Q1"), var_dir))
    report.markdown(); report.html(); report.pdf()   # PDF by WeasyPrint

Each section comes from a :class:`SectionProvider` (``name`` + ``build(ctx)``);
:func:`default_providers` lists the built-in ones (``greencart.governance.sections``)
and other modules add theirs with ``build_report(ctx, [*default_providers(), mine])``.
A section whose module has not run says "not run"; a period with no data gives a
report that says so in its first line.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from greencart.errors import InvalidParameter

STATUSES = ("ok", "no data", "not run")
_PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$|^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
# What parse accepts, exactly (the API's schema pattern): years 1000-2999, real months and calendar days.
_YEAR = r"[12][0-9]{3}"
_LEAP = r"(?:[12][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|2[048])00)"
_MONTH_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)"
PERIOD_PATTERN = rf"^(?:{_YEAR}(?:-(?:Q[1-4]|0[1-9]|1[0-2]))?|{_DATE}\.\.{_DATE})$"


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, with the label it was asked as."""

    label: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidParameter(f"Expected the period's end after its start, got {self.start} .. {self.end}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024``, ``2024-Q1``, ``2024-03`` or ``2024-01-01..2024-03-31`` (end day included)."""
        m = _PERIOD_RE.match(text.strip())
        if not m or not re.match(PERIOD_PATTERN, text.strip()):
            raise InvalidParameter(f"Expected a period like 2024, 2024-Q1, 2024-03 or 2024-01-01..2024-03-31, "
                                   f"got {text!r}")
        if m.group(3):
            start, end = date.fromisoformat(m.group(3)), date.fromisoformat(m.group(4)) + timedelta(days=1)
        else:
            year, part = int(m.group(1)), m.group(2)
            if part is None:
                start, end = date(year, 1, 1), date(year + 1, 1, 1)
            elif part.startswith("Q"):
                q = int(part[1])
                start = date(year, 3 * q - 2, 1)
                end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
            else:
                month = int(part)
                if not 1 <= month <= 12:
                    raise InvalidParameter(f"Expected a month 01-12 in the period, got {part!r}")
                start, end = date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)
        def as_dt(d: date) -> datetime:
            return datetime(d.year, d.month, d.day, tzinfo=UTC)

        return cls(text.strip(), as_dt(start), as_dt(end))


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Figure:
    title: str
    png: bytes = field(repr=False)
    alt: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    status: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    figures_data: dict[str, Any] = field(default_factory=dict)  # the numbers, for JSON
    period_data: bool | None = None  # holds data of the period (None: status == "ok"); False for snapshots

    @property
    def has_period_data(self) -> bool:
        return self.status == "ok" if self.period_data is None else self.period_data

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InvalidParameter(f"Expected section status in {STATUSES}, got {self.status!r}")


@dataclass
class ReportContext:
    db: Any
    period: Period
    var_dir: Path
    pseudonymiser: Any = None  # joins offered swaps to later purchases without raw ids
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@runtime_checkable
class SectionProvider(Protocol):
    name: str

    def build(self, ctx: ReportContext) -> Section: ...


@dataclass(frozen=True)
class Report:
    period: Period
    generated_at: datetime
    sections: tuple[Section, ...]

    @property
    def empty(self) -> bool:
        return not any(s.has_period_data for s in self.sections)

    def summary_line(self) -> str:
        if self.empty:
            return (f"No data for {self.period.label}: no metered AI work, conversations, swaps or erasures "
                    f"were recorded between {self.period.start:%Y-%m-%d} and {self.period.end:%Y-%m-%d} (excl.).")
        ok = sum(s.status == "ok" for s in self.sections)
        return f"{ok} of {len(self.sections)} sections hold data for {self.period.label}."

    def as_dict(self) -> dict[str, Any]:
        return {"period": {"label": self.period.label, "start": self.period.start.isoformat(),
                           "end": self.period.end.isoformat()},
                "generated_at": self.generated_at.isoformat(timespec="seconds"), "empty": self.empty,
                "summary": self.summary_line(),
                "sections": [{"title": s.title, "status": s.status, "paragraphs": list(s.paragraphs),
                              "tables": [{"columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                                         for t in s.tables],
                              "figures": [f.title for f in s.figures], "data": s.figures_data}
                             for s in self.sections]}

    def markdown(self, image_dir: Path | None = None, image_prefix: str = "") -> str:
        """Markdown; figures are written as PNG files to ``image_dir`` (and linked) when given."""
        out = [f"# Sustainability report {self.period.label}", "",
               (f"Period {self.period.start:%Y-%m-%d} to {self.period.end:%Y-%m-%d} (excl.), generated "
               f"{self.generated_at:%Y-%m-%d %H:%M} UTC."), "", f"**{self.summary_line()}**", ""]
        for i, s in enumerate(self.sections, start=1):
            out += [f"## {i}. {s.title}", "", f"*Status: {s.status}*", ""]
            out += [p + "\n" for p in s.paragraphs]
            for t in s.tables:
                out += ["| " + " | ".join(t.columns) + " |", "|" + "---|" * len(t.columns)]
                out += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in t.rows] + [""]
            for j, f in enumerate(s.figures, start=1):
                if image_dir is not None:
                    image_dir.mkdir(parents=True, exist_ok=True)
                    name = f"figure-{i}-{j}.png"
                    (image_dir / name).write_bytes(f.png)
                    out += [f"![{f.alt or f.title}]({image_prefix}{name})", ""]
                else:
                    out += [f"*Figure: {f.title} (see the HTML or PDF report)*", ""]
        return "\n".join(out).rstrip() + "\n"

    def html(self) -> str:
        e = html_lib.escape
        body = [f"<h1>Sustainability report {e(self.period.label)}</h1>",
                (f"<p class='meta'>Period {self.period.start:%Y-%m-%d} to {self.period.end:%Y-%m-%d} (excl.), "
                f"generated {self.generated_at:%Y-%m-%d %H:%M} UTC.</p>"), f"<p class='summary'>{e(self.summary_line())}</p>"]
        for i, s in enumerate(self.sections, start=1):
            body.append(f"<section><h2>{i}. {e(s.title)}</h2><p class='status status-{s.status.replace(' ', '-')}'>"
                        f"Status: {e(s.status)}</p>")
            body += [f"<p>{e(p)}</p>" for p in s.paragraphs]
            for t in s.tables:
                head = "".join(f"<th>{e(c)}</th>" for c in t.columns)
                rows = "".join("<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in r) + "</tr>" for r in t.rows)
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            for f in s.figures:
                data = base64.b64encode(f.png).decode("ascii")
                body.append(f"<figure><img src='data:image/png;base64,{data}' alt='{e(f.alt or f.title)}'/>"
                            f"<figcaption>{e(f.title)}</figcaption></figure>")
            body.append("</section>")
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Sustainability report "
                f"{e(self.period.label)}</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>")

    def pdf(self) -> bytes:
        """The HTML rendered to PDF by WeasyPrint."""
        from weasyprint import HTML

        return HTML(string=self.html()).write_pdf()


METHODOLOGY_TITLE = "Methodology and sources"
_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #1b2a1f; }
h1 { color: #1f6f43; font-size: 18pt; } h2 { color: #1f6f43; font-size: 12.5pt; border-bottom: 1px solid #9cc5a9; }
.meta { color: #555; } .summary { font-weight: bold; }
.status { font-size: 8.5pt; color: #555; } .status-not-run, .status-no-data { color: #a0522d; }
table { border-collapse: collapse; margin: 6px 0 10px; width: 100%; } th, td { border: 1px solid #ccd; padding: 3px 5px;
text-align: left; font-size: 8.5pt; } th { background: #eef6f0; }
figure { margin: 8px 0; } img { max-width: 100%; } figcaption { font-size: 8pt; color: #555; }
section { page-break-inside: auto; }
"""


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def default_providers() -> list[SectionProvider]:
    from greencart.governance import sections

    return [sections.AiEnergySection(), sections.FootprintCoverageSection(), sections.GreenerSwapsSection(),
            sections.OpsSavingsSection(), sections.DataProtectionSection(), sections.MethodologySection()]


def build_report(ctx: ReportContext, providers: Sequence[SectionProvider] | None = None) -> Report:
    """Every provider's section, in order. A provider that fails yields a 'not run' section
    naming the error, so one broken module does not hide the rest of the report."""
    from greencart.errors import GreencartError

    built = []
    for p in providers if providers is not None else default_providers():
        try:
            built.append(p.build(ctx))
        except GreencartError as exc:
            built.append(Section(getattr(p, "name", type(p).__name__), "not run", (f"Not run: {exc.message}",)))
    return Report(ctx.period, ctx.generated_at, tuple(built))


def bar_chart(rows: Sequence[dict[str, Any]], x: str, y: str, title: str, *, x_title: str = "",
              y_title: str = "") -> bytes:
    """A PNG bar chart (altair + vl-convert, no browser)."""
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    chart = alt.Chart(pd.DataFrame(list(rows))).mark_bar(color="#2e8b57").encode(
        x=alt.X(f"{x}:N", title=x_title or x, sort=None), y=alt.Y(f"{y}:Q", title=y_title or y),
    ).properties(title=title, width=460, height=220)
    return vlc.vegalite_to_png(chart.to_json(), scale=1.5)
