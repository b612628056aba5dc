"""Photos attached to requests: JPEG or PNG only, size-limited, re-encoded so no EXIF (GPS position,
camera, time) leaves the phone it was taken on, and stored under a random name.

Memory is bounded before any pixel is decoded: a small file can hold a huge picture (a 168 KB PNG
decoded to 160 MB and took a worker to 600 MB). The header gives the size and mode; JPEGs are decoded
already scaled down (draft), and a picture whose decoded pixels would pass DECODE_BUDGET is refused."""

import secrets
import warnings
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
# Bytes the decoded picture may take; with the re-encoded copy the whole check stays near 100 MB.
DECODE_BUDGET = 64 * 1024 * 1024
FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


class PhotoError(ValueError):
    """code: too_large, not_an_image (not JPEG/PNG, or damaged)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def bytes_per_pixel(mode: str) -> int:
    """What one decoded pixel costs: Pillow stores RGB in 4 bytes like RGBA, 16-bit grey in 2, and
    scaling a picture with transparency makes premultiplied copies first (so 12)."""
    if mode in ("1", "L", "P"):
        return 1
    if mode in ("RGBA", "LA", "PA"):
        return 12
    return 2 if mode.startswith("I;16") else 4


def progressive_cost(probe) -> int:
    """A progressive JPEG is decoded from a buffer of every DCT coefficient of the full-size picture
    (2 bytes each, per component and its sampling), whatever scale it is drawn at."""
    if probe.format != "JPEG" or not probe.info.get("progressive"):
        return 0
    layers = getattr(probe, "layer", None) or [(0, 1, 1, 0)] * len(probe.getbands())
    most = max(h * v for _id, h, v, _table in layers)
    share = sum(h * v for _id, h, v, _table in layers) / most
    return int(probe.width * probe.height * share * 2)


def store_photo(stream, folder: Path) -> str:
    """Check and re-encode the uploaded image; return the new file's name inside `folder`."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise PhotoError("too_large") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError("not_an_image") from error
    try:
        with probe:
            kind = probe.format
            if kind not in FORMATS:
                raise PhotoError("not_an_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError("too_large")
            coefficients = progressive_cost(probe)
            if kind == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale straight away, never smaller than the stored size.
                ratio = min(MAX_SIDE / probe.width, MAX_SIDE / probe.height, 1)
                probe.draft(None, (max(1, int(probe.width * ratio)), max(1, int(probe.height * ratio))))
            if coefficients + probe.width * probe.height * bytes_per_pixel(probe.mode) > DECODE_BUDGET:
                raise PhotoError("too_large")
            probe.load()
            # reducing_gap=1: halve by whole factors first (no full-size intermediate), then resample.
            probe.thumbnail((MAX_SIDE, MAX_SIDE), reducing_gap=1.0)
            # Turn the picture the way the camera meant, since the orientation tag goes with the EXIF.
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoError):
            raise
        raise PhotoError("not_an_image") from error
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + FORMATS[kind]
    if kind == "JPEG":
        # A fresh image carries pixels only: no EXIF, no ICC comments, no XMP.
        clean = Image.new("RGB", image.size)
        clean.paste(image.convert("RGB"))
        clean.save(folder / name, "JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        clean = Image.new(mode, image.size)
        clean.paste(image.convert(mode))
        clean.save(folder / name, "PNG", optimize=True)
    return name


def remove_photo(folder: Path, name: str | None) -> None:
    if name and "/" not in name and "\\" not in name:
        (folder / name).unlink(missing_ok=True)
