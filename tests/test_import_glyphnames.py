"""Rule "glyph names" (``importer.glyphnames``) at its bounds: each glyph's
outline drawn once however often the page shows it, a font program past
PROGRAM_BYTES left unread, and a Type 1 program's own encoding read where
the PDF gives none (TeX's symbol fonts)."""

from __future__ import annotations

import pytest

from bookbuild.importer import glyphnames
from bookbuild.importer.pdfsource import UNMAPPED, read_pdf_source

from boxfont import (box_program, cff_box_program, identity_pdf, simple_type1_pdf,
                     type1_box_program)

NAMES = [".notdef", "space", "alpha", "uni03B2"]


def _program() -> bytes:
    """Boxes of widths of their own: "alpha" mapped by the program's cmap,
    "uni03B2" by its name alone."""
    return box_program(NAMES, {0x20: "space", 0x3B1: "alpha"}, "Box", 60)


def _identity_pdf(path, data: bytes, shown: list[str]):
    return identity_pdf(path, "Box", data, [NAMES.index(n) for n in shown])


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


#: A Type 1 program's built-in encoding as TeX's symbol font lays its angle
#: brackets out (on the codes of "h" and "i"), a letter, and a glyph whose
#: name says nothing.
TYPE1_ENCODING = {97: "a", 104: "angbracketleft", 105: "angbracketright", 106: "glyph7"}


@pytest.mark.parametrize("program", [type1_box_program, cff_box_program])
def test_a_type1_symbol_font_is_read_through_its_own_encoding(tmp_path, program):
    data = program(TYPE1_ENCODING, "Symbols", 60)
    source = read_pdf_source(simple_type1_pdf(tmp_path / "t1.pdf", "Symbols", data, b"haij"))
    assert [line.text for line in source.lines] == ["\u27e8a\u27e9j"]
    assert not source.doubts


def test_a_code_the_pdfs_encoding_gives_another_glyph_keeps_its_reading(tmp_path):
    """Code 104 drawn as "glyph7" (the PDF's /Differences): its ink is not the
    program's "angbracketleft", so the encoding the program carries says nothing of it."""
    data = type1_box_program(TYPE1_ENCODING, "Symbols", 60)
    pdf = simple_type1_pdf(tmp_path / "t1.pdf", "Symbols", data, b"ha",
                           b"/Encoding << /Differences [104 /glyph7] >>")
    assert [line.text for line in read_pdf_source(pdf).lines] == ["ha"]
