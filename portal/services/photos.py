"""Photos attached to requests: JPEG or PNG only, size-limited, re-encoded so no EXIF (GPS position,
camera, time) leaves the phone it was taken on, and stored under a random name."""
import secrets
import warnings
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


class PhotoError(ValueError):
    """code: too_large, not_an_image (not JPEG/PNG, or damaged)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


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
            probe.load()
            # Turn the picture the way the camera meant, since the orientation tag goes with the EXIF.
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoError):
            raise
        raise PhotoError("not_an_image") from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
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
