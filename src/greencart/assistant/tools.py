"""The assistant's tools: search with hard filters, personalise, eco re-rank,
compare, product facts, greener swap. Every figure a reply shows comes from here.

Tools read the catalogue through the :class:`~greencart.assistant.ports.Catalogue`
protocol and the recommender through :class:`~greencart.assistant.ports.Recommender`
(optional: without a trained model, personalisation is skipped and the swap falls
back to a same-category search). Products are :class:`~greencart.assistant.ports.Card`
(kept as their dicts in the dialogue state); an unknown footprint stays None.
Eco re-ranking is the one of :mod:`greencart.recommend.rerank` (same convention as the
recommendations endpoint and the greener swaps).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from greencart.assistant.ports import CARD_KEYS, PUBLIC_KEYS, Card, Catalogue, Recommender
from greencart.assistant.state import Constraints
from greencart.errors import GreencartError, check_range
from greencart.recommend.rerank import GreenScale, alpha_from_eco, eco_order, known_footprint

log = logging.getLogger(__name__)
MAX_CANDIDATES = 100
__all__ = ["CARD_KEYS", "PUBLIC_KEYS", "Tools", "card_dict", "public_product"]


def card_dict(card: Any) -> dict[str, Any]:
    """A ProductCard (or a Card, or its dict) as the plain dict the assistant keeps and shows."""
    return Card.of(card).to_dict()


def public_product(card: dict[str, Any]) -> dict[str, Any]:
    return {k: card.get(k) for k in PUBLIC_KEYS}


# Attributes a product without that attribute can still show in its title ("Blue Polkadot Bowl"
# in a catalogue with no colour column): the word in the title satisfies them, nothing else does.
TITLE_WORD_KEYS = ("colour", "material", "condition")
_TITLE_SYNONYMS = {"grey": ("grey", "gray"), "multicolour": ("multicolour", "multicolor", "multicoloured"),
                   "pre-owned": ("pre-owned", "preowned", "used", "second-hand"),
                   "aluminium": ("aluminium", "aluminum")}


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    """A word or phrase of a title, its last word singular or plural ("stick": "Sticks", not "Stickers")."""
    w = word.strip().casefold()
    stems = {w}
    if w.endswith("ies") and len(w) > 4:
        stems.add(w[:-3] + "y")
    elif w.endswith(("ses", "xes", "zes", "ches", "shes")) and len(w) > 4:
        stems.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        stems.add(w[:-1])
    forms = set()
    for stem in stems:
        e = re.escape(stem)
        forms.add(rf"{e}(?:s|es)?")
        if stem.endswith("y"):
            forms.add(re.escape(stem[:-1]) + "ies")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(forms))})(?![\w-])")


def title_has(word: str, title: str) -> bool:
    """``word`` (a word or phrase; its last word in singular or plural) as whole words of ``title``."""
    return bool(word.strip()) and _word_pattern(word).search(title.casefold()) is not None


def _attribute_in_title(key: str, value: str, title: str) -> bool:
    v = value.strip().casefold()
    return key in TITLE_WORD_KEYS and any(title_has(w, title) for w in _TITLE_SYNONYMS.get(v, (v,)))


def satisfies(card: dict[str, Any], c: Constraints) -> bool:
    """Hard constraints, checked again after search (defence in depth). An attribute the product
    does not list is met only by its word in the title (colour, material, condition)."""
    price = float(card["price"])
    if c.max_price is not None and price > c.max_price + 1e-9:
        return False
    if c.min_price is not None and price < c.min_price - 1e-9:
        return False
    from greencart.catalog.search.filters import normalise_key

    attrs = {normalise_key(k): str(v).strip().casefold() for k, v in (card.get("attributes") or {}).items()}
    for k, v in c.attributes.items():
        key = normalise_key(k)
        have = attrs.get(key, "")
        if have:
            if have != v.strip().casefold():
                return False
        elif not _attribute_in_title(key, v, str(card.get("title") or "")):
            return False
    return not excluded(card, c, attrs)


def excluded(card: dict[str, Any], c: Constraints, attrs: dict[str, str]) -> bool:
    """Whether the card shows something the shopper ruled out: the value as its attribute, or its word
    in the title (a "Red Retrospot" bag is red to the shopper whatever its colour column says)."""
    title = str(card.get("title") or "")
    for key, values in c.exclude.items():
        for v in values:
            value = v.strip().casefold()
            if key == "category":
                from greencart.catalog.search.filters import normalise_category

                if normalise_category(str(card.get("category") or "")) == normalise_category(value):
                    return True
            elif attrs.get("type" if key == "word" else key, "") == value or title_has(value, title) \
                    or _attribute_in_title(key, value, title):
                return True
    return False


def need_word(c: Constraints) -> str | None:
    """The head noun of a free-text need (the last word of the query: English compounds are
    head-final, and the understanding keeps only the need's own phrase), which every result's
    title must carry when no product type was recognised; None for a vague or non-English need."""
    from greencart.assistant.lexicon import EN_VAGUE

    if c.product_type or not c.query:
        return None
    words = re.findall(r"[a-z][a-z'-]*[a-z]|[\u3400-\u9fff]+", c.query.casefold())
    if not words or not words[-1].isascii() or words[-1] in EN_VAGUE:
        return None
    return words[-1]


def query_text(c: Constraints) -> str:
    from greencart.catalog.categories import BY_SLUG

    parts = [c.attributes.get("colour", ""), c.attributes.get("material", ""), c.product_type or "", c.query]
    text = " ".join(p for p in parts if p).strip()
    if not text and c.category:
        cat = BY_SLUG.get(c.category)
        text = cat.name_en if cat else c.category
    return text or "popular"


def _more_words_first(found: list[dict[str, Any]], c: Constraints) -> list[dict[str, Any]]:
    """Titles with more of the free-text need's words first ("wooden heart decorations": the
    wooden ones before other heart decorations); stable, so the search's order breaks ties."""
    words = [w for w in re.findall(r"[a-z][a-z'-]*[a-z]", c.query.casefold()) if len(w) > 2]
    if len(words) < 2:
        return found
    return sorted(found, key=lambda d: -sum(title_has(w, str(d.get("title") or "")) for w in words))


class Tools:
    def __init__(self, catalog: Catalogue, recommender: Recommender | None = None, *, candidates: int = 30) -> None:
        check_range("candidates", candidates, 1, 100)
        self.catalog = catalog
        self.recommender = recommender
        self.candidates = candidates
        self._scale: tuple[list[tuple[str, float, float, float]], GreenScale] | None = None

    # -- search ------------------------------------------------------------------
    def _labelled_keys(self) -> set[str] | None:
        """Attribute keys the catalogue labels on some product (None: unknown, assume all)."""
        try:
            columns = self.catalog.index().columns.attributes
        except (AttributeError, TypeError):
            return None
        cached = getattr(self, "_labelled", None)
        if cached is not None and cached[0] is columns:
            return cached[1]
        keys = {k for k, col in columns.items() if bool((col != "").any())}
        self._labelled = (columns, keys)
        return keys

    def _filters(self, c: Constraints, *, with_type: bool, with_category: bool,
                 labelled: set[str] | None = None) -> Any:
        from greencart.catalog.search import SearchFilters
        from greencart.catalog.search.filters import normalise_key

        # an attribute no product carries cannot filter the index: it is checked on the title instead
        attrs = {k: v for k, v in c.attributes.items()
                 if labelled is None or normalise_key(k) in labelled or normalise_key(k) not in TITLE_WORD_KEYS}
        if with_type and c.product_type:
            attrs["type"] = c.product_type
        exclude = {("type" if k == "word" else k): tuple(v) for k, v in c.exclude.items() if v}
        return SearchFilters(max_price=c.max_price, min_price=c.min_price,
                             category=c.category if with_category else None, attributes=attrs, exclude=exclude)

    def search(self, c: Constraints, *, need_in_title: bool = True) -> list[dict[str, Any]]:
        """Candidates satisfying every hard filter. The product type and category the
        rules inferred are tried as filters first, then relaxed to ranking words (an
        imported catalogue may not label them); budget and attributes never relax (an
        attribute the catalogue does not label must be a word of the title). A relaxed
        type, and the head noun of a free-text need, must be a word of the title."""
        from greencart.catalog.search.filters import normalise_key

        text = query_text(c)
        labelled = self._labelled_keys() if any(normalise_key(k) in TITLE_WORD_KEYS for k in c.attributes) else None
        need = need_word(c) if need_in_title else None
        plans = [(True, True)] + [(False, True)] * bool(c.product_type) + [(False, False)] * bool(c.category)
        for with_type, with_category in plans:
            flt = self._filters(c, with_type=with_type, with_category=with_category, labelled=labelled)
            words = [w for w in (None if with_type else c.product_type, need) if w]
            found = self._candidates(text, flt, c, words)
            if found:
                return found
        return []

    def _candidates(self, text: str, flt: Any, c: Constraints, words: list[str]) -> list[dict[str, Any]]:
        k = self.candidates
        while True:
            cards = self.catalog.search(text, flt, k=k)
            found = [d for d in map(card_dict, cards) if satisfies(d, c)
                     and all(title_has(w, str(d.get("title") or "")) for w in words)]
            if found or len(cards) < k or k >= MAX_CANDIDATES:
                return _more_words_first(found, c) if words else found
            k = MAX_CANDIDATES  # the words may rank lower: one wider look before "nothing"

    # -- personalise and re-rank ---------------------------------------------------------
    def personalise(self, user_id: str | None, cards: list[dict[str, Any]], c: Constraints) -> bool:
        """Move the shopper's recommended products up (stable otherwise); True if applied."""
        if not user_id or self.recommender is None or not cards:
            return False
        try:
            recs = self.recommender.recommend(user_id, 100, category=c.category, max_price=c.max_price)
        except (GreencartError, OSError) as exc:
            log.debug("No personalisation for %s: %s", user_id, exc)
            return False
        rank = {r.id: i for i, r in enumerate(recs)}
        if not any(card["id"] in rank for card in cards):
            return False
        cards.sort(key=lambda card: (card["id"] not in rank, rank.get(card["id"], 0)))
        return True

    def green_scale(self) -> GreenScale:
        """The greenness scale of the whole catalogue (per category), the reference the
        recommendations endpoint uses too; rebuilt when the catalogue's footprints change."""
        rows = self.catalog.category_footprints()
        if self._scale is None or self._scale[0] is not rows:
            self._scale = (rows, GreenScale.from_rows(rows))
        return self._scale[1]

    def eco_rerank(self, cards: list[dict[str, Any]], eco_weight: float) -> list[dict[str, Any]]:
        """Blend rank (relevance) with greenness by ``eco_weight`` (0 = relevance only, 1 =
        greenest first): :func:`greencart.recommend.rerank.eco_order` with alpha = 1 - eco.
        An unknown footprint is neutral, never the greenest."""
        alpha = alpha_from_eco(eco_weight)
        if len(cards) < 2 or alpha >= 1.0:
            return cards
        return [cards[i] for i in eco_order(cards, alpha, self.green_scale())]

    # -- facts, comparison, swap ------------------------------------------------------
    def product(self, product_id: str) -> dict[str, Any]:
        return card_dict(self.catalog.product(product_id))

    @staticmethod
    def compare(cards: list[dict[str, Any]]) -> dict[str, Any]:
        """Cheapest and lowest footprint; products whose footprint is unknown are not ranked on
        it (``lowest_footprint`` None when fewer than two are known)."""
        by_price = sorted(cards, key=lambda c: float(c["price"]))
        known = [c for c in cards if known_footprint(c.get("footprint_kg_co2e")) is not None]
        by_fp = sorted(known, key=lambda c: float(c["footprint_kg_co2e"]))
        two = len(by_fp) >= 2
        return {
            "products": [c["id"] for c in cards],
            "cheapest": by_price[0]["id"],
            "price_difference": round(float(by_price[-1]["price"]) - float(by_price[0]["price"]), 2),
            "lowest_footprint": by_fp[0]["id"] if two else None,
            "footprint_difference_kg_co2e": round(float(by_fp[-1]["footprint_kg_co2e"])
                                                  - float(by_fp[0]["footprint_kg_co2e"]), 3) if two else None,
        }

    def greener(self, card: dict[str, Any], max_price: float | None = None) -> dict[str, Any] | None:
        """The best lower-footprint swap: {"swap": card, "saving_kg_co2e": x, "source": ...} or None."""
        if self.recommender is not None:
            try:
                swaps = self.recommender.greener(card["id"], 3, max_price=max_price)
            except (GreencartError, OSError) as exc:
                log.debug("Recommender swap unavailable: %s", exc)
                swaps = None
            if swaps:
                best = swaps[0]
                return {"swap": self.product(best.id), "saving_kg_co2e": round(best.saving_kg_co2e, 3),
                        "source": "recommender"}
            if swaps is not None:
                return None
        return self._greener_by_search(card, max_price)

    def _greener_by_search(self, card: dict[str, Any], max_price: float | None) -> dict[str, Any] | None:
        attrs = card.get("attributes") or {}
        c = Constraints(query=str(attrs.get("type") or card["title"]), category=card.get("category"),
                        product_type=attrs.get("type"), max_price=max_price)
        own = known_footprint(card.get("footprint_kg_co2e"))
        if own is None:  # no figure to be greener than
            return None
        pool = [x for x in self.search(c, need_in_title=False) if x["id"] != card["id"]
                and (kg := known_footprint(x.get("footprint_kg_co2e"))) is not None and kg < own]
        if not pool:
            return None
        best = min(pool, key=lambda x: float(x["footprint_kg_co2e"]))
        return {"swap": best, "saving_kg_co2e": round(own - float(best["footprint_kg_co2e"]), 3),
                "source": "search"}

    def recommend_for(self, user_id: str, c: Constraints, k: int) -> list[dict[str, Any]]:
        """The recommender's top-k for a known shopper within the constraints ([] without a model)."""
        if self.recommender is None:
            return []
        try:
            recs = self.recommender.recommend(user_id, k * 4, category=c.category, max_price=c.max_price)
        except (GreencartError, OSError) as exc:
            log.debug("No recommendations for %s: %s", user_id, exc)
            return []
        cards = [self.product(r.id) for r in recs]
        return [card for card in cards if satisfies(card, c)][:k]
