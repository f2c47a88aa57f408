"""Rule "glyph names" (``importer.glyphnames``) at its bounds: each glyph's
outline drawn once however often the page shows it, and a font program
past PROGRAM_BYTES left unread."""

from __future__ import annotations

import pytest

from bookbuild.importer import glyphnames
from bookbuild.importer.pdfsource import UNMAPPED, read_pdf_source

from boxfont import box_program, identity_pdf

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
