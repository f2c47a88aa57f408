"""The EPUB's zip container (OCF), written so that a rebuild deflates only the
documents that changed.

Deflating every document is the largest single cost of writing a book again
after a one-chapter edit (0.4 s of 2 s for 300 chapters), and Python's
``zipfile`` cannot take a stream deflated beforehand. So the container is
written here, field for field as ``zipfile`` writes it (a test holds the two
byte-identical), with each document's stream from :class:`Deflater`: one zlib
stream per distinct document, remembered in the user's cache by the
document's bytes, zlib's version and the level, so a warm build writes the
same bytes as a cold one. A remembered stream is used only if it inflates to
the document exactly; any other is deflated again.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..cache.files import store

LEVEL = 6  # zlib's default, zipfile's too
_VERSION = 20  # "version needed to extract": 2.0, deflate
_UNIX_FILE = 0o100644 << 16  # external attributes: a regular file, rw-r--r--
_LIMIT = 0xFFFFFFFF  # beyond this a zip needs Zip64, which no e-book comes near


class Deflater:
    """Raw deflate streams (no zlib header, as zip stores them), each made once
    per build (the formats share it) and, with a ``folder``, once per user's
    cache."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self._made: dict[bytes, bytes] = {}

    def __call__(self, data: bytes) -> bytes:
        key = hashlib.sha256(f"{zlib.ZLIB_RUNTIME_VERSION}|{LEVEL}|".encode() + data).digest()
        if key in self._made:
            return self._made[key]
        path = self.folder / key.hex() if self.folder else None
        stream = _remembered(path, data) if path else None
        if stream is None:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
            stream = compressor.compress(data) + compressor.flush()
            if path:
                store(path, stream)
        self._made[key] = stream
        return stream


def _remembered(path: Path, data: bytes) -> bytes | None:
    try:
        stream = path.read_bytes()
        if zlib.decompress(stream, -15) == data:
            return stream
    except (OSError, zlib.error):
        pass
    return None


def write_zip(path: Path, entries: Iterable[tuple[str, bytes, bool]],
              date_time: tuple[int, ...], deflate: Deflater) -> None:
    """Write ``entries`` (name, bytes, deflated or stored) in their order, all
    with one date; the streams are made two at a time (zlib frees Python's
    lock while it works)."""
    entries = list(entries)
    with ThreadPoolExecutor(2) as pool:
        streams = list(pool.map(lambda e: deflate(e[1]) if e[2] else e[1], entries))
    year, month, day, hour, minute, second = date_time[:6]
    dos = ((hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day)
    central = []
    with open(path, "wb") as out:
        for (name, data, deflated), stream in zip(entries, streams):
            if max(len(data), len(stream), out.tell()) > _LIMIT:
                raise ValueError(f"{name}: too large for a zip without Zip64")
            encoded, flags = _name(name)
            fields = (flags, zlib.DEFLATED if deflated else 0, *dos, zlib.crc32(data),
                      len(stream), len(data), len(encoded))
            central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, 3, _VERSION, 0,
                                       *fields, 0, 0, 0, 0, _UNIX_FILE, out.tell()) + encoded)
            out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, *fields, 0))
            out.write(encoded)
            out.write(stream)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                              len(directory), start, 0))


def _name(name: str) -> tuple[bytes, int]:
    """The name's bytes and flags: ASCII as is, else UTF-8 with bit 11 set."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800
