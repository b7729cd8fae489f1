"""Number words as digits, so every quantity rule (budget, range, pack size, "the first two")
reads one form: English ("two pounds", "twenty-five quid", "a fiver", "a tenner", "a couple of")
and Chinese numerals ("两英镑", "俩", "十二", "二十五", "五十", "一百五").

English "one" and "a" become 1 only before a currency word ("one pound"), never in
"the red one"; Chinese numerals only before a unit or measure word (镑, 元, 个, 件 ...)
or after a word that announces a number (预算, 最多, 第, 前 ...), so 一点 / 一些 /
一下 stay words.
"""

from __future__ import annotations

import re

_EN_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_CURRENCY = r"(?:pounds?|quid|gbp|dollars?|bucks|euros?|quid's)"
_SLANG = ((re.compile(r"\b(?:a|one)\s+fiver\b|\bfiver\b"), "£5"),
          (re.compile(r"\b(?:a|one)\s+tenner\b|\btenner\b"), "£10"),
          (re.compile(r"\b(?:a|one)\s+(?:score)\b"), "20"),
          (re.compile(r"\b(?:a\s+)?couple\s+of\s+(?=" + _CURRENCY + r")"), "2 "),
          (re.compile(r"\b(?:a\s+)?(?:pair|couple)\s+of\b"), "2"), (re.compile(r"\ba\s+dozen\b|\bdozen\b"), "12"),
          (re.compile(r"\bhalf\s+a\s+dozen\b"), "6"))
_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS], key=len, reverse=True))
_EN_NUMBER = re.compile(rf"\b(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*(?:\s+hundred(?:\s+(?:and\s+)?(?:{_WORD})"
                        rf"(?:[\s-]+(?:{_WORD}))?)?)?)\b")
_A_POUND = re.compile(rf"\b(?:a|an|one)\s+(?={_CURRENCY}\b)")


def _en_value(phrase: str) -> int | None:
    """One English number ("one hundred and twenty five"), or None when the words are several numbers
    ("twenty and forty", "two three")."""
    current, words = 0, [w for w in re.split(r"[\s-]+", phrase) if w]
    for i, w in enumerate(words):
        if w == "and":
            if i == 0 or words[i - 1] != "hundred":  # "twenty and forty": two numbers
                return None
        elif w == "hundred":
            if not 0 <= current < 10 or (i and words[i - 1] == "hundred"):
                return None
            current = (current or 1) * 100
        elif w in _EN_TENS:
            if current % 100:
                return None
            current += _EN_TENS[w]
        elif w in _EN_UNITS:
            rest = current % 100
            if rest % 10 or 0 < rest < 20 or (rest == 0 and current and _EN_UNITS[w] == 0):
                return None
            current += _EN_UNITS[w]
        else:
            return None
    return current


def english_digits(text: str) -> str:
    """Lower-case English text with number words as digits ("under twenty five quid" -> "under 25 quid").
    A lone "one" stays a word (it is a pronoun far more often than a number)."""
    for pattern, repl in _SLANG:
        text = pattern.sub(repl, text)
    text = _A_POUND.sub("1 ", re.sub(r"\b(?:a|one)\s+hundred\b", "one hundred", text))

    def repl(m: re.Match[str]) -> str:
        phrase = m.group(0)
        if phrase == "one":
            return phrase
        value = _en_value(phrase)
        if value is None:  # "five and ten": two numbers, not one
            return re.sub(rf"\b(?:{_WORD})\b", lambda w: w.group(0) if w.group(0) == "one"
                          else str(_en_value(w.group(0))), phrase)
        return str(value)

    return _EN_NUMBER.sub(repl, text)


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_NUM = "零〇一二两俩三四五六七八九十百千万"
_ZH_UNIT = (r"(?:英镑|镑|磅|元|块钱|块|刀|美元|欧元|欧|人民币|个|件|双|条|台|只|套|包|盒|瓶|支|根|把|款|种|张|本|对|"
            r"副|顶|个装|只装|件装|pcs)")
_ZH_BEFORE = (r"(?:第|前|预算|预算是|预算在|最多|至多|不超过|不要超过|别超过|不到|低于|少于|高于|超过|至少|不低于|"
              r"最少|大概|约|以内|以下|到|至|-|~)")
_ZH_RUN = re.compile(rf"{_ZH_BEFORE}\s*([{_ZH_NUM}]+)"
                     rf"|([{_ZH_NUM}]+)(?=\s*(?:点[{_ZH_NUM}]+\s*)?{_ZH_UNIT}|\s*(?:以下|以内|之内|以上|封顶|左右)"
                     rf"|\s*(?:到|至|-|~)\s*[\d{_ZH_NUM}])")
_ZH_DECIMAL = re.compile(rf"(\d+)点([{_ZH_NUM}]+)")


def chinese_value(run: str) -> int | None:
    """A Chinese numeral ("二十五", "一百五", "两千") as an integer, or None if it is not one."""
    if not run or any(ch not in _ZH_DIGITS and ch not in _ZH_POWERS for ch in run):
        return None
    if all(ch in _ZH_DIGITS for ch in run):  # digit by digit: "一二" = 12
        return int("".join(str(_ZH_DIGITS[ch]) for ch in run))
    total, section, digit = 0, 0, None
    last_power, zero = 1, False
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
            zero = zero or digit == 0
            continue
        power = _ZH_POWERS[ch]
        if power == 10000:
            total += (section + (digit or 0)) * power
            section, digit, last_power = 0, None, 10000
            continue
        section += (1 if digit is None else digit) * power
        digit, last_power, zero = None, power, False
    if digit is not None:  # "一百五" = 150: a trailing digit counts in the next lower place; "一百零五" = 105
        section += digit * (last_power // 10 if last_power >= 100 and not zero else 1)
    return total + section


def chinese_digits(text: str) -> str:
    """Chinese numerals before units or after number words as digits ("三镑以下" -> "3镑以下")."""
    def repl(m: re.Match[str]) -> str:
        run = m.group(1) or m.group(2)
        value = chinese_value(run)
        if value is None:
            return m.group(0)
        start = (m.start(1) if m.group(1) else m.start(2)) - m.start()
        return m.group(0)[:start] + str(value) + m.group(0)[start + len(run):]

    text = _ZH_RUN.sub(repl, re.sub(r"俩(?![个件只])", "2个", text))
    return _ZH_DECIMAL.sub(lambda m: f"{m.group(1)}.{''.join(str(_ZH_DIGITS.get(c, '')) for c in m.group(2))}", text)
