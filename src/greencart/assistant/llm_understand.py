"""Language-model understanding for turns the rules could not parse.

The model is asked for one JSON object of need fields (:data:`NEED_FIELDS`) under a
JSON schema (llama.cpp makes it a grammar; a remote server may ignore it). Nothing
it says is trusted: :func:`validate_need` keeps ``category`` / ``product_type`` only
from the catalogue vocabulary (``lexicon``) and only when they agree; ``colour`` /
``material`` / ``size`` (hard filters) only from the vocabulary *and* written in the
shopper's text; prices only if the shopper wrote that number; ``eco`` only with an
eco word; ``query`` words only from the text or the vocabulary; unknown keys never.
When the shopper named no need at all (a vague turn) a category or type must also
share a word stem with the text: SmolLM2-135M otherwise picks one at random where
the rules would ask a question. :func:`merge_need` fills what the rules left empty
and raises the confidence only for validated fields; the tools then act on it as on
the rules' understanding.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from greencart.assistant import lexicon as lx
from greencart.assistant.grounding import extract_numbers
from greencart.assistant.llm import LLMBackend, LLMReply, parse_json_object
from greencart.assistant.understand import Understanding, is_chinese
from greencart.errors import GreencartError

NEED_FIELDS = ("query", "category", "product_type", "min_price", "max_price", "colour", "material", "size", "eco")
MAX_QUERY_WORDS = 6
_ECO_STEMS = ("eco", "green", "sustainab", "environment", "planet", "carbon", "climate", "recycl", "organic",
              "环保", "低碳", "可持续", "绿色")
_SIZES = {s: s for s in lx.APPAREL_SIZES}

SYSTEM = ("You turn a shopper's message into a JSON object describing what they want to buy. "
          "Use only these keys: query (a few search words), category, product_type, min_price, max_price, "
          "colour, material, size, eco (true if they care about the environment). "
          "Leave out every key the message does not mention. Never invent a price. Reply with JSON only.")


@lru_cache(maxsize=1)
def need_schema() -> dict[str, Any]:
    """The JSON schema of the need object, its enums from the rules' vocabulary (``lexicon``)."""
    def enum(values: Any) -> dict[str, Any]:
        return {"type": "string", "enum": sorted(set(values))}

    return {"type": "object", "additionalProperties": False, "properties": {
        "query": {"type": "string", "maxLength": 60}, "category": enum(lx.categories_en().values()),
        "product_type": enum(e.name for e in lx.types_en().values()),
        "min_price": {"type": "number"}, "max_price": {"type": "number"}, "colour": enum(lx.colours_en().values()),
        "material": enum(lx.materials_en().values()), "size": enum(lx.APPAREL_SIZES), "eco": {"type": "boolean"}}}


# A few examples keep a small model's answers short (SmolLM2-135M otherwise fills every key).
EXAMPLES = (("a waterproof coat for walking in the rain", {"product_type": "rain jacket", "category": "apparel"}),
            ("I need a present", {}),
            ("a red mug under 10 pounds", {"category": "kitchen", "colour": "red", "max_price": 10}))


def understanding_messages(text: str) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": SYSTEM}]
    for said, need in EXAMPLES:
        messages += [{"role": "user", "content": said}, {"role": "assistant", "content": json.dumps(need)}]
    return [*messages, {"role": "user", "content": text[:500]}]


@dataclass(frozen=True)
class NeedValidation:
    accepted: dict[str, Any] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)  # field -> why


def _in_text(words: list[str], text: str) -> bool:
    t = text.casefold()
    return any((w in text) if is_chinese(w) else bool(re.search(rf"(?<![\w'-]){re.escape(w.casefold())}(?![\w-])", t))
               for w in words)


def _vocab(name: str) -> tuple[dict[str, str], dict[str, str]]:
    if name == "colour":
        return lx.colours_en(), lx.colours_zh()
    if name == "material":
        return lx.materials_en(), lx.materials_zh()
    sizes = {**{f"size {s.casefold()}": s for s in lx.APPAREL_SIZES}, **lx.WORD_SIZES}
    return {**_SIZES, **sizes}, {f"{s}码": s for s in lx.APPAREL_SIZES}


def _check_attribute(name: str, value: Any, text: str) -> str | None:
    """The attribute value when it is in the vocabulary and the shopper wrote it."""
    en, zh = _vocab(name)
    key = str(value).strip()
    canonical = en.get(key.casefold()) or en.get(key) or zh.get(key)
    if canonical is None:
        raise ValueError(f"not in the catalogue's {name} vocabulary")
    evidence = [k for k, v in [*en.items(), *zh.items()] if v == canonical and (name != "size" or k not in _SIZES)]
    if not _in_text(evidence, text):
        raise ValueError(f"{canonical!r} is not in the shopper's text")
    if _negated(evidence, text):
        raise ValueError(f"the shopper ruled {canonical!r} out")
    return canonical


_NEGATION = re.compile(r"\b(?:not|no|non|never|except|without|excluding|other than|apart from|anything but|"
                       r"don'?t|do not|isn'?t|aren'?t|hate|avoid)\b[\w\s,'-]{0,20}$|(?:不要|别要|不想要|除了|不是|非|别)\s*$")


def _negated(words: list[str], text: str) -> bool:
    """Whether every mention of the value follows a negation ("not red", "不要红色"): the model must not
    turn an exclusion into the thing asked for."""
    t = text.casefold()
    spans = [m.start() for w in words if w for m in re.finditer(re.escape(w.casefold()), t)]
    return bool(spans) and all(_NEGATION.search(t[max(0, i - 30):i]) for i in spans)


def _check_price(name: str, value: Any, text: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError("not a number")
    price = float(value)
    if not 0 <= price < 1e7 or not any(abs(float(n.replace(",", "")) - price) < 1e-9 for n in extract_numbers(text)):
        raise ValueError(f"{price:g} is not a number the shopper wrote")
    return price


def _supported(text: str, names: list[str]) -> bool:
    """Some word of the shopper's text shares its first 4 letters with a word of ``names``."""
    said = {w[:4] for w in re.findall(r"[a-z]{3,}", text.casefold()) if w not in lx.EN_STOPWORDS}
    return any(w[:4] in said for name in names for w in re.findall(r"[a-z]{3,}", name.casefold()))


def _need_names(accepted: dict[str, Any]) -> list[str]:
    from greencart.catalog.categories import BY_SLUG

    names = [k for k, v in lx.types_en().items() if v.name == accepted.get("product_type")]
    category = BY_SLUG.get(accepted.get("category", ""))
    return names + ([category.slug, category.name_en] if category else [])


def _check_need(raw: dict[str, Any], accepted: dict[str, Any], rejected: dict[str, str]) -> None:
    types, cats = lx.types_en(), set(lx.categories_en().values())
    if "product_type" in raw:
        entry = types.get(str(raw["product_type"]).strip().casefold())
        if entry is None:
            rejected["product_type"] = "not a product type of the catalogue vocabulary"
        else:
            accepted["product_type"], accepted["category"] = entry.name, entry.category
    if "category" in raw:
        slug = str(raw["category"]).strip().casefold()
        slug = lx.categories_en().get(slug.replace("-", " "), slug)
        if slug not in cats:
            rejected["category"] = "not a category slug of the catalogue vocabulary"
        elif accepted.get("category", slug) != slug:  # a type of another category: noise, keep neither
            rejected["category"] = rejected["product_type"] = f"type {accepted['product_type']!r} is not in {slug!r}"
            del accepted["product_type"], accepted["category"]
        else:
            accepted["category"] = slug


def _check_query(name: str, value: Any, text: str) -> str:
    words = re.findall(r"[a-z][a-z'-]*|[\u3400-\u9fff]+", str(value).casefold())
    vocab = set(lx.types_en()) | set(lx.categories_en())
    kept = [w for w in words if (w in vocab or _in_text([w], text)) and w not in lx.EN_STOPWORDS]
    if not kept:
        raise ValueError("no word of the shopper's text or of the catalogue vocabulary")
    return " ".join(dict.fromkeys(kept[:MAX_QUERY_WORDS]))


def validate_need(raw: dict[str, Any], shopper_text: str, *, need_support: bool = False) -> NeedValidation:
    """Keep only the fields that pass the checks in this module's docstring. With
    ``need_support`` (the shopper named no need at all), a category or product type must
    also share a word stem with the shopper's text."""
    accepted: dict[str, Any] = {}
    rejected = {str(k)[:40]: "unknown key" for k in raw if k not in NEED_FIELDS}
    present = {k: v for k, v in raw.items() if k in NEED_FIELDS and v not in (None, "", [], {})}
    _check_need(present, accepted, rejected)
    if need_support and accepted and not _supported(shopper_text, _need_names(accepted)):
        for name in ("product_type", "category"):
            if accepted.pop(name, None) is not None:
                rejected[name] = "no word of the shopper's text supports it (they named no need)"
    for name in ("colour", "material", "size", "min_price", "max_price", "query"):
        check = _check_price if name.endswith("price") else _check_query if name == "query" else _check_attribute
        if name in present:
            try:
                accepted[name] = check(name, present[name], shopper_text)
            except (ValueError, TypeError) as exc:
                rejected[name] = str(exc)
    if present.get("eco") is True and any(stem in shopper_text.casefold() for stem in _ECO_STEMS):
        accepted["eco"] = True
    elif "eco" in present:
        rejected["eco"] = "no eco word in the shopper's text"
    lo, hi = accepted.get("min_price"), accepted.get("max_price")
    if lo is not None and hi is not None and lo >= hi:  # swapped, or one number read as both bounds
        accepted["max_price"] = accepted.pop("min_price")
        accepted.update({"min_price": hi} if lo > hi else {})
    return NeedValidation(accepted, rejected)


def merge_need(u: Understanding, accepted: dict[str, Any]) -> Understanding:
    """A copy of ``u`` with the validated fields it lacked; confidence rises per field used."""
    out = replace(u, attributes=dict(u.attributes), refs=list(u.refs), exclude={k: list(v) for k, v in u.exclude.items()},
                  unexplained=list(u.unexplained), suggestions=dict(u.suggestions))
    used: list[str] = []
    if accepted.get("product_type") and not out.product_type:
        out.product_type, out.category = accepted["product_type"], accepted["category"]
        used.append("product_type")
    elif accepted.get("category") and not out.category and not out.product_type:
        out.category = accepted["category"]
        used.append("category")
    if out.min_price is None and out.max_price is None:  # the rules' budget, when they found one, stands
        for name in ("min_price", "max_price"):
            if accepted.get(name) is not None:
                setattr(out, name, accepted[name])
                used.append(name)
    for name in ("colour", "material", "size"):
        if accepted.get(name) and name not in out.attributes and accepted[name] not in out.exclude.get(name, []):
            out.attributes[name] = accepted[name]
            used.append(name)
    if accepted.get("eco") and not out.eco:
        out.eco = True
        used.append("eco")
    if accepted.get("query") and not out.query:
        out.query = accepted["query"]
        used.append("query")
    if not used:
        return out
    need = "product_type" in used or "category" in used
    if need and out.vague:  # the vague words ("a present") are no search terms
        out.query = accepted.get("query", "")
    if out.intent in ("search", "clarify", "unknown"):
        out.intent, out.vague = "search", False
    out.confidence = max(u.confidence, 0.75 if need else min(0.7, u.confidence + 0.1 * len(used)))
    return out


@dataclass
class UnderstandAttempt:
    understanding: Understanding | None  # None: nothing usable, keep the rules' understanding
    reply: LLMReply | None
    validation: NeedValidation | None
    notes: list[str] = field(default_factory=list)


class LLMUnderstander:
    """Asks a backend for the need as JSON, validates it and merges it into the rules' result."""

    def __init__(self, *, max_tokens: int = 64) -> None:
        self.max_tokens = max_tokens

    def estimate_energy_j(self, text: str, backend: LLMBackend) -> float:
        prompt_chars = len(json.dumps(understanding_messages(text[:500])))
        return backend.estimate_energy_j(prompt_chars, self.max_tokens)

    def understand(self, text: str, rules: Understanding, backend: LLMBackend) -> UnderstandAttempt:
        try:
            reply = backend.complete(understanding_messages(text), max_tokens=self.max_tokens, temperature=0.0,
                                     json_schema=need_schema())
        except GreencartError as exc:
            return UnderstandAttempt(None, None, None, [f"{backend.name} understanding failed: {exc.message}"])
        raw = parse_json_object(reply.text)
        if raw is None:
            return UnderstandAttempt(None, reply, None, [f"{backend.name} understanding: no JSON object in the reply"])
        validation = validate_need(raw, text, need_support=rules.vague or not (rules.has_need or rules.query))
        merged = merge_need(rules, validation.accepted)
        notes = [f"{backend.name} understanding rejected {k}: {why}" for k, why in sorted(validation.rejected.items())]
        if merged.confidence <= rules.confidence and merged.signature() == rules.signature():
            notes.append(f"{backend.name} understanding: no field validated, rules kept")
            return UnderstandAttempt(None, reply, validation, notes)
        return UnderstandAttempt(merged, reply, validation, notes)
