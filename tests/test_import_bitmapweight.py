"""Rule "bold bitmap font" (``importer.bitmapweight``): of TeX's bitmap
faces (Type 3 fonts that name no weight), the one whose letters advance
wider than the text face's by BOLD_WIDTHS is bold; an italic a little
wider, small capitals much wider, and a face of another kind are not."""

from __future__ import annotations

from bookbuild.importer import bitmapweight
from bookbuild.importer.pdfread import Glyph, Page
from bookbuild.pdfglyphs import Font

SIZE = 10.0
LETTERS = "aeinorst"


def _word(font: str, em: float, x: float, top: float) -> list[Glyph]:
    """The letters set in ``font``, each ``em`` wide."""
    out = []
    for letter in LETTERS:
        out.append(Glyph(letter, x, x + em * SIZE, top, top + SIZE, SIZE, False, False, font=font))
        x += em * SIZE
    return out


def test_only_a_bitmap_face_wider_by_a_bold_faces_measure_is_bold():
    faces = {"text": (0.5, True), "bold": (0.57, True), "italic": (0.52, True),
             "capitals": (0.63, True), "outlined": (0.57, False)}
    glyphs = [g for n, (name, (em, _)) in enumerate(faces.items())
              for g in _word(name, em, 72, 72 + 14 * n)]
    glyphs += _word("text", 0.5, 72, 200) + _word("text", 0.5, 72, 214)  # the text face: most glyphs
    fonts = {name: Font(name, 0, 0.0, -0.2, True, procedures=procedures)
             for name, (_, procedures) in faces.items()}
    bitmapweight.mark_bold([Page(1, glyphs, [], [], 612, 792, fonts)])
    assert {g.font for g in glyphs if g.bold} == {"bold"}
