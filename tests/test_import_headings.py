"""Headings the PDF reader knows by their type alone, on pages of invented
glyphs: rule "italic heading a size up" (a subsection set in italics a
little larger than the text) and rule "run-in heading" (a few styled words
a quad before their paragraph's text, on its first line)."""

from __future__ import annotations

from collections import defaultdict

from bookbuild.importer.inline import EM_CLOSE, EM_OPEN
from bookbuild.importer.pdfsource import _Block, _page_paragraphs, _render

from glyphrows import rows_of
from test_import_glyphs import SIZE, glyphs, page

TEXT = "the water rose along the harbour wall while the boats came in slowly"
BLOCK = _Block(SIZE, 50.0, glyphs(TEXT, 50, 0)[-1]["x1"])  # a full line


def kinds(*lines: list[dict]) -> list[tuple[str, str]]:
    """Each paragraph's kind and text (its emphasis unmarked) on a page of ``lines``."""
    paras = _page_paragraphs(rows_of(page(*lines), 1), None, 1, defaultdict(lambda: BLOCK),
                             800.0, [])
    return [(p.kind, " ".join(_render(r.chars) for r in p.rows).translate(
        {ord(EM_OPEN): None, ord(EM_CLOSE): None})) for p in paras]


def test_a_line_in_italics_a_size_up_is_a_heading_and_one_at_the_texts_size_is_not():
    for size, kind in ((11.0, "heading"), (SIZE, "text")):
        found = kinds(glyphs(TEXT, 50, 60), glyphs("Quiet Moorings", 50, 90, size=size,
                                                   font="Serif-Italic"),
                      glyphs(TEXT, 60, 120))
        assert found[1][0] == kind, size
    # upright at that size is the text's (a heading a size up is set larger still)
    assert kinds(glyphs(TEXT, 50, 60), glyphs("Quiet Moorings", 50, 90, size=11.0),
                 glyphs(TEXT, 60, 120))[1][0] == "text"


#: What follows "Slack water" on a full line, a quad after it.
AFTER = "rose along the harbour wall while the boats came in to"


def run_in(gap: float, font: str = "Serif-Italic") -> list[dict]:
    """A paragraph's first line: "Slack water" in ``font``, ``gap`` ems, then upright text."""
    head = glyphs("Slack water", 50, 90, font=font)
    return head + glyphs(AFTER, head[-1]["x1"] + gap * SIZE, 90)


def test_a_run_in_heading_a_quad_before_its_text_is_a_heading_of_its_own():
    for font in ("Serif-Italic", "Serif-Bold"):
        assert kinds(glyphs(TEXT, 50, 60), run_in(1.0, font), glyphs(TEXT, 50, 102)) == [
            ("text", TEXT), ("heading", "Slack water"),
            ("text", f"{AFTER} {TEXT}")]


def test_italics_opening_a_paragraph_a_word_space_or_a_column_before_the_rest_are_no_heading():
    # a title in italics opening a sentence: a word space; a table's first cell: columns apart
    for gap in (0.3, 3.0):
        found = kinds(glyphs(TEXT, 50, 60), run_in(gap), glyphs(TEXT, 50, 102))
        assert [kind for kind, _ in found] == ["text", "text"], gap


def test_a_numbered_item_or_a_hanging_term_opening_in_bold_is_no_run_in_heading():
    """A numbered item's bold lead-in ("2. Wick:") and a description list's
    term however it is closed or set off (its next line hangs in under it)
    are the text's: a run-in heading follows a section's dotted number or
    none, and the lines under its paragraph go back to the margin."""
    item = glyphs("2.", 50, 90) + glyphs("Wick:", 65, 90, font="Serif-Bold") \
        + glyphs(AFTER, 100, 90)
    assert [kind for kind, _ in kinds(glyphs(TEXT, 50, 60), item, glyphs(TEXT, 50, 102))] \
        == ["text", "text"]
    term = glyphs("Lantern:", 50, 90, font="Serif-Bold") + glyphs(AFTER, 100, 90)
    hanging = kinds(glyphs(TEXT, 50, 60), term, glyphs("trimmed at dusk.", 75, 102))
    assert "heading" not in [kind for kind, _ in hanging]
    # a bold lead-in closed by a colon, a word space after it: emphasis, no heading
    lead = glyphs("Wick:", 50, 90, font="Serif-Bold") + glyphs(AFTER, 80, 90)
    assert "heading" not in [kind for kind, _ in kinds(glyphs(TEXT, 50, 60), lead,
                                                       glyphs(TEXT, 50, 102))]
    # a section's number, a bold title closed by a colon: a heading, without its colon
    section = glyphs("1.2.", 50, 90) + glyphs("Wick:", 75, 90, font="Serif-Bold") \
        + glyphs(AFTER, 110, 90)
    assert kinds(glyphs(TEXT, 50, 60), section, glyphs(TEXT, 50, 102))[1] \
        == ("heading", "1.2. Wick")


def test_a_styled_sentence_opening_a_paragraph_is_no_run_in_title():
    """A run-in title is a phrase: italics of more than ITALIC_WORDS words,
    or bold of more than MAX_WORDS closed by a stop, a quad before the text,
    are a sentence set in that style, not a heading."""
    italic = glyphs("the boats came in slowly past the harbour wall", 50, 90,
                    font="Serif-Italic")
    bold = glyphs("the boats came in slowly past the harbour wall and the keeper watched.",
                  50, 90, font="Serif-Bold")
    for head in (italic, bold):
        line = head + glyphs("rose along", head[-1]["x1"] + SIZE, 90)
        assert "heading" not in [kind for kind, _ in kinds(glyphs(TEXT, 50, 60), line,
                                                           glyphs(TEXT, 50, 102))]
