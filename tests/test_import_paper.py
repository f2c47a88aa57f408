"""Articles and papers set in print (Typst-made PDFs): run-in headings, notes
labelled a size smaller than their note, sections starting mid-page with
the page's notes under them (issue #26's class "two-column articles and
papers"), and TeX's bold fonts, which name their weight in a code."""

from __future__ import annotations

import typst

from bookbuild.importer import import_book, pdfread
from bookbuild.importer.inline import ref
from bookbuild.importer.pagenotes import notes_to_their_chapters
from bookbuild.importer.pdfread import Glyph
from bookbuild.importer.pdfsource import _bold_by_stems
from bookbuild.importer.source import Line, page_line
from bookbuild.pdfglyphs import Font

from test_import_roundtrip import imported_chapter

PAGE = ('#set page(width: 15cm, height: 21cm, margin: 2cm)\n#set text(lang: "en", size: 10pt)\n'
        "#set par(justify: true, first-line-indent: 1em)\n")
SENTENCE = "The keeper trimmed the wicks at dusk and wrote the hour in the ledger. "


def test_run_in_headings_come_back_as_headings(tmp_path):
    """Rule "run-in heading": amsart's "1.1. Title." (a roman number, a bold
    title closed by a period) and LaTeX's \\paragraph (a bold title, a quad)
    open their paragraph's first line; a theorem's bold head, closed by its
    number, and bold words opening a sentence stay in the text."""
    source = tmp_path / "runin.typ"
    source.write_text(
        PAGE + "= The Harbour\n\n" + SENTENCE * 3 + "\n\n"
        "1.1. *Tide Tables.* " + SENTENCE * 3 + "\n\n"
        "*Lamp Oil*#h(1em)" + SENTENCE * 2 + "\n\n"
        "*Theorem 2.1.* " + SENTENCE * 2 + "\n\n"
        "*Never* " + SENTENCE * 2 + "\n", encoding="utf-8")
    text = imported_chapter(source, tmp_path / "out").read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert "## 1.1. Tide Tables" in blocks and "### Lamp Oil" in blocks
    assert blocks[blocks.index("## 1.1. Tide Tables") + 1].startswith("The keeper trimmed")
    assert blocks[blocks.index("### Lamp Oil") + 1].startswith("The keeper trimmed")
    assert any(b.startswith("Theorem 2.1. The keeper") for b in blocks)
    assert any(b.startswith("Never The keeper") for b in blocks)


def test_notes_labelled_a_size_smaller_than_the_note_come_back_on_their_references(tmp_path):
    """Rule "a label one size smaller": references and labels raised as
    high as any superscript, but only a size step smaller than their line
    (too near for the rule of smaller raised runs), are references and labels."""
    source = tmp_path / "labels.typ"
    source.write_text(
        PAGE + "#set super(typographic: false, size: 0.88em)\n= The Harbour\n\n"
        + SENTENCE * 2 + "Oil.#footnote[Whale oil, until the year the gas came.] "
        + SENTENCE * 2 + "Wicks.#footnote[Cotton wicks, cut square.]\n", encoding="utf-8")
    text = imported_chapter(source, tmp_path / "out").read_text(encoding="utf-8")
    assert "Oil.[^1]" in text and "Wicks.[^2]" in text
    assert "[^1]: Whale oil, until the year the gas came.\n" in text
    assert "[^2]: Cotton wicks, cut square.\n" in text


def test_a_pages_note_goes_with_the_section_ending_above_the_next_ones_heading(tmp_path):
    """Rule "a page's notes before its chapter start": an article's sections
    (the book's chapters) start mid-page, so the page's note, read after the
    new section's text, belongs to the section ending above it."""
    source = tmp_path / "sections.typ"
    source.write_text(
        PAGE + "#set heading(numbering: \"1.\")\n= The Harbour\n\n" + SENTENCE * 3
        + "Oil.#footnote[Whale oil, until the year the gas came.]\n\n= The Ledger\n\n"
        + SENTENCE * 3 + "\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "sections.pdf"))
    import_book(tmp_path / "sections.pdf", tmp_path / "out")
    first, second = sorted((tmp_path / "out" / "manuscript").glob("0[12]-*.md"))
    harbour, ledger = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
    assert "Oil.[^1]" in harbour and "[^1]: Whale oil, until the year the gas came.\n" in harbour
    assert "Whale oil" not in ledger


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
    # a typewriter face's even, heavy stems are its design, not bold
    listing = stems_page(("AB+CMR9", 370, 20), ("AG+CMTT9", 944, 0))
    listing.glyphs += [Glyph(letter, 10.0 * k, 10.0 * k + 5.25, 200.0, 210.0, 10.0, False, False,
                             font="AG+CMTT9") for k, letter in enumerate("thekeprwous")]
    _bold_by_stems([listing])
    assert not any(g.bold for g in listing.glyphs)


def test_a_note_moves_back_only_to_a_chapter_referring_to_it_on_its_page():
    """Rule "a page's notes before its chapter start", bound to the page: a
    note on a chapter's first page that the chapter does not refer to goes
    to the chapter before only where that chapter refers to it on the same
    page; a reference with the same label pages earlier is another note's."""
    def line(page: int, k: int, text: str, kind: str = "text", label: str | None = None):
        return Line(page_line(page, k), text, kind=kind, label=label)

    body = [line(1, 1, "The Harbour", "heading"), line(1, 2, f"Oil{ref('1')} for the lamps."),
            line(1, 30, "Whale oil.", "note", "1"),
            line(3, 1, "The Rock", "heading"), line(3, 2, "The keeper climbed."),
            line(3, 30, "A stray note.", "note", "1")]
    assert notes_to_their_chapters(body, [0, 3]) == (body, [0, 3])
    # on the page where the second chapter starts, the first refers to it: it moves back
    moved = [line(3, 1, f"Wicks{ref('2')} cut square."), line(3, 5, "The Rock", "heading"),
             line(3, 6, "The keeper climbed."), line(3, 30, "Cotton wicks.", "note", "2")]
    assert notes_to_their_chapters(body[:3] + moved, [0, 4]) == (
        body[:3] + [moved[0], moved[3], moved[1], moved[2]], [0, 5])
