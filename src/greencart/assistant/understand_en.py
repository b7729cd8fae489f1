"""English rules: budget, attributes, product need, references, intent."""

from __future__ import annotations

import re

from greencart.assistant import lexicon as lx
from greencart.assistant.numbers import english_digits
from greencart.assistant.understand import (
    IntentPatterns,
    Understanding,
    bare_budget_and_cheaper,
    classify_intent,
    cut,
    find_need,
)
from greencart.catalog.vocabulary import CatalogVocabulary

_NUM = r"(\d+(?:\.\d{1,2})?)"
_CUR = r"(?:£|\$|€|gbp\s*|usd\s*|eur\s*)?"
_UNIT = r"(?:\s*(?:pounds?|quid|gbp|dollars?|euros?|bucks))?"
_RANGE = re.compile(rf"(?:between\s+)?{_CUR}{_NUM}{_UNIT}\s*(?:and|to|-|–)\s*{_CUR}{_NUM}{_UNIT}")
_MAX = re.compile(rf"(?:\b(?:nothing|not|no|none)\s+(?:over|above|more than|higher than|exceeding|beyond|pricier than)"
                  rf"|\b(?:under|below|less than|up to|max(?:imum)?|at most|within|cheaper than|budget(?: of| is)?"
                  rf"|no more than|not more than|no higher than|not exceeding)|<=?)\s*{_CUR}{_NUM}{_UNIT}"
                  rf"|{_CUR}{_NUM}{_UNIT}\s*(?:max(?:imum)?|tops|at most|or less|or under|or below|or cheaper|at the most)\b")
_MIN = re.compile(rf"(?:\b(?:over|above|more than|at least|min(?:imum)?|from)|>=?)\s*{_CUR}{_NUM}{_UNIT}"
                  rf"|{_CUR}{_NUM}{_UNIT}\s*(?:min(?:imum)?|or more|or over|or above|and up|plus)\b")
_MONEY_WORDS = ((re.compile(r"\b(?:a|one)\s+tenner\b|\btenner\b"), "£10"),
                (re.compile(r"\b(?:a|one)\s+fiver\b|\bfiver\b"), "£5"))
_BARE = re.compile(rf"(?:£|\$|€){_NUM}|{_NUM}\s*(?:pounds?|quid|gbp|dollars?|euros?|bucks)\b")
_CHEAPER = re.compile(r"\b(cheaper|less expensive|lower price|more affordable|cheaper one|costs? less)\b")
_GREET = re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening)|hiya)\b[\s!.,]*$")
_COMPARE = re.compile(r"\b(compare|comparison|vs\.?|versus|difference between|side by side)\b")
_GREENER = re.compile(r"\b(greener|more eco|more sustainable|lower[- ](carbon|footprint) (alternative|option|"
                      r"version|one)|swap|alternative|something greener)\b")
_ASK = (
    ("price", re.compile(r"\b(how much|price of|cost of|what does (it|that|this) cost|what's the price)\b")),
    ("material", re.compile(r"\b(made of|made from|what material|which material|what is it made)\b")),
    ("footprint", re.compile(r"\b(footprint|carbon|co2|emissions?)\b.*\?|^(what|how|tell me|what's)\b.*"
                             r"\b(footprint|carbon|co2|emissions?)\b")),
)
_ORDINAL = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b(?:\s+(one|two|three))?")
_NUMREF = re.compile(r"(?:#|number\s+|option\s+|no\.?\s*)(\d)\b")
_PAIR = re.compile(r"\b(\d)\s*(?:and|&|vs\.?|with)\s*(\d)\b")
_COLOUR_REF = re.compile(r"\b(?:the\s+|that\s+|this\s+)?([a-z ]+?)\s+one\b")
_QTY = (re.compile(r"\b(\d{1,3})\s*(?:x|pcs|pieces|units|packs?)\b"),
        re.compile(r"\b(?:buy|need|want|get|order)\s+(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+(?!pounds?|quid)\w"))
_SIZE = re.compile(r"\bsize\s+(xxl|xl|xs|s|m|l)\b|\b(uk\s?\d{1,2})\b")


# "not red", "anything except red", "no plastic", "without a zip", "I don't want pink": what follows is
# ruled out. Strong triggers exclude any content word; weak ones ("no", "non") only a colour or a material.
_STRONG = (r"(?:that\s+|which\s+)?(?:aren'?t|isn'?t|is\s+not|are\s+not|ain'?t)|(?:please\s+)?(?:don'?t|do\s+not|dont)\s+"
           r"(?:show|give|send|recommend)(?:\s+me)?(?:\s+any)?|not|never|without|except(?:\s+for)?|excluding|exclude|other\s+than|apart\s+from|besides|avoid(?:ing)?|"
           r"anything\s+but|(?:i\s+)?(?:don'?t|do\s+not|dont)\s+(?:want|like|need|fancy)|hate|not\s+a\s+fan\s+of|"
           r"rather\s+not|please\s+no|skip")
_EXCLUDE = re.compile(rf"\b(?:(?P<strong>{_STRONG})|(?P<weak>no|non|nothing|none))\b[\s-]*"
                      r"(?P<target>(?:(?:in|made\s+of|made\s+from|any|the|a|an|of|that\s+is|that's|which\s+is|"
                      r"anything|something|too)\s+)*[a-z][a-z'-]*(?:(?:\s*,\s*|\s+(?:or|and|nor|/)\s+|\s+)"
                      r"(?:no\s+|not\s+)?[a-z][a-z'-]*){0,3})")
_TARGET_STOP = frozenset(["in", "made", "of", "from", "any", "the", "a", "an", "or", "and", "nor", "no", "not", "that",
                          "is", "that's", "which", "anything", "something", "too", "ones", "one", "coloured", "colored",
                          "colour", "color", "please", "thanks", "stuff", "things", "thing", "items"])
_QUESTION = re.compile(r"\?|^(?:what|what's|whats|how|how's|which|is|are|does|do|can|could|tell me|who|where|why)\b")
_INTENTS = IntentPatterns(_GREET, _COMPARE, _GREENER, tuple(_ASK))

def _budget(t: str, u: Understanding) -> str:
    for pattern, amount in _MONEY_WORDS:  # "under a tenner" is "under £10"
        t = pattern.sub(amount, t)
    t = re.sub(r"(£\d+(?:\.\d{1,2})?)\s*,\s*£?(\d+(?:\.\d{1,2})?)\b",
               lambda m: m.group(1) if m.group(1)[1:] == m.group(2) else m.group(0), t)  # "a tenner, £10"
    if m := _RANGE.search(t):
        lo, hi = sorted((float(m.group(1)), float(m.group(2))))
        if ("between" in m.group(0) or "£" in m.group(0) or "to" in m.group(0) or "-" in m.group(0)):
            u.min_price, u.max_price = lo, hi
            return cut(t, m)
    if m := _MAX.search(t):
        u.max_price = float(m.group(1) or m.group(2))
        t = cut(t, m)
    if m := _MIN.search(t):
        u.min_price = float(m.group(1) or m.group(2))
        t = cut(t, m)
    return bare_budget_and_cheaper(t, u, _BARE, _CHEAPER)


def _match_at(words: list[str], i: int, table: dict[str, object]) -> tuple[str, int] | None:
    """The longest key of ``table`` made of ``words[i:i+n]`` (n = 3, 2, 1)."""
    for n in (3, 2, 1):
        phrase = " ".join(words[i:i + n])
        if len(words[i:i + n]) == n and phrase in table:
            return phrase, n
    return None


def _exclusion_targets(words: list[str], strong: bool) -> tuple[list[tuple[str, str]], int]:
    """(key, value) pairs for the words after an exclusion trigger, and how many words they used:
    colours and materials ("not red or pink"), after a strong trigger also a product word."""
    found: list[tuple[str, str]] = []
    i = used = 0
    while i < len(words):
        w = words[i]
        if w in _TARGET_STOP or (found and w in ("or", "and", "nor")):
            i += 1
            used = i if found else used
            continue
        hit = None
        for key, table in (("colour", lx.colours_en()), ("material", lx.materials_en())):
            if (m := _match_at(words, i, table)) is not None:
                hit = (key, str(table[m[0]]), m[1])
                break
        if hit is None and strong and (m := _match_at(words, i, lx.types_en())) is not None:
            hit = ("word", m[0], m[1])
        if hit is None and strong and not found and len(w) > 2 and w not in lx.EN_STOPWORDS \
                and w not in lx.EN_FILLER and w not in _TARGET_STOP and not w.isdigit():
            hit = ("word", w, 1)
        if hit is None:
            break
        found.append(hit[:2])
        i += hit[2]
        used = i
    return found, used


_FREE_OF = re.compile(r"\bfree (?:of|from) ([a-z]+(?: [a-z]+)?)")
_X_FREE = re.compile(r"\b([a-z]+)(?:-| )free\b")


def _free_of(t: str, u: Understanding) -> str:
    """"polyester-free duvet covers", "free of plastic": the material or colour is ruled out, unless
    the whole phrase is itself a material the catalogue names ("peat-free compost")."""
    for pattern, pick in ((_FREE_OF, lambda w: (" ".join(w), w[0])), (_X_FREE, lambda w: (w[-1],))):
        for m in reversed(list(pattern.finditer(t))):
            if any(t.startswith(k, m.start()) for k in lx.materials_en() if "free" in k):
                continue
            for phrase in pick(m.group(1).split()):
                key = "material" if phrase in lx.materials_en() else "colour" if phrase in lx.colours_en() else None
                if key:
                    table = lx.materials_en() if key == "material" else lx.colours_en()
                    u.add_exclusion(key, str(table[phrase]))
                    t = t[:m.start()] + " " + t[m.end():]
                    break
    return t


def _exclusions(t: str, u: Understanding) -> str:
    """Cut every "not red" / "except plastic" phrase out of the text into ``u.exclude``."""
    t = _free_of(t, u)
    for m in reversed(list(_EXCLUDE.finditer(t))):
        target = m.group("target")
        spans = [(w.start(), w.end()) for w in re.finditer(r"[a-z][a-z'-]*", target)]
        targets, used = _exclusion_targets([target[a:b] for a, b in spans], strong=m.group("strong") is not None)
        if not targets:
            continue
        for key, value in targets:
            u.add_exclusion(key, value)
        end = m.start("target") + spans[used - 1][1]
        t = t[:m.start()] + " , " + t[end:]
    return re.sub(r"\bbut\s*,", ",", t)


def _quantity(t: str, u: Understanding) -> str:
    for pattern in _QTY:
        if m := pattern.search(t):
            word = m.group(1)
            u.quantity = int(word) if word.isdigit() else lx.EN_NUMBERS.get(word, 1)
            return t[:m.start(1)] + " " + t[m.end(1):]
    return t


def _references(t: str, u: Understanding) -> str:
    if m := re.search(r"\b(first|last|top)\s+(two|three|2|3)\b", t):
        n = {"two": 2, "three": 3}.get(m.group(2)) or int(m.group(2))
        u.refs = list(range(n)) if m.group(1) != "last" else list(range(-n, 0))
        return cut(t, m)
    if m := _PAIR.search(t):
        u.refs = [int(m.group(1)) - 1, int(m.group(2)) - 1]
        return cut(t, m)
    for m in list(_ORDINAL.finditer(t)):
        u.refs.append(lx.EN_ORDINALS[m.group(1)])
    for m in _NUMREF.finditer(t):
        u.refs.append(int(m.group(1)) - 1)
    t = _NUMREF.sub(" ", _ORDINAL.sub(" ", t))
    for m in _COLOUR_REF.finditer(t):
        words = m.group(1).split()
        for n in (2, 1):
            cand = " ".join(words[-n:])
            if cand in lx.colours_en():
                u.ref_colour = lx.colours_en()[cand]
                return t.replace(m.group(0), " ")
    return t


_MARK = "zzcategoryzz"  # where a category word stood, until the free text says what it qualifies


def _need(t: str, u: Understanding, types: dict[str, lx.TypeEntry]) -> str:
    return find_need(t, u, types, lx.categories_en(), word_boundary=True, prefer_last=True,
                     category_mark=f" {_MARK} ")


def _attributes(t: str, u: Understanding, colours: dict[str, str], materials: dict[str, str]) -> str:
    for table, key in ((materials, "material"), (colours, "colour")):
        for start, end, word in lx.longest_matches(t, table, word_boundary=True):
            if key == "material" and word in colours and u.category != "food-drink":
                continue
            u.attributes.setdefault(key, table[word])
            t = t[:start] + " " * (end - start) + t[end:]
    for start, end, word in lx.longest_matches(t, lx.CONDITIONS_EN, word_boundary=True):
        u.attributes.setdefault("condition", lx.CONDITIONS_EN[word])
        t = t[:start] + " " * (end - start) + t[end:]
    if m := _SIZE.search(t):
        u.attributes["size"] = (m.group(1) or "").upper() or m.group(2).upper().replace("UK", "UK ").replace("  ", " ")
        t = cut(t, m)
    return t


def _eco(t: str, u: Understanding) -> str:
    for start, end, _ in reversed(lx.longest_matches(t, dict.fromkeys(lx.EN_ECO), word_boundary=True)):
        u.eco = True
        t = t[:start] + " " + t[end:]
    return t


def _chunks(t: str) -> list[tuple[bool, list[str]]]:
    """The text as phrases: (starts with a qualifying word such as "for" or "to", its words).
    Punctuation starts a new plain phrase ("..., a clock maybe")."""
    chunks: list[tuple[bool, list[str]]] = [(False, [])]
    prev = ""
    for tok in re.findall(r"[a-z][a-z'-]*|[,.;!?()/]", t):
        if tok in lx.EN_QUALIFIERS and not (tok == "to" and prev in lx.EN_INFINITIVE_VERBS) \
                and not (tok == "for" and prev in lx.EN_PHRASAL_FOR):
            chunks.append((True, []))
        elif not tok[0].isalpha():
            chunks.append((False, []))
        else:
            chunks[-1][1].append(tok)
        prev = tok
    return [c for c in chunks if c[1]]


def _content(w: str) -> bool:
    return len(w) > 1 and w not in lx.EN_STOPWORDS and w not in lx.EN_FILLER and w != _MARK and w not in lx.EN_NEGATIONS


def _free_text(t: str, u: Understanding) -> None:
    """The free-text need: the content words of the first plain phrase that has any (words in a
    qualifying phrase after it only describe it). A category word that only qualifies a named
    thing ("a lantern for the garden", "garden lantern") gives way to it."""
    chunks = _chunks(t)
    u.unexplained.extend(w for _, ws in chunks for w in ws if w in lx.EN_NEGATIONS)  # a "not" no rule read
    words = [w for _, ws in chunks for w in ws if _content(w)]
    u.vague = bool(words) and all(w in lx.EN_VAGUE for w in words) and not u.product_type and not u.category
    if u.vague:
        u.query = " ".join(words)
        return
    head = next((ws for qualifying, ws in chunks if not qualifying
                 and any(_content(w) and w not in lx.EN_VAGUE for w in ws)), None)
    need = [w for w in (head or []) if _content(w) and w not in lx.EN_VAGUE]
    if u.category and not u.product_type and need:
        mark_qualifies = any(_MARK in ws and (q or ws is not head) for q, ws in chunks)
        mark_modifies = head is not None and _MARK in head and any(
            _content(w) and w not in lx.EN_VAGUE for w in head[head.index(_MARK) + 1:])
        if mark_qualifies or mark_modifies:
            u.category = None
    if not need and not u.product_type and not u.category:  # only qualifying phrases: they are the need
        need = [w for w in words if w not in lx.EN_VAGUE]
    u.query = " ".join(need)


def _spelling(t: str, u: Understanding, vocab: CatalogVocabulary | None) -> str:
    """The shopper's words in the catalogue's spelling and spacing ("candel" -> candle, "door mat"
    -> doormat); a correction that is not certain is kept as a suggestion ("did you mean ...?")."""
    if vocab is None:
        return t
    known = lx.assistant_words()

    def pair(a: str, b: str) -> str | None:
        if f"{a} {b}" in known or (a in known and b in known and a not in vocab) or a in lx.EN_STOPWORDS \
                or b in lx.EN_STOPWORDS:
            return None
        return vocab.compound(a, b)

    words, out, i = t.split(" "), [], 0
    while i < len(words):  # "door mats" -> doormats, "do you sell tea pots?" -> ... teapots?
        nxt = re.fullmatch(r"([a-z]{2,})([^a-z]*)", words[i + 1]) if i + 1 < len(words) else None
        if nxt and re.fullmatch(r"[a-z]{2,}", words[i]) and (joined := pair(words[i], nxt.group(1))):
            out.append(joined + nxt.group(2))
            i += 2
            continue
        out.append(words[i])
        i += 1
    t = " ".join(out)

    def fix_word(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in known or len(w) < 4:
            return w
        if w not in vocab and (parts := vocab.split(w)) is not None:
            return " ".join(parts)
        c = vocab.correct(w)  # a known word comes back as itself, unless it is the titles' own rare typo
        if c.certain and c.changed:
            return c.word
        if c.suggestion:
            u.suggestions[w] = c.suggestion
        return w

    return re.sub(r"(?<![\w'-])[a-z]+(?![\w'-])", fix_word, t)


def _unexplained(u: Understanding, vocab: CatalogVocabulary | None) -> None:
    """Words of the free-text need that neither the rules nor the catalogue know."""
    if vocab is None or u.vague:
        return
    known = lx.assistant_words()
    u.unexplained.extend(w for w in u.query.split() if w not in known and w not in vocab and w not in u.unexplained)


def normalise(text: str) -> str:
    t = text.casefold().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", t).strip()


def parse(text: str, vocab: CatalogVocabulary | None = None) -> Understanding:
    u = Understanding(lang="en")
    t = english_digits(normalise(text))
    classify_intent(t, u, _INTENTS)
    if u.intent == "greet":
        return u
    t = _budget(t, u)
    t = _spelling(t, u, vocab)
    t = _exclusions(t, u)
    t = _quantity(t, u)
    t = _references(t, u)
    if (u.refs or u.ref_colour) and u.intent == "search":
        u.intent = "select"
    t = _eco(t, u)
    types, colours, materials = lx.catalogue_tables(vocab)
    t = _need(t, u, types)
    t = _attributes(t, u, colours, materials)
    _free_text(t, u)
    _unexplained(u, vocab)
    if u.intent == "ask" and u.has_need and not u.refs:
        # "a towel made of organic cotton": a need with a constraint, not a question about a shown product
        if not _QUESTION.search(normalise(text)) or (u.question == "material" and "material" in u.attributes):
            u.intent, u.question = "search", None
    if u.intent == "greener" and u.has_need and not u.refs:
        u.intent, u.eco = "search", True  # "a greener kettle" is a search with eco preference
    return u
