from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, not_, or_

from conftest import shared_file
from greencart.errors import ImportFileError
from greencart.footprint import FootprintEstimator, import_reference
from greencart.store import footprint_repo
from greencart.store.tables import ReferenceFootprintRow

CC = "footprints/carbon_catalogue_v30Oct2021.xlsx"
EPA = "footprints/epa_supply_chain_ghg_factors_v1.2_naics_2021usd.csv"
EPA_HEADER = (
    "2017 NAICS Code,2017 NAICS Title,GHG,Unit,Supply Chain Emission Factors without Margins,"
    "Margins of Supply Chain Emission Factors,Supply Chain Emission Factors with Margins,Reference USEEIO Code\n"
)
EPA_UNIT = '"kg CO2e/2021 USD, purchaser price"'


def _counts(db) -> dict[str, int]:
    with db.read() as session:
        return footprint_repo.reference_counts(session)


@pytest.mark.shared_data
def test_import_both_real_files_idempotently(db):
    cc = import_reference(db, shared_file(CC))
    epa = import_reference(db, shared_file(EPA))
    assert (cc.kind, cc.rows_read, cc.rows_written) == ("carbon-catalogue", 866, 866)
    assert (epa.kind, epa.rows_read, epa.rows_written) == ("epa-supply-chain", 1016, 1016)
    again = import_reference(db, shared_file(CC))
    assert again.rows_written == 866
    assert _counts(db) == {cc.dataset: 866, epa.dataset: 1016}
    with db.read() as session:
        factors = footprint_repo.spend_factors(session, epa.dataset)
        rows = {r.external_id: r for r in footprint_repo.list_reference_rows(session)}
    assert factors["316210"][0] == 0.256
    chair = rows["10222-1-2013"]
    assert (
        chair.name == "Office Chair"
        and chair.weight_kg == 20.68
        and chair.footprint_kg_co2e == 72.54
    )
    assert chair.detail == ""  # "Field not included in 2013 data" is not a description


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _bad_workbook(tmp_path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["a", "b"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty file"),
        ("other.csv", "id,title,price\n1,Mug,3\n", "missing columns"),
        ("latin1.csv", "Caf\xe9,1\n".encode("latin-1"), "not UTF-8"),
        ("fake.xlsx", b"PK\x03\x04 not really a zip", "unreadable workbook"),
        (
            "badnum.csv",
            EPA_HEADER + f"111110,Soybean Farming,All GHGs,{EPA_UNIT},0.9,0.1,1.0,1111A0\n"
            f"111120,Oilseed Farming,All GHGs,{EPA_UNIT},0.9,0.1,lots,1111A0\n",
            "line 3, field 'Supply Chain",
        ),
        (
            "negative.csv",
            EPA_HEADER + f"111110,Soybean Farming,All GHGs,{EPA_UNIT},0.9,0.1,-1,1111A0\n",
            "out of range",
        ),
        (
            "unit.csv",
            EPA_HEADER + '111110,Soybean Farming,All GHGs,"kg CO2e/2018 USD",0.9,0.1,1.0,1111A0\n',
            "unit",
        ),
        (
            "nan.csv",
            EPA_HEADER + f"111110,Soybean Farming,All GHGs,{EPA_UNIT},0.9,0.1,nan,1111A0\n",
            "out of range",
        ),
    ],
)
def test_wrong_or_hostile_files_write_nothing(db, tmp_path, name, content, message):
    path = _write(tmp_path, name, content)
    with pytest.raises(ImportFileError, match=message) as info:
        import_reference(db, path)
    assert str(path) in info.value.message and "Nothing was written" in info.value.message
    assert _counts(db) == {}


def test_workbook_without_the_sheet_is_refused(db, tmp_path):
    with pytest.raises(ImportFileError, match="no sheet 'Product Level Data'"):
        import_reference(db, _bad_workbook(tmp_path))
    assert _counts(db) == {}


def test_missing_file(db, tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        import_reference(db, tmp_path / "nope.csv")


@pytest.mark.shared_data
def test_estimator_from_db_uses_the_imported_reference_set(sqlite_db, embedder):
    from greencart.catalog.models import Product

    import_reference(sqlite_db, shared_file(CC))
    # Keep computers and chairs only: embedding all 866 rows takes 10-30 s on 2 shared cores.
    keep = or_(
        *(ReferenceFootprintRow.name.ilike(f"%{w}%") for w in ("notebook", "latitude", "chair"))
    )
    with sqlite_db.transaction() as session:
        session.execute(delete(ReferenceFootprintRow).where(not_(keep)))
    est = FootprintEstimator.from_db(sqlite_db, embedder=embedder)
    assert 15 <= len(est.matcher or ()) <= 60
    laptop = Product("l1", "Laptop computer, 14 inch notebook", "electronics", 800.0, weight_kg=1.6)
    f = est.estimate(laptop)
    assert f.method == "reference"
    assert "Notebook" in f.source and "Carbon Catalogue" in f.source
    # Catalogue notebooks range from ~2 kg CO2e/kg (ODMs reporting their own slice) to
    # ~230 (brands reporting cradle-to-grave): the estimate lies between, the band is wide.
    assert 1.6 * 1.5 < f.kg_co2e < 1.6 * 230
    assert f.high_kg_co2e / f.low_kg_co2e > 10
