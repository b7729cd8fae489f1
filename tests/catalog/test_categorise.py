"""The keyword categoriser: labelled titles in the style of the Online Retail data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greencart.catalog.categories import BY_SLUG, UNCATEGORISED
from greencart.catalog.categorise import categorise

LABELLED = [
    ("WHITE HANGING HEART T-LIGHT HOLDER", "home-decor"),
    ("WHITE METAL LANTERN", "home-decor"),
    ("GLASS STAR FROSTED T-LIGHT HOLDER", "home-decor"),
    ("SET 7 BABUSHKA NESTING BOXES", "home-decor"),
    ("HEART OF WICKER SMALL", "home-decor"),
    ("NO SINGING METAL SIGN", "home-decor"),
    ("ALARM CLOCK BAKELIKE RED", "home-decor"),
    ("PINK HEART SHAPE PHOTO FRAME", "home-decor"),
    ("JUMBO BAG RED RETROSPOT", "bags-accessories"),
    ("LUNCH BAG WOODLAND", "bags-accessories"),
    ("PINK FLORAL FELTCRAFT SHOULDER BAG", "bags-accessories"),
    ("DIAMANTE NECKLACE PURPLE", "bags-accessories"),
    ("PACK OF 72 RETROSPOT CAKE CASES", "kitchen"),
    ("ROSES REGENCY TEACUP AND SAUCER", "kitchen"),
    ("VINTAGE BILLBOARD MUG", "kitchen"),
    ("DOLLY GIRL LUNCH BOX", "kitchen"),
    ("RED RETROSPOT OVEN GLOVE", "kitchen"),
    ("CLASSIC GLASS COOKIE JAR", "kitchen"),
    ("SET OF 3 CAKE TINS PANTRY DESIGN", "kitchen"),
    ("CHRISTMAS TREE DECORATION WITH BELL", "party-seasonal"),
    ("SET/10 RED POLKADOT PARTY CANDLES", "party-seasonal"),
    ("PARTY BUNTING", "party-seasonal"),
    ("BOX OF 6 MINI 50'S CRACKERS", "party-seasonal"),
    ("CHRISTMAS LIGHTS 10 REINDEER", "party-seasonal"),
    ("SET OF 3 WOODEN SLEIGH DECORATIONS", "home-decor"),
    ("RETROSPOT LARGE NOTEBOOK", "stationery"),
    ("WRAP CIRCUS PARADE", "stationery"),
    ("FAWN AND MUSHROOM GREETING CARD", "stationery"),
    ("PAISLEY PATTERN STICKERS", "stationery"),
    ("SPACEBOY CHILDRENS COLOURING PENCILS", "stationery"),
    ("COTTAGE GARDEN SIGN", "garden"),
    ("CHILDS GARDEN TROWEL PINK", "garden"),
    ("GARDENERS KNEELING PAD KEEP CALM", "garden"),
    ("SET OF 4 POLKADOT PLACEMATS", "kitchen"),
    ("CUSHION COVER PINK UNION JACK", "home-textiles"),
    ("HOT WATER BOTTLE KEEP CALM", "home-textiles"),
    ("DOORMAT UNION FLAG", "home-textiles"),
    ("MINT GREEN ROSE TOWEL", "home-textiles"),
    ("FELTCRAFT PRINCESS CHARLOTTE DOLL", "toys"),
    ("MINI JIGSAW DOLLY GIRL", "toys"),
    ("FLORAL SOFT CAR TOY", "toys"),
    ("PACK OF 12 LONDON TISSUES", "personal-care"),
    ("MAGAZINE RACK GEBRA ASSORTED", "furniture"),
    ("WOOD AND GLASS MEDICINE CABINET", "furniture"),
]


def test_labelled_titles_mostly_right_and_key_ones_exact():
    got = {title: categorise(title)[0] for title, _ in LABELLED}
    wrong = [(t, want, got[t]) for t, want in LABELLED if got[t] != want]
    assert len(wrong) <= len(LABELLED) // 10, wrong
    for title in ("WHITE HANGING HEART T-LIGHT HOLDER", "WHITE METAL LANTERN", "JUMBO BAG RED RETROSPOT",
                  "PACK OF 72 RETROSPOT CAKE CASES", "VINTAGE BILLBOARD MUG", "RETROSPOT LARGE NOTEBOOK"):
        assert got[title] == dict(LABELLED)[title], title


def test_longer_phrase_beats_its_words():
    assert categorise("party bag")[0] == "party-seasonal"  # not bags
    assert categorise("hot water bottle")[0] == "home-textiles"  # not kitchen (bottle)
    assert categorise("christmas mug")[0] == "kitchen"  # the noun wins over the season
    assert categorise("tote bags")[0] == "bags-accessories"  # plural


def test_word_boundaries_and_case():
    assert categorise("Ring binder")[0] != UNCATEGORISED
    assert categorise("STRINGER")[0] == UNCATEGORISED  # no "ring" inside a word
    assert categorise("Mug") == categorise("MUG")


def test_nothing_matches_gives_uncategorised_zero():
    assert categorise("Postage") == (UNCATEGORISED, 0.0)
    assert categorise("") == (UNCATEGORISED, 0.0)


def test_description_helps_when_title_is_vague():
    assert categorise("Space Frog")[0] == UNCATEGORISED
    slug, confidence = categorise("Space Frog", "a soft toy for toddlers")
    assert slug == "toys" and 0 < confidence < categorise("soft toy")[1]


def test_confidence_is_lower_when_categories_compete():
    clear = categorise("white metal lantern")[1]
    mixed = categorise("lantern mug")[1]
    assert 0 < mixed < clear <= 1


def test_chinese_titles():
    assert categorise("圣诞装饰灯笼")[0] in ("home-decor", "party-seasonal")
    assert categorise("陶瓷马克杯")[0] == "kitchen"
    assert categorise("儿童玩具车")[0] == "toys"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_any_text_gives_a_known_slug_and_bounded_confidence(title, description):
    slug, confidence = categorise(title, description)
    assert slug == UNCATEGORISED or slug in BY_SLUG
    assert 0.0 <= confidence <= 1.0
    assert (slug == UNCATEGORISED) == (confidence == 0.0)


@pytest.mark.shared_data
def test_real_online_retail_descriptions_are_mostly_categorised():
    import pandas as pd
    from conftest import shared_file

    frame = pd.read_excel(shared_file("retail/online_retail_sample_40k.xlsx"), dtype=str)
    goods = frame[pd.to_numeric(frame["UnitPrice"]) > 0].dropna(subset=["Description"])
    goods = goods[goods["StockCode"].str.match(r"^\d{5}")]
    titles = goods["Description"].str.strip().unique()
    slugs = [categorise(t)[0] for t in titles]
    share = sum(s != UNCATEGORISED for s in slugs) / len(slugs)
    assert len(titles) > 2500 and share >= 0.95, share
    assert len(set(slugs)) >= 12  # not everything in one bucket
