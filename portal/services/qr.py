"""QR codes as inline SVG: crisp on paper at any size, and no Pillow needed."""

import re

import qrcode
import qrcode.constants
import qrcode.image.svg
from markupsafe import Markup, escape

LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_svg(data: str, level: str = "M", css_class: str = "qr", label: str | None = None) -> Markup:
    """An <svg> holding `data`, sized by CSS (its fixed width and height are taken off).

    Error correction M or higher, so a poster still scans with a scratch or a crease across it. The
    quiet zone (4 modules of white) is part of the drawing, so scanners find the edges on any background.
    With `label` the code is an image with that name for screen readers; without, it is decorative
    (the page prints the same reference or address as text beside it).
    """
    code = qrcode.QRCode(
        error_correction=LEVELS[level], image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    name = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', f'<svg class="{css_class}" {name} focusable="false"', svg)
    svg = svg.replace(' id="qr-path"', "")  # several codes share a page; ids must stay unique
    # A white background keeps the quiet zone white in the high-contrast theme and on coloured paper.
    svg = re.sub(r"(<svg[^>]*>)", r'\1<rect width="100%" height="100%" fill="#fff"/>', svg, count=1)
    return Markup(svg)
