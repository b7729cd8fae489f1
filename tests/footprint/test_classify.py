from __future__ import annotations

import pytest

from greencart.catalog.models import Product
from greencart.footprint.classify import CommodityClassifier


def _p(title: str, category: str = "uncategorised", description: str = "") -> Product:
    return Product(
        id=title[:60], title=title, category=category, price=1.0, description=description
    )


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Men's cotton t-shirt", "315220"),
        ("Leather ankle boots", "316210"),
        ("Electric kettle 1.7 l", "335210"),
        ("Jigsaw puzzle 1000 pieces", "339930"),
        ("WHITE METAL LANTERN", "335121"),
        ("Red wine Rioja 75cl", "312130"),
    ],
)
def test_keywords_alone_classify_clear_titles(title, code):
    result = CommodityClassifier(None).classify(_p(title))
    assert result.code == code
    assert result.via == "keyword"
    assert result.confidence > 0.9


def test_title_keyword_beats_description_keyword():
    result = CommodityClassifier(None).classify(_p("Cotton tote", description="fits a laptop"))
    assert result.code == "314910"


def test_category_prior_breaks_ties_without_text_signal():
    result = CommodityClassifier(None).classify(_p("Model 7", category="footwear"))
    assert result.code == "316210"
    assert result.confidence < 0.5


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Chesterfield in green velvet", "337121"),
        ("Noise cancelling over-ear cans", "334310"),
        ("Stainless steel frying skillet", "332215"),
    ],
)
def test_embeddings_classify_texts_without_keywords(embedder, title, code):
    clf = CommodityClassifier(embedder)
    assert clf.keyword_scores([_p(title)]).max() == 0
    result = clf.classify(_p(title))
    assert result.code == code
    assert result.via == "embedding"


def test_vague_text_gets_low_confidence(embedder):
    clf = CommodityClassifier(embedder)
    vague, clear = clf.classify_many([_p("Assorted item"), _p("Cotton t-shirt")])
    assert vague.confidence < 0.4
    assert clear.confidence > 0.9
