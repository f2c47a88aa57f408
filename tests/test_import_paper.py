"""Articles and papers set in print (Typst-made PDFs): run-in headings, notes
labelled a size smaller than their note, sections starting mid-page with
the page's notes under them (issue #26's class "two-column articles and
papers"), and TeX's bold fonts, which name their weight in a code."""

from __future__ import annotations

from bookbuild.importer import pdfread
from bookbuild.importer.pdfread import Glyph
from bookbuild.importer.pdfsource import _bold_by_stems
from bookbuild.pdfglyphs import Font


def stems_page(*fonts: tuple[str, int, int]) -> pdfread.Page:
    """A page of ``count`` glyphs in each font (its name, stems' weight, count)."""
    glyphs = [Glyph("a", 10.0 * k, 10.0 * k + 5, 100.0, 110.0, 10.0, False, False, font=name)
              for name, _, count in fonts for k in range(count)]
    return pdfread.Page(1, glyphs, [], [], 400.0, 600.0,
                        {name: Font(name, 4, 0.0, -0.25, True, weight)
                         for name, weight, _ in fonts})


def test_a_tex_font_named_by_its_weights_code_is_bold_by_its_stems():
    """Rule "bold by its stems": Computer Modern's bold ("CMBX9") sets no
    bold flag and its name says "bold" in no word; its stems, against the
    text font's, do. A regular face at a small size, drawn heavier, is not
    bold, and neither is any face of a book whose stems say nothing (a
    regular face's heavier than its bold one's)."""
    tex = stems_page(("AB+CMR9", 370, 20), ("AC+CMBX9", 585, 5), ("AD+CMR5", 445, 3))
    garbled = stems_page(("AE+Serif-Regu", 740, 20), ("AF+Serif-Medi", 690, 5))
    _bold_by_stems([tex])
    _bold_by_stems([garbled])
    assert {g.font for g in tex.glyphs if g.bold} == {"AC+CMBX9"}
    assert not any(g.bold for g in garbled.glyphs)
