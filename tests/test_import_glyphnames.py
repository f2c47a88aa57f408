"""Rule "glyph names" (``importer.glyphnames``) at its bounds: each glyph's
outline drawn once however often the page shows it, and a font program
past PROGRAM_BYTES left unread."""

from __future__ import annotations

import io

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from bookbuild.importer import glyphnames
from bookbuild.importer.pdfsource import UNMAPPED, read_pdf_source

from test_hostile_inputs import _pdf

NAMES = [".notdef", "space", "alpha", "uni03B2"]


def _program() -> bytes:
    """A TrueType program whose glyphs are boxes of widths of their own: "alpha"
    mapped by its cmap, "uni03B2" by its name alone."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(NAMES)
    builder.setupCharacterMap({0x20: "space", 0x3B1: "alpha"})

    def outline(n: int):
        pen = TTGlyphPen(None)
        if NAMES[n] != "space":
            pen.moveTo((50, 0))
            for point in ((100 + 60 * n, 0), (100 + 60 * n, 600), (50, 600)):
                pen.lineTo(point)
            pen.closePath()
        return pen.glyph()

    builder.setupGlyf({name: outline(n) for n, name in enumerate(NAMES)})
    builder.setupHorizontalMetrics({n: (500, 0) for n in NAMES})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Box", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _identity_pdf(path, data: bytes, shown: list[str]):
    """One line of ``shown`` glyphs in a Type0 font (Identity-H) with no
    ToUnicode map, embedding ``data``."""
    codes = b"".join(b"%04x" % NAMES.index(n) for n in shown)
    return _pdf(path, [b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % codes],
                font_type=b"/Type0", font=b"/BaseFont /Box /Encoding /Identity-H "
                                          b"/DescendantFonts [6 0 R]",
                extra=(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Box /CIDSystemInfo "
                       b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                       b"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 500 >>",
                       b"<< /Type /FontDescriptor /FontName /Box /Flags 32 /FontBBox [0 -200 "
                       b"1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 "
                       b"/StemV 80 /FontFile2 8 0 R >>",
                       b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))


def test_each_glyphs_outline_is_drawn_once_however_often_it_is_shown(tmp_path, monkeypatch):
    drawn = []

    class Counted(glyphnames.BoundsPen):
        def __init__(self, *args) -> None:
            drawn.append(1)
            super().__init__(*args)

    monkeypatch.setattr(glyphnames, "BoundsPen", Counted)
    shown = ["alpha", "uni03B2"] * 6
    pdf = _identity_pdf(tmp_path / "box.pdf", _program(), shown)
    assert read_pdf_source(pdf).lines[0].text == "αβ" * 6
    assert len(drawn) == 2


@pytest.mark.parametrize("over", [False, True])
def test_a_font_program_past_the_cap_is_left_unread_and_its_glyphs_reported(
        tmp_path, monkeypatch, over):
    data = _program()
    monkeypatch.setattr(glyphnames, "PROGRAM_BYTES", len(data) - over)
    source = read_pdf_source(_identity_pdf(tmp_path / "box.pdf", data, ["alpha", "uni03B2"]))
    if over:
        assert source.lines[0].text == UNMAPPED * 2
        assert [d.message.split(" with")[0] for d in source.doubts] == ["2 glyphs"]
    else:
        assert source.lines[0].text == "αβ" and not source.doubts
