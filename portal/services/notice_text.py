"""A notice's body as residents read it: plain text in paragraphs, web addresses as links, and nothing
else. Everything the author typed is escaped first, so no HTML they write ever reaches a page."""

import re

from markupsafe import Markup, escape

PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n+")
# An address starts with http:// or https:// and ends at a space, a quote or an angle bracket, or at
# Chinese punctuation (an address rarely holds it, a sentence around it often does).
ADDRESS = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+")
TRAILING = ".,;:!?)]}"


def split_paragraphs(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def _linked(line: str) -> Markup:
    out, last = [], 0
    for match in ADDRESS.finditer(line):
        address = match.group(0)
        trail = ""
        while address and address[-1] in TRAILING:
            trail = address[-1] + trail
            address = address[:-1]
        if len(address) <= len("https://"):
            continue
        out.append(escape(line[last : match.start()]))
        out.append(Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(address))
        out.append(escape(trail))
        last = match.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


def paragraphs_html(text: str) -> Markup:
    """<p> per paragraph (a blank line between), <br> for a single line break, links for addresses."""
    parts = []
    for paragraph in split_paragraphs(text):
        lines = Markup("<br>\n").join(_linked(line) for line in paragraph.split("\n"))
        parts.append(Markup("<p>{}</p>").format(lines))
    return Markup("\n").join(parts)
