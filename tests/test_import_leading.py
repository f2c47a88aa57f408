"""Rule "wide leading" (``leading``): a book whose lines stand as far apart
as another book's paragraphs parts paragraphs by its own measured gap,
and so do the rules that test how close a line stands under another (a
caption going on, a description item's hanging lines)."""

from __future__ import annotations

from collections import defaultdict

from bookbuild.importer.hyphens import Vocabulary
from bookbuild.importer.leading import paragraph_gap
from bookbuild.importer.pdfsource import (GAP_EM, _Block, _description_lists, _lines,
                                          _page_paragraphs, _render)

from glyphrows import rows_of as _rows
from test_import_glyphs import SIZE, glyphs, page

#: The gap between two lines of a paragraph in the wide-leading pages below:
#: 1.4 em, a template's one and a half spacing (the fixed gap is 0.9 em).
LINE = SIZE + 1.4 * SIZE
#: The book's measured paragraph gap over them: its line gap and a little.
WIDE = _Block(SIZE, 50.0, 330.0, gap=1.5)


def test_a_captions_lines_go_on_at_the_books_leading():
    """Rule "figure": a two-line caption set at the book's wide leading is
    one caption."""
    image = {"x0": 60.0, "x1": 290.0, "top": 80.0, "bottom": 190.0}
    rows = _rows(page(glyphs("Figure 1 - a lamp", 130, 205),  # centred under the image
                      glyphs("(trimmed)", 152, 205 + LINE)), 1)
    paras = _page_paragraphs(rows, None, 1, defaultdict(lambda: WIDE), 800.0, [], images=[image])
    assert [" ".join(_render(r.chars) for r in p.rows) for p in paras] \
        == ["Figure 1 - a lamp (trimmed)"]


def test_a_description_items_hanging_line_goes_on_at_the_books_leading():
    """Rule "description list": the hanging line under an item's term, at the
    book's wide leading, goes on with that item."""
    terms = [(name, 100 + k * 2 * LINE) for k, name in enumerate(("Lantern", "Beacon"))]
    rows = _rows(page(*[[*glyphs(name, 60, top, font="Serif-Bold"),
                         *glyphs("a light hung at the masthead for the", 65 + 5 * len(name), top)]
                        for name, top in terms],
                      glyphs("watch, trimmed at dusk.", 80, 100 + LINE)), 1)
    paras = _page_paragraphs(rows, None, 1, defaultdict(lambda: WIDE), 800.0, [])
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    lines = _lines(_description_lists(paras, frozenset(), WIDE.gap), vocabulary, [])
    assert [(line.kind, line.text) for line in lines] == [
        ("term", "Lantern"),
        ("text", "a light hung at the masthead for the watch, trimmed at dusk."),
        ("term", "Beacon"), ("text", "a light hung at the masthead for the")]


def _gap(lines: list[tuple[str, float]]) -> float:
    """The paragraph gap measured on a page of ``lines`` (text, top) at the margin."""
    return paragraph_gap([_rows(page(*[glyphs(text, 50, top) for text, top in lines]), 1)],
                         SIZE, GAP_EM)


def test_the_line_gap_is_measured_between_a_paragraphs_lines():
    """Lines 1.4 em apart, paragraphs 1.6 em apart and not indented: the
    book's gap parts the paragraphs, not their lines."""
    full, last = "the lamp was lit at dusk and the lens turned", "all night."
    tops = [100 + k * LINE for k in range(3)]
    lines = [(full, tops[0]), (full, tops[1]), (last, tops[2]),
             (full, tops[2] + SIZE + 1.6 * SIZE), (last, tops[2] + LINE + SIZE + 1.6 * SIZE)]
    assert 1.4 < _gap(lines) < 1.6


def test_one_line_paragraphs_set_a_blank_line_apart_keep_the_fixed_gap():
    """A ``parskip`` book of short paragraphs, most one line long, a blank
    line between them: their gap, the most common, is no line gap."""
    words = ["The bell rang.", "Fog came in over the reef at dusk.", "No ship passed.",
             "The keeper slept.", "Then the lamp went out."]
    lines = [(text, 100 + k * 2.2 * SIZE) for k, text in enumerate(words)]
    assert _gap(lines) == GAP_EM


def test_a_hanging_terms_bold_lead_in_is_no_run_in_heading_at_the_books_leading():
    """Rule "run-in heading" yields to a term whose next line hangs in under
    it (``_hangs_under``): at the book's wide leading that line is still
    close under the term."""
    term = glyphs("Lantern:", 50, 100, font="Serif-Bold") \
        + glyphs("a light hung at the masthead", 100, 100)
    rows = _rows(page(term, glyphs("trimmed at dusk.", 75, 100 + LINE)), 1)
    paras = _page_paragraphs(rows, None, 1, defaultdict(lambda: WIDE), 800.0, [])
    assert "heading" not in [p.kind for p in paras]
