"""Commerce normalisation of English query and product text, before BM25 tokenising.

Shoppers and catalogues write the same measure many ways: "1/2 in.", "0.5 inch",
"half inch", "½''"; "4ft", "4 ft", "48 in", "4'". :func:`normalise_text` rewrites
fractions (unicode, mixed "1-1/2", simple "3/4", spelled "half"/"quarter"),
thousands separators, inch and foot marks, number words before a unit, and glued
"4ft"/"30x60" forms into plain decimal numbers and spaced unit words.
:func:`measure_tokens` then turns each number followed by a unit into one
canonical token in the family's base unit, so every spelling above meets:

    length (imperial) -> inches   "4 ft" = "48 in" -> ``48in``;  "1/2 in." -> ``0.5in``
    length (metric)   -> mm       "1.5 m" = "150 cm" -> ``1500mm``
    volume            -> qt / ml, weight -> lb / oz / g, power -> w, voltage -> v
    counts            -> "2 seater" = "two seat" -> ``2seat``; "3-light" -> ``3light``

A bare number stays a token as well (a title saying "30" still matches "30 inch").
Pure functions of the text: no model, no state, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNICODE_FRACTIONS = {
    "½": "1/2", "¼": "1/4", "¾": "3/4", "⅓": "1/3", "⅔": "2/3",
    "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8",
}
_DENOMINATORS = {2, 3, 4, 8, 16, 32, 64}
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "single": "1", "double": "2",
    "half": "0.5", "quarter": "0.25",
}

# unit alias -> (family base unit, factor to the base unit)
_UNITS: dict[str, tuple[str, float]] = {}


def _unit(base: str, factor: float, *aliases: str) -> None:
    for alias in aliases:
        _UNITS[alias] = (base, factor)


_unit("in", 1.0, "in", "inch", "inches", "inchs")
_unit("in", 12.0, "ft", "foot", "feet", "fts")
_unit("in", 36.0, "yd", "yard", "yards")
_unit("mm", 1.0, "mm", "millimeter", "millimeters", "millimetre", "millimetres")
_unit("mm", 10.0, "cm", "centimeter", "centimeters", "centimetre", "centimetres")
_unit("mm", 1000.0, "m", "meter", "meters", "metre", "metres")
_unit("qt", 1.0, "qt", "qts", "quart", "quarts")
_unit("qt", 4.0, "gal", "gallon", "gallons")
_unit("qt", 0.5, "pt", "pint", "pints")
_unit("ml", 1.0, "ml", "milliliter", "milliliters", "millilitre", "millilitres")
_unit("ml", 1000.0, "l", "liter", "liters", "litre", "litres", "ltr")
_unit("lb", 1.0, "lb", "lbs", "pound", "pounds")
_unit("oz", 1.0, "oz", "ounce", "ounces")
_unit("g", 1.0, "g", "gram", "grams", "gr")
_unit("g", 1000.0, "kg", "kilo", "kilos", "kilogram", "kilograms")
_unit("w", 1.0, "w", "watt", "watts")
_unit("w", 1000.0, "kw", "kilowatt", "kilowatts")
_unit("v", 1.0, "v", "volt", "volts")
_unit("mah", 1.0, "mah")
_unit("gb", 1.0, "gb")
_unit("tb", 1.0, "tb")
_unit("cuft", 1.0, "cuft")
_unit("btu", 1.0, "btu", "btus")
_unit("seat", 1.0, "seat", "seats", "seater", "seaters", "person", "persons", "people")
_unit("pc", 1.0, "pc", "pcs", "piece", "pieces", "pce")
_unit("pk", 1.0, "pk", "pack", "packs")
_unit("light", 1.0, "light", "lights")
_unit("drawer", 1.0, "drawer", "drawers")
_unit("shelf", 1.0, "shelf", "shelves")
_unit("tier", 1.0, "tier", "tiers")
_unit("door", 1.0, "door", "doors")
_unit("burner", 1.0, "burner", "burners")
_unit("cup", 1.0, "cup", "cups")

_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_MIXED = re.compile(r"\b(\d+)(?:\s+|-)(\d+)/(\d+)\b")
_FRACTION = re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_INCH_MARK = re.compile(r"(\d(?:\.\d+)?)\s*(?:''|\"|”|″|“)")
_FOOT_MARK = re.compile(r"(\d(?:\.\d+)?)\s*(?:'|’|′)(?![a-wyz'])")
_MARK_TIMES = re.compile(r"(['\"”″’′])\s*[x×*]\s*(?=\d)")
_CUFT = re.compile(r"\bcu\s*\.?\s*(?:ft|feet|foot)\b\.?|\bcubic\s+(?:ft|feet|foot)\b")
_TIMES = re.compile(r"(\d)\s*[x×*]\s*(?=\d)")
_GLUED = re.compile(rf"(\d(?:\.\d+)?)-?({_UNIT_ALT})\b")
_WORD_NUMBER = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})[\s-]+(?=(?:{_UNIT_ALT})\b)")
_UNIT_DOT = re.compile(r"\b(in|ft|oz|lb|lbs|qt|gal|pt|yd|cu)\.")
TOKEN = re.compile(r"\d+\.\d+|[a-z0-9]+(?:['-][a-z0-9]+)*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def format_number(value: float) -> str:
    """Shortest decimal form: 0.5, 48, 1.33 (two decimals at most)."""
    return f"{round(value, 2):g}"


def _fraction_value(num: str, den: str) -> float | None:
    d = int(den)
    return int(num) / d if d in _DENOMINATORS and int(num) > 0 else None


def _mixed(m: re.Match[str]) -> str:
    frac = _fraction_value(m.group(2), m.group(3))
    return m.group(0) if frac is None or frac >= 1 else format_number(int(m.group(1)) + frac)


def _simple(m: re.Match[str]) -> str:
    value = _fraction_value(m.group(1), m.group(2))
    return m.group(0) if value is None else format_number(value)


@lru_cache(maxsize=8192)
def normalise_text(text: str) -> str:
    """Lower-case text with fractions, marks, number words and glued units spelled out."""
    t = text.lower()
    for char, frac in _UNICODE_FRACTIONS.items():
        if char in t:
            t = re.sub(rf"(\d)\s*{char}", rf"\1 {frac}", t).replace(char, f" {frac}")
    t = _THOUSANDS.sub("", t)
    t = _MIXED.sub(_mixed, t)
    t = _FRACTION.sub(_simple, t)
    t = _CUFT.sub(" cuft ", t)
    t = _MARK_TIMES.sub(r"\1 x ", t)
    t = _INCH_MARK.sub(r"\1 in ", t)
    t = _FOOT_MARK.sub(r"\1 ft ", t)
    t = _UNIT_DOT.sub(r"\1 ", t)
    t = _TIMES.sub(r"\1 x ", t)
    t = _WORD_NUMBER.sub(lambda m: _NUMBER_WORDS[m.group(1)] + " ", t)
    t = _GLUED.sub(r"\1 \2", t)
    return " ".join(t.split())


def measure_tokens(words: list[str]) -> list[str]:
    """Canonical ``<value><base>`` tokens for numbers followed by a unit in ``words``.

    A run of numbers joined by "x" shares the unit after the last one:
    "30 x 60 in" gives ``30in`` and ``60in``.
    """
    out: list[str] = []
    for i, word in enumerate(words):
        unit = _UNITS.get(word)
        if unit is None or i == 0 or not _NUMBER.fullmatch(words[i - 1]):
            continue
        base, factor = unit
        j = i - 1
        while True:
            out.append(f"{format_number(float(words[j]) * factor)}{base}")
            if j >= 2 and words[j - 1] == "x" and _NUMBER.fullmatch(words[j - 2]):
                j -= 2
            else:
                break
    return out


def is_unit(word: str) -> bool:
    return word in _UNITS
