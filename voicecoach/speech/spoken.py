"""Text as it is said: numbers, scores and symbols in words, markup dropped, paragraphs kept apart.

Every Speaker voices ``spoken_paragraphs(text)``; the transcript keeps the written form. Pure functions only.
"""

from __future__ import annotations

import re

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"))
_ORDINAL_WORDS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
    "twelve": "twelfth",
}  # fmt: skip
_SUFFIX_SCALE = {"k": "thousand", "K": "thousand", "M": "million", "bn": "billion", "B": "billion"}
_YEAR_CUES = frozenset(
    ("in", "since", "by", "of", "from", "until", "till", "before", "after", "early", "late", "mid", "during", "year")
)
_PHRASES = (  # written shorthand people never say as written
    (r"\be\.g\.,?", "for example,"),
    (r"\bi\.e\.,?", "that is,"),
    (r"\betc\.", "et cetera."),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"(?<!\w)w/(?=\s)", "with"),
    (r"\b24/7\b", "twenty-four seven"),
    (r"(?<=[A-Za-z])/(?=[A-Za-z])", " or "),
    (r"\s*&\s*", " and "),
    (r"\s*(?:->|→)\s*", " to "),
    (r"(?<![\w.])~\s*(?=\d)", "about "),
    (r"(?<![\w.])\+(?=\d)", "plus "),
    (r"(?<![\w.\d])[-−](?=\d)", "minus "),
    (r"#(?=\d)", "number "),
)
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"


def cardinal(n: int) -> str:
    """A whole number in words: 1204 -> 'one thousand two hundred four', 45 -> 'forty-five'."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + cardinal(rest))
    for size, name in _SCALES:
        if n >= size:
            if n // size >= 1000:  # beyond trillions: digit by digit is what people do
                break
            rest = n % size
            return cardinal(n // size) + " " + name + ("" if rest == 0 else " " + cardinal(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def ordinal(n: int) -> str:
    """1 -> 'first', 22 -> 'twenty-second', 40 -> 'fortieth'."""
    words = cardinal(n)
    head, sep, last = words.rpartition("-") if "-" in words.split()[-1] else words.rpartition(" ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def year(n: int) -> str:
    """1984 -> 'nineteen eighty-four', 2005 -> 'two thousand five', 2024 -> 'twenty twenty-four'."""
    if 2000 <= n < 2010 or n % 100 == 0:
        return cardinal(n)
    rest = n % 100
    return cardinal(n // 100) + " " + ("oh " + _ONES[rest] if rest < 10 else cardinal(rest))


def number(text: str, drop_zero: bool = False) -> str:
    """A written number ('1,200', '5.2', '0.25') in words; drop_zero says a score's '4.0' as 'four'."""
    whole, _, frac = text.replace(",", "").partition(".")
    words = cardinal(int(whole))
    if frac and not (drop_zero and not frac.strip("0")):
        words += " point " + " ".join(_ONES[int(d)] for d in frac)
    return words


def _money(m: re.Match[str]) -> str:
    amount, scale = m.group(1), m.group(2)
    if scale:
        return f"{number(amount)} {_SUFFIX_SCALE.get(scale, scale.lower())} dollars"
    whole, _, cents = amount.replace(",", "").partition(".")
    dollars = cardinal(int(whole)) + (" dollar" if whole == "1" else " dollars")
    if len(cents) == 2:
        return dollars if cents == "00" else f"{dollars} and {cardinal(int(cents))} cents"
    return dollars if not cents else number(amount) + " dollars"


def _score(m: re.Match[str]) -> str:
    return f"{number(m.group(1), drop_zero=True)} out of {number(m.group(2), drop_zero=True)}"


def _slash_score(m: re.Match[str]) -> str:
    top, bottom = float(m.group(1)), int(m.group(2))
    if bottom not in (5, 10, 100) or top > bottom:  # '24/7' is not a score
        return m.group(0)
    return _score(m)


def _plain_number(m: re.Match[str]) -> str:
    text = m.group(0)
    if "." in text and text.count(".") > 1:  # a version such as 5.2.1
        return " point ".join(number(part) for part in text.split("."))
    value = int(text.replace(",", "").partition(".")[0])
    before = m.string[: m.start()].split()
    cue = before[-1].lower().strip("(,") if before else ""
    if "," not in text and "." not in text and 1100 <= value <= 2099 and cue in _YEAR_CUES:
        return year(value)
    return number(text)


def as_spoken(text: str) -> str:
    """The words to voice for text: '4.0 out of 5' -> 'four out of five', '12%' -> 'twelve percent'."""
    t = re.sub(r"[*_`#>|]+(?!\d)", " ", text)  # markdown emphasis, code, headings, quotes, tables
    t = re.sub(r"(?m)^\s*(?:[-•]|\d+[.)])\s+", "", t)  # list markers
    for pattern, replacement in _PHRASES:
        t = re.sub(pattern, replacement, t)
    t = re.sub(rf"({_NUM})\s*out of\s*({_NUM})", _score, t)
    t = re.sub(rf"({_NUM})\s*/\s*(\d+)\b", _slash_score, t)
    t = re.sub(rf"\$\s?({_NUM})(?:\s*(k|K|M|bn|B|thousand|million|billion)\b)?", _money, t)
    t = re.sub(rf"({_NUM})\s*%", lambda m: number(m.group(1)) + " percent", t)
    t = re.sub(rf"({_NUM})\s?pp\b", lambda m: number(m.group(1)) + " percentage points", t)
    t = re.sub(rf"({_NUM})(k|K|M|bn|B)\b", lambda m: f"{number(m.group(1))} {_SUFFIX_SCALE[m.group(2)]}", t)
    t = re.sub(rf"({_NUM})x\b", lambda m: number(m.group(1)) + " times", t)
    t = re.sub(rf"({_NUM})\s?ms\b", lambda m: number(m.group(1)) + " milliseconds", t)
    t = re.sub(r"(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1))), t)
    t = re.sub(r"\bv(\d+(?:\.\d+)+)\b", lambda m: "version " + m.group(1), t)
    t = re.sub(r"(?<![\d.])(\d+)\s*[-–]\s*(\d+)(?![\d.-])", lambda m: f"{m.group(1)} to {m.group(2)}", t)
    t = re.sub(r"\d+(?:,\d{3})+(?!\d)|\d+(?:\.\d+)+|\d+", lambda m: f" {_plain_number(m)} ", t)  # 'p95' too
    t = re.sub(r"[ \t]+([,.;:?!)])", r"\1", t)  # no space before punctuation left by the spaced numbers
    t = re.sub(r"\([ \t]+", "(", t)
    return re.sub(r"[ \t]+", " ", t).strip()


def spoken_paragraphs(text: str) -> list[str]:
    """The spoken paragraphs of text: split at blank lines; a line break inside one ends a sentence."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [as_spoken(line) for line in block.splitlines()]
        lines = [line if line[-1] in ".?!:;," else line + "." for line in lines if line]
        if lines:
            paragraphs.append(" ".join(lines))
    return paragraphs
