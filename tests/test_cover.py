"""Covers: every awkward input becomes a store-ready RGB JPEG, or a clear error."""

from __future__ import annotations

import dataclasses
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageStat

from bookbuild.config import load_config
from bookbuild.look.cover import MARGIN, PALETTES, SIZE, design_cover, normalise
from bookbuild.errors import BookbuildError

from conftest import write_book


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def save(tmp_path: Path, im: Image.Image, name: str, **kwargs) -> Path:
    path = tmp_path / name
    im.save(path, **kwargs)
    return path


def assert_store_ready(cover, size=None):
    im = opened(cover.jpeg)
    assert im.format == "JPEG" and im.mode == "RGB"
    assert "progressive" not in im.info and "progression" not in im.info  # baseline
    assert "exif" not in im.info and "icc_profile" not in im.info
    assert im.width <= 1600 and im.height <= 2560
    assert len(cover.jpeg) < 5 * 1024 * 1024
    if size:
        assert im.size == size
    return im


def test_cmyk_becomes_rgb_with_its_colours(tmp_path):
    path = save(tmp_path, Image.new("CMYK", (1600, 2560), (0, 255, 255, 0)), "c.jpg", quality=95)
    im = assert_store_ready(normalise(path), (1600, 2560))
    r, g, b = (round(v) for v in ImageStat.Stat(im).mean)
    assert r > 200 and g < 60 and b < 60  # CMYK red stays red


def test_embedded_icc_profile_is_applied_then_stripped(tmp_path):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(tmp_path, Image.new("RGB", (1600, 2560), (10, 120, 200)), "icc.png",
                icc_profile=icc)
    im = assert_store_ready(normalise(path))
    assert all(abs(a - b) < 6 for a, b in zip(ImageStat.Stat(im).mean, (10, 120, 200)))


def test_transparency_is_flattened_on_white(tmp_path):
    im = Image.new("RGBA", (1000, 1600), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 500, 1600))
    out = assert_store_ready(normalise(save(tmp_path, im, "alpha.png")))
    assert out.getpixel((900, 800)) == (255, 255, 255)
    r, g, b = out.getpixel((100, 800))
    assert r > 190 and g < 15 and b < 15


def test_palette_image(tmp_path):
    im = Image.new("P", (1600, 2560))
    im.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)
    im.paste(1, (0, 0, 1600, 2560))
    out = assert_store_ready(normalise(save(tmp_path, im, "p.png")))
    r, g, b = out.getpixel((800, 1280))
    assert g > 110 and r < 15 and b < 15


def test_sixteen_bit_grey(tmp_path):
    im = Image.new("I;16", (1600, 2560), 40000)
    out = assert_store_ready(normalise(save(tmp_path, im, "g16.png")))
    value = out.getpixel((10, 10))[0]
    assert abs(value - 40000 // 256) <= 2


def test_exif_orientation_is_applied(tmp_path):
    im = Image.new("RGB", (2560, 1600), (255, 255, 255))  # stored landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = assert_store_ready(normalise(save(tmp_path, im, "rot.jpg", exif=exif)))
    assert out.size == (1600, 2560)


def test_large_covers_shrink_and_small_ones_are_never_enlarged(tmp_path):
    big = assert_store_ready(normalise(save(tmp_path, Image.new("RGB", (3200, 5120), "navy"),
                                            "big.png")))
    assert big.size == (1600, 2560)
    tiny = normalise(save(tmp_path, Image.new("RGB", (300, 400), "navy"), "tiny.webp"))
    assert opened(tiny.jpeg).size == (300, 400)
    assert [(w.file.name, w.code) for w in tiny.warnings] == [
        ("tiny.webp", "cover-small"), ("tiny.webp", "cover-small"), ("tiny.webp", "cover-shape")]
    assert [w.message.split(";")[0] for w in tiny.warnings] == [
        "cover is 300x400", "cover is 400 px high", "cover ratio is 1.33:1, far from the stores' 1.6:1 (ideal 1600x2560)"]


def test_tiff_is_accepted(tmp_path):
    out = assert_store_ready(normalise(save(tmp_path, Image.new("RGB", (1600, 2560), "white"),
                                            "c.tiff")))
    assert out.size == (1600, 2560)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size: the shape of a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")


@pytest.mark.parametrize("data, code, message", [
    (_png_header_only(60000, 60000), "limit-exceeded", "too many pixels"),
    (_png_header_only(9000, 9000), "limit-exceeded",
     "cover is 9000x9000 pixels, too large to be a cover"),
    (b"this is not an image", "image-unreadable", "not an image"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image-unreadable", "not an image"),
])
def test_bad_cover_files_are_clear_errors(tmp_path, data, code, message):
    path = tmp_path / "bad.png"
    path.write_bytes(data)
    with pytest.raises(BookbuildError) as info:
        normalise(path)
    assert [(p.file.name, p.code) for p in info.value.problems] == [("bad.png", code)]
    assert message in str(info.value)


def _config(tmp_path, title: str, language: str = "en", extra: str = ""):
    write_book(tmp_path, {"a.md": "# A\n"}, f"title: {title}\nlanguage: {language}\n"
               "contributors:\n  - name: Анна Каренина\n  - {name: T. Ranslator, role: translator}\n"
               f"publisher: Издательство\n{extra}")
    return load_config(tmp_path)


def test_designed_cover_for_a_long_cyrillic_title(tmp_path):
    title = ("Очень длинное название книги о коммунистических диссидентах ранней Советской "
             "России и их пяти документах, переведённых и прокомментированных")
    config = _config(tmp_path, title, "ru", "subtitle: Ελληνικά και Français à la fois\n")
    cover = design_cover(config)
    im = assert_store_ready(cover, SIZE)
    assert cover.designed
    background = PALETTES["ink"][0]  # any palette: compare against the corner
    corner = im.getpixel((5, 5))
    assert ImageStat.Stat(im).stddev[0] > 20  # not blank
    # Everything that differs from the background, except the frame, lies inside the margins.
    diff = Image.eval(im.convert("L"), lambda v: 255 if abs(v - sum(corner) // 3) > 40 else 0)
    inner = diff.crop((MARGIN // 2 + 10, MARGIN // 2 + 10, SIZE[0] - MARGIN // 2 - 10,
                       SIZE[1] - MARGIN // 2 - 10))
    left, top, right, bottom = inner.getbbox()
    offset = MARGIN // 2 + 10
    assert left + offset >= MARGIN - 5 and right + offset <= SIZE[0] - MARGIN + 5
    assert top + offset >= MARGIN and bottom + offset <= SIZE[1] - MARGIN + 5
    assert background  # palette table is importable and non-empty


def test_designed_cover_is_deterministic_and_palette_can_be_chosen(tmp_path):
    config = _config(tmp_path, "Same Title")
    assert design_cover(config).jpeg == design_cover(config).jpeg
    paper = design_cover(dataclasses.replace(config, cover_palette="paper"))
    assert opened(paper.jpeg).getpixel((5, 5)) == pytest.approx(PALETTES["paper"][0], abs=3)


def test_unknown_palette_is_a_config_error(tmp_path):
    with pytest.raises(BookbuildError, match="'cover-palette' must be one of"):
        _config(tmp_path, "T", extra="cover-palette: neon\n")
