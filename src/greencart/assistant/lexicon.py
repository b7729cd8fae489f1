"""Word lists the rule-based understanding reads (English and Chinese).

Built once, lazily, from the shared vocabularies (:mod:`greencart.catalog.categories`,
:mod:`greencart.demo.vocab`, :mod:`greencart.demo.product_types`), so a
word the catalogue uses is a word the assistant understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

APPAREL_SIZES = ("XXL", "XL", "XS", "S", "M", "L")
WORD_SIZES = {"small": "S", "medium": "M", "large": "L", "extra large": "XL"}

EN_NUMBERS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a pair of": 2, "a couple of": 2,
}
ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
EN_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
               "fifth": 4, "5th": 4, "last": -1}

EN_ECO = ("low carbon", "low-carbon", "lower carbon", "low footprint", "lower footprint", "eco",
          "eco-friendly", "eco friendly", "sustainable", "environmentally", "environment friendly",
          "planet", "climate", "greener", "greenest", "carbon friendly")
ZH_ECO = ("环保", "低碳", "碳足迹低", "可持续", "绿色环保", "更绿色", "减排")

EN_VAGUE = {"gift", "present", "something", "anything", "stuff", "thing", "things", "idea", "ideas",
            "surprise", "birthday", "christmas", "recommendation", "suggestion"}
ZH_VAGUE = ("礼物", "东西", "随便", "送人", "推荐点", "买点什么", "生日", "什么好")

EN_STOPWORDS = frozenset(["i", "im", "i'm", "me", "my", "we", "us", "our", "you", "your", "a", "an", "the", "some", "any", "for", "to", "of", "in", "on", "at", "with", "and", "or", "but", "is", "are", "be", "want", "wanted", "would", "like", "need", "needs", "looking", "look", "search", "searching", "find", "show", "me", "please", "can", "could", "get", "buy", "buying", "order", "something", "anything", "one", "ones", "it", "this", "that", "these", "those", "them", "there", "here", "what", "which", "have", "has", "do", "does", "dont", "don't", "just", "also", "really", "very", "maybe", "about", "around", "under", "below", "over", "above", "less", "more", "than", "between", "max", "maximum", "min", "minimum", "budget", "price", "priced", "cost", "costs", "pounds", "pound", "gbp", "eur", "usd", "dollars", "euros", "quid", "cheap", "cheaper", "cheapest", "expensive", "affordable", "under", "up", "no", "new", "good", "nice", "best", "help", "hi", "hello", "hey", "thanks", "thank", "ok", "okay", "yes", "yeah", "sure", "colour", "color", "size", "made", "material", "recommend", "recommendation", "recommendations", "suggest", "suggestion",
                           "suggestions", "should", "you"])

# Chat words that carry no need: a follow-up made of these plus a budget, an attribute or a
# reference refines the current need instead of starting a new search ("hmm, anything under 60?").
EN_FILLER = frozenset(["hmm", "hm", "hmmm", "mm", "um", "umm", "uh", "er", "erm", "well", "so", "then", "oh", "ah",
                       "right", "alright", "actually", "perhaps", "instead", "still", "again", "too", "now", "only",
                       "pls", "plz", "cool", "great", "fine", "what", "what's", "whats", "how", "about", "else",
                       "other", "others", "another", "rather", "prefer", "preferably", "ideally", "got", "give",
                       "let", "let's", "see", "after", "bit", "little", "lot", "much", "mind", "think", "guess",
                       "wondering", "wonder", "tell", "know", "kind", "sort", "options", "option", "go", "going",
                       "yep", "yup", "nope", "sorry", "even", "etc", "i'd", "i'll", "i've", "id", "ive", "it's",
                       "that's", "there's", "we're", "you're", "do", "did", "got", "gotten", "tenner", "fiver",
                       "same", "similar", "instead", "also", "either", "neither", "both", "all", "few", "couple",
                       "ones", "version", "versions", "selection", "show",
                       "showing", "available", "sell", "selling", "sale", "hunting", "hunt", "browse",
                       "browsing", "keen", "fancy", "love", "after", "today", "tonight", "tomorrow", "asap", "quick",
                       "quickly", "soon", "then", "lol", "haha", "cheers", "ta", "great", "awesome", "perfect",
                       # corrections and budget talk: they change a constraint, they name no need
                       "wait", "make", "made", "change", "changed", "switch", "mean", "meant", "correction", "scratch",
                       "spend", "spending", "afford", "where", "stock", "carry", "carrying", "stocking", "sells"])

# Words that start a qualifying phrase after the need ("a lantern for the garden",
# "a hot water bottle to keep warm"): what follows them describes the need, it is not the need.
EN_QUALIFIERS = frozenset(["for", "to", "with", "in", "on", "at", "from", "near", "by", "of", "like", "as", "that",
                           "which", "who", "because", "when", "while", "without", "into", "onto", "inside",
                           "outside", "around"])
# "want to", "like to": an infinitive, not a qualifying phrase
EN_INFINITIVE_VERBS = frozenset(["want", "wanted", "wants", "like", "love", "need", "needs", "going", "trying",
                                 "have", "hoping", "looking", "wish", "plan", "planning", "able", "try"])

# "looking for", "shopping for": part of the verb, not a qualifying phrase
EN_PHRASAL_FOR = frozenset(["looking", "look", "searching", "search", "shopping", "shop", "hunting", "hunt", "ask",
                            "asking", "go", "going", "went", "after", "i'm", "im", "something", "anything",
                            "options", "ideas", "idea", "suggestions", "recommendations"])

# Words that rule something out; one left over after the exclusion rules is a word the parse did not explain.
EN_NEGATIONS = frozenset(["not", "no", "non", "never", "except", "excluding", "without", "nothing", "none", "avoid",
                          "besides", "nor", "dont", "don't", "hate"])
ZH_NEGATIONS = ("不要", "别要", "不想要", "不需要", "不喜欢", "除了", "除去", "排除", "不含", "不带", "不用", "别给我", "别推荐")

ZH_STOPWORDS = frozenset(["我", "我们", "你", "想", "想要", "要", "买", "一个", "一件", "一双", "一台", "一只", "一条", "一套", "个", "件", "的", "了", "吗", "呢", "吧", "啊", "给", "有", "有没有", "没有", "请", "帮", "帮我", "找", "找找", "推荐", "一下", "看看", "看", "能", "可以", "什么", "哪个", "哪些", "这个", "那个", "这", "那", "是", "和", "与", "或", "还", "也", "就", "都", "元", "块", "钱", "以下", "以内", "之内", "以上", "左右", "预算", "价格", "便宜", "贵", "一点", "点", "些", "更", "比较", "最", "不", "超过", "低于", "高于", "少于", "不到",
                          # fillers: a follow-up of these plus a modifier refines the current need
                          "嗯", "嗯嗯", "哦", "噢", "喔", "呃", "额", "唔", "那", "那么", "那就", "好", "好的", "行", "嗯好",
                          "然后", "还有", "其他", "其它", "别的", "另外", "颜色", "款式", "的话", "有吗", "一些", "几款",
                          "几个", "呀", "哈", "哇", "吧", "啦", "就", "再", "换", "换个", "有没",
                          # corrections and range words: they change a constraint, they are no need
                          "之间", "中间", "不对", "算了", "还是", "换成", "改成", "改为", "改", "我要", "但", "但是", "就要",
                          "都行", "都可以", "有什么", "有哪些", "哪些", "几款", "几个", "有些", "我是说", "应该是", "其实",
                          "不是", "这个", "那个", "要是", "的话", "吧"])

ZH_STOP_CHARS = frozenset("我想要买个给的了吗呢吧点些一有没请帮找看能可以什么哪这那是和还也就都多少钱元块碳足迹款件对错算改换成但之间")


@dataclass(frozen=True)
class TypeEntry:
    name: str  # attributes["type"]
    category: str  # category slug


# Colour words every shop uses, beyond the demo's palette (an imported catalogue's titles say "Ivory").
MORE_COLOURS = {"ivory": "象牙色", "turquoise": "绿松石色", "lilac": "淡紫色", "lavender": "薰衣草紫", "khaki": "卡其色",
                "maroon": "栗色", "magenta": "品红色", "coral": "珊瑚色", "peach": "桃色", "mint": "薄荷绿",
                "aqua": "水绿色", "copper": "铜色", "bronze": "古铜色", "fuchsia": "紫红色"}


@lru_cache(maxsize=1)
def colours_en() -> dict[str, str]:
    """Lower-case English colour word -> attribute value."""
    from greencart.demo.vocab import COLOURS

    out = {c: c for c in [*COLOURS, *MORE_COLOURS]}
    out.update({"gray": "grey", "colour grey": "grey", "space gray": "space grey", "navy blue": "navy",
                "multicoloured": "multicolour", "multicolored": "multicolour"})
    return out


@lru_cache(maxsize=1)
def colours_zh() -> dict[str, str]:
    from greencart.demo.vocab import COLOURS

    out = {zh: en for en, zh in [*COLOURS.items(), *MORE_COLOURS.items()]}
    short = {"白": "white", "黑": "black", "红": "red", "蓝": "blue", "绿": "green", "黄": "yellow",
             "粉": "pink", "紫": "purple", "灰": "grey", "棕": "brown", "橙": "orange", "银": "silver",
             "金": "gold"}
    for ch, en in short.items():
        out.setdefault(ch + "的", en)
    return out


@lru_cache(maxsize=1)
def materials_en() -> dict[str, str]:
    from greencart.demo.vocab import MATERIALS

    out = {m.casefold(): m for m in MATERIALS}
    out.update({"metal": "metal", "aluminum": "aluminium",
                "recycled aluminum": "recycled aluminium"})
    return out


@lru_cache(maxsize=1)
def materials_zh() -> dict[str, str]:
    from greencart.demo.vocab import MATERIALS

    return {m.zh: m.name for m in MATERIALS.values()}


CONDITIONS_EN = {"refurbished": "refurbished", "reconditioned": "refurbished", "pre-owned": "pre-owned",
                 "second-hand": "pre-owned", "second hand": "pre-owned", "used": "pre-owned", "brand new": "new"}
CONDITIONS_ZH = {"翻新": "refurbished", "二手": "pre-owned", "全新": "new"}


@lru_cache(maxsize=1)
def categories_en() -> dict[str, str]:
    from greencart.catalog.categories import CATEGORIES

    out: dict[str, str] = {}
    for c in CATEGORIES:
        out[c.slug.replace("-", " ")] = c.slug
        out[c.name_en.casefold()] = c.slug
    out.update({"clothes": "apparel", "clothing": "apparel", "shoes": "footwear", "gadgets": "electronics",
                "appliances": "small-appliances", "food": "food-drink", "drinks": "food-drink",
                "groceries": "food-drink", "bedding": "home-textiles", "toy": "toys",
                "kitchen": "kitchen", "decor": "home-decor", "bags": "bags-accessories"})
    return out


@lru_cache(maxsize=1)
def categories_zh() -> dict[str, str]:
    from greencart.catalog.categories import CATEGORIES

    out = {c.name_zh: c.slug for c in CATEGORIES}
    out.update({"衣服": "apparel", "鞋子": "footwear", "鞋": "footwear", "零食": "food-drink",
                "饮料": "food-drink", "食品": "food-drink", "家电": "small-appliances"})
    return out


@lru_cache(maxsize=1)
def types_en() -> dict[str, TypeEntry]:
    """English product-type words (singular and simple plural) -> type and category."""
    from greencart.demo.product_types import PRODUCT_TYPES

    out: dict[str, TypeEntry] = {}
    for t in PRODUCT_TYPES:
        entry = TypeEntry(t.name, t.category)
        for word in {t.name, t.en.casefold()}:
            if word in ("bar",):
                continue
            out[word] = entry
            out.setdefault(word + "s", entry)
            if word.endswith("s"):
                out.setdefault(word[:-1], entry)
    aliases = {"tshirt": "t-shirt", "t shirt": "t-shirt", "tee": "t-shirt", "sneaker": "trainers",
               "phone": "smartphone", "mobile": "smartphone", "mobile phone": "smartphone", "cellphone": "smartphone",
               "jacket": "rain jacket", "sweater": "jumper", "pullover": "jumper", "couch": "sofa",
               "earphone": "earbuds", "in-ear headphone": "earbuds", "notepad": "notebook", "hoody": "hoodie",
               "ereader": "e-reader", "e reader": "e-reader", "kindle": "e-reader", "mattress topper": "duvet",
               "trackie": "leggings", "biro": "ballpoint pen"}
    for alias, name in aliases.items():
        if name in out and alias not in out:
            out[alias] = out[name]
            out.setdefault(alias + "s", out[name])  # "tees", "earphones", "notepads"
    return out


@lru_cache(maxsize=1)
def types_zh() -> dict[str, TypeEntry]:
    from greencart.demo.product_types import PRODUCT_TYPES

    out = {t.zh: TypeEntry(t.name, t.category) for t in PRODUCT_TYPES if t.zh}
    out.update({"牛奶": TypeEntry("milk", "food-drink"), "手机": out["智能手机"], "耳机": out["无线耳机"],
                "电脑": out["笔记本电脑"], "水壶": out["电水壶"], "t恤": out["T恤"]})
    return out


@lru_cache(maxsize=8192)
def _key_pattern(key: str, word_boundary: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])" if word_boundary else re.escape(key))


def longest_matches(text: str, table: dict[str, object], *, word_boundary: bool) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, key) matches of the table's keys, longest key first."""
    taken = [False] * len(text)
    found: list[tuple[int, int, str]] = []
    for key in sorted((k for k in table if k and k in text), key=len, reverse=True):  # substring test first: fast
        for m in _key_pattern(key, word_boundary).finditer(text):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), m.end(), key))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(found)


@lru_cache(maxsize=1)
def assistant_words() -> frozenset[str]:
    """Every English word and phrase the rules themselves read (never "corrected" to a title word)."""
    words: set[str] = set(EN_STOPWORDS) | set(EN_FILLER) | set(EN_VAGUE) | set(EN_QUALIFIERS) | set(EN_NEGATIONS)
    words |= set(EN_INFINITIVE_VERBS) | set(EN_PHRASAL_FOR) | set(EN_NUMBERS) | set(EN_ORDINALS) | set(EN_ECO)
    words |= set(colours_en()) | set(materials_en()) | set(types_en()) | set(categories_en()) | set(CONDITIONS_EN)
    words |= set(WORD_SIZES) | {"greener", "compare", "versus", "cheaper", "tops", "quid", "fiver", "tenner",
                                "between", "footprint", "carbon", "emissions", "eco"}
    return frozenset(w for phrase in words for w in (phrase, *phrase.split()))


def catalogue_tables(vocab: object | None) -> tuple[dict[str, TypeEntry], dict[str, str], dict[str, str]]:
    """(types, colours, materials) for a turn: the rules' own words plus the labels the catalogue's
    products carry (``CatalogVocabulary.labels``), merged once per vocabulary."""
    if vocab is None or not getattr(vocab, "labels", None):
        return types_en(), colours_en(), materials_en()
    derived = vocab.derived  # type: ignore[attr-defined]
    if "lexicon" not in derived:
        labels = vocab.labels  # type: ignore[attr-defined]
        types = dict(types_en())
        for label, category in labels.get("type", {}).items():
            entry = TypeEntry(label, category)
            types.setdefault(label, entry)
            types.setdefault(label + "s", entry)
        colours = {**colours_en(), **{k: v for k, v in labels.get("colour", {}).items() if k not in materials_en()}}
        materials = {**materials_en(), **{k: v for k, v in labels.get("material", {}).items() if k not in colours}}
        derived["lexicon"] = (types, colours, materials)
    return derived["lexicon"]  # type: ignore[no-any-return]
