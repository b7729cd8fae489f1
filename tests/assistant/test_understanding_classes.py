"""Understanding that generalises, one class at a time: exclusions, number words, Chinese numerals,
typos and spacing against the catalogue's words, Chinese nouns over English titles, honest confidence.
The end-to-end tests run an English-only catalogue (no Chinese titles), the Online Retail case."""

from __future__ import annotations

import pytest

from greencart.assistant import Assistant, SemanticCache
from greencart.assistant.numbers import chinese_digits, chinese_value, english_digits
from greencart.assistant.state import Constraints
from greencart.assistant.tools import satisfies
from greencart.assistant.understand import UNEXPLAINED_CONFIDENCE, understand
from greencart.catalog.models import Product
from greencart.catalog.search.filters import FilterColumns, SearchFilters
from greencart.catalog.vocabulary import CatalogVocabulary
from greencart.config import Settings
from greencart.errors import InvalidParameter
from greencart.store import catalog_repo, open_database

EN_TITLES = [  # (id, title, price): an English-only gift shop, as imported from Online Retail
    ("C1", "Pink Scented Candle", 2.95), ("C2", "Red Retrospot Candle", 1.65), ("C3", "White Pillar Candle", 3.25),
    ("C4", "Pink Candle Holder Heart", 4.95), ("S1", "Pink Christmas Stocking", 2.10),
    ("U1", "Red Retrospot Umbrella", 5.95), ("U2", "Black Spotty Umbrella", 6.95), ("P1", "Red Retrospot Spoon", 0.85),
    ("B1", "Jumbo Bag Red Retrospot", 1.95), ("B2", "Jumbo Bag Blue Paisley", 1.95), ("B3", "Lunch Bag Pink Polkadot", 1.65),
    ("K1", "Alarm Clock Bakelike Red", 3.75), ("K2", "Alarm Clock Bakelike Green", 3.75),
    ("K3", "Wall Clock Ivory", 8.50), ("K4", "Large Kitchen Clock Pink", 14.95),
    ("D1", "Doormat Red Retrospot", 7.95), ("D2", "Doormat Union Flag", 7.95), ("D3", "Doormat Hearts", 6.75),
    ("T1", "Vintage Teapot Cream", 4.95), ("T2", "Floral Teapot Pink", 6.95),
    ("L1", "Hanging Lantern White", 2.55), ("L2", "Garden Lantern Zinc", 4.25), ("N1", "Notebook Lined Blue", 1.25),
    ("N2", "Notebook Spotty Pink", 0.85),
]


@pytest.fixture(scope="module")
def vocab() -> CatalogVocabulary:
    from greencart.assistant.lexicon import assistant_words

    return CatalogVocabulary.build([t for _, t, _ in EN_TITLES], extra_words=assistant_words())


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    from greencart.catalog.service import CatalogService

    var = tmp_path_factory.mktemp("english-shop")
    db = open_database(f"sqlite:///{var / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, [Product(id=i, title=t, category="home-decor", price=p, weight_kg=0.2)
                                         for i, t, p in EN_TITLES])
    db.dispose()
    svc = CatalogService(Settings(var_dir=var))
    svc.index()
    yield svc
    svc.close()


@pytest.fixture
def bot(shop):
    return Assistant(shop, cache=SemanticCache(embedder=None))


def _titles(result) -> list[str]:
    return [p["title"] for p in result.products]


# -- exclusions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,need,excluded", [
    ("a bag but not red", "bag", {"colour": ["red"]}),
    ("clocks max £12, anything except red", "clocks", {"colour": ["red"]}),
    ("nothing red or pink, a doormat", "doormat", {"colour": ["red", "pink"]}),
    ("I don't want pink, show me candles", "candles", {"colour": ["pink"]}),
    ("a lunch box, no plastic please", "lunch box", {"material": ["plastic"]}),
    ("a clock, not christmas themed", "clock", {"word": ["christmas"]}),
])
def test_english_exclusions_are_constraints_not_needs(text, need, excluded):
    u = understand(text)
    assert u.query == need and u.exclude == excluded and "red" not in u.attributes.values()


@pytest.mark.parametrize("text,excluded", [("不要红色的", {"colour": ["red"]}), ("除了红色", {"colour": ["red"]}),
                                           ("除了红色以外都行", {"colour": ["red"]}),
                                           ("不要红色和粉色的", {"colour": ["red", "pink"]}),
                                           ("不要塑料的", {"material": ["plastic"]})])
def test_chinese_exclusions(text, excluded):
    u = understand(text)
    assert u.exclude == excluded and not u.attributes


def test_exclusion_is_a_hard_filter_on_attributes_and_titles():
    c = Constraints(query="bag", exclude={"colour": ["red"]})
    assert not satisfies({"title": "Jumbo Bag Red Retrospot", "price": 1.95, "attributes": {}}, c)
    assert not satisfies({"title": "Jumbo Bag", "price": 1.95, "attributes": {"colour": "Red"}}, c)
    assert satisfies({"title": "Jumbo Bag Blue Paisley", "price": 1.95, "attributes": {}}, c)
    cols = FilterColumns.from_json({"prices": [1.0, 2.0, 3.0], "categories": ["a", "a", "b"],
                                    "attributes": {"colour": ["red", "blue", ""]}})
    assert cols.mask(SearchFilters(exclude={"colour": ("red",)})).tolist() == [False, True, True]
    assert cols.mask(SearchFilters(exclude={"category": ("b",)})).tolist() == [True, True, False]
    with pytest.raises(InvalidParameter, match="exclude"):
        SearchFilters(exclude={"colour": ("",)})
    with pytest.raises(InvalidParameter, match="exclude"):
        Constraints(exclude={"mood": ["sad"]})


def test_exclusion_end_to_end_never_shown_and_said_back(bot):
    r = bot.turn("a bag but not red")
    assert r.products and all("red" not in t.casefold() for t in _titles(r))
    assert "not red" in r.reply
    r2 = bot.turn("clocks max £12, anything except red")
    assert r2.products and all("red" not in t.casefold() and p["price"] <= 12 for t, p in zip(_titles(r2), r2.products))
    r3 = bot.turn("不要红色的", session=r2.session)  # follow-up in Chinese keeps the clocks
    assert r3.products and all("clock" in t.casefold() and "red" not in t.casefold() for t in _titles(r3))
    state = bot.session(r3.session)
    assert state["constraints"]["exclude"] == {"colour": ["red"]}


def test_asking_for_an_excluded_value_lifts_the_exclusion(bot):
    r = bot.turn("alarm clock, not red")
    assert _titles(r)[0] == "Alarm Clock Bakelike Green" and all("red" not in t.casefold() for t in _titles(r))
    r2 = bot.turn("actually the red ones", session=r.session)
    assert _titles(r2) == ["Alarm Clock Bakelike Red"]


# -- number words and Chinese numerals -------------------------------------------------------------
@pytest.mark.parametrize("text,max_price", [("for two pounds or less", 2), ("six pounds", 6), ("3 quid tops", 3),
                                             ("no more than seven pounds", 7), ("under a fiver", 5),
                                             ("less than a tenner", 10), ("twenty-five quid max", 25),
                                             ("a candle, a hundred pounds at most", 100)])
def test_english_budget_words(text, max_price):
    assert understand(text).max_price == max_price


def test_english_number_words_elsewhere():
    assert understand("buy two candles").quantity == 2
    assert understand("between five and ten pounds").min_price == 5
    shown = [{"id": str(i), "attributes": {}} for i in range(3)]
    assert understand("the second one", shown).refs == [1]
    assert understand("compare the first two", shown).refs == [0, 1]
    assert english_digits("the red one") == "the red one"  # a pronoun, not a number


@pytest.mark.parametrize("text,max_price", [("预算五英镑", 5), ("三镑以下", 3), ("两英镑", 2), ("最多7镑", 7),
                                             ("二十五镑以内", 25), ("不要超过五十元", 50), ("十二镑封顶", 12)])
def test_chinese_numeral_budgets(text, max_price):
    assert understand(text).max_price == max_price


def test_chinese_numerals_elsewhere():
    assert [chinese_value(x) for x in ("两", "十二", "二十五", "五十", "一百五", "一百零五", "两千")] == \
        [2, 12, 25, 50, 150, 105, 2000]
    assert understand("俩杯子").quantity == 2 and understand("要十二个").quantity == 12
    shown = [{"id": str(i), "attributes": {}} for i in range(3)]
    assert understand("第二个", shown).refs == [1] and understand("比较前两个", shown).refs == [0, 1]
    assert chinese_digits("便宜一点") == "便宜一点" and chinese_digits("一些") == "一些"
    assert understand("三到五镑").min_price == 3


# -- typos and spacing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,query", [("candel", "candle"), ("lantren under a fiver", "lantern"),
                                        ("a notebok", "notebook"), ("door mats", "doormats"), ("tea pot", "teapot")])
def test_typos_and_spacing_against_the_catalogue(vocab, text, query):
    u = understand(text, vocab=vocab)
    assert query in (u.query, u.product_type) and not u.suggestions and u.confidence > UNEXPLAINED_CONFIDENCE


def test_typos_end_to_end(bot):
    for text, word in (("candel", "candle"), ("lantren", "lantern"), ("door mats", "doormat"), ("tea pot", "teapot"),
                       ("notebok", "notebook")):
        r = bot.turn(text)
        assert r.products and all(word in t.casefold() for t in _titles(r)), (text, r.reply)


# -- Chinese nouns over English titles --------------------------------------------------------------------
@pytest.mark.parametrize("text,query,colour", [("看看蜡烛", "candle", None), ("红色雨伞", "umbrella", "red"),
                                               ("我想要一个茶壶", "teapot", None), ("门垫", "doormat", None)])
def test_chinese_nouns_map_to_english_titles(vocab, text, query, colour):
    u = understand(text, vocab=vocab)
    assert u.query == query and u.attributes.get("colour") == colour


def test_chinese_noun_kept_through_follow_ups(bot):
    r = bot.turn("看看蜡烛")
    assert r.products and all("candle" in t.casefold() for t in _titles(r))
    r2 = bot.turn("要粉色的", session=r.session)
    assert r2.products and all("candle" in t.casefold() and "pink" in t.casefold() for t in _titles(r2))
    r3 = bot.turn("红色雨伞")
    assert _titles(r3) == ["Red Retrospot Umbrella"]


# -- honest confidence -------------------------------------------------------------------------------------
def test_unexplained_words_lower_confidence(vocab):
    assert understand("a flibbertigibbet", vocab=vocab).confidence <= UNEXPLAINED_CONFIDENCE
    assert understand("not too expensive lamp").confidence <= UNEXPLAINED_CONFIDENCE  # a "not" nothing read
    assert understand("不要太贵").confidence <= UNEXPLAINED_CONFIDENCE
    assert understand("a candle", vocab=vocab).confidence > 0.5  # fully explained stays on the rules


def test_low_confidence_turn_goes_to_the_model_tier(shop):
    from tests.assistant.test_router import ScriptedBackend

    from greencart.assistant import RouterConfig

    backend = ScriptedBackend(name="llm-local", need={"query": "candle"})
    bot = Assistant(shop, cache=SemanticCache(embedder=None), llm=backend, config=RouterConfig())
    bot.turn("a flibbertigibbet candle")
    assert "understand" in backend.calls
    backend.calls.clear()
    bot.turn("a pink candle")
    assert backend.calls == []


def test_uncertain_spelling_asks_one_question():
    v = CatalogVocabulary.build(["Tassel Garland", "Hassel Tin", "Tassel Bag", "Hassel Box"])
    u = understand("rassel", vocab=v)
    assert u.suggestions and u.confidence <= UNEXPLAINED_CONFIDENCE


# -- hostile input -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["not " * 400, "除了" * 300, "不要", "not", "no no no", "except except £",
                                  "nothing over nothing", "一二三四五六七八九十百千万" * 20, "twenty " * 200])
def test_hostile_input_parses(text, vocab):
    u = understand(text, vocab=vocab)
    assert 0.0 <= u.confidence <= 1.0


def test_hostile_input_through_the_assistant(bot):
    r = bot.turn("not " * 300)
    assert r.reply
    with pytest.raises(InvalidParameter):
        bot.turn("   ")


def test_catalogue_labels_teach_the_rules_their_words():
    from greencart.catalog.vocabulary import attribute_labels

    products = [Product(id="G1", title="Desk Gizmo", category="electronics", price=9.0,
                        attributes={"type": "gizmo", "colour": "Chartreuse", "material": "Bakelite"})]
    v = CatalogVocabulary.build(["Desk Gizmo Chartreuse"], labels=attribute_labels(products))
    u = understand("a chartreuse gizmo, not bakelite", vocab=v)
    assert (u.product_type, u.category, u.attributes) == ("gizmo", "electronics", {"colour": "chartreuse"})
    assert understand("bakelite gizmos", vocab=v).attributes == {"material": "bakelite"}


@pytest.mark.parametrize("text,excluded", [
    ("earrings that aren't blue", {"colour": ["blue"]}), ("pencils, don't show me plastic ones", {"material": ["plastic"]}),
    ("铅笔，红的不要", {"colour": ["red"]}), ("毛衣，羊绒的不要", {"material": ["cashmere"]}),
    ("绿色以外的丝带", {"colour": ["green"]}), ("相框但不是银色的", {"colour": ["silver"]}),
    ("耳环，not black", {"colour": ["black"]}), ("running shoes 不要 red", {"colour": ["red"]}),
    ("蜡烛，not ivory", {"colour": ["ivory"]}),
])
def test_exclusions_after_the_noun_and_mixed(text, excluded):
    assert understand(text).exclude == excluded


@pytest.mark.parametrize("text", ["actually make it red", "sorry, I meant red", "change that to red", "算了，要红色的",
                                  "不对，我要红色的", "还是换成红色吧"])
def test_corrections_refine_instead_of_starting_a_need(text):
    u = understand(text)
    assert not u.has_need and u.attributes == {"colour": "red"}


def test_title_typos_and_plural_typos(vocab):
    v = CatalogVocabulary.build(["Pearl Braclet"] + [f"Bracelet {i}" for i in range(6)] + ["Wall Clock"] * 3)
    assert v.correct("braclet").word == "bracelet" and v.correct("braclet").certain  # the titles' own typo
    assert v.correct("clacks").word == "clock"  # its singular is one edit away
    assert understand("do you sell tea pots?", vocab=vocab).query == "teapots"


def test_chinese_need_words_are_part_of_the_cache_signature():
    assert understand("看看灯笼").signature() != understand("看看门垫").signature()
    assert understand("a lantern").signature() == understand("a doormat").signature()  # English: the embedder decides


def test_the_model_tier_cannot_turn_an_exclusion_into_a_wish():
    from greencart.assistant.llm_understand import merge_need, validate_need

    v = validate_need({"colour": "red", "query": "bag"}, "a bag but not red")
    assert "colour" not in v.accepted and "ruled" in v.rejected["colour"]
    assert "colour" not in validate_need({"colour": "red"}, "不要红色的包").accepted
    assert validate_need({"colour": "red"}, "a red bag, not blue").accepted["colour"] == "red"
    u = understand("a flibbertigibbet, not red")
    assert merge_need(u, {"colour": "red"}).attributes == {}


def test_free_of_and_number_groups():
    assert understand("polyester-free duvet covers").exclude == {"material": ["polyester"]}
    assert understand("a kettle free of plastic").exclude == {"material": ["plastic"]}
    assert understand("peat-free compost").exclude == {}  # a material the catalogue names
    u = understand("yoga mat between twenty and forty pounds")
    assert (u.min_price, u.max_price) == (20, 40)
    assert english_digits("one hundred and twenty five quid") == "125 quid"
    assert understand("any cake stands?", vocab=CatalogVocabulary.build(["Cakestand", "Cake Stand Pink", "Cake Stand"])
                      ).query == "cake stands"  # written apart more often than together: not joined


def test_mixed_english_attributes_and_availability_questions():
    u = understand("给我看看 red sandals")
    assert u.attributes == {"colour": "red"} and u.query == "sandals"
    shown = [{"id": "a", "attributes": {"colour": "beige"}}]
    u = understand("有米色的吗", shown)  # "do you have beige ones?": a refinement, not "the beige one"
    assert u.intent == "search" and u.attributes == {"colour": "beige"} and not u.refs
