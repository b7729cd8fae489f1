"""The catalogue vocabulary: known words, certain and uncertain corrections, compounds and spacing."""

from __future__ import annotations

import pytest
from tests.conftest import shared_file

from greencart.catalog.vocabulary import CatalogVocabulary, Correction, words_of
from greencart.errors import InvalidParameter

TITLES = [
    "White Hanging Heart T-Light Holder", "Red Retrospot Candle", "Pink Scented Candle Set",
    "Glass Star Frosted T-Light Holder", "Hanging Lantern Antique White", "Garden Lantern Zinc",
    "Doormat Red Retrospot", "Doormat Union Flag", "Doormat Spotty Home Sweet Home",
    "Vintage Teapot Cream", "Floral Teapot Pink", "Pack of 72 Retrospot Cake Cases",
    "Notebook Set Of 3", "Lined Notebook Blue", "Alarm Clock Bakelike Red", "Tea Cosy Blue",
    "Jumbo Bag Red Retrospot", "Lunch Bag Black Skull", "Cake Stand Three Tier", "Candle Holder Glass",
    "Hand Warmer Owl", "Hot Water Bottle Tea And Sympathy", "Mug Cosy Pink", "Feltcraft Doll Molly",
]


@pytest.fixture(scope="module")
def vocab() -> CatalogVocabulary:
    return CatalogVocabulary.build(TITLES, extra_words=["purple", "bamboo"])


def test_counts_words_once_per_title(vocab):
    assert vocab.frequency("doormat") == 3
    assert vocab.frequency("candles") == 3  # plural of a known word
    assert "bamboo" in vocab and "purple" in vocab  # extra words are known
    assert "giraffe" not in vocab
    assert vocab.n_titles == len(TITLES)


@pytest.mark.parametrize("typo,word", [("candel", "candle"), ("lantren", "lantern"), ("notebok", "notebook"),
                                       ("doormatt", "doormat"), ("teapott", "teapot")])
def test_certain_corrections(vocab, typo, word):
    c = vocab.correct(typo)
    assert (c.word, c.certain, c.changed) == (word, True, True)
    assert 0.5 < c.score < 1.0 and c.suggestion is None


def test_known_word_is_itself(vocab):
    c = vocab.correct("Lantern")
    assert (c.word, c.score, c.certain, c.known, c.changed) == ("lantern", 1.0, True, True, False)


def test_real_english_word_is_not_a_typo(vocab):
    # "gift" and "giraffe" are words, not misspellings of "gilt" or anything in the titles
    for word in ("gift", "sister", "present"):
        c = vocab.correct(word)
        assert not c.certain and not c.changed, c


def test_ambiguous_or_short_tokens_are_not_certain(vocab):
    assert not vocab.correct("mgu").certain  # too short to correct
    c = vocab.correct("cozy")  # 'cosy' is one edit away, but four letters: ask, do not apply
    assert not c.certain


def test_unique_close_word_is_certain():
    v = CatalogVocabulary.build(["Spotty Mug", "Spotty Jug", "Spotty Rug"])
    c = v.correct("spoty")  # one edit from the only close word, five letters: certain
    assert c.word == "spotty" and c.certain


def test_rivals_make_a_correction_uncertain():
    v = CatalogVocabulary.build(["Tassel Garland", "Tassel Bag", "Hassel Box", "Hassel Tin"])
    c = v.correct("rassel")  # tassel and hassel equally close and equally common
    assert c.changed and not c.certain and c.suggestion == c.word and c.alternatives


def test_compounds_and_spacing(vocab):
    assert vocab.join(["door", "mats"]) == ["doormats"]
    assert vocab.join(["tea", "pot"]) == ["teapot"]
    assert vocab.join(["tea", "cosy"]) == ["tea", "cosy"]  # not a word when joined
    assert vocab.normalise("door mats") == "doormats"
    assert vocab.normalise("a red candel") == "a red candle"
    v = CatalogVocabulary.build(["Cake Stand Pink", "Cake Stand Three Tier"])
    assert v.split("cakestand") == ("cake", "stand")
    assert v.normalise("cakestands") == "cake stands"


def test_bad_input():
    with pytest.raises(InvalidParameter, match="Expected titles as text"):
        CatalogVocabulary.build(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(InvalidParameter, match="score"):
        Correction("a", "a", 1.5, True)
    assert CatalogVocabulary.build([]).correct("").score == 0.0
    assert not CatalogVocabulary.build(["Mug"]).correct("蜡烛").certain
    assert words_of("T-Light 72 Cases!") == ["t", "light", "cases"]


@pytest.mark.shared_data
def test_online_retail_titles_fix_the_issue_typos():
    import pandas as pd

    path = shared_file("retail/online_retail_sample_40k.xlsx")
    titles = pd.read_excel(path, usecols=["Description"])["Description"].dropna().astype(str).unique()
    v = CatalogVocabulary.build(titles)
    assert len(v) > 1000
    for typo, word in (("candel", "candle"), ("lantren", "lantern"), ("notebok", "notebook")):
        c = v.correct(typo)
        assert c.word == word and c.certain, c
    assert v.normalise("door mats") == "doormats"
    assert v.normalise("tea pot").replace(" ", "") == "teapot"
    assert not v.correct("gift").changed


def test_vocabulary_for_a_service_follows_the_catalogue(tmp_path, monkeypatch):
    from greencart.catalog import vocabulary as vmod
    from greencart.catalog.models import Product
    from greencart.config import Settings
    from greencart.catalog.service import CatalogService
    from greencart.store import catalog_repo, open_database

    db = open_database(f"sqlite:///{tmp_path / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, [Product(id="A", title="Garden Lantern", category="home-decor", price=3.0,
                                                 attributes={"type": "lantern", "colour": "Zinc"})])
    db.dispose()
    svc = CatalogService(Settings(var_dir=tmp_path))
    v = vmod.vocabulary_for(svc)
    assert v is not None and "lantern" in v and v.labels["type"] == {"lantern": "home-decor"} and not v.chinese_titles
    assert vmod.vocabulary_for(svc) is v  # cached
    monkeypatch.setattr(vmod, "VERSION_CHECK_S", 0.0)
    with svc.db.transaction() as s:
        catalog_repo.upsert_products(s, [Product(id="B", title="Doormat Hearts", category="home-decor", price=7.0)])
    v2 = vmod.vocabulary_for(svc)
    assert v2 is not v and "doormat" in v2
    assert vmod.vocabulary_for(object()) is None
    svc.close()
