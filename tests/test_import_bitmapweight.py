"""Rule "bold bitmap font" (``importer.bitmapweight``): of TeX's bitmap
faces (Type 3 fonts that name no weight), the one whose letters advance
wider than the text face's by BOLD_WIDTHS is bold; an italic a little
wider, small capitals much wider, a face of another kind and a small face
(wider per em by its design size) are not."""

from __future__ import annotations

from bookbuild.importer import bitmapweight
from bookbuild.importer.pdfread import Glyph, Page
from bookbuild.pdfglyphs import Font

SIZE = 10.0
LETTERS = "aeinorst"


def _word(font: str, em: float, x: float, top: float, size: float = SIZE) -> list[Glyph]:
    """The letters set in ``font`` at ``size``, each ``em`` wide."""
    out = []
    for letter in LETTERS:
        out.append(Glyph(letter, x, x + em * size, top, top + size, size, False, False, font=font))
        x += em * size
    return out


def test_only_a_bitmap_face_wider_by_a_bold_faces_measure_is_bold():
    faces = {"text": (0.5, True, SIZE), "bold": (0.57, True, SIZE),
             "italic": (0.52, True, SIZE), "capitals": (0.63, True, SIZE),
             "outlined": (0.57, False, SIZE), "small": (0.57, True, 7.0)}
    glyphs = [g for n, (name, (em, _, size)) in enumerate(faces.items())
              for g in _word(name, em, 72, 72 + 14 * n, size)]
    glyphs += _word("text", 0.5, 72, 200) + _word("text", 0.5, 72, 214)  # the text face: most glyphs
    fonts = {name: Font(name, 0, 0.0, -0.2, True, procedures=procedures)
             for name, (_, procedures, _) in faces.items()}
    bitmapweight.mark_bold([Page(1, glyphs, [], [], 612, 792, fonts)])
    assert {g.font for g in glyphs if g.bold} == {"bold"}
