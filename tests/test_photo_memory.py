"""Checking and re-encoding one request photo costs at most about 100 MB of memory.

The peak is measured for real: each photo is stored by a fresh Python process, which resets its peak
resident size (Linux VmHWM, which sees Pillow's C allocations, unlike tracemalloc) once the upload is
read, and reports how far the peak rose above what it held.
"""

import io
import json
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image

from portal.services.photos import MAX_BYTES, PhotoError, store_photo

BUDGET_MB = 100
CHILD = r"""
import io, json, sys
from pathlib import Path
from portal.services.photos import PhotoError, store_photo

def status(key):
    return int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith(key + ":")))

data = Path(sys.argv[1]).read_bytes()
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # start the peak (VmHWM) again from what the process holds now
before = status("VmRSS")
try:
    outcome = store_photo(io.BytesIO(data), Path(sys.argv[2]))
except PhotoError as refused:
    outcome = refused.code
print(json.dumps({"outcome": outcome, "grew_mb": (status("VmHWM") - before) / 1024}))
"""


def png(width, height, color_type=2, depth=8) -> bytes:
    """A flat PNG of any size, written row by row so making it needs no big buffer: the kind of small
    file that decodes to a huge picture."""
    channels = {0: 1, 2: 3, 3: 1, 6: 4}[color_type]
    row = b"\x00" + b"\x00" * (width * channels * depth // 8)
    squeeze, chunks = zlib.compressobj(9), []
    for _ in range(height):
        chunks.append(squeeze.compress(row))
    chunks.append(squeeze.flush())

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    palette = chunk(b"PLTE", b"\x00\x00\x00\xff\xff\xff") if color_type == 3 else b""
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + palette + chunk(b"IDAT", b"".join(chunks)) + chunk(b"IEND", b"")
    )


def jpeg(width, height, progressive=False, noise=False) -> bytes:
    out = io.BytesIO()
    if noise:  # every 8x8 block busy, so the decoder really fills its coefficient buffers
        grey = Image.effect_noise((width, height), 60)
        picture = Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grey))
        del grey
    else:
        picture = Image.new("RGB", (width, height), (90, 140, 200))
    picture.save(out, "JPEG", quality=30 if noise else 70, progressive=progressive)
    return out.getvalue()


def peak(tmp_path, data: bytes) -> dict:
    source = tmp_path / "upload.bin"
    source.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "name, make",
    [
        # The attack's file: a 168 KB PNG just under the old 40-million-pixel limit took 500 MB.
        ("RGB PNG of 39.9 million pixels", lambda: png(6320, 6320)),
        ("RGBA PNG of 16 million pixels", lambda: png(4000, 4000, color_type=6)),
        ("RGBA PNG of 5.5 million pixels, the most that is decoded", lambda: png(2360, 2360, color_type=6)),
        ("RGB PNG of 16 million pixels, the most that is decoded", lambda: png(4000, 4000)),
        ("palette PNG of 39.9 million pixels", lambda: png(6320, 6320, color_type=3)),
        ("16-bit RGB PNG of 10 million pixels", lambda: png(3200, 3200, depth=16)),
        ("baseline JPEG of 24 million pixels", lambda: jpeg(6000, 4000)),
        ("progressive JPEG of 24 million pixels", lambda: jpeg(6000, 4000, progressive=True)),
        ("noisy progressive JPEG of 24 million pixels", lambda: jpeg(6000, 4000, progressive=True, noise=True)),
        ("noisy progressive JPEG of 12 million pixels", lambda: jpeg(4000, 3000, progressive=True, noise=True)),
    ],
)
def test_checking_a_photo_costs_at_most_about_100_mb(tmp_path, name, make):
    data = make()
    assert len(data) <= MAX_BYTES, name
    result = peak(tmp_path, data)
    print(f"\n{name}: {len(data) // 1024} KB file, {result['outcome']}, peak grew {result['grew_mb']:.0f} MB")
    assert result["grew_mb"] <= BUDGET_MB, (name, result)


def test_a_big_photo_is_still_accepted_and_made_smaller(tmp_path):
    name = store_photo(io.BytesIO(jpeg(6000, 4000)), tmp_path)
    with Image.open(tmp_path / name) as stored:
        assert max(stored.size) == 2000 and stored.size == (2000, 1333)


def test_a_picture_too_big_to_check_is_refused_as_too_large(tmp_path):
    with pytest.raises(PhotoError) as refused:
        store_photo(io.BytesIO(png(6320, 6320, color_type=6)), tmp_path)
    assert refused.value.code == "too_large"
    assert list(tmp_path.iterdir()) == []
