from __future__ import annotations

import csv
import math

import pytest

from greencart.catalog.categories import CATEGORIES, UNCATEGORISED
from greencart.errors import InvalidParameter
from greencart.footprint import METHODS, Footprint
from greencart.footprint.bands import REFERENCE_BANDS, SPEND_BAND, BandWidth, reference_band
from greencart.footprint.factors import (
    category_defaults,
    commodity_by_code,
    commodity_classes,
    read_packaged_csv,
)

EPA_SPOT_VALUES = {
    "316210": 0.256,
    "335210": 0.3,
    "315220": 0.145,
    "337121": 0.249,
    "339930": 0.187,
}


def test_footprint_public_keys_and_validation():
    f = Footprint(2.0, 1.0, 4.0, "spend", "somewhere", "315220", 0.5)
    assert set(f.public()) == {
        "footprint_kg_co2e",
        "footprint_low",
        "footprint_high",
        "footprint_method",
        "footprint_source",
        "footprint_commodity",
        "footprint_confidence",
    }
    assert f.public()["footprint_method"] == "spend"
    with pytest.raises(InvalidParameter, match="low_kg_co2e <= kg_co2e"):
        Footprint(5.0, 1.0, 4.0, "spend", "x", None, 0.5)
    with pytest.raises(InvalidParameter, match="method"):
        Footprint(2.0, 1.0, 4.0, "guess", "x", None, 0.5)
    with pytest.raises(InvalidParameter, match="source"):
        Footprint(2.0, 1.0, 4.0, "spend", " ", None, 0.5)
    assert METHODS == ("declared", "reference", "spend", "category-default")


def test_every_packaged_row_cites_a_source():
    for name in ("commodities.csv", "category_defaults.csv", "fx_rates.csv", "us_cpi.csv"):
        rows = read_packaged_csv(name)
        assert rows, name
        assert all(r["source"].strip() for r in rows), name


def test_commodity_factors_are_the_epa_values():
    by_code = commodity_by_code()
    for code, value in EPA_SPOT_VALUES.items():
        assert by_code[code].kg_co2e_per_usd_2021 == value
    assert len(commodity_classes()) >= 30


def test_commodity_factors_match_the_epa_file_when_present():
    from conftest import shared_file

    path = shared_file("footprints/epa_supply_chain_ghg_factors_v1.2_naics_2021usd.csv")
    epa = {
        r["2017 NAICS Code"]: float(r["Supply Chain Emission Factors with Margins"])
        for r in csv.DictReader(path.open())
    }
    for c in commodity_classes():
        assert epa[c.code] == c.kg_co2e_per_usd_2021, c.code


def test_category_defaults_follow_their_derivation():
    defaults = category_defaults()
    for slug in [c.slug for c in CATEGORIES] + [UNCATEGORISED]:
        d = defaults[slug]
        factor = commodity_by_code()[d.commodity_code].kg_co2e_per_usd_2021
        assert d.kg_co2e == pytest.approx(factor * d.typical_price_usd_2021, rel=1e-3)
        assert str(factor) in d.derivation


def test_band_contains_point_and_widens_with_low_confidence():
    width = BandWidth(-0.5, 0.3, "test")
    lo1, hi1 = width.apply(10.0, confidence=1.0)
    lo0, hi0 = width.apply(10.0, confidence=0.0)
    assert lo1 == pytest.approx(10 * 10**-0.5) and hi1 == pytest.approx(10 * 10**0.3)
    assert lo0 < lo1 <= 10.0 <= hi1 < hi0
    assert math.log10(hi0 / lo0) == pytest.approx(2 * math.log10(hi1 / lo1))
    assert SPEND_BAND.apply(1.0)[1] == pytest.approx(3.0)
    assert reference_band(0.99) is REFERENCE_BANDS[0][1]
    assert reference_band(0.1) is REFERENCE_BANDS[-1][1]
