"""The catalogue's own vocabulary: the words of its product titles, for spelling and spacing.

    vocab = CatalogVocabulary.build(titles)
    vocab.correct("lantren")        # Correction(word='lantern', score=0.86, certain=True, ...)
    vocab.correct("gift")           # an English word the titles lack: left alone (certain=False)
    vocab.join(["door", "mats"])    # ['doormats'] when the titles say "doormat"
    vocab.normalise("tea pot")      # 'teapot' when the titles say "teapot"

Words are counted per title (document frequency). Spelling correction uses SymSpell
(``symspellpy``, Damerau-Levenshtein with adjacent transpositions) over the titles'
words: a correction is *certain* (apply it silently) when it is one edit away, the
token is at least five letters, no other catalogue word is as close and frequent,
and the token is not itself an English word (SymSpell's bundled 82k-word English
frequency list); otherwise the best candidate is offered with ``certain=False`` so
the caller can ask "did you mean ...?". Compounds and spacing: two words whose
concatenation is a catalogue word ("door mat" -> "doormat") are joined; a word the
titles only write as two ("teapot" when titles say "tea pot") is split.
"""

from __future__ import annotations

import re
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from greencart.errors import InvalidParameter

_WORD = re.compile(r"[a-z]+")
MIN_CORRECT_LEN = 4  # shorter tokens are too ambiguous to correct ("mug" / "mud" / "rug")
CERTAIN_MIN_LEN = 5
MAX_EDIT_DISTANCE = 2
RARE_COUNT = 2  # a title word this rare, one edit from a word RARE_RATIO times as common, is a typo itself
RARE_RATIO = 5


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words of a text (digits and CJK dropped)."""
    return _WORD.findall(text.casefold())


def singular_forms(word: str) -> tuple[str, ...]:
    """The word and its plausible singulars ("boxes" -> box, "candies" -> candy, "mats" -> mat)."""
    forms = [word]
    if len(word) > 4 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.append(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return tuple(forms)


@dataclass(frozen=True)
class Correction:
    """A token checked against the vocabulary.

    ``word`` is the catalogue's word (the token itself when it is known or nothing is
    close), ``score`` the similarity in [0, 1] (1 = known as written), ``certain``
    whether to use ``word`` without asking. ``alternatives`` are other close words."""

    original: str
    word: str
    score: float
    certain: bool
    alternatives: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise InvalidParameter(f"Expected score in [0, 1], got {self.score}")

    @property
    def known(self) -> bool:
        return self.score == 1.0

    @property
    def changed(self) -> bool:
        return self.word != self.original.strip().casefold()

    @property
    def suggestion(self) -> str | None:
        """The word to offer in "did you mean ...?" (an uncertain change), else None."""
        return self.word if self.changed and not self.certain else None


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """SymSpell's bundled English frequency list (82,765 words): a real word is no typo."""
    from importlib.resources import files

    path = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    with path.open("r", encoding="utf-8") as fh:
        return frozenset(line.split(" ", 1)[0] for line in fh if line.strip())


class CatalogVocabulary:
    """Word and two-word counts of a catalogue's titles; build with :meth:`build`."""

    def __init__(self, counts: Counter[str], bigrams: Counter[tuple[str, str]], n_titles: int,
                 chinese_titles: bool = False, labels: dict[str, dict[str, str]] | None = None) -> None:
        self.counts = counts
        # the catalogue's own attribute labels: "type" -> {label: category}, "colour"/"material" -> {label: label}
        self.labels: dict[str, dict[str, str]] = labels or {}
        self.derived: dict[str, Any] = {}  # tables other modules derive from this vocabulary, kept with it
        self.chinese_titles = chinese_titles  # the catalogue also has Chinese titles (Chinese queries search them)
        self.bigrams = bigrams
        self.n_titles = n_titles
        self._symspell: Any = None

    @classmethod
    def build(cls, titles: Iterable[str], *, extra_words: Iterable[str] = (),
              chinese_titles: bool = False, labels: dict[str, dict[str, str]] | None = None) -> CatalogVocabulary:
        """Count each title's words once; ``extra_words`` (the assistant's own word lists:
        colours, materials) are known words too, counted once each."""
        counts: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        n = 0
        for title in titles:
            if not isinstance(title, str):
                raise InvalidParameter(f"Expected titles as text, got {type(title).__name__}")
            words = words_of(title)
            n += 1
            counts.update(set(words))
            bigrams.update(set(pairwise(words)))
        for word in extra_words:
            for w in words_of(word):
                counts[w] += 0 if w in counts else 1
        return cls(counts, bigrams, n, chinese_titles, labels)

    def __len__(self) -> int:
        return len(self.counts)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.canonical(word) is not None

    def frequency(self, word: str) -> int:
        """Titles containing the word (or its singular)."""
        form = self.canonical(word)
        return self.counts[form] if form else 0

    def canonical(self, word: str) -> str | None:
        """The vocabulary's form of ``word`` (as written, a singular, or a plural), or None."""
        w = word.casefold()
        for form in (*singular_forms(w), w + "s", w + "es"):
            if form in self.counts:
                return form
        return None

    # -- spelling -------------------------------------------------------------------------------
    def _speller(self) -> Any:
        if self._symspell is None:
            from symspellpy import SymSpell

            sym = SymSpell(max_dictionary_edit_distance=MAX_EDIT_DISTANCE, prefix_length=7)
            for word, count in self.counts.items():
                if len(word) >= 3:
                    sym.create_dictionary_entry(word, count)
            self._symspell = sym
        return self._symspell

    def correct(self, token: str) -> Correction:
        """``token`` against the titles' words: known, corrected (certain or not), or unknown."""
        t = token.strip().casefold()
        if not t or not t.isalpha() or not t.isascii():
            return Correction(token, token, 0.0, False)
        if t in self:
            rare = self.frequency(t) <= RARE_COUNT and len(t) >= CERTAIN_MIN_LEN and t not in english_words()
            if rare and (c := self._lookup(t, token)) is not None and c.certain \
                    and self.counts[c.word] >= RARE_RATIO * self.frequency(t):
                return c  # the titles' own typo ("Braclet" once, "bracelet" in 40 titles)
            return Correction(token, t, 1.0, True)
        if len(t) < MIN_CORRECT_LEN or t in english_words():
            return Correction(token, t, 0.0, False)
        for form in singular_forms(t):  # "clacks": its singular is one edit from "clock"
            if (c := self._lookup(form, token)) is not None:
                return c
        return Correction(token, t, 0.0, False)

    def _lookup(self, t: str, token: str) -> Correction | None:
        from symspellpy import Verbosity

        limit = 1 if len(t) < 7 else MAX_EDIT_DISTANCE
        found = self._speller().lookup(t, Verbosity.ALL, max_edit_distance=limit)
        found = [s for s in found if s.distance > 0]
        if not found:
            return None
        found.sort(key=lambda s: (s.distance, t[0] != s.term[0], -s.count, s.term))
        best, rest = found[0], found[1:]
        score = round(1.0 - best.distance / max(len(t), len(best.term)), 3)
        same_start = t[0] == best.term[0]  # typos rarely change the first letter: "clack" is clock, not black
        rivals = [s for s in rest if s.distance == best.distance and s.count * 3 > best.count
                  and (not same_start or s.term[0] == t[0])]
        certain = (best.distance == 1 and len(t) >= CERTAIN_MIN_LEN and not rivals
                   and t[0] == best.term[0]) or (best.distance == 2 and len(t) >= 8 and not rest)
        alternatives = tuple(s.term for s in rest[:3])
        return Correction(token, best.term, min(score, 0.99), certain, alternatives)

    # -- compounds and spacing -------------------------------------------------------------------
    def compound(self, first: str, second: str) -> str | None:
        """The catalogue's one-word form of two words ("door" + "mats" -> "doormats"), or None
        when the titles write them apart as often as together."""
        joined = (first + second).casefold()
        form = self.canonical(joined)
        if form is None or len(first) < 2 or len(second) < 2:
            return None
        a, b = first.casefold(), second.casefold()
        apart = sum(self.bigrams[(a, form)] for form in {b, *singular_forms(b), b + "s"})
        return joined if self.counts[form] >= apart else None

    def split(self, word: str) -> tuple[str, str] | None:
        """Two words the titles use for a word they never write joined ("teapot" -> tea pot)."""
        w = word.casefold()
        if w in self or len(w) < 5:
            return None
        best: tuple[int, tuple[str, str]] | None = None
        for i in range(2, len(w) - 1):
            for last in {w[i:], *singular_forms(w[i:])}:
                n = self.bigrams[(w[:i], last)]
                if n and (best is None or n > best[0]):
                    best = (n, (w[:i], w[i:]))
        return best[1] if best else None

    def join(self, words: Sequence[str]) -> list[str]:
        """``words`` with each adjacent pair the catalogue writes as one word joined."""
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and (joined := self.compound(words[i], words[i + 1])):
                out.append(joined)
                i += 2
            else:
                out.append(words[i])
                i += 1
        return out

    def normalise(self, text: str) -> str:
        """A phrase in the catalogue's spelling and spacing: compounds joined, unknown words split
        where the titles write them apart, certain corrections applied."""
        words = self.join(words_of(text))
        out: list[str] = []
        for w in words:
            if (parts := self.split(w)) is not None:
                out.extend(parts)
                continue
            c = self.correct(w)
            out.append(c.word if c.certain else w)
        return " ".join(out)


def product_words(product: Any) -> list[str]:
    """The texts of a product that carry its words: title, type and colour/material attributes."""
    attrs = getattr(product, "attributes", None) or {}
    return [str(getattr(product, "title", "") or "")] + [str(v) for k, v in attrs.items()
                                                       if k in ("type", "colour", "color", "material")]


def attribute_labels(products: Iterable[Any]) -> dict[str, dict[str, str]]:
    """The type, colour and material labels the products carry (lower case): a catalogue that labels
    its products teaches the assistant its own words for them."""
    labels: dict[str, dict[str, str]] = {"type": {}, "colour": {}, "material": {}}
    for p in products:
        attrs = {str(k).casefold(): str(v).strip().casefold() for k, v in (getattr(p, "attributes", None) or {}).items()}
        if attrs.get("type") and re.fullmatch(r"[a-z][a-z -]{1,40}", attrs["type"]):
            labels["type"].setdefault(attrs["type"], str(getattr(p, "category", "") or ""))
        for key in ("colour", "material"):
            value = attrs.get(key) or (attrs.get("color") if key == "colour" else None)
            if value and re.fullmatch(r"[a-z][a-z -]{1,40}", value):
                labels[key][value] = value
    return {k: v for k, v in labels.items() if v}


_CACHE: weakref.WeakKeyDictionary[Any, tuple[Any, float, CatalogVocabulary]] = weakref.WeakKeyDictionary()
VERSION_CHECK_S = 1.0  # at most one catalogue-version query a second per catalogue (the turn's hot path)


def vocabulary_for(catalog: Any, *, extra_words: Iterable[str] = ()) -> CatalogVocabulary | None:
    """The vocabulary of a :class:`~greencart.catalog.service.CatalogService`'s products, rebuilt when the
    catalogue version changes (checked at most every :data:`VERSION_CHECK_S`); None for a catalogue
    without a database (a test double)."""
    db = getattr(catalog, "db", None)
    if db is None or not hasattr(db, "read"):
        return None
    cached = _CACHE.get(catalog)
    now = time.monotonic()
    if cached is not None and now - cached[1] < VERSION_CHECK_S:
        return cached[2]
    from greencart.store import catalog_repo as repo

    with db.read() as s:
        version = repo.catalogue_version(s)
        if cached is not None and cached[0] == version:
            _CACHE[catalog] = (version, now, cached[2])
            return cached[2]
        products = list(repo.iter_products(s))
    texts = [" ".join(product_words(p)) for p in products]
    with_zh = sum(1 for p in products if getattr(p, "title_zh", None))
    vocab = CatalogVocabulary.build(texts, extra_words=extra_words, chinese_titles=with_zh * 2 > len(products),
                                    labels=attribute_labels(products))
    _CACHE[catalog] = (version, time.monotonic(), vocab)
    return vocab
