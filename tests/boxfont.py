"""Invented TrueType programs of box glyphs, and PDFs showing them in a
composite font (Type0, Identity-H) with no ToUnicode map: what the importer's
rule "glyph names" (``importer.glyphnames``) reads a character from; and a
Type 3 font of boxes named by their codes, as TeX's bitmap fonts are
(``importer.texbitmaps``)."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from test_hostile_inputs import _pdf


def box_program(names: list[str], cmap: dict[int, str], family: str, step: int) -> bytes:
    """Each glyph of ``names`` a box of a width of its own (``step`` more per
    glyph), the space none; ``cmap`` the program's own character map."""
    return _truetype(family, cmap, {name: (None if name == "space" else 100 + step * n, 500, 0)
                                    for n, name in enumerate(names)})


def _truetype(family: str, cmap: dict[int, str],
              glyphs: dict[str, tuple[int | None, int, int]]) -> bytes:
    """A TrueType program of box glyphs (name: the right edge of its ink from
    x 50, None for none; its advance; its left side bearing), in this order."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(list(glyphs))
    builder.setupCharacterMap(cmap)

    def outline(right: int | None):
        pen = TTGlyphPen(None)
        if right is not None:
            pen.moveTo((50, 0))
            for point in ((right, 0), (right, 600), (50, 600)):
                pen.lineTo(point)
            pen.closePath()
        return pen.glyph()

    builder.setupGlyf({name: outline(right) for name, (right, _, _) in glyphs.items()})
    builder.setupHorizontalMetrics({name: (advance, bearing)
                                    for name, (_, advance, bearing) in glyphs.items()})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def identity_pdf(path: Path, family: str, data: bytes, glyphs: list[int]) -> Path:
    """One line of the program's ``glyphs`` (by number) in a Type0 font
    (Identity-H) with no ToUnicode map, embedding ``data``."""
    codes = b"".join(b"%04x" % n for n in glyphs)
    name = family.encode()
    return _pdf(path, [b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % codes],
                font_type=b"/Type0", font=b"/BaseFont /%s /Encoding /Identity-H "
                                          b"/DescendantFonts [6 0 R]" % name,
                extra=(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo "
                       b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                       b"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 500 >>" % name,
                       b"<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [0 -200 "
                       b"1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 "
                       b"/StemV 80 /FontFile2 8 0 R >>" % name,
                       b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))


def type1_box_program(encoding: dict[int, str], family: str, step: int) -> bytes:
    """A Type 1 program of box glyphs (each ``step`` wider than the last),
    ``encoding`` its built-in encoding (code to glyph name), as TeX's Type 1
    fonts carry theirs: in clear text, before the eexec part."""
    from fontTools import t1Lib
    from fontTools.misc.psCharStrings import T1CharString

    def box(n: int) -> T1CharString:
        width = 100 + step * n
        return T1CharString(program=[0, 500, "hsbw", 50, 0, "rmoveto", width, 0, "rlineto",
                                     0, 600, "rlineto", -width, 0, "rlineto", "closepath",
                                     "endchar"])

    names = [".notdef", *encoding.values()]
    font = t1Lib.T1Font.__new__(t1Lib.T1Font)  # fontTools makes one from a dict, not a file
    font.encoding = "ascii"
    font.font = {"FontName": family, "Encoding": [encoding.get(c, ".notdef") for c in range(256)],
                 "PaintType": 0, "FontType": 1, "FontMatrix": [0.001, 0, 0, 0.001, 0, 0],
                 "FontBBox": [0, -200, 1000, 800],
                 "Private": {"RD": t1Lib.RD_value, "ND": t1Lib.ND_values[0],
                             "NP": t1Lib.PD_values[0], "lenIV": 4, "BlueValues": [],
                             "Subrs": []},
                 "CharStrings": {name: box(n) for n, name in enumerate(names)}}
    return font.createData()


def cff_box_program(encoding: dict[int, str], family: str, step: int) -> bytes:
    """A bare CFF program (a PDF's FontFile3, Type1C) of box glyphs as
    ``type1_box_program`` draws them, ``encoding`` its own encoding."""
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    names = [".notdef", *encoding.values()]

    def box(n: int):
        pen = T2CharStringPen(500, None)
        width = 100 + step * n
        pen.moveTo((50, 0))
        for point in ((50 + width, 0), (50 + width, 600), (50, 600)):
            pen.lineTo(point)
        pen.closePath()
        return pen.getCharString()

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCFF(family, {"FullName": family}, {name: box(n) for n, name in enumerate(names)},
                     {})
    cff = builder.font["CFF "].cff
    cff[cff.fontNames[0]].Encoding = [encoding.get(c, ".notdef") for c in range(256)]
    out = io.BytesIO()
    cff.compile(out, builder.font)
    return out.getvalue()


def simple_type1_pdf(path: Path, family: str, data: bytes, codes: bytes,
                     encoding: bytes = b"") -> Path:
    """One line of ``codes`` in a simple Type 1 font embedding ``data`` (a
    Type 1 program, or a bare CFF one), with no ToUnicode map, and no
    encoding (drawn through the program's own) or the font dictionary's
    ``encoding`` entry."""
    name = family.encode()
    if data[:2] != b"%!":
        stream = (b"<< /Length %d /Subtype /Type1C >>\nstream\n" % len(data) + data
                  + b"\nendstream")
        return _pdf(path, [b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % codes.hex().encode()],
                    font=b"/BaseFont /%s /FontDescriptor 6 0 R %s" % (name, encoding),
                    extra=(_descriptor(name, b"FontFile3"), stream))
    clear = data.index(b"eexec") + len(b"eexec") + 1
    return _pdf(path, [b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % codes.hex().encode()],
                font=b"/BaseFont /%s /FontDescriptor 6 0 R %s" % (name, encoding),
                extra=(_descriptor(name, b"FontFile"),
                       b"<< /Length %d /Length1 %d /Length2 %d /Length3 0 >>\nstream\n"
                       % (len(data), clear, len(data) - clear) + data + b"\nendstream"))


def _descriptor(name: bytes, key: bytes) -> bytes:
    """A symbolic font's descriptor, its program in object 7 under ``key``."""
    return (b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [0 -200 1000 800] "
            b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /%s 7 0 R >>"
            % (name, key))


def type3_pdf(path: Path, *lines: list[int], base_font: str = "") -> Path:
    """Lines of codes, each on a page of its own, in a Type 3 font as pdfTeX
    embeds a TeX bitmap font: each glyph procedure (a box) named by its code
    ("a28"), no ToUnicode map, and a font name only where ``base_font`` gives one."""
    shown = sorted({code for codes in lines for code in codes})
    box_object = 4 + 2 * len(lines)  # after the catalog, the page tree, the font and the pages
    box = b"500 0 0 0 450 700 d1 0 0 450 700 re f"
    font = (b"%s /FontBBox [0 -200 1000 800] /FontMatrix [0.001 0 0 0.001 0 0] "
            b"/CharProcs << %s >> /Encoding << /Type /Encoding /Differences [%s] >> "
            b"/FirstChar 0 /LastChar 255 /Widths [%s] /Resources << >>"
            % (b"/BaseFont /%s" % base_font.encode() if base_font else b"",
               b" ".join(b"/a%d %d 0 R" % (c, box_object) for c in shown),
               b" ".join(b"%d /a%d" % (c, c) for c in shown), b" 500" * 256))
    return _pdf(path, [b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % bytes(codes).hex().encode()
                       for codes in lines],
                font_type=b"/Type3", font=font,
                extra=(b"<< /Length %d >>\nstream\n" % len(box) + box + b"\nendstream",))


def inked_program(glyphs: dict[str, tuple[int, int]], family: str) -> bytes:
    """A TrueType program of box glyphs, each of ``glyphs`` (name: advance,
    right edge of its ink, in thousandths of an em) after ".notdef": an ink
    passing its advance is an "f"'s hook."""
    return _truetype(family, {}, {".notdef": (450, 500, 50),
                                  **{name: (ink, advance, 50)
                                     for name, (advance, ink) in glyphs.items()}})


def mapped_pdf(path: Path, family: str, data: bytes, glyphs: dict[str, tuple[int, int]],
               text: dict[str, str], shown: bytes) -> Path:
    """One line in a Type0 font (Identity-H) embedding ``data``, the program
    of ``glyphs`` (``inked_program``), with their advances as its widths and
    a ToUnicode map giving each glyph its ``text`` (a ligature's letters);
    ``shown``: the TJ operand's content, glyphs by number."""
    name = family.encode()
    widths = b" ".join(b"%d" % advance for advance, _ in glyphs.values())
    pairs = b"\n".join(b"<%04x> <%s>" % (n, text[g].encode("utf-16-be").hex().encode())
                       for n, g in enumerate(glyphs, start=1))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Inv "
            b"def 1 begincodespacerange <0000> <ffff> endcodespacerange %d beginbfchar\n%s\n"
            b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
            % (len(glyphs), pairs))
    return _pdf(path, [b"BT /F1 12 Tf 72 720 Td [%s] TJ ET" % shown],
                font_type=b"/Type0", font=b"/BaseFont /%s /Encoding /Identity-H "
                                          b"/DescendantFonts [6 0 R] /ToUnicode 9 0 R" % name,
                extra=(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo "
                       b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                       b"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /W [1 [%s]] >>"
                       % (name, widths),
                       b"<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [0 -200 "
                       b"1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 "
                       b"/StemV 80 /FontFile2 8 0 R >>" % name,
                       b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
                       b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"))
