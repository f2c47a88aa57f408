"""A PDF page's characters as PDFium reads them: the one reader of a PDF's
glyphs, for the print check (``print/layout.py``) and ``bookbuild import``
(``importer/pdfread.py``).

It calls pypdfium2's raw API, one call per fact into buffers made once per
page: a book holds a million characters, and pypdfium2's helpers make Python
objects for each (2.3 s of a 400-page book's print check).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as raw


@dataclass(frozen=True)
class Font:
    name: str  # the base font name, with its subset tag ("ABCDEF+Serif-Bold")
    flags: int  # the font descriptor's flags (PDF 32000 9.8.2); 0 for none
    italic_angle: float  # the descriptor's, 0 for none
    descent: float  # how far it reaches below the baseline, in ems (negative): the descriptor's
    embedded: bool
    weight: int = 0  # PDFium's weight from the descriptor's stem width (400 regular, 700 bold); 0 for none
    procedures: bool = False  # a Type 3 font: its glyphs drawn by procedures, no program


@dataclass(frozen=True)
class Run:
    """What the glyphs of one text object (a Tj or TJ) share."""

    font: Font
    size: float  # in points: the Tf size times the text and page matrices' vertical scale
    upright: bool  # set on a horizontal baseline, not turned (a table's rotated heading) nor mirrored
    mirrored: bool = False  # on a horizontal baseline, drawn right to left (a logo's reversed E)


def _unchecked(function, restype):
    """A function of pypdfium2's raw API called without its argument types:
    ctypes then passes a Python int as a C int and a ``byref`` as a pointer
    as they are, where checking each against its declared type took half of
    every call (a million characters, four calls each). Only the calls here
    use them, with the types PDFium declares."""
    unchecked = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    unchecked.restype = restype
    return unchecked


_unicode = _unchecked(raw.FPDFText_GetUnicode, ctypes.c_uint)
_is_generated = _unchecked(raw.FPDFText_IsGenerated, ctypes.c_int)
_map_error = _unchecked(raw.FPDFText_HasUnicodeMapError, ctypes.c_int)
_char_box = _unchecked(raw.FPDFText_GetCharBox, ctypes.c_int)
_loose_char_box = _unchecked(raw.FPDFText_GetLooseCharBox, ctypes.c_int)
_char_origin = _unchecked(raw.FPDFText_GetCharOrigin, ctypes.c_int)
_font_size = _unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)
#: The text object's address, an int (a dict key cheaply, where pypdfium2's
#: typed pointer needs a cast per glyph).
_text_object = _unchecked(raw.FPDFText_GetTextObject, ctypes.c_void_p)


def text_of(handle, getter) -> str:
    """A string PDFium writes as UTF-8 into a buffer (``getter(handle, buffer, size)``)."""
    size = getter(handle, None, 0)
    buffer = ctypes.create_string_buffer(size)
    getter(handle, buffer, size)
    return buffer.raw[:max(size - 1, 0)].decode("utf-8", "replace")


class Glyphs:
    """The characters of one text page (pypdfium2's ``PdfTextPage``), by index.

    Coordinates are PDF user space: points from the page's lower left."""

    def __init__(self, textpage) -> None:
        self.raw = textpage.raw
        self.count = raw.FPDFText_CountChars(self.raw)
        self._page = ctypes.c_void_p(ctypes.cast(self.raw, ctypes.c_void_p).value)
        self._box = tuple(ctypes.c_double() for _ in range(4))
        self._box_refs = tuple(ctypes.byref(v) for v in self._box)
        self._rect = raw.FS_RECTF()
        self._rect_ref = ctypes.byref(self._rect)
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._x_ref, self._y_ref = ctypes.byref(self._x), ctypes.byref(self._y)
        self._matrix = raw.FS_MATRIX()
        self._fonts: dict[int | None, Font] = {}
        self._runs: dict[int, Run] = {}

    def text(self, i: int) -> str:
        """The character; "" for none, and "-" for the hyphen PDFium marks
        (as U+0002) for ending its line."""
        code = _unicode(self._page, i)
        return "-" if code == 2 else chr(code) if code else ""

    def code(self, i: int) -> int:
        """The glyph's character code, or where the font maps it to none its code in the font."""
        return _unicode(self._page, i)

    def generated(self, i: int) -> bool:
        """A space or line break PDFium put in between glyphs: none of the PDF's own."""
        return _is_generated(self._page, i) == 1

    def unmapped(self, i: int) -> bool:
        """The font maps the glyph to no Unicode (PDFium then gives its code as the character)."""
        return _map_error(self._page, i) == 1

    def box(self, i: int) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of the glyph's ink."""
        _char_box(self._page, i, *self._box_refs)
        left, right, bottom, top = self._box
        return left.value, right.value, bottom.value, top.value

    def loose_box(self, i: int) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of the glyph's advance, from the font's
        descent to its ascent (the box a type setter places), joined with its
        ink where the ink passes it."""
        _loose_char_box(self._page, i, self._rect_ref)
        rect = self._rect
        return rect.left, rect.right, rect.bottom, rect.top

    def origin(self, i: int) -> tuple[float, float]:
        """Where the glyph stands on its baseline."""
        _char_origin(self._page, i, self._x_ref, self._y_ref)
        return self._x.value, self._y.value

    def size(self, i: int) -> float:
        """The size its font is set at (the text's Tf), before any scaling."""
        return _font_size(self._page, i)

    def run(self, i: int) -> Run | None:
        """What the glyph shares with the rest of its text object (None for
        a glyph PDFium made up): looked up once for each object."""
        key = _text_object(self._page, i)
        run = self._runs.get(key)
        if run is None and key:
            matrix = self._matrix
            raw.FPDFText_GetMatrix(self.raw, i, matrix)
            handle = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(self.raw, i))
            address = ctypes.cast(handle, ctypes.c_void_p).value
            if address not in self._fonts:
                self._fonts[address] = font_of(handle)
            # upright: neither turned nor mirrored; a slant (a skewed matrix, a
            # running head's fake italic) is
            run = self._runs[key] = Run(self._fonts[address], self.size(i) * abs(matrix.d),
                                        matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0,
                                        matrix.a < 0 < matrix.d and matrix.b == matrix.c == 0)
        return run


def font_of(handle) -> Font:
    """The facts of a PDFium font handle (``FPDF_FONT``), or of none."""
    if not handle:
        return Font("", 0, 0.0, 0.0, False)
    angle, descent = ctypes.c_int(), ctypes.c_float()
    has_angle = raw.FPDFFont_GetItalicAngle(handle, angle)
    has_descent = raw.FPDFFont_GetDescent(handle, 1.0, descent)
    embedded, program = bool(raw.FPDFFont_GetIsEmbedded(handle)), ctypes.c_ulong()
    procedures = embedded and not (raw.FPDFFont_GetFontData(handle, None, 0, ctypes.byref(program))
                                   and program.value)
    name = text_of(handle, raw.FPDFFont_GetBaseFontName)
    if procedures and not name:  # pdfTeX names no bitmap font: its faces told by their extent
        ascent = ctypes.c_float()
        raw.FPDFFont_GetAscent(handle, 1.0, ascent)
        name = f"Type3 {ascent.value:.3f} {descent.value:.3f}"
    return Font(name, max(0, raw.FPDFFont_GetFlags(handle)),
                float(angle.value) if has_angle else 0.0,
                descent.value if has_descent else 0.0,
                embedded, max(0, raw.FPDFFont_GetWeight(handle)), procedures)
