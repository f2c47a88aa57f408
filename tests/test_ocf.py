"""The EPUB's zip container against Python's zipfile, the oracle: the same
entries give the same bytes, and remembered streams change nothing."""

import os
import random
import zlib
import zipfile

from bookbuild.epub.ocf import Deflater, write_zip

STAMP = (2024, 2, 29, 13, 37, 59)


def _entries(seed: int) -> list[tuple[str, bytes, bool]]:
    rng = random.Random(seed)
    words = [b"note", b"chapter", b"\xc3\xa9t\xc3\xa9", b"<p>", b"</p>\n", b" "]
    entries = [("mimetype", b"application/epub+zip", False), ("EPUB/empty.css", b"", True),
               ("EPUB/images/bin.png", os.urandom(3000), True),
               ("EPUB/text/ch\u00e2pitre-\u4e00.xhtml", "d\u00e9j\u00e0".encode() * 50, True)]
    for n in range(12):
        entries.append((f"EPUB/text/{n:03d}.xhtml",
                        b"".join(rng.choice(words) for _ in range(rng.randrange(1, 40000))), True))
    return entries


def _by_zipfile(path, entries) -> bytes:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data, deflated in entries:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compresslevel=6 if deflated else None)
    return path.read_bytes()


def test_the_container_is_what_zipfile_writes(tmp_path):
    for seed in range(3):
        entries = _entries(seed)
        write_zip(tmp_path / "ours.zip", entries, STAMP, Deflater())
        assert (tmp_path / "ours.zip").read_bytes() == _by_zipfile(tmp_path / "theirs.zip", entries)
        with zipfile.ZipFile(tmp_path / "ours.zip") as zf:
            assert zf.testzip() is None
            assert [(i.filename, zf.read(i)) for i in zf.infolist()] == [e[:2] for e in entries]


def test_remembered_streams_give_the_same_bytes_and_a_bad_one_is_made_again(tmp_path):
    entries, cache = _entries(7), tmp_path / "deflated"
    write_zip(tmp_path / "cold.zip", entries, STAMP, Deflater(cache))
    remembered = sorted(cache.iterdir())
    assert len(remembered) == sum(1 for e in entries if e[2])
    remembered[0].write_bytes(b"not a deflate stream")
    remembered[1].write_bytes(zlib_stream(b"another document"))
    write_zip(tmp_path / "warm.zip", entries, STAMP, Deflater(cache))
    assert (tmp_path / "warm.zip").read_bytes() == (tmp_path / "cold.zip").read_bytes()


def zlib_stream(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()
