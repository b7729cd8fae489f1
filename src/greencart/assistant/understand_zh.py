"""Chinese rules: 预算, 属性 (颜色, 材质, 尺码), 品类, 指代 (第二个, 那个红色的, 前两个), 意图."""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING

from greencart.assistant import lexicon as lx
from greencart.assistant.numbers import chinese_digits
from greencart.assistant.understand import (
    IntentPatterns,
    Understanding,
    bare_budget_and_cheaper,
    classify_intent,
    cut,
    find_need,
    is_chinese,
)

if TYPE_CHECKING:
    from greencart.catalog.vocabulary import CatalogVocabulary

_NUM = r"(\d+(?:\.\d{1,2})?)"
_CUR = r"(?:元|块钱|块|镑|英镑|rmb|£|¥|￥)?"
_RANGE = re.compile(rf"{_NUM}\s*{_CUR}\s*(?:到|至|-|~|－)\s*{_NUM}\s*{_CUR}")
_MAX = (re.compile(rf"(?:不超过|低于|少于|不到|最多|预算|以内|{_CUR}){_NUM}?\s*{_CUR}\s*(?:以下|以内|之内|内)"),
        re.compile(rf"(?:不超过|不高于|不多于|不要超过|别超过|低于|少于|不到|最多|至多|最高|封顶|预算是?|预算在|价格在)"
                   rf"\s*[£¥￥]?{_NUM}\s*{_CUR}"),
        re.compile(rf"{_NUM}\s*{_CUR}\s*(?:封顶|顶多|最多)"))
_MIN = (re.compile(rf"{_NUM}\s*{_CUR}\s*以上"),
        re.compile(rf"(?:(?<![不别])高于|(?<![不别要])超过|至少|不低于|最少|最低)\s*[£¥￥]?{_NUM}\s*{_CUR}"))
_BARE = re.compile(rf"[£¥￥]{_NUM}|{_NUM}\s*(?:元|块钱|块|镑|英镑)")
_CHEAPER = re.compile(r"便宜一点|便宜点|便宜些|更便宜|再便宜|便宜一些|价格低一点|实惠一点")
_GREET = re.compile(r"^(你好|您好|嗨|哈喽|早上好|晚上好)[!！。,，\s]*$")
_COMPARE = re.compile(r"比较|对比|比一比|哪个好|区别|有什么不同")
_GREENER = re.compile(r"更环保|更低碳|碳排放更低|环保的替代|替代品|换一个更|更绿色")
_ASK = (("price", re.compile(r"多少钱|价格是|什么价|几块钱")),
        ("material", re.compile(r"什么材料|什么材质|材质是|用什么做|材料是")),
        ("footprint", re.compile(r"碳足迹|碳排放|排放多少|多少碳|二氧化碳")))
_ORD = {"一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "五": 4}
_ORDINAL = re.compile(r"第\s*([一二三四五1-5])\s*(?:个|款|件|种)?|最后一(?:个|款|件)")
_FIRST_N = re.compile(r"前\s*([两二三2-3])\s*(?:个|款|件|种)?")
_QTY = re.compile(r"(?<![第前\d])(\d{1,3}|[一两二三四五六七八九十])\s*(?:个|件|双|条|台|只|套|包|盒|瓶)")
_SIZE = re.compile(r"(XXL|XL|XS|S|M|L)\s*码|英码\s*(\d{1,2})|(?<![A-Za-z])(XXL|XL|XS)(?![A-Za-z])", re.IGNORECASE)
_jieba_lock = threading.Lock()


_WANT = re.compile(r"想要|我要|想买|要买|找|推荐|需要")
_QUESTION = re.compile(r"[?？吗呢]|什么|多少|哪")
_INTENTS = IntentPatterns(_GREET, _COMPARE, _GREENER, tuple(_ASK))

def _budget(t: str, u: Understanding) -> str:
    if m := _RANGE.search(t):
        u.min_price, u.max_price = sorted((float(m.group(1)), float(m.group(2))))
        return cut(t, m)
    for pattern in _MAX:
        if (m := pattern.search(t)) and m.group(1):
            u.max_price = float(m.group(1))
            t = cut(t, m)
            break
    for pattern in _MIN:
        if m := pattern.search(t):
            u.min_price = float(m.group(1))
            t = cut(t, m)
            break
    return bare_budget_and_cheaper(t, u, _BARE, _CHEAPER)


_EXCL = re.compile(r"(?:不要|别要|不想要|不需要|不喜欢|不买|除了|除去|排除|不含|不带|不用|别给我|别推荐|别来|不能是|别是|"
                   r"但不是|不是|非|(?<![a-z])(?:not|no|except|without|but not)(?![a-z]))"
                   r"\s*(?:是|用|买|那种|那些|要)?\s*")
# "红的不要", "塑料的不要", "绿色以外的": the thing ruled out comes first
_EXCL_AFTER = re.compile(r"\s*(?:色|颜色)?\s*(?:的)?\s*(?:不要|也不要|别要|不行|不考虑|以外|之外)(?:的)?")
_EXCL_TAIL = re.compile(r"^\s*(?:色|颜色|的|做的|材质的|材料的|款|那种|那些|系列)*(?:以外|之外|外)?(?:的)?"
                        r"(?:都行|都可以|就行|都好|其他的?|别的)?")


def _exclusion_target(rest: str, vocab: CatalogVocabulary | None) -> tuple[str, str, int] | None:
    """(key, value, length) of what an exclusion word rules out, read at the start of ``rest``."""
    tables = (("colour", lx.colours_zh()), ("material", lx.materials_zh()), ("type", lx.types_zh()),
              ("category", lx.categories_zh()))
    for key, table in tables:
        for word in sorted((w for w in table if rest.startswith(w)), key=len, reverse=True):
            value = table[word]
            return key, (value.name if key == "type" else str(value)), len(word)  # type: ignore[attr-defined]
    if m := re.match(r"[a-z][a-z-]*(?: [a-z][a-z-]*)?", rest):  # mixed: "不要 red", "not black"
        for phrase in (m.group(0), m.group(0).split(" ")[0]):
            for key, table in (("colour", lx.colours_en()), ("material", lx.materials_en())):
                if phrase in table:
                    return key, str(table[phrase]), len(phrase)
    for ch, en in _SHORT_COLOURS:
        if rest.startswith(ch):
            return "colour", en, 1
    if vocab is not None and (tokens := _tokens(rest[:8])):
        from greencart.assistant.crosslingual import english_noun

        if (en := english_noun(tokens[0], vocab)) is not None:
            return "word", en, len(tokens[0])
    return None


def _exclusions_after(t: str, u: Understanding, vocab: CatalogVocabulary | None) -> str:
    """"红的不要", "塑料的不要", "绿色以外的丝带": a colour or material, then the word that rules it out."""
    colours = {**lx.colours_zh(), **{c: en for c, en in _SHORT_COLOURS}}
    for table, key in ((colours, "colour"), (lx.materials_zh(), "material")):
        for word in sorted((w for w in table if w in t), key=len, reverse=True):
            for m in list(re.finditer(re.escape(word) + _EXCL_AFTER.pattern, t)):
                u.add_exclusion(key, table[word])
                t = t[:m.start()] + " " * (m.end() - m.start()) + t[m.end():]
    return t


_SHORT_COLOURS = (("红", "red"), ("白", "white"), ("黑", "black"), ("蓝", "blue"), ("绿", "green"), ("黄", "yellow"),
                  ("粉", "pink"), ("紫", "purple"), ("灰", "grey"), ("金", "gold"), ("银", "silver"), ("棕", "brown"))


def _exclusions(t: str, u: Understanding, vocab: CatalogVocabulary | None) -> str:
    """"不要红色的", "除了红色以外": cut out and kept as exclusions (colour, material, type, word)."""
    t = _exclusions_after(t, u, vocab)
    while m := _EXCL.search(t):
        rest = t[m.end():]
        found = []
        while (hit := _exclusion_target(rest, vocab)) is not None:
            found.append(hit)
            rest = rest[hit[2]:]
            sep = re.match(r"^\s*(?:色|颜色)?\s*(?:的)?\s*(?:和|或|或者|、|,|，|跟|还有|也不要|也别)\s*", rest)
            if sep is None or _exclusion_target(rest[sep.end():], vocab) is None:
                break
            rest = rest[sep.end():]
        if not found:  # nothing this word rules out that we know: leave it, unexplained
            t = t[:m.start()] + "\x00" + t[m.end():]
            continue
        for key, value, _ in found:
            u.add_exclusion("word" if key == "type" and vocab is not None and not vocab.chinese_titles else key, value)
        tail = _EXCL_TAIL.match(rest)
        t = t[:m.start()] + " " + rest[tail.end() if tail else 0:]
    return t.replace("\x00", " 不要 ")  # kept as a word the parse did not explain


def _references(t: str, u: Understanding) -> str:
    if m := _FIRST_N.search(t):
        n = _ORD.get(m.group(1), None)
        u.refs = list(range((n + 1) if n is not None else int(m.group(1))))
        t = cut(t, m)
    for m in _ORDINAL.finditer(t):
        g = m.group(1)
        u.refs.append(-1 if g is None else (_ORD[g] if g in _ORD else int(g) - 1))
    t = _ORDINAL.sub(" ", t)
    for start, end, word in lx.longest_matches(t, lx.colours_zh(), word_boundary=False):
        ref_context = re.search(r"(那个|这个|那款|这款|那件|这件)\s*$", t[:start]) or t[end:end + 1] == "的"
        if ref_context and u.product_type is None and not re.search(r"找|买|要|推荐|有.*[吗么嘛]|有没有", t):
            u.ref_colour = lx.colours_zh()[word]
            return t[:start] + " " + t[end:]
    return t


def _whole_words(t: str, table: dict[str, object]) -> dict[str, object]:
    """The keys found in ``t`` that are not part of a longer word ("茶" in "茶壶" is not tea)."""
    present = {k: v for k, v in table.items() if k in t}
    if not present:
        return present
    tokens = _tokens(t)
    return {k: v for k, v in present.items() if not any(k in tok and k != tok and len(tok) > len(k) for tok in tokens)}


def _need(t: str, u: Understanding) -> str:
    return find_need(t, u, _whole_words(t, lx.types_zh()), _whole_words(t, lx.categories_zh()),  # type: ignore[arg-type]
                     word_boundary=False, prefer_last=False)


def _attributes(t: str, u: Understanding) -> str:
    for table, key in ((lx.colours_zh(), "colour"), (lx.materials_zh(), "material"), (lx.CONDITIONS_ZH, "condition")):
        for start, end, word in lx.longest_matches(t, table, word_boundary=False):
            u.attributes.setdefault(key, table[word])
            t = t[:start] + " " * (end - start) + t[end:]
    for table, key in ((lx.colours_en(), "colour"), (lx.materials_en(), "material")):  # mixed: "给我看看 red sandals"
        for start, end, word in lx.longest_matches(t.casefold(), table, word_boundary=True):
            u.attributes.setdefault(key, table[word])
            t = t[:start] + " " * (end - start) + t[end:]
    if m := _SIZE.search(t):
        if m.group(2):
            u.attributes["size"] = f"UK {m.group(2)}"
        else:
            u.attributes["size"] = (m.group(1) or m.group(3)).upper()
        t = cut(t, m)
    return t


def _quantity(t: str, u: Understanding) -> str:
    if m := _QTY.search(t):
        word = m.group(1)
        n = int(word) if word.isdigit() else lx.ZH_NUMBERS.get(word, 1)
        if n > 1:
            u.quantity = n
        t = cut(t, m)
    return t


def _eco(t: str, u: Understanding) -> str:
    for word in lx.ZH_ECO:
        if word in t:
            u.eco = True
            t = t.replace(word, " ")
    return t


def _tokens(t: str) -> list[str]:
    import jieba

    with _jieba_lock:
        jieba.setLogLevel(logging.WARNING)
        return [w.strip() for w in jieba.cut(t) if w.strip()]


def _free_text(t: str, u: Understanding) -> None:
    t = re.sub(r"[，。！？、,.!?;；:：\"'“”（）()]", " ", t)
    t = re.sub(r"有吗|有没有|有么|有嘛|有木有|还有吗", " ", t)  # "洗漱包有吗": the tokenizer would glue 包有
    vague_words = [w for w in lx.ZH_VAGUE if w in t]
    for w in vague_words:
        t = t.replace(w, " ")
    words = [w for w in _tokens(t) if w not in lx.ZH_STOPWORDS and not w.isdigit() and len(w.strip()) > 0]
    words = [w for w in words if re.search(r"[\u3400-\u9fffA-Za-z]", w) and not set(w) <= lx.ZH_STOP_CHARS]
    u.vague = bool(vague_words) and not words and not u.product_type and not u.category
    u.query = " ".join(vague_words if u.vague else words)


def _cross_lingual(u: Understanding, vocab: CatalogVocabulary | None) -> None:
    """On a catalogue whose titles are English, the Chinese need words become the titles' words
    (CC-CEDICT); a word with no catalogue translation is left unexplained."""
    if vocab is None or vocab.chinese_titles or u.vague or not u.query:
        return
    from greencart.assistant.crosslingual import english_noun

    out: list[str] = []
    words = u.query.split()
    whole = "".join(words)
    if all(is_chinese(w) for w in words) and len(words) > 1 and (en := english_noun(whole, vocab)):
        words = [whole]  # "门垫" cut in two by the tokenizer is still one dictionary word
    for word in words:
        if not is_chinese(word):
            out.append(word)
        elif (en := english_noun(word, vocab)) is not None and en not in lx.EN_STOPWORDS and en not in lx.EN_FILLER:
            out.append(en)
        else:  # no catalogue word for it, or only a function word ("对" -> "for")
            u.unexplained.append(word)
    u.query = " ".join(out)


def parse(text: str, vocab: CatalogVocabulary | None = None) -> Understanding:
    u = Understanding(lang="zh")
    t = chinese_digits(re.sub(r"\s+", " ", text).strip())
    classify_intent(t, u, _INTENTS)
    if u.intent == "greet":
        return u
    t = _budget(t, u)
    t = _exclusions(t, u, vocab)
    t = _eco(t, u)
    t = _need(t, u)
    t = _references(t, u)
    if (u.refs or u.ref_colour) and u.intent == "search":
        u.intent = "select"
    t = _quantity(t, u)
    t = _attributes(t, u)
    _free_text(t, u)
    u.unexplained.extend(w for w in lx.ZH_NEGATIONS if w in t)
    _cross_lingual(u, vocab)
    if u.intent == "ask" and u.has_need and not u.refs and _WANT.search(t) and not _QUESTION.search(t):
        u.intent, u.question = "search", None  # "我想要有机棉做的毛巾": a need, not a question
    if u.intent == "greener" and u.has_need and not u.refs:
        u.intent, u.eco = "search", True
    return u
