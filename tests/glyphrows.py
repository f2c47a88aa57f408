"""Pages of invented glyphs, written as dicts (pdfplumber's form: text, x0,
x1, top, bottom, size, fontname; an italic's ink past its advance,
``overhang``), read as ``pdfsource`` reads a PDF's:
the tests of its rules lay out a line glyph by glyph."""

from __future__ import annotations

from bookbuild.importer.pdfread import Glyph
from bookbuild.importer.pdfsource import _page_rows, _Row, _style


def rows_of(glyphs: list[dict], number: int) -> list[_Row]:
    """``glyphs`` as page ``number``'s printed lines (``_page_rows``), each
    font's style read from its name."""
    return _page_rows([Glyph(g["text"], float(g["x0"]), float(g["x1"]), float(g["top"]),
                             float(g["bottom"]), float(g["size"]), *_style(g["fontname"]),
                             font=g["fontname"], overhang=float(g.get("overhang", 0.0)))
                       for g in glyphs], number)
