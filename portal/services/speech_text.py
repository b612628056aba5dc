"""What read-aloud says: the text of a page's <main> (or of one named part of it), with numbers, times and
dates put the way people say them. In Chinese 10:30 is 十点半 and 14:05 十四点零五分, a time range
08:30–09:00 is 八点半到九点, a year 2026年 is 二零二六年, and a long run of digits (a phone number, a
resident number) is read digit by digit; masked characters (王*明, 139****0000) are left out.
"""

import re
from html.parser import HTMLParser

DIGITS = "零一二三四五六七八九"
SKIP_TAGS = {"script", "style", "svg", "template", "noscript", "dialog", "select", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "div", "section", "tr", "button", "a", "legend", "label"}
MAX_CHARACTERS = 4000  # a long page is cut here, so no request can keep the engine busy for minutes

TIME = r"([01]?\d|2[0-3])[:：]([0-5]\d)"
TIME_RANGE = re.compile(rf"(?<!\d){TIME}\s*[–—\-~～至]\s*{TIME}(?!\d)")
ONE_TIME = re.compile(rf"(?<!\d){TIME}(?!\d)")
YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
NUMBER = re.compile(r"\d+")
MASKED_DIGITS = re.compile(r"\d[\d*]{5,}\d")  # 139****0000: read digit by digit, the stars left out


def chinese_number(n: int) -> str:
    """0 to 99 999 999 in Chinese numerals: 10 十, 105 一百零五, 2026 二千零二十六."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n >= 10000:
        high, low = divmod(n, 10000)
        return chinese_number(high) + "万" + (("零" if low < 1000 else "") + chinese_number(low) if low else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def chinese_time(hour: int, minute: int) -> str:
    """10:30 十点半, 08:00 八点, 02:00 两点, 14:05 十四点零五分."""
    said = "两" if hour == 2 else chinese_number(hour)
    if minute == 0:
        return f"{said}点"
    if minute == 30:
        return f"{said}点半"
    return f"{said}点{'零' if minute < 10 else ''}{chinese_number(minute)}分"


def digit_by_digit(digits: str) -> str:
    return "".join(DIGITS[int(d)] for d in digits if d.isdigit())


def is_amount(digits: str) -> bool:
    """A count or a day (1 to 5 digits, no leading zero) rather than a code read out digit by digit."""
    return len(digits) <= 5 and (digits == "0" or not digits.startswith("0"))


def say_chinese(text: str) -> str:
    text = TIME_RANGE.sub(
        lambda m: chinese_time(int(m[1]), int(m[2])) + "到" + chinese_time(int(m[3]), int(m[4])), text
    )
    text = ONE_TIME.sub(lambda m: chinese_time(int(m[1]), int(m[2])), text)
    text = YEAR.sub(lambda m: digit_by_digit(m[1]), text)
    text = MASKED_DIGITS.sub(lambda m: digit_by_digit(m[0]), text)
    text = NUMBER.sub(lambda m: chinese_number(int(m[0])) if is_amount(m[0]) else digit_by_digit(m[0]), text)
    return text.replace("*", "")


def say_english(text: str) -> str:
    text = TIME_RANGE.sub(lambda m: f"{int(m[1])}:{m[2]} to {int(m[3])}:{m[4]}", text)
    return text.replace("*", "")


def speakable(text: str, lang: str) -> str:
    """`text` as it should be spoken in `lang` ("zh" or "en"), one line per block, cut to MAX_CHARACTERS."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)[:MAX_CHARACTERS]
    return say_chinese(text) if lang == "zh" else say_english(text)


class _MainText(HTMLParser):
    """Collects the text inside <main> (or inside the element with id `part`), leaving out what nobody
    sees: scripts, styles, icons, hidden elements and aria-hidden ones."""

    def __init__(self, part: str | None):
        super().__init__(convert_charrefs=True)
        self.part = part
        self.depth = 0  # >0 while inside the wanted element
        self.skip = 0  # >0 while inside something not to read
        self.parts: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        wanted = values.get("id") == self.part if self.part else tag == "main"
        if self.depth:
            self.depth += 1
            hidden = tag in SKIP_TAGS or "hidden" in values or values.get("aria-hidden") == "true"
            if self.skip or hidden:
                self.skip += 1
        elif wanted:
            self.depth = 1
        if tag in BLOCK_TAGS and self.depth and not self.skip:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.depth:
            return
        if self.skip:
            self.skip -= 1
        self.depth -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def page_text(html: str, part: str | None = None) -> tuple[str, str]:
    """(the text of the page's <main>, or of its element with id `part`; the page's language: zh or en)."""
    parser = _MainText(part)
    parser.feed(html)
    parser.close()
    lang = "en" if parser.lang.lower().startswith("en") else "zh"
    return "".join(parser.parts), lang
