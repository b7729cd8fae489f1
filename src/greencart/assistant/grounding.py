"""Is a reply grounded in the tool results? Used on every language-model reply.

A reply is grounded when every number it states (prices, footprints, savings,
counts) equals a number in the tool results at the precision the reply uses,
and every product id (or, given ``catalogue_titles``, product title) it names
is one the tools returned. A rejected reply is replaced by the template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w.])|(?<![A-Za-z0-9.])\d+(?:\.\d+)?")
_UNIT_WORDS = re.compile(r"CO2e?|CO₂e?|PM2\.5|kgCO2e", re.IGNORECASE)
_PRODUCT_ID = re.compile(r"\b[A-Z]{1,5}-?\d{1,10}\b")


@dataclass(frozen=True)
class GroundingReport:
    ok: bool
    unknown_numbers: list[str] = field(default_factory=list)
    unknown_products: list[str] = field(default_factory=list)

    def reason(self) -> str:
        bits = []
        if self.unknown_numbers:
            bits.append(f"figures not in the tool results: {', '.join(self.unknown_numbers)}")
        if self.unknown_products:
            bits.append(f"products not in the tool results: {', '.join(self.unknown_products)}")
        return "; ".join(bits) or "grounded"


def _walk(obj: Any, numbers: list[float], strings: list[str]) -> None:
    if isinstance(obj, bool) or obj is None:
        return
    if isinstance(obj, (int, float)):
        numbers.append(float(obj))
    elif isinstance(obj, str):
        strings.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk(k, numbers, strings) if isinstance(k, str) else None
            _walk(v, numbers, strings)
    elif isinstance(obj, (list, tuple, set)):
        for v in obj:
            _walk(v, numbers, strings)
    elif hasattr(obj, "to_dict"):
        _walk(obj.to_dict(), numbers, strings)


def extract_numbers(text: str) -> list[str]:
    return _NUMBER.findall(_UNIT_WORDS.sub(" ", text))


def _value(token: str) -> tuple[float, int]:
    clean = token.replace(",", "")
    decimals = len(clean.split(".")[1]) if "." in clean else 0
    return float(clean), decimals


def _known(token: str, numbers: list[float], string_numbers: set[str]) -> bool:
    if token in string_numbers:
        return True
    value, decimals = _value(token)
    return any(abs(round(n, decimals) - value) < 1e-9 for n in numbers)


def check_grounded(reply: str, tool_results: Iterable[Any], *,
                   catalogue_titles: Iterable[str] = ()) -> GroundingReport:
    """Reject a reply that states a number, product id or catalogue title that no tool returned."""
    numbers: list[float] = []
    strings: list[str] = []
    _walk(list(tool_results), numbers, strings)
    string_numbers = {t for s in strings for t in extract_numbers(s)}
    unknown_numbers = [t for t in extract_numbers(reply) if not _known(t, numbers, string_numbers)]
    known_text = "\n".join(strings)
    unknown_products = [t for t in _PRODUCT_ID.findall(reply) if t not in known_text]
    unknown_products += _unreturned_titles(reply, strings, catalogue_titles)
    return GroundingReport(not unknown_numbers and not unknown_products, unknown_numbers, unknown_products)


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _unreturned_titles(reply: str, strings: list[str], catalogue_titles: Iterable[str]) -> list[str]:
    """Catalogue titles the reply names that no tool returned. An occurrence inside a returned
    title the reply names is part of that title ("Bands, Blue" inside "Corefit Bands, Blue"),
    not a second product."""
    text = reply.casefold()
    returned = {s.casefold() for s in strings if s}
    hits = [t for t in catalogue_titles if t and t.casefold() in text and t.casefold() not in returned]
    if not hits:
        return []
    covered = [span for r in returned if len(r) > 1 and r in text for span in _spans(text, r)]
    out = []
    for t in hits:
        if any(not any(a <= s and e <= b for a, b in covered) for s, e in _spans(text, t.casefold())):
            out.append(t)
    return out
