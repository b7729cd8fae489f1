"""What a turn asks for, by deterministic rules (English and Chinese).

:func:`understand` detects the language and hands the text to
:mod:`~greencart.assistant.understand_en` or :mod:`~greencart.assistant.understand_zh`.
Both fill the same :class:`Understanding`; references to earlier turns are
resolved against the products last shown (``refs`` are indices into them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from greencart.assistant.state import EXCLUDE_KEYS
from greencart.errors import InvalidParameter, check_range

INTENTS = ("search", "compare", "ask", "greener", "select", "greet", "clarify", "unknown")
QUESTION_FIELDS = ("price", "material", "footprint", "colour", "size")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Understanding:
    intent: str = "search"
    lang: str = "en"
    query: str = ""  # free-text need, without budget and reference words
    category: str | None = None
    product_type: str | None = None
    max_price: float | None = None
    min_price: float | None = None
    cheaper: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    quantity: int | None = None
    eco: bool = False
    refs: list[int] = field(default_factory=list)  # indices into the last shown products
    ref_colour: str | None = None  # "the white one"
    question: str | None = None  # a QUESTION_FIELDS entry when intent == "ask"
    vague: bool = False
    confidence: float = 0.0
    # what the shopper ruled out: "colour"/"material"/"category"/"type"/"word" -> values ("not red")
    exclude: dict[str, list[str]] = field(default_factory=dict)
    unexplained: list[str] = field(default_factory=list)  # words no rule or catalogue word accounts for
    suggestions: dict[str, str] = field(default_factory=dict)  # typo -> the catalogue word it may mean

    def __post_init__(self) -> None:
        if self.intent not in INTENTS:
            raise InvalidParameter(f"Expected intent in {INTENTS}, got {self.intent!r}")
        if self.question is not None and self.question not in QUESTION_FIELDS:
            raise InvalidParameter(f"Expected question in {QUESTION_FIELDS}, got {self.question!r}")
        check_range("confidence", self.confidence, 0.0, 1.0)
        bad = set(self.exclude) - set(EXCLUDE_KEYS)
        if bad:
            raise InvalidParameter(f"Expected exclude keys in {EXCLUDE_KEYS}, got {sorted(bad)}")

    def add_exclusion(self, key: str, value: str) -> None:
        values = self.exclude.setdefault(key, [])
        if value not in values:
            values.append(value)

    @property
    def has_need(self) -> bool:
        return bool(self.query or self.category or self.product_type)

    @property
    def has_modifiers(self) -> bool:
        return bool(self.max_price is not None or self.min_price is not None or self.cheaper
                    or self.attributes or self.eco or self.quantity or self.exclude)

    def signature(self) -> tuple[Any, ...]:
        """Everything but the English free text: two turns with equal signatures ask the same thing (the
        cache's English embedder compares the rest). A Chinese turn's need words are part of it: that
        embedder cannot tell 灯笼 from 门垫."""
        return (self.intent, self.lang, self.category, self.product_type, self.max_price, self.min_price,
                self.cheaper, tuple(sorted(self.attributes.items())), self.quantity, self.eco,
                tuple(self.refs), self.ref_colour, self.question,
                tuple(sorted((k, tuple(v)) for k, v in self.exclude.items())), tuple(sorted(self.suggestions.items())),
                self.query if self.lang == "zh" else None)


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def _base_confidence(u: Understanding) -> float:
    """How sure the rules are: a known type or category, or a resolved reference, is sure."""
    if u.intent in ("greet", "compare", "ask", "greener", "select") and (u.refs or u.intent == "greet"):
        return 0.95
    if u.product_type or u.category:
        return 0.9
    if u.intent == "search" and u.has_modifiers and not u.query:
        return 0.8  # a refinement of the need already in the state
    if u.query and not u.vague:
        return 0.6
    if u.vague:
        return 0.3
    return 0.1


UNEXPLAINED_CONFIDENCE = 0.45  # below the router's default 0.5: a better tier, or one question


def score_confidence(u: Understanding) -> float:
    """The rules' confidence, at most :data:`UNEXPLAINED_CONFIDENCE` when some word was left unexplained
    (a "not" no rule read, a word neither the rules nor the catalogue know, a guessed spelling)."""
    base = _base_confidence(u)
    if u.unexplained or u.suggestions:
        return min(base, UNEXPLAINED_CONFIDENCE)
    return base


def resolve_colour_ref(u: Understanding, shown: list[dict[str, Any]]) -> None:
    """'the white one': the first shown product of that colour becomes the reference."""
    if u.ref_colour is None or u.refs:
        return
    for i, card in enumerate(shown):
        attrs = card.get("attributes", {})
        if str(attrs.get("colour", attrs.get("color", ""))).strip().casefold() == u.ref_colour:
            u.refs = [i]
            return
    # nothing shown in that colour: treat it as a refinement
    u.attributes.setdefault("colour", u.ref_colour)
    u.ref_colour = None
    if u.intent == "select":
        u.intent = "search"


def finish(u: Understanding, shown: list[dict[str, Any]]) -> Understanding:
    """Shared last steps: references against what was shown, the intent, the confidence."""
    n = len(shown)
    u.refs = [n + i if i < 0 else i for i in u.refs if -n <= i < n] if n else []
    resolve_colour_ref(u, shown)
    if u.intent in ("compare",) and not u.refs and n >= 2:
        u.refs = [0, 1]
    if u.intent in ("ask", "greener", "select") and not u.refs and n:
        u.refs = [0] if u.intent != "select" else []
    if u.intent == "search" and not u.has_need and not u.has_modifiers and not shown:
        u.vague = True
    u.confidence = score_confidence(u)
    return u


def understand(text: str, shown: list[dict[str, Any]] | None = None, *, focus: int | None = None,
               vocab: Any = None) -> Understanding:
    """Parse one shopper turn; ``shown`` are the product cards of the previous answer; ``vocab``
    (a :class:`~greencart.catalog.vocabulary.CatalogVocabulary`) is the catalogue's own words, for
    spelling, spacing, Chinese nouns over English titles and the words nothing explains."""
    from greencart.assistant import understand_en, understand_zh

    shown = shown or []
    u = understand_zh.parse(text, vocab) if is_chinese(text) else understand_en.parse(text, vocab)
    if focus is not None and u.intent in ("ask", "greener") and not u.refs and 0 <= focus < len(shown):
        u.refs = [focus]
    return finish(u, shown)


@dataclass(frozen=True)
class IntentPatterns:
    """A language's patterns for the turn's intent (greet, compare, greener, ask)."""

    greet: re.Pattern[str]
    compare: re.Pattern[str]
    greener: re.Pattern[str]
    ask: tuple[tuple[str, re.Pattern[str]], ...]


def classify_intent(t: str, u: Understanding, patterns: IntentPatterns) -> None:
    """Set ``u.intent`` (and ``u.question`` for questions) from the first pattern that matches."""
    if patterns.greet.match(t.strip()):
        u.intent = "greet"
    elif patterns.compare.search(t):
        u.intent = "compare"
    elif patterns.greener.search(t):
        u.intent = "greener"
    else:
        for name, pattern in patterns.ask:
            if pattern.search(t):
                u.intent, u.question = "ask", name
                return


def find_need(t: str, u: Understanding, types: dict[str, Any], categories: dict[str, str], *,
              word_boundary: bool, prefer_last: bool, category_mark: str = " ") -> str:
    """Set the product type (and its category), else a category, from the longest
    lexicon match; returns the text with the matched words cut out (a category's
    replaced by ``category_mark``, so the caller can see what phrase it stood in)."""
    from greencart.assistant import lexicon as lx

    matches = lx.longest_matches(t, types, word_boundary=word_boundary)
    for start, end, key in (reversed(matches) if prefer_last else matches):
        entry = types[key]
        u.product_type, u.category = entry.name, entry.category
        return t[:start] + " " + t[end:]
    for start, end, key in lx.longest_matches(t, categories, word_boundary=word_boundary):
        u.category = categories[key]
        return t[:start] + category_mark + t[end:]
    return t


def cut(text: str, m: re.Match[str]) -> str:
    """``text`` with the match replaced by a space (so neighbouring words stay apart)."""
    return text[:m.start()] + " " + text[m.end():]


def bare_budget_and_cheaper(t: str, u: Understanding, bare: re.Pattern[str], cheaper: re.Pattern[str]) -> str:
    """The end of budget parsing in every language: a bare number is a maximum when no
    bound was given; "cheaper" asks for less than the reference when no maximum was."""
    if u.max_price is None and u.min_price is None and (m := bare.search(t)):
        u.max_price = float(m.group(1) or m.group(2))
        t = cut(t, m)
    if m := cheaper.search(t):
        u.cheaper = u.max_price is None
        t = cut(t, m)
    return t
