"""A glyph's character where the PDF maps it to none, read from the font
program the PDF embeds (rule "glyph names").

PDFium reads a simple font's glyph names itself (an /Encoding /Differences
array: "alpha", "uni03B2"), but of a composite font (Type0, Identity-H,
where the code is the glyph's number) without a ToUnicode map it gives only
the code, as pdftotext does. The program the PDF embeds may still say what
each glyph is: its own cmap (a character to each glyph), or the glyph's
name (a TrueType post table, a CFF charset) in the Adobe Glyph List's terms
(``fontTools.agl``: "alpha", "uni03B1", "ordmasculine", "gamma.sc").
A glyph named only by a number ("cid00042", "glyph12"), or drawn by
.notdef, says nothing: it stays unmapped, and the import reports it.

The code is taken for the glyph's number only where the ink PDFium
measured on the page is that glyph's (their extents agree): so it is in a
composite font mapped by Identity, not in a simple font (whose codes go
through an encoding) nor a font the PDF does not embed (PDFium draws a
stand-in).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging

import pypdfium2.raw as raw
from fontTools import agl
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from .. import pdfglyphs


class GlyphNames:
    """The characters the embedded programs of a PDF's fonts give their glyphs:
    each program read once (known by its bytes), each font handle (a page's)
    looked up once on its page."""

    def __init__(self) -> None:
        self._programs: dict[bytes, _Program] = {}
        self._page = None
        self._handles: dict[int | None, _Program] = {}

    def text(self, chars: pdfglyphs.Glyphs, i: int, size: float) -> str | None:
        """The character of glyph ``i`` of a page's ``chars``, set at ``size``
        points, whose code PDFium maps to none (and gives instead), or None."""
        textpage, code = chars.raw, raw.FPDFText_GetUnicode(chars.raw, i)
        if textpage is not self._page:
            self._page, self._handles = textpage, {}
        handle = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, i))
        address = ctypes.cast(handle, ctypes.c_void_p).value
        if address not in self._handles:
            data = _program(handle) if address and raw.FPDFFont_GetIsEmbedded(handle) else b""
            key = hashlib.sha256(data).digest()
            if key not in self._programs:
                self._programs[key] = _Program(data)
            self._handles[address] = self._programs[key]
        program = self._handles[address]
        if code not in program.characters or size <= 0:
            return None
        x, y = chars.origin(i)
        left, right, bottom, top = chars.box(i)
        inked = None if top - bottom < 0.01 * size else \
            ((left - x) / size, (bottom - y) / size, (right - x) / size, (top - y) / size)
        return program.characters[code] if _near(inked, program.extent(code)) else None


#: The largest font program read (bytes): a whole CJK face runs to about 20 MB, a
#: subset a PDF embeds to far less. A larger one (a hostile PDF's, its stream
#: within the PDF's own limit) is neither copied nor parsed: it says nothing,
#: like a damaged one, and its glyphs stay unmapped, reported by the import.
PROGRAM_BYTES = 32 * 1024 * 1024


def _program(handle) -> bytes:
    """The font program the PDF embeds (empty for a font it does not, or
    for one over PROGRAM_BYTES, measured before it is copied)."""
    size = ctypes.c_ulong()
    if not raw.FPDFFont_GetFontData(handle, None, 0, ctypes.byref(size)) or not size.value \
            or size.value > PROGRAM_BYTES:
        return b""
    buffer = (ctypes.c_ubyte * size.value)()
    if not raw.FPDFFont_GetFontData(handle, buffer, size.value, ctypes.byref(size)):
        return b""
    return bytes(buffer)


#: A glyph's outline extent in ems (left, bottom, right, top); None for a blank glyph.
Extent = tuple[float, float, float, float] | None
#: How far (in ems) the ink PDFium measures of a glyph may stand from the
#: program's extent of it (rounding, hinting).
NEAR_EM = 0.03


def _near(drawn: Extent, program: Extent | bool) -> bool:
    if drawn is None or program is None or program is False:
        return drawn is program
    return all(abs(a - b) <= NEAR_EM for a, b in zip(drawn, program))


class _Program:
    """What a font program says of its glyphs, by number: the character of
    each its cmap or its name gives, and (drawn when asked) its extent. A
    CID-keyed CFF names its glyphs by number, and a program that cannot be
    read (a damaged one) says nothing, like none."""

    def __init__(self, data: bytes) -> None:
        self.characters: dict[int, str] = {}
        self._glyphs: list = []
        self._extents: dict[int, Extent | bool] = {}
        self._em = 1000
        if not data:
            return
        quiet = logging.getLogger("fontTools")  # it warns of a damaged table on stderr
        level = quiet.level
        quiet.setLevel(logging.CRITICAL + 1)
        try:
            order, mapped, self._glyphs, self._em = _names(data)
        except Exception:  # noqa: BLE001 - fontTools raises anything on a broken program
            return
        finally:
            quiet.setLevel(level)
        for number, name in enumerate(order):
            text = mapped.get(name) or agl.toUnicode(name)
            if text and text.isprintable():
                self.characters[number] = text

    def extent(self, number: int) -> Extent | bool:
        """The glyph's extent in ems; False where it cannot be drawn. Drawn
        once: a book set in such a font shows each glyph thousands of times."""
        if number not in self._extents:
            self._extents[number] = self._drawn(number)
        return self._extents[number]

    def _drawn(self, number: int) -> Extent | bool:
        pen = BoundsPen(None)
        try:
            self._glyphs[number].draw(pen)
        except Exception:  # noqa: BLE001 - a damaged glyph, as a damaged program
            return False
        return None if pen.bounds is None else tuple(v / self._em for v in pen.bounds)


def _names(data: bytes) -> tuple[list[str], dict[str, str], list, int]:
    """The glyph names in glyph order, the character the program's own cmap
    gives each glyph (the lowest, where it gives several), the glyphs to
    draw in that order, and the units of the em."""
    if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        font = TTFont(io.BytesIO(data))
        cmap = font.getBestCmap() or {}
        order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
        mapped = {name: chr(code) for code, name in sorted(cmap.items(), reverse=True)}
        return order, mapped, [glyphs[name] for name in order], font["head"].unitsPerEm
    cff = CFFFontSet()  # a bare CFF program, as a PDF's FontFile3 embeds one
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    order = [] if hasattr(top, "ROS") else list(top.charset)
    em = round(1 / top.FontMatrix[0]) if top.FontMatrix[0] else 1000
    return order, {}, [top.CharStrings[name] for name in order], em
