"""The PDF reader's doubts: where it decided on weak evidence it says so, with
the page and line, on pages of invented glyphs laid out as a class of
layouts sets them (an example's dialogue, a quote broken by hand, a table's
columns, a caption in small type, a float past a heading, a small capitals'
ligature, an italic's correction); and where the evidence settles it, no
doubt."""

from __future__ import annotations

from collections import defaultdict

from bookbuild.importer.hyphens import Vocabulary
from bookbuild.importer.source import PAGE_LINES
from bookbuild.importer.pdfsource import (
    _Block, _displays_spaced, _figures, _floated, _letter_widths, _line, _page_doubts,
    _page_paragraphs, _wide_letters)

from glyphrows import rows_of
from test_import_glyphs import SIZE, glyphs, page

WIDE = "the broad line of the text runs all the way across from the left to right"
BLOCK = _Block(SIZE, 50.0, glyphs(WIDE, 50, 0)[-1]["x1"])  # a full line
BLOCKS = defaultdict(lambda: BLOCK)  # every page's


def doubts_of(*lines: list[dict], spaced: bool = True, number: int = 1):
    """The page's paragraphs and the doubts ``_page_doubts`` has of them, as
    (line on the page, first words of the message)."""
    rows = rows_of(page(*lines), number)
    paras = _page_paragraphs(rows, None, number, BLOCKS, 800.0, [])
    found = _page_doubts(paras, [], number, BLOCK, spaced)
    return paras, [(d.line % PAGE_LINES, " ".join(d.message.split()[:5])) for d in found]


def test_a_dialogue_line_standing_apart_is_doubted_where_it_was_joined():
    # an example's dialogue: its turns stand 15.5 apart, its lines 14 (the page's step);
    # "objected." ends short of the display's edge by less than the next word: joined
    paras, found = doubts_of(
        glyphs(WIDE, 50, 72), glyphs(WIDE, 50, 86), glyphs(WIDE, 50, 100), glyphs(WIDE, 50, 114),
        glyphs("(1) There is glory for you, said the harbourmaster.", 55, 136),
        glyphs("But glory does not mean a nice argument at all, Alice objected.", 73, 151.5),
        glyphs("When I use a word, the harbourmaster said, it means just what", 73, 167),
        glyphs("I choose it to mean.", 73, 181))
    assert found == [(7, "a display's line (a quote's,")]
    assert "joined" in _messages(paras, spaced=True)[0]


def test_a_dialogue_line_stepping_as_its_lines_do_is_doubted_where_it_was_set_apart():
    # the turn after "earnestly." steps 14, as the example's lines do: a line broken by
    # hand in one item, yet short enough to end a paragraph
    lines = (glyphs(WIDE, 50, 100), glyphs(WIDE, 50, 114),
             glyphs("(10) Take one more lamp, the old keeper said, very gravely.", 55, 136),
             glyphs("I have lit no lamp yet, the boy answered in a hurt voice, so I", 78, 150),
             glyphs("cannot light more.", 78, 164))
    paras, found = doubts_of(*lines)
    assert found == [(4, "a display's line (a quote's,")]
    # a book that does not set its displays' paragraphs apart: the step says nothing, and
    # the line above ends a sentence
    assert doubts_of(*lines, spaced=False)[1] == []


def test_a_quotes_line_set_apart_after_one_ending_no_sentence_is_doubted():
    # a quote broken by hand (a source, then the verse): the first line ends no sentence
    paras, found = doubts_of(
        glyphs(WIDE, 50, 100), glyphs("Look at another form of this text:", 65, 114),
        glyphs("AP 10.76, Paul the Silent", 80, 136),
        glyphs("nothing is as graceful as a life that is lived wholly without", 80, 150),
        glyphs("consternations of the grey temples.", 80, 164), spaced=False)
    assert found == [(4, "a display's line (a quote's,")]


def test_lines_at_the_paragraph_indent_are_paragraphs_not_a_display():
    # one-line paragraphs of a novel's dialogue, each at the paragraph indent
    _, found = doubts_of(
        glyphs("Then he stood at the window and looked out at the harbour for a while", 65, 100),
        glyphs("for a long time before he spoke to the girl at all.", 50, 114),
        glyphs("Yes, he said.", 65, 128), glyphs("No, she said.", 65, 142),
        glyphs("Then it is no.", 65, 156))
    assert found == []


def test_a_book_sets_its_displays_paragraphs_apart_when_its_items_stand_apart():
    def rows(step: float):
        lines = [glyphs(WIDE, 50, 16 + 14 * k) for k in range(8)]
        top = 150
        for label in "abcd":
            lines.append(glyphs(f"{label}. A boat sails to the harbour before the night.", 70, top))
            top += step
        return [(1, rows_of(page(*lines), 1))]
    assert _displays_spaced(rows(15.5), BLOCKS)
    assert not _displays_spaced(rows(14), BLOCKS)


def test_a_figures_caption_is_doubted_for_its_image_which_is_not_imported():
    """Rule "figure": a caption centred under an image is kept where it stood
    (the text flows on past it), but not its picture: a person puts it back.
    A centred line with no image above it is no caption and no doubt."""
    image = {"x0": 60.0, "x1": 290.0, "top": 80.0, "bottom": 190.0}
    lines = (glyphs("Figure 1 - the harbour's lamp", 116, 205), glyphs(WIDE, 50, 240))
    paras = _page_paragraphs(rows_of(page(*lines), 2), None, 2, BLOCKS, 800.0,
                             [], images=[image])
    assert [(d.line, d.message) for d in _figures(paras)] == [
        (2001, "a figure's caption: the image above it is not imported")]
    assert _figures(_page_paragraphs(rows_of(page(*lines), 2), None, 2, BLOCKS,
                                     800.0, [])) == []


def test_small_type_among_the_text_and_a_tables_columns_are_doubted_once_each():
    _, found = doubts_of(
        glyphs(WIDE, 50, 100), glyphs("as the keeper's triangle shows.", 50, 114),
        glyphs("Table 2.1: The many different uses of the harbour's", 80, 136, size=9.0),
        glyphs("small boats.", 80, 146, size=9.0),
        glyphs(WIDE, 50, 170), glyphs("as this exchange shows:", 50, 184),
        glyphs("(15) Tomasz: Are you a day keeper or a night keeper?", 55, 206),
        glyphs("Marisol: Who, me? I am not a keeper at all. I am Marisol Vane, of", 78, 220),
        glyphs("Portree.", 121, 234))  # under "Who,": the second column
    assert found == [(3, "lines set smaller than the"), (9, "lines set in columns (a")]


def test_a_float_printed_after_a_heading_its_text_refers_to_it_before():
    rows = rows_of(page(glyphs("as illustrated in Table 2.1. The same suffix has nearly", 50, 100),
                        glyphs("opposite meanings.", 50, 114),
                        glyphs("2.7 Conclusion", 50, 140, size=14.0),
                        glyphs(WIDE, 50, 166), glyphs("we focus on descriptive meaning.", 50, 180)),
                   30)
    paras = _page_paragraphs(rows, None, 30, BLOCKS, 800.0, [])
    table = rows_of(page(glyphs("Table 2.1: The many uses of the small boats.", 80, 90,
                                size=9.0),
                         glyphs("a. Harbour boats", 60, 120)), 31)
    paras += _page_paragraphs(table, None, 31, BLOCKS, 800.0, paras)
    found = _floated(paras, SIZE)
    assert [(d.line, d.message.split(",")[0]) for d in found] == [(30003, "Table 2.1")]
    # a table the text refers to in the same section stands where it is printed
    assert _floated([p for p in paras if p.kind != "heading"], SIZE) == []


def test_a_letter_twice_its_usual_width_is_a_ligature_whose_letters_may_be_missing():
    plain = glyphs("quick quiet quay quill quota", 50, 100)
    # small capitals' "qu" ligature read as "q": the glyph is two letters wide
    caps = glyphs("reqests", 50, 114, widths={"q": 1.1})
    rows = rows_of(page(plain, caps), 26)
    found = _wide_letters(rows, _letter_widths(rows))
    assert [(d.line, d.message.split(":")[0]) for d in found] \
        == [(26002, "a glyph read as 'q' is as wide as two letters")]


def test_a_narrow_space_between_an_italic_and_a_hyphen_is_doubted():
    def line(gap: float) -> list[dict]:
        left = glyphs("includes negative assertions, questions,", 50, 100, space=0.3)
        italic = glyphs("if", left[-1]["x1"] + 3.0, 100, font="Serif-Italic")
        rest = glyphs("-clauses and certain modalities.", italic[-1]["x1"] + gap * SIZE, 100)
        return page(left, italic, rest)

    def doubts(gap: float) -> list[str]:
        para, = _page_paragraphs(rows_of(line(gap), 57), None, 57, BLOCKS, 800.0,
                                 [])
        found = []
        _line(para, Vocabulary(["a few words"], "en"), found)
        return [d.message.split(",")[0] for d in found]
    # the italic's correction, 0.2 em where the line's spaces are 0.3: read as a space
    assert doubts(0.2) == ["a word space where the face changes"]
    assert doubts(0.0) == []  # no space at all: no doubt
    assert doubts(0.3) == []  # as wide as the line's spaces: a space


def _messages(paras, spaced: bool) -> list[str]:
    return [d.message for d in _page_doubts(paras, [], 1, BLOCK, spaced)]


def test_a_text_extractions_unmapped_glyphs_are_reported_with_their_line(tmp_path):
    """An extractor writes U+FFFD for a glyph the PDF maps to no character:
    as for a PDF, the line is a place a person must read in the print."""
    from bookbuild.importer import _read
    extraction = tmp_path / "book.txt"
    extraction.write_text("A chapter\n\nThe epigram opens with \ufffd\ufffd\ufffd and a line\r\n"
                          "of the verse.\n\fThe next page, \ufffd alone.\n", encoding="utf-8")
    found = [(d.line, d.message.split(" the PDF")[0]) for d in _read(extraction, "en").doubts]
    assert found == [(3, "3 glyphs"), (5, "1 glyph")]
