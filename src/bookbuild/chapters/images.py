"""Images from a manuscript made safe to ship: the cover's safeguards for all.

An image is opened with a pixel limit (no decompression bombs), its format is
taken from its bytes (a JPEG named ``.png`` is an error, not a surprise in a
reader), it is decoded in full (a truncated file is refused), and it ships
without EXIF, GPS, XMP or IPTC metadata: a JPEG or WebP loses those segments
byte for byte (pixels untouched; a rotated JPEG is turned upright and saved
again), a PNG is saved again losslessly. An SVG is parsed without entity
expansion, loading no DTD, and refused if it declares a DTD of its own or
uses entities (the billion-laughs shape); the public SVG 1.1 DOCTYPE editors
write is accepted and stripped; HTML's ``<font>`` in its ``foreignObject``
(draw.io's labels) becomes a styled ``<span>``; an ``id`` that is no XML
name (OmniGraffle's ``id="model: Layer 1"``), which EPUBCheck refuses, goes
when nothing in the image names it, and is refused when something does; its
scripts follow the book's active-content policy (see :mod:`bookbuild.safety.active`).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from pathlib import Path

from lxml import etree
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import BookbuildError
from ..safety import files as bookfiles
from ..safety import limits
from .media import MEDIA_TYPES

#: Pillow's name for each raster format an EPUB reader must show.
RASTER = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False)


def open_image(path: Path, what: str, accepted: set[str], data: bytes | None = None) -> Image.Image:
    """Pillow's image of ``path`` (or of ``data`` read from it), decoded in full,
    within the pixel limit and of an ``accepted`` format, else one clear error."""
    pixels = limits.current().image_pixels
    a = "an" if what[0] in "aeiou" else "a"
    try:
        with warnings.catch_warnings():
            # Our limit decides; Pillow's own error (at twice its 89 megapixels) still stands.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data) if data is not None else path)
            if im.width * im.height > pixels:
                raise limits.LimitError(f"{what} is {im.width}x{im.height} pixels, too large to "
                                        f"be {a} {what} (at most {pixels // 1_000_000} "
                                        "megapixels; image-pixels)", path)
            if im.format not in accepted:
                raise BookbuildError(f"{what} is {im.format}; use "
                                     f"{', '.join(sorted(accepted))}", path, code="image-format")
            im.load()
            return im
    except Image.DecompressionBombError:
        raise limits.LimitError(f"{what} has too many pixels to be {a} {what} (a decompression "
                                f"bomb? at most {pixels // 1_000_000} megapixels; image-pixels)",
                                path) from None
    except UnidentifiedImageError:
        raise BookbuildError(f"{what} is not an image Pillow can read", path, code="image-unreadable") from None
    except OSError as exc:
        raise BookbuildError(f"{what} cannot be read: {exc}", path, code="image-unreadable") from None


def safe_image(path: Path, root: Path) -> tuple[str, bytes]:
    """(media type, bytes to ship) for a chapter image inside ``root``."""
    data = bookfiles.read_bytes(path, root, "image")
    expected = MEDIA_TYPES.get(path.suffix.lower())
    if expected == "image/svg+xml":
        return expected, _svg(path, data)
    with open_image(path, "image", set(RASTER), data) as im:
        found = RASTER[im.format]
        if found != expected:
            raise BookbuildError(f"image is a {im.format} file named {path.suffix}: rename it "
                                 "so readers know what it is", path, code="image-format")
        if im.format == "JPEG" and im.getexif().get(0x0112, 1) != 1:
            upright = ImageOps.exif_transpose(im)
            out = io.BytesIO()
            upright.save(out, "JPEG", quality=95, icc_profile=im.info.get("icc_profile"))
            return found, out.getvalue()
        if im.format == "PNG":
            out = io.BytesIO()
            im.save(out, "PNG", icc_profile=im.info.get("icc_profile"))
            return found, out.getvalue()
    if found == "image/jpeg":
        return found, _jpeg_without_metadata(data)
    if found == "image/webp":
        return found, _webp_without_metadata(data)
    return found, data  # GIF carries no EXIF


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG without APP1 (EXIF, XMP), APP13 (IPTC) and comments; colour
    (APP2 ICC, APP14 Adobe) and the image data untouched."""
    out, at = bytearray(data[:2]), 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        size = struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker not in (0xE1, 0xED, 0xFE):
            out += data[at:at + 2 + size]
        at += 2 + size
    return bytes(out + data[at:])


def _webp_without_metadata(data: bytes) -> bytes:
    """The WebP without its EXIF and XMP chunks (and the VP8X flags saying so)."""
    chunks, at = [], 12
    while at + 8 <= len(data):
        kind, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        chunk = data[at:at + 8 + size + (size & 1)]
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes([chunk[8] & ~0x0C]) + chunk[9:]
        if kind not in (b"EXIF", b"XMP "):
            chunks.append(chunk)
        at += 8 + size + (size & 1)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def svg_root(data: bytes) -> etree._Element:
    """An SVG already accepted by :func:`safe_image`, parsed the same safe way."""
    return etree.fromstring(data, _SVG_PARSER)


#: The public DTDs SVG editors declare (draw.io, matplotlib, Inkscape's plain
#: SVG): never fetched, and stripped when the image ships.
SVG_DTDS = frozenset({
    ("-//W3C//DTD SVG 1.1//EN", "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"),
    ("-//W3C//DTD SVG 1.0//EN", "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd"),
})


def _svg(path: Path, data: bytes) -> bytes:
    """The SVG to ship: well-formed, within the limits, and with no DTD but a
    public SVG one (which is dropped). An internal subset, any other DTD or an
    entity reference is refused: the billion-laughs shape, and entities a
    reading system would need the DTD for."""
    refused = BookbuildError("SVG image declares a DTD of its own or uses entities; they are "
                             "not allowed in a book (the shape of a billion-laughs attack): "
                             "remove the <!DOCTYPE> and the entities", path, code="svg-invalid")
    if b"<!ENTITY" in data:  # refused before libxml2 reads a declaration
        raise refused
    try:
        tree = etree.fromstring(data, _SVG_PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        raise BookbuildError(f"SVG image is not well-formed XML: {exc}", path, code="svg-invalid") from None
    info = tree.docinfo
    declared = info.internalDTD is not None
    # lxml writes a DOCTYPE with an internal subset as "<!DOCTYPE ... [", one without on its own
    # line, after what precedes it (Adobe Illustrator's "<!-- Generator: ... -->")
    written = etree.tostring(tree)
    at = written.find(b"<!DOCTYPE")
    own = declared and not written.startswith(info.doctype.encode() + b"\n", at)
    public = (info.public_id, info.system_url) in SVG_DTDS
    if own or (declared and not public) or any(True for _ in tree.iter(etree.Entity)):
        raise refused
    limits.check_tree(tree.getroot(), "SVG image", path)
    fonts = _fonts_as_spans(tree.getroot())
    if not _without_unnamed_ids(tree.getroot(), data, path) and not fonts and not declared:
        return data
    return etree.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)


def _is_name(value: str) -> bool:
    """Whether ``value`` is an XML name without colons (an NCName), as an id
    must be: lxml's check of a tag name is that rule."""
    try:
        etree.QName(value)
    except ValueError:
        return False
    return True


def _without_unnamed_ids(root: etree._Element, data: bytes, path: Path) -> bool:
    """Drop each ``id`` that is no XML name when nothing in the image refers
    to it (``#`` and the id, as ``href`` and ``url()`` write it); refuse the
    image when something does. Whether any was dropped."""
    unnamed = [el for el in root.iter() if isinstance(el.tag, str)
               and el.get("id") is not None and not _is_name(el.get("id"))]
    for el in unnamed:
        value = el.get("id")
        if f"#{value}".encode() in data:
            raise BookbuildError(f"SVG image has the id {value!r}, which is no XML name, and "
                                 "refers to it: rename it (letters, digits, '-', '_', '.'; "
                                 "not first a digit) where it is given and named",
                                 path, code="svg-invalid")
        del el.attrib["id"]
    return bool(unnamed)


XHTML = "http://www.w3.org/1999/xhtml"
#: The CSS size of each of HTML's legacy font sizes (the HTML standard,
#: "rules for parsing a legacy font size": 1 to 7, "+N" and "-N" from 3).
_FONT_SIZES = ("x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large")
_LEGACY_SIZE = re.compile(r"\s*([+-]?)([0-9]+)")
#: Values taken into a style as they are: a colour, a list of font names.
_COLOR = re.compile(r"#?[A-Za-z0-9]+")
_FACE = re.compile(r"[\w ,'\"-]+")


def _fonts_as_spans(root: etree._Element) -> bool:
    """HTML's obsolete ``<font>`` inside an SVG's ``foreignObject``, which
    EPUBCheck refuses (draw.io writes its labels' sizes so), as the ``<span>``
    it stands for, its ``color``, ``face`` and ``size`` inline style: the
    book's stylesheet does not reach into an image. Whether any was found."""
    fonts = list(root.iter(f"{{{XHTML}}}font"))
    for el in fonts:
        style = []
        if _COLOR.fullmatch(color := el.attrib.pop("color", "").strip()):
            style.append(f"color: {color}")
        if _FACE.fullmatch(face := el.attrib.pop("face", "").strip()):
            style.append(f"font-family: {face}")
        if found := _LEGACY_SIZE.match(el.attrib.pop("size", "")):
            n = int(found.group(2))
            n = 3 + n if found.group(1) == "+" else 3 - n if found.group(1) == "-" else n
            style.append(f"font-size: {_FONT_SIZES[min(max(n, 1), 7) - 1]}")
        if own := (el.get("style") or "").strip().rstrip(";"):
            style.append(own)
        if style:
            el.set("style", "; ".join(style))
        el.tag = f"{{{XHTML}}}span"
    return bool(fonts)
