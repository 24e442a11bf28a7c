"""Draw static/root/favicon.ico: a hat (crown, band, brim), 16/32/48 px PNGs in one ICO.

Standard library only. Run: python3 scripts/make_favicon.py static/root/favicon.ico
"""

import struct
import sys
import zlib
from pathlib import Path

INK = (11, 83, 148, 255)  # the site's --accent, #0b5394
BAND = (240, 165, 0, 255)  # its focus outline, #f0a500
NONE = (0, 0, 0, 0)
SIZES = (16, 32, 48)


def pixel(x: int, y: int, size: int) -> tuple[int, int, int, int]:
    """The colour at (x, y), drawn on a 32-unit grid whatever the size."""
    u, v = (x + 0.5) * 32 / size, (y + 0.5) * 32 / size
    if 23 <= v < 27 and 2 <= u < 30:  # brim
        return INK
    if 9 <= v < 23 and 8 <= u < 24:  # crown, with its band
        return BAND if 18 <= v < 21 else INK
    if 6 <= v < 9 and 10 <= u < 22:  # top
        return INK
    return NONE


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(size: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def ico() -> bytes:
    images = [png(size) for size in SIZES]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = len(directory) + 16 * len(images)
    for size, data in zip(SIZES, images, strict=True):
        directory += struct.pack(
            "<BBBBHHII", size, size, 0, 0, 1, 32, len(data), offset
        )
        offset += len(data)
    return directory + b"".join(images)


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(ico())
