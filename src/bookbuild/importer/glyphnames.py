"""A glyph's character where the PDF maps it to none, read from the font
program the PDF embeds (rule "glyph names").

PDFium reads a simple font's glyph names itself (an /Encoding /Differences
array: "alpha", "uni03B2"), but of a composite font (Type0, Identity-H,
where the code is the glyph's number) without a ToUnicode map it gives only
the code, as pdftotext does. The program the PDF embeds may still say what
each glyph is: its own cmap (a character to each glyph), or the glyph's
name (a TrueType post table, a CFF charset) in the Adobe Glyph List's terms
(``fontTools.agl``: "alpha", "uni03B1", "ordmasculine", "gamma.sc").
A simple font's Type 1 program (TeX's Computer Modern symbol fonts, as
pdfTeX and dvips embed them) with no encoding in the PDF draws each code as
its own built-in encoding names it: code 104 of the math symbols is
"angbracketleft", which PDFium, not knowing the name, gives as "h"
(the code itself). Its code is then read through that encoding, and TeX's
own glyph names the Adobe Glyph List lacks through ``TEX_NAMES``.
A glyph named only by a number ("cid00042", "glyph12"), or drawn by
.notdef, says nothing: it stays unmapped, and the import reports it.

The code is taken for the glyph's number (or, in a Type 1 program, for
its code in the built-in encoding) only where the ink PDFium measured on
the page is that glyph's (their extents agree): so it is in a composite
font mapped by Identity, or a Type 1 font drawn through its own encoding,
not in a simple font whose codes go through an encoding the PDF gives
(another glyph is drawn) nor a font the PDF does not embed (PDFium draws a
stand-in).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
from dataclasses import dataclass, field

import pypdfium2.raw as raw
from fontTools import agl, t1Lib
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from .. import pdfglyphs


#: The names TeX's math fonts (cmsy, cmmi, their AMS Type 1 programs) give
#: glyphs that the Adobe Glyph List does not know, with their characters.
TEX_NAMES = {
    "angbracketleft": "\u27e8", "angbracketright": "\u27e9", "diamondmath": "\u22c4",
    "lessmuch": "\u226a", "greatermuch": "\u226b", "prime": "\u2032",
    "turnstileleft": "\u22a2", "turnstileright": "\u22a3", "latticetop": "\u22a4",
    "unionsq": "\u2294", "intersectionsq": "\u2293", "follows": "\u227b",
    "precedesequal": "\u2aaf", "followsequal": "\u2ab0", "equivasymptotic": "\u224d",
    "similarequal": "\u2243", "arrownortheast": "\u2197", "arrowsoutheast": "\u2198",
    "arrownorthwest": "\u2196", "arrowsouthwest": "\u2199", "owner": "\u220b",
    "triangle": "\u25b3", "triangleinv": "\u25bd", "unionmulti": "\u228e",
    "coproduct": "\u2210", "wreathproduct": "\u2240", "bardbl": "\u2016",
    "circledivide": "\u2298", "circleminus": "\u2296", "circledot": "\u2299",
    "ceilingleft": "\u2308", "ceilingright": "\u2309", "floorleft": "\u230a",
    "floorright": "\u230b", "star": "\u22c6", "mapsto": "\u21a6",
    "arrowbothv": "\u2195", "arrowdblbothv": "\u21d5", "llbracket": "\u27e6",
    "rrbracket": "\u27e7",
}


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
        numbers = [n for n in (code if program.numbered else None, program.encoded.get(code))
                   if n is not None and n in program.characters]
        if not numbers or size <= 0:
            return None
        x, y = chars.origin(i)
        left, right, bottom, top = chars.box(i)
        inked = None if top - bottom < 0.01 * size else \
            ((left - x) / size, (bottom - y) / size, (right - x) / size, (top - y) / size)
        return next((program.characters[n] for n in numbers if _near(inked, program.extent(n))),
                    None)


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
    each its cmap or its name gives, and (drawn when asked) its extent; the
    glyph its own encoding draws for each code (``encoded``), and whether a
    code may be the glyph's number (``numbered``: not in a Type 1 program,
    which a simple font draws through an encoding). A CID-keyed CFF names its
    glyphs by number, and a program that cannot be read (a damaged one) says
    nothing, like none."""

    def __init__(self, data: bytes) -> None:
        self.characters: dict[int, str] = {}
        self.encoded: dict[int, int] = {}
        self.numbered = True
        self._glyphs: list = []
        self._extents: dict[int, Extent | bool] = {}
        self._em = 1000
        if not data:
            return
        quiet = logging.getLogger("fontTools")  # it warns of a damaged table on stderr
        level = quiet.level
        quiet.setLevel(logging.CRITICAL + 1)
        try:
            parsed = _names(data)
        except Exception:  # noqa: BLE001 - fontTools raises anything on a broken program
            return
        finally:
            quiet.setLevel(level)
        self._glyphs, self._em, self.numbered = parsed.glyphs, parsed.em, parsed.numbered
        number_of = {name: n for n, name in enumerate(parsed.order)}
        self.encoded = {code: number_of[name] for code, name in enumerate(parsed.encoding)
                        if name in number_of and name != ".notdef"}
        for number, name in enumerate(parsed.order):
            text = parsed.mapped.get(name) or agl.toUnicode(name) or TEX_NAMES.get(name)
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


@dataclass(frozen=True)
class _Parsed:
    order: list[str]  # the glyph names in glyph order
    mapped: dict[str, str]  # the character the program's own cmap gives a glyph (its lowest)
    glyphs: list  # the glyphs to draw, in that order
    em: int  # the units of the em
    encoding: list[str] = field(default_factory=list)  # the glyph each code draws, by name
    numbered: bool = True  # whether a code may be a glyph's number (a composite font's)


def _names(data: bytes) -> _Parsed:
    """What the program says of its glyphs: a TrueType or OpenType program,
    a bare CFF (a PDF's FontFile3: its own encoding too, unless CID-keyed),
    or a Type 1 program (its clear text, then the eexec part: its glyphs
    drawn only through its built-in encoding)."""
    if data[:2] == b"%!":
        font = t1Lib.T1Font.__new__(t1Lib.T1Font)  # fontTools reads one from a file, not bytes
        font.data, font.encoding = data, "ascii"
        font.parse()
        glyphs = font.getGlyphSet()
        order, scale = list(glyphs.keys()), font["FontMatrix"][0]
        return _Parsed(order, {}, [glyphs[name] for name in order],
                       round(1 / scale) if scale else 1000, list(font["Encoding"]), False)
    if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        font = TTFont(io.BytesIO(data))
        cmap = font.getBestCmap() or {}
        order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
        mapped = {name: chr(code) for code, name in sorted(cmap.items(), reverse=True)}
        return _Parsed(order, mapped, [glyphs[name] for name in order], font["head"].unitsPerEm)
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    order = [] if hasattr(top, "ROS") else list(top.charset)
    em = round(1 / top.FontMatrix[0]) if top.FontMatrix[0] else 1000
    encoding = getattr(top, "Encoding", None)  # a list of names where it is the program's own
    return _Parsed(order, {}, [top.CharStrings[name] for name in order], em,
                   encoding if isinstance(encoding, list) else [])
