"""Commerce normalisation for search: units, fractions, number words, compounds, typos, fields."""

from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.catalog.search import SearchIndex
from greencart.catalog.search.fusion import FusionConfig
from greencart.catalog.search.lexical import (
    LEGACY_LEXICAL,
    LexicalConfig,
    compound_joins,
    compound_split,
)
from greencart.catalog.search.normalise import measure_tokens, normalise_text
from greencart.catalog.search.tokenize import english_tokens, english_words, stem
from greencart.errors import InvalidParameter

LEXICAL = FusionConfig("lexical")


def measures(text: str) -> set[str]:
    return set(measure_tokens(english_words(text)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1/2 in. pvc elbow", "0.5 inch pvc elbow"),
        ("1/2 in. pvc elbow", "half inch pvc elbow"),
        ("½\" pvc elbow", "0.5 inches pvc elbow"),
        ("led shop lights 4ft", "led shop light 4 ft"),
        ("led shop lights 4ft", "48 in led shop light"),
        ("4' shop light", "48'' shop light"),
        ("1-1/2\" pipe", "1.5 inch pipe"),
        ("1 1/2 in pipe", "1.5 in pipe"),
        ("30 inch gas range", "30'' gas range"),
        ("150 cm mirror", "1.5 m mirror"),
        ("1 gallon bucket", "4 qt bucket"),
        ("two seater sofa", "2 seat sofa"),
        ("3-light chandelier", "three light chandelier"),
        ("2.7 cu . ft. washer", "2.7 cu ft washer"),
        ("1,500 watt heater", "1500w heater"),
    ],
)
def test_units_and_fractions_meet_in_one_canonical_token(a: str, b: str) -> None:
    shared = measures(a) & measures(b)
    assert shared, (a, measures(a), b, measures(b))


def test_canonical_tokens_and_their_values() -> None:
    assert measures("1/2 in. pvc elbow") == {"0.5in"}
    assert measures("led shop lights 4ft") == {"48in"}
    assert measures("3/4\" plywood") == {"0.75in"}
    assert measures("4'x6' rug") == {"48in", "72in"}
    assert measures("5 x 8 ft rug") == {"60in", "96in"}
    assert measures("2.7 cu . ft. washer") == {"2.7cuft"}
    assert measures("all-clad 7 qt . slow cooker") == {"7qt"}


def test_fractions_and_marks_in_the_text() -> None:
    assert normalise_text("1/2 in. PVC elbow") == "0.5 in pvc elbow"
    assert normalise_text("1-1/2\" pipe") == "1.5 in pipe"
    assert normalise_text("vogan 33 '' single bathroom vanity") == "vogan 33 in single bathroom vanity"
    assert normalise_text("1,500 watt") == "1500 watt"
    # Not fractions or measures: left alone.
    assert normalise_text("open 24/7") == "open 24/7"
    assert normalise_text("men's 90's jacket") == "men's 90's jacket"
    assert normalise_text("4k tv, 3d printer") == "4k tv, 3d printer"
    assert normalise_text("double bed") == "double bed"


def test_tokens_keep_the_number_and_add_the_measure() -> None:
    assert english_tokens("30 inch gas range") == ["30", "inch", "gas", "rang", "30in"]
    assert english_tokens("Show me WHITE T-LIGHTS for the garden") == ["white", "t-light", "light", "garden"]
    assert english_tokens("1/2 in. elbow", normalise=False) == ["1", "2", "elbow"]


def test_plurals_meet_their_singular() -> None:
    for plural, singular in [("shelves", "shelf"), ("bookshelves", "bookshelf"), ("knives", "knife"),
                             ("benches", "bench"), ("batteries", "battery"), ("lights", "light")]:
        assert stem(plural) == stem(singular), plural


def test_compounds_join_and_split_against_the_vocabulary() -> None:
    vocab = {stem(w) for w in ("bookshelf", "book", "shelf", "shoe", "rack", "door", "mat")}
    assert compound_joins(["book", "shelf"], vocab.__contains__) == ["bookshelf"]
    assert compound_joins(["door", "mat"], vocab.__contains__) == []  # "doormat" is not in the catalogue
    assert compound_split("shoerack", vocab.__contains__) == ["shoe", "rack"]
    assert compound_split("xylophone", vocab.__contains__) == []


COMPOUND_ROWS = [
    ("p1", "Oak bookshelf with five shelves", "furniture"),
    ("p2", "Metal shoe rack, 3 tier", "furniture"),
    ("p3", "Coir door mat", "home-decor"),
    ("p4", "Cookbook stand", "kitchen"),
    ("p5", "Pine shelf bracket", "furniture"),
    ("p6", "Toilet flange 4 in", "home-improvement"),
    ("p7", "Toilet seat, soft close", "home-improvement"),
    ("p8", "LED shop light 48 in", "lighting"),
    ("p9", "LED shop light 24 in", "lighting"),
    ("p10", "PVC elbow 0.5 inch", "plumbing"),
    ("p11", "PVC elbow 2 inch", "plumbing"),
]


@pytest.fixture(scope="module")
def small_index(embedder_pair) -> SearchIndex:  # type: ignore[no-untyped-def]
    products = [Product(id=i, title=t, category=c, price=1.0) for i, t, c in COMPOUND_ROWS]
    en, zh = embedder_pair
    return SearchIndex.build(products, embedder_en=en, embedder_zh=zh)


@pytest.fixture(scope="module")
def embedder_pair():  # type: ignore[no-untyped-def]
    from greencart.catalog.embed import get_embedder
    from greencart.catalog.search.index import EN_MODEL

    minilm = get_embedder(EN_MODEL)
    return minilm, minilm


def top(index: SearchIndex, query: str, n: int = 1) -> list[str]:
    return [h.product_id for h in index.search(query, k=n, fusion=LEXICAL)]


def test_units_rank_the_right_size_first(small_index: SearchIndex) -> None:
    assert top(small_index, "led shop lights 4ft") == ["p8"]
    assert top(small_index, "2ft shop light") == ["p9"]
    assert top(small_index, "1/2 in. pvc elbow") == ["p10"]
    assert top(small_index, "half inch pvc elbow") == ["p10"]


def test_compounds_meet_both_spellings(small_index: SearchIndex) -> None:
    assert top(small_index, "book shelf") == ["p1"]
    assert top(small_index, "shoerack") == ["p2"]
    assert "p3" in top(small_index, "doormat", 2)


def test_title_field_outweighs_the_body(small_index: SearchIndex) -> None:
    # "furniture" is the category (body) of p1, p2, p5; a title word decides among them.
    assert top(small_index, "bracket furniture") == ["p5"]


def test_typos_are_corrected_by_the_shared_vocabulary(small_index: SearchIndex) -> None:
    from greencart.catalog.vocabulary import CatalogVocabulary

    speller = CatalogVocabulary.build(t for _, t, _ in COMPOUND_ROWS)
    assert top(small_index, "toliet flange") == ["p6"]  # "flange" alone already finds it
    assert top(small_index, "toliet seat") in (["p7"],)
    small_index.set_speller(speller)
    try:
        assert "toilet" in [t for t in small_index.english_tokens("toliet")]
        assert top(small_index, "toliet") in (["p6"], ["p7"])
    finally:
        small_index.set_speller(None)
    assert "toilet" not in small_index.english_tokens("toliet")


def test_legacy_lexical_config_ignores_units(embedder_pair) -> None:  # type: ignore[no-untyped-def]
    products = [Product(id=i, title=t, category=c, price=1.0) for i, t, c in COMPOUND_ROWS]
    en, zh = embedder_pair
    legacy = SearchIndex.build(products, embedder_en=en, embedder_zh=zh, lexical=LEGACY_LEXICAL)
    assert legacy.en.title_retriever is None
    assert "48in" not in legacy.english_tokens("led shop lights 4ft")


def test_lexical_config_is_validated() -> None:
    with pytest.raises(InvalidParameter, match="title_weight"):
        LexicalConfig(title_weight=-1)
    assert LexicalConfig.from_json({"title_weight": 2.0, "unknown": 1}).title_weight == 2.0


def test_title_field_and_lexical_config_survive_save_and_load(small_index: SearchIndex, tmp_path) -> None:  # type: ignore[no-untyped-def]
    small_index.save(tmp_path / "index")
    loaded = SearchIndex.load(tmp_path / "index")
    assert loaded.lexical == small_index.lexical and loaded.en.title_retriever is not None
    for query in ("led shop lights 4ft", "book shelf", "shoerack"):
        assert loaded.english_tokens(query) == small_index.english_tokens(query)
        assert (loaded.english_lexical_scores(query) == small_index.english_lexical_scores(query)).all()
