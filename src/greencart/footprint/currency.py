"""Money to 2021 US dollars, the price basis of the EPA spend factors.

A price P in currency C stated in year Y becomes USD of year Y at the annual
mean ECB reference rate of Y (``fx_rates.csv``: both C and USD quoted per EUR,
so USD per C = usd_per_eur / c_per_eur), then 2021 USD by the US CPI-U ratio
CPI(2021) / CPI(Y) (``us_cpi.csv``, BLS series CUUR0000SA0 annual averages).
Convert first, then deflate with the US index: the factors are US prices.
Years outside the tables are clamped to the nearest year and the note says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from greencart.errors import InvalidParameter
from greencart.footprint.factors import EPA_PRICE_YEAR, read_packaged_csv

SUPPORTED_CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "CNY")


@dataclass(frozen=True)
class UsdConversion:
    usd_2021: float
    year_used: int
    usd_per_unit: float
    cpi_ratio: float
    note: str


@lru_cache(maxsize=1)
def _per_eur() -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    for r in read_packaged_csv("fx_rates.csv"):
        out[int(r["year"])] = {
            "EUR": 1.0,
            "USD": float(r["usd_per_eur"]),
            "GBP": float(r["gbp_per_eur"]),
            "CNY": float(r["cny_per_eur"]),
        }
    return out


@lru_cache(maxsize=1)
def _cpi() -> dict[int, float]:
    return {int(r["year"]): float(r["cpi_u_annual_avg"]) for r in read_packaged_csv("us_cpi.csv")}


def year_range() -> tuple[int, int]:
    years = sorted(set(_per_eur()) & set(_cpi()))
    return years[0], years[-1]


def usd_per_unit(currency: str, year: int) -> float:
    """Annual mean USD per one unit of ``currency`` in ``year`` (ECB cross rate)."""
    cur = currency.upper()
    if cur not in SUPPORTED_CURRENCIES:
        raise InvalidParameter(f"Expected a currency in {SUPPORTED_CURRENCIES}, got {currency!r}")
    rates = _per_eur()[year]
    return rates["USD"] / rates[cur]


def to_usd_2021(amount: float, currency: str, year: int) -> UsdConversion:
    """``amount`` of ``currency`` in ``year`` expressed in 2021 US dollars."""
    first, last = year_range()
    used = min(max(int(year), first), last)
    rate = usd_per_unit(currency, used)
    ratio = _cpi()[EPA_PRICE_YEAR] / _cpi()[used]
    note = f"{currency.upper()}->USD at the ECB {used} mean, US CPI-U {used}->{EPA_PRICE_YEAR}"
    if used != year:
        note += f" (price year {year} outside {first}-{last}: used {used})"
    return UsdConversion(amount * rate * ratio, used, rate, ratio, note)
