"""The sustainability report: periods, sections from real activity (chat turns, a greener
swap offered and then bought, encryption counts), an empty period that says so, the ops
section 'not run', a PDF rendered by WeasyPrint whose pages are rendered to images."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from greencart.config import Settings
from greencart.errors import InvalidParameter
from greencart.governance.report import Period, ReportContext, Section, build_report
from greencart.store import catalog_repo, open_database

USER = "REPORT-SHOPPER-5150"


def test_periods_parse_to_utc_bounds():
    q = Period.parse("2024-Q1")
    assert (q.start, q.end) == (datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
    assert Period.parse("2024-Q4").end == datetime(2025, 1, 1, tzinfo=UTC)
    assert Period.parse("2024-12").end == datetime(2025, 1, 1, tzinfo=UTC)
    assert Period.parse("2024-01-01..2024-01-31").end == datetime(2024, 2, 1, tzinfo=UTC)
    for bad in ("2024-Q5", "Q1-2024", "2024-13", "2024-03-01..2024-02-01"):
        with pytest.raises(InvalidParameter):
            Period.parse(bad)


@pytest.fixture(scope="module")
def active_var(tmp_path_factory):
    """Two chat turns through the API (a kettle, then a greener swap), then the shopper buys the swap."""
    from fastapi.testclient import TestClient

    from greencart.api.app import create_app
    from greencart.catalog.models import Interaction, Shopper
    from greencart.footprint.estimate import EstimatorConfig, estimate_all

    from .conftest import PRODUCTS

    var = tmp_path_factory.mktemp("report-var")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, PRODUCTS)
    estimate_all(db, config=EstimatorConfig(embedder=None))
    with pytest.MonkeyPatch.context() as mp:
        for name in ("GREENCART_PSEUDONYM_KEY", "GREENCART_ENCRYPTION_KEY", "GREENCART_DATABASE_URL"):
            mp.delenv(name, raising=False)
        with TestClient(create_app(Settings(var_dir=var))) as client:
            first = client.post("/v1/chat", json={"message": "an electric kettle please", "user": USER}).json()
            swap = client.post("/v1/chat", json={"message": "is there a greener one?", "user": USER,
                                                 "session": first["session"]}).json()
    assert swap["intent"] == "greener" and [p["id"] for p in swap["products"]] == ["K1", "K2"]
    with db.transaction() as s:
        catalog_repo.upsert_shoppers(s, [Shopper(USER, None, None, "test")])
        catalog_repo.upsert_interactions(s, [Interaction(USER, "K2", "purchase", datetime.now(UTC) + timedelta(
            minutes=1), source="test")])
    db.dispose()
    return var


def _report(var, period):
    from greencart.privacy import Pseudonymiser

    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    try:
        return build_report(ReportContext(db, Period.parse(period), var, Pseudonymiser.from_env(var)))
    finally:
        db.dispose()


def test_a_period_with_activity_reports_energy_swaps_and_protection(active_var):
    report = _report(active_var, str(datetime.now(UTC).year))
    by = {s.title: s for s in report.sections}
    energy = by["AI energy and SCI per functional unit"]
    assert energy.status == "ok" and energy.figures_data["turn"]["units"] >= 1
    turn = energy.figures_data["turn"]
    assert turn["energy_low_j_per_unit"] <= turn["energy_j_per_unit"] <= turn["energy_high_j_per_unit"]
    assert turn["sci_g_per_unit"] == pytest.approx(turn["operational_g_per_unit"] + turn["embodied_g_per_unit"])
    assert set(turn["methods"]) <= {"measured", "modelled", "modelled-estimate", "measured-estimate"}
    swaps = by["kg CO2e avoided by greener swaps"].figures_data
    assert swaps["offered"] == 1 and swaps["accepted"] == 1 and swaps["avoided_kg_co2e"] == pytest.approx(9.5)
    protection = by["Data protection"].figures_data
    assert protection["turns_encrypted"] == 4 and protection["turns_in_clear"] == 0
    assert by["Forecasting, production and routing savings"].status == "not run"
    assert by["Product footprint coverage by method"].figures_data["total"] == 5
    assert "ISO/IEC 21031" in " ".join(by["Methodology and sources"].paragraphs)
    assert not report.empty and USER not in json.dumps(report.as_dict())


def test_an_empty_period_says_so(active_var):
    report = _report(active_var, "2019-Q1")
    assert report.empty and report.summary_line().startswith("No data for 2019-Q1")
    assert report.markdown().count("*Status: no data*") == 2  # energy and swaps; snapshots keep their data


def test_a_failing_provider_becomes_a_not_run_section(var):
    class Broken:
        name = "Broken module"

        def build(self, ctx):
            raise InvalidParameter("its tables are missing")

    class Fine:
        name = "Fine"

        def build(self, ctx):
            return Section("Fine", "ok", ("all good",))

    db = open_database(f"sqlite:///{var / 'greencart.db'}")
    try:
        report = build_report(ReportContext(db, Period.parse("2024"), var), [Broken(), Fine()])
    finally:
        db.dispose()
    assert [(s.title, s.status) for s in report.sections] == [("Broken module", "not run"), ("Fine", "ok")]


def test_the_pdf_renders_and_its_pages_render_to_images(active_var):
    import pypdfium2 as pdfium
    from typer.testing import CliRunner

    from greencart.cli import app

    target = active_var / "report.pdf"
    res = CliRunner().invoke(app, ["--var-dir", str(active_var), "report", "sustainability", "--period",
                                   str(datetime.now(UTC).year), "--format", "pdf", "--out", str(target)])
    assert res.exit_code == 0, res.output
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 2
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Sustainability report" in text and "Data protection" in text and "not run" in text.lower()
    for i in range(len(pdf)):
        image = pdf[i].render(scale=1.0).to_pil().convert("L")
        assert image.size[0] > 500 and image.size[1] > 700  # A4 at 72 dpi
        lo, hi = image.getextrema()
        assert hi - lo > 100  # not a blank page
    import numpy as np

    rgb = np.asarray(pdf[0].render(scale=1.0).to_pil().convert("RGB"), dtype=np.int16)
    greens = int(((rgb[..., 1] > rgb[..., 0] + 30) & (rgb[..., 1] > rgb[..., 2] + 20)).sum())
    assert greens > 500  # the bar chart (and headings) are drawn, not just text


def test_the_api_serves_the_report_in_each_format(active_var):
    from fastapi.testclient import TestClient

    from greencart.api.app import create_app

    year = str(datetime.now(UTC).year)
    with TestClient(create_app(Settings(var_dir=active_var))) as client:
        body = client.get("/v1/reports/sustainability", params={"period": year}).json()
        md = client.get("/v1/reports/sustainability", params={"period": year, "format": "md"})
        html = client.get("/v1/reports/sustainability", params={"period": year, "format": "html"})
        bad = client.get("/v1/reports/sustainability", params={"period": "2024-Q7"})
        fp = client.get("/v1/products/K2/footprint/explanation").json()
    assert body["period"]["label"] == year and len(body["sections"]) == 6
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Sustainability report")
    assert "data:image/png;base64," in html.text
    assert bad.status_code == 422 and "period" in bad.text and "2024-Q7" in bad.text  # refused by the schema
    assert fp["method"] == "declared" and "declared" in fp["text"]
