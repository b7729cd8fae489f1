from __future__ import annotations

import pytest

from greencart.errors import InvalidParameter
from greencart.footprint.currency import to_usd_2021, usd_per_unit, year_range


def test_gbp_2011_to_usd_2021_by_hand():
    # ECB 2011 means: 1.39196 USD and 0.86788 GBP per EUR; CPI-U 2011 224.939, 2021 270.970.
    expected = 10 * (1.39196 / 0.86788) * (270.970 / 224.939)
    assert expected == pytest.approx(19.3207, abs=1e-3)
    assert to_usd_2021(10, "GBP", 2011).usd_2021 == pytest.approx(expected, rel=1e-9)


def test_eur_and_cny_2025_by_hand():
    # ECB 2025 means: 1.12998 USD and 8.1185 CNY per EUR; CPI-U 2025 321.943.
    assert to_usd_2021(100, "EUR", 2025).usd_2021 == pytest.approx(
        100 * 1.12998 * 270.970 / 321.943
    )
    assert to_usd_2021(100, "cny", 2025).usd_2021 == pytest.approx(
        100 * 1.12998 / 8.1185 * 270.970 / 321.943
    )


def test_usd_2021_is_unchanged_and_usd_2010_inflates():
    assert to_usd_2021(50, "USD", 2021).usd_2021 == pytest.approx(50)
    assert to_usd_2021(50, "USD", 2010).usd_2021 == pytest.approx(50 * 270.970 / 218.056)
    assert usd_per_unit("GBP", 2016) == pytest.approx(1.1069 / 0.81948, rel=1e-4)


def test_years_outside_the_tables_are_clamped_and_said():
    first, last = year_range()
    assert (first, last) == (2010, 2025)
    conv = to_usd_2021(10, "GBP", 2031)
    assert conv.year_used == 2025 and "outside 2010-2025" in conv.note
    assert conv.usd_2021 == to_usd_2021(10, "GBP", 2025).usd_2021


def test_unknown_currency_is_rejected():
    with pytest.raises(InvalidParameter, match="JPY"):
        to_usd_2021(10, "JPY", 2020)
