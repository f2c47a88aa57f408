"""Parts and chapters from a book's own evidence (importer/structure.py):
the outline, the contents list however it is set and wherever it stands,
headings by their form, one chapter as the last resort; and the real books'
text extractions (``pdftotext`` with and without ``-layout``), which import
with the PDF's chapters."""

from __future__ import annotations

import json

import shutil
import subprocess

import pytest

import typst

from bookbuild.importer import import_book
from bookbuild.importer.folios import printing_page
from bookbuild.importer.source import Bookmark, Line, page_line
from bookbuild.importer.inline import EM_CLOSE, EM_OPEN, REF_CLOSE, REF_OPEN
from bookbuild.importer.structure import (ContentsEntry, as_outlined, book_structures,
                                          chapter_starts, from_outline, read_contents)

from importscore import REAL_BOOKS
from test_import_real import CORPUS, LONG


def lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


def marks(*entries: tuple[int, str]) -> tuple[Bookmark, ...]:
    """An outline of (level, title) entries leading to no page."""
    return tuple(Bookmark(level, title) for level, title in entries)


def titles(found) -> list[tuple[str, bool]]:
    return [(e.title, e.part) for e in found]


@pytest.mark.parametrize("listing", [
    ("Preface\t1", "1 The North Light\t9", "2 The Keeper's Diary\t20"),
    ("Preface    1", "1   The North Light   9", "2   The Keeper's Diary   20"),
    ("Preface ........ 1", "1. The North Light ..... 9", "2. The Keeper's Diary . . . . . 20"),
    # Columns extracted one after another: labels, titles, then pages.
    ("Preface", "1", "1", "The North Light", "9", "2", "The Keeper's Diary", "20"),
], ids=["tabs", "spaces", "leaders", "columns"])
def test_a_contents_list_however_it_is_set(listing):
    found = read_contents(lines("Title", "Contents", *listing, "Preface", "A preface."))
    assert titles(found[2]) == [("Preface", False), ("The North Light", False),
                                ("The Keeper's Diary", False)]
    assert found[:2] == (1, 2 + len(listing))  # the heading "Preface" after it is no entry


def test_parts_by_their_label_sections_and_wrapped_rests_are_no_chapters():
    found = read_contents(lines(
        "Contents", "I   Beginnings   1", "1   The North Light   3",
        "1.1 The lamp . . . . . . . 4", "1.2 The glass, with a long title set over two",
        "lines . . . . . . 5", "Part Two: Endings   11", "2   The Keeper's Diary   13",
        "Index   40", "This book tells of a lighthouse, its keepers and the logbooks they kept."))
    assert titles(found[2]) == [("Beginnings", True), ("The North Light", False),
                                ("Part Two: Endings", True), ("The Keeper's Diary", False),
                                ("Index", False)]


def test_a_contents_list_after_the_text_is_read_and_no_chapter():
    text = lines("The Book", "One", "Text of one.", "Two", "Text of two.",
                 "Table des matières", "One", "3", "Two", "7")
    structure = book_structures(text, ())[0]
    assert titles(structure.entries) == [("One", False), ("Two", False)]
    assert structure.contents == (5, 10) and "after the text" in structure.evidence


def test_an_outline_s_parts_are_parts_and_its_contents_entry_no_chapter():
    """Parts from the outline: numbered through the book under part labels,
    named as chapters beneath one entry, or under an entry named as a part."""
    outline = marks((1, "Contents"), (1, "Preface"), (1, "I Beginnings"), (2, "1 The North Light"),
               (2, "2 The Keeper's Diary"), (1, "II Endings"), (2, "3 The Storm"),
               (2, "References"))
    assert titles(from_outline(outline)) == [
        ("Preface", False), ("I Beginnings", True), ("1 The North Light", False),
        ("2 The Keeper's Diary", False), ("II Endings", True), ("3 The Storm", False),
        ("References", False)]
    # Chapters with sections numbered afresh beneath each: no parts.
    flat = marks((1, "The North Light"), (2, "1 The lamp"), (1, "The Keeper's Diary"),
            (2, "1 The log"))
    assert titles(from_outline(flat)) == [("The North Light", False),
                                          ("The Keeper's Diary", False)]
    # One part over chapters named as chapters; a part named by its word over
    # chapters with titles alone (their sections a level further down)
    named = marks((1, "Preface"), (1, "The Lighthouse"), (2, "Chapter I"), (2, "Chapter II"))
    assert titles(from_outline(named)) == [("Preface", False), ("The Lighthouse", True),
                                           ("Chapter I", False), ("Chapter II", False)]
    worded = marks((1, "Introduction"), (1, "Partie I Les feux"), (2, "La lampe"), (3, "La mèche"),
              (2, "Le journal"), (1, "Conclusion"))
    assert titles(from_outline(worded)) == [
        ("Introduction", False), ("Partie I Les feux", True), ("La lampe", False),
        ("Le journal", False), ("Conclusion", False)]


def test_without_a_contents_list_headings_by_form_then_one_chapter(tmp_path):
    numbered = "The Book\n\nby Ann Lee\n\n" + "".join(
        f"Chapter {n}\n\nText of chapter {n}, long enough to be prose and not a heading.\n\n"
        for n in (1, 2, 3))
    (tmp_path / "a.txt").write_text(numbered, encoding="utf-8")
    result = import_book(tmp_path / "a.txt", tmp_path / "a")
    assert [c.title for c in result.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert "headings by their form" in (tmp_path / "a" / "import-report.md").read_text()
    (tmp_path / "b.txt").write_text("Just text.\n\nMore text.\n", encoding="utf-8")
    result = import_book(tmp_path / "b.txt", tmp_path / "b")
    assert [c.title for c in result.chapters] == ["Just text."]
    assert "the text is one chapter" in (tmp_path / "b" / "import-report.md").read_text()


def test_a_heading_matches_its_outline_entry_however_the_type_spaces_its_letters():
    """Rule "a heading's letters as set": a kerned large italic ("T he"), a
    logo's raised letter read as a reference mark, an accent set as a glyph
    of its own beside its letter (an OT1 font): the outline's entry is found."""
    outline = marks((1, "The Keeper's Diary"), (1, "Notes on LaTeX"), (1, "Spezialitäten"),
               (1, "The Storm"))
    text = lines("A book", f"{EM_OPEN}T he Keeper’s Diary{EM_CLOSE}", "Text of one.",
                 f"Notes on L{REF_OPEN}A{REF_CLOSE}TEX", "Text of two.",
                 "8 Spezialit¨aten", "Text of three.",
                 f"The Storm{REF_OPEN}1{REF_CLOSE}", "Text of four.")
    found, missing = chapter_starts(text, book_structures(text, outline)[0].entries, None)
    assert [(i, e.title) for i, e in found] == [(1, "The Keeper's Diary"), (3, "Notes on LaTeX"),
                                                (5, "Spezialitäten"), (7, "The Storm")]
    assert not missing
    # The letters must still agree: another title's line is no heading of this one.
    other = lines("A book", "The Keepers Dairy", "Text.")
    found, missing = chapter_starts(other, book_structures(other, outline[:1])[0].entries, None)
    assert not found and [e.title for e in missing] == ["The Keeper's Diary"]


def test_a_chapter_set_as_one_but_left_out_of_the_outline_is_a_chapter():
    """Rule "a chapter outside the outline": where the chapters open pages
    under the largest headings, another such heading with text under it,
    before the first chapter or after the last, is a chapter; a list of
    figures, a dedication, a heading mid-page or amid the chapters, one the
    outline lists deeper or numbered as a section are not.
    Rule "appendix letter": "A Symbols" is the outline's "Symbols"."""
    def page(number: int, *rows: tuple[str, str | None]) -> list[Line]:
        return [Line(page_line(number, k), text, kind=kind, level=1 if kind == "heading" else 2)
                for k, (text, kind) in enumerate(rows, start=1)]

    prose = ("The lamp was lit at dusk.", "text")
    text = (page(3, ("THE BOOK", "heading")) + page(5, ("Contents", "heading"),
                                                      ("The Keeper's Diary 13", "text"))
            + page(7, ("List of Figures", "heading"), ("1 The lamp 14", "text"))
            + page(9, ("Dedicated to keepers", "heading"), ("and to their lamps.", "heading"))
            + page(11, ("Introduction", "heading"), prose)
            + page(13, ("The Keeper's Diary", "heading"), prose, ("Sample Page", "heading"),
                   prose)
            + page(14, ("The Lamp Room", "heading"), prose)  # amid the chapters: a section
            + page(15, ("A Symbols", "heading"), prose) + page(17, ("Licence", "heading"), prose)
            + page(18, ("Name Index", "heading"), prose)  # listed deeper: a section
            + page(19, ("2.3 Late Notes", "heading"), prose))  # numbered as a section
    outline = marks((1, "The Keeper's Diary"), (1, "Symbols"), (2, "Name Index"))
    structure = book_structures(text, outline)[0]
    found, missing = chapter_starts(text, structure.entries, structure.contents, paged=True,
                                    outline=outline)
    assert [(text[i].text, e.outside) for i, e in found] == [
        ("Introduction", True), ("The Keeper's Diary", False), ("A Symbols", False),
        ("Licence", True)]
    assert not missing
    # A text extraction's lines stand on no page: only the outline's chapters.
    found, _ = chapter_starts(text, structure.entries, structure.contents)
    assert [text[i].text for i, _ in found] == ["The Keeper's Diary", "A Symbols"]


@pytest.mark.parametrize("printed, entry, title", [
    ("8 Spezialit¨aten", "Spezialitäten", "8 Spezialitäten"),
    (f"{EM_OPEN}T he Keeper’s Diary{EM_CLOSE}", "The Keeper's Diary", "The Keeper's Diary"),
    ("A Im Hafen verfu¨gbare Boote und Lampen", "Im Hafen verfügbare Boote und Lampen",
     "A Im Hafen verfügbare Boote und Lampen"),
    ("1 The North Light", "1 The North Light", "1 The North Light"),
    (f"The {EM_OPEN}Storm{EM_CLOSE}", "The Storm", f"The {EM_OPEN}Storm{EM_CLOSE}"),
    (f"Notes on L{REF_OPEN}A{REF_CLOSE}TEX", "Notes on LaTeX",
     f"Notes on L{REF_OPEN}A{REF_CLOSE}TEX"),
])
def test_a_heading_takes_the_outline_s_spelling_and_keeps_its_number(printed, entry, title):
    """Rule "a title as the outline spells it"."""
    assert as_outlined(printed, ContentsEntry(entry, 0)) == title


FRENCH = REAL_BOOKS[0]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent (CI has it)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is "
                    "not installed (apt-get install poppler-utils)")
@pytest.mark.parametrize("flags", [(), ("-layout",)], ids=["plain", "layout"])
def test_a_real_book_s_text_extraction_imports_with_its_chapters(flags, tmp_path):
    """The French book's contents list stands after the text, its entries
    and pages apart (plain) or separated by spaces (-layout); its title page
    names the author alone."""
    text = tmp_path / "livre.txt"
    subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(CORPUS / FRENCH.name / FRENCH.pdf),
                    str(text)], check=True)
    result = import_book(text, tmp_path / "out")
    truth = json.loads((CORPUS / FRENCH.name / FRENCH.truth).read_text(encoding="utf-8"))
    assert [c.title for c in result.chapters] == [" ".join(title.split()) for title, *_ in truth]
    assert [(p.name, p.roles) for p in result.front.people] == [("Marcello Vitali-Rosati",
                                                                 ("aut",))]
    score = FRENCH.score(CORPUS, tmp_path / "out")
    assert score.kinds["structure"] == 0


ENGLISH = REAL_BOOKS[1]


@pytest.mark.skipif(not (CORPUS.is_dir() and LONG), reason="the English book's 502 pages: a "
                    "step of .ci/run (BOOKBUILD_IMPORT_REAL_LONG=1)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is "
                    "not installed (apt-get install poppler-utils)")
@pytest.mark.parametrize("flags", [(), ("-layout",)], ids=["plain", "layout"])
def test_the_english_book_s_text_extraction_imports_with_parts_and_notes(flags, tmp_path):
    """A contents list before the text, in columns (plain) or with dot
    leaders (-layout), with parts labelled I to VI; references printed on
    the line, bound to the notes at the page foot."""
    text = tmp_path / "book.txt"
    subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(CORPUS / ENGLISH.name / ENGLISH.pdf),
                    str(text)], check=True)
    result = import_book(text, tmp_path / "out")
    heads = [(c.title, c.part) for c in result.chapters]
    assert heads[2:6] == [("Foundational concepts", True), ("1 The meaning of meaning", False),
                          ("2 Referring, denoting, and expressing", False),
                          ("3 Truth and inference", False)]
    assert [(p.name, p.roles) for p in result.front.people] == [("Paul R. Kroeger", ("aut",))]
    assert result.front.publisher == "Language Science Press"
    score = ENGLISH.score(CORPUS, tmp_path / "out")
    assert score.kinds["note missing"] < score.notes * 2 / 3  # a third found, at the least


def test_a_book_in_a_language_without_front_matter_words_imports(tmp_path):
    """The front matter's words (by, translated by, publisher) are known for
    some languages; a book in another (Latin here) is read with all of them,
    not stopped by a bug."""
    prose = ("Portus erat parvus et navis vetus in aqua stabat, quam nautae cotidie "
             "reficiebant. Custos lucernam accendit cum sol occideret, et lux per noctem "
             "ardebat super undas. Mane vitrum nigrum fumo erat, et custos id purgabat. ")
    text = ("DE PORTU\n\nMarcus Custos\n\n\fCAPVT PRIMVM\n\n" + prose * 6 + "\n\n"
            + prose * 5 + "\n\fCAPVT SECVNDVM\n\n" + prose * 7 + "\n")
    (tmp_path / "book.txt").write_text(text, encoding="utf-8")
    result = import_book(tmp_path / "book.txt", tmp_path / "out")
    assert "language: la" in (tmp_path / "out" / "book.yaml").read_text(encoding="utf-8")
    assert "Custos lucernam accendit" in (tmp_path / "out" / result.file_of(result.chapters[0])) \
        .read_text(encoding="utf-8")


def test_an_appendix_letter_is_read_off_a_heading_not_off_a_line_of_text():
    """Rule "appendix letter" reads "A Symbols" as the outline's "Symbols"
    only where the line is a heading: a line of text reading "A Conclusion"
    is a sentence's start, no appendix."""
    outline = marks((1, "The Keeper's Diary"), (1, "Conclusion"))
    text = [Line(3001, "The Keeper's Diary", kind="heading", level=1),
            Line(3002, "A Conclusion", kind="text"), Line(3003, "The lamp was lit.", kind="text")]
    found, missing = chapter_starts(text, book_structures(text, outline)[0].entries, None)
    assert [(i, entry.title) for i, entry in found] == [(0, "The Keeper's Diary")]
    assert [entry.title for entry in missing] == ["Conclusion"]
    text[1] = Line(3002, "A Conclusion", kind="heading", level=1)
    found, _ = chapter_starts(text, book_structures(text, outline)[0].entries, None)
    assert [(i, entry.title) for i, entry in found] == [(0, "The Keeper's Diary"),
                                                        (1, "Conclusion")]


def test_a_contents_list_whose_entries_mostly_appear_nowhere_gives_way(tmp_path):
    """An account of the chapters that finds fewer than half its entries as
    headings (a contents list of short titles, one of which a line happens
    to read) is not the book's: the next account, here the chapter headings
    by their form, is taken, and the report says which gave way and why."""
    prose = "The keeper wrote the hour of each ship in the ledger by the window of the room. "
    titles = ("1 THE NORTH LIGHT", "2 THE GREAT GALE", "3 THE LAMP ROOM", "4 THE LAST WATCH")
    text = ("THE LEDGERS\n\nby Ann Lee\n\nContents\n\nBeginnings\t1\nStorms\t9\nThe Lamp\t20\n"
            "Endings\t31\n\n" + "".join(
                f"{title}\n\n{prose * 3}\n\n{'Storms' if n == 1 else prose}\n\n{prose * 2}\n\n"
                for n, title in enumerate(titles)))
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = import_book(tmp_path / "a.txt", tmp_path / "a")
    assert [c.title for c in result.chapters] == list(titles)
    report = (tmp_path / "a" / "import-report.md").read_text(encoding="utf-8")
    assert "not the contents list before the text (line 5) (1 of its 4 entries found as " \
           "headings)" in report


def test_a_chapter_the_outline_names_in_short_keeps_its_long_printed_title():
    """Rule "a short title in the outline": a chapter whose outline entry is
    the printed title's words before its colon (``\\chapter[short]{long}``)
    starts there and keeps the title as printed; a line of text with a
    colon, or a heading whose words before it differ, is none."""
    outline = marks((1, "3 The Keeper's Diary"), (1, "4 Fog Signals"))
    text = [Line(page_line(3, 1), "3 The Keeper's Diary: Winters on the Rock", kind="heading",
                 level=1),
            Line(page_line(3, 2), "The lamp was lit.", kind="text"),
            Line(page_line(4, 1), "Fog Signals: a note", kind="text"),
            Line(page_line(4, 2), "4 Fog Horns: Their Sound", kind="heading", level=1),
            Line(page_line(4, 3), "The horn sounded.", kind="text")]
    found, missing = chapter_starts(text, book_structures(text, outline)[0].entries, None)
    assert [(i, entry.title) for i, entry in found] == [(0, "3 The Keeper's Diary")]
    assert [entry.title for entry in missing] == ["4 Fog Signals"]
    assert as_outlined(text[0].text, found[0][1]) == "3 The Keeper's Diary: Winters on the Rock"


def test_a_folio_names_the_pdf_page_that_prints_it_or_lies_between_two_that_agree():
    """A chapter's opening page often prints no folio: its page is counted
    on from the pages around it, when they agree; Roman and Arabic folios
    are two series."""
    folios = ((2, "ii"), (3, "iii"), (5, "1"), (6, "2"), (8, "4"), (9, "5"), (12, "7"))
    assert printing_page(folios, "2") == 6
    assert printing_page(folios, "3") == 7  # between 2 and 4
    assert printing_page(folios, "i") == 1
    assert printing_page(folios, "6") is None  # 5 on page 9, 7 on page 12: a page between unnumbered
    assert printing_page(folios, "Preface") is None


def test_contents_entries_a_reader_ran_together_are_read_one_by_one():
    """Rule "entries run together": a contents list whose lines a reader
    joined, dot leaders between, one entry's number touching its title."""
    found = read_contents(lines(
        "Contents", "1 The North Light 1 1.1 The lamp . . . . 2 1.2The glass ...... 4",
        "2 The Keeper's Diary ..... 9 2.1 Storms . . . 10 A Tide Tables ...... 31",
        "The lighthouse stood on the rock for two hundred years, and its keepers wrote."))
    assert [(e.title, e.page) for e in found[2]] == [
        ("The North Light", "1"), ("The Keeper's Diary", "9"), ("A Tide Tables", "31")]


#: Invented words for the generated book's text.
_WORDS = ("the keeper lit a lamp at dusk and wrote each ship in his ledger while gulls "
          "circled over grey water beside the old stone tower").split()


def _long_contents_book(chapters: int) -> str:
    """Typst source of a book whose contents list (chapters and their
    sections, dot leaders, Roman folios) runs over several pages and names
    each chapter by a short title, while the chapter's page prints a label
    line ("Chapter 3") over a longer title; Arabic folios from the first."""
    def prose(seed: int, sentences: int) -> str:
        return " ".join(" ".join(_WORDS[(seed * 7 + k * 3 + n) % len(_WORDS)]
                                 for n in range(11)).capitalize() + "."
                        for k in range(sentences))
    titles = ", ".join(f'"Watch {n}": "Night on the Rock, Log {n}"'
                       for n in range(1, chapters + 1))
    out = [f"""#set page(width: 13cm, height: 19cm, margin: (top: 2.2cm, bottom: 2.2cm, x: 1.8cm),
  footer: context {{ if here().page() > 1 {{ align(center, counter(page).display(
    if query(<text>).first().location().page() > here().page() {{ "i" }} else {{ "1" }})) }} }})
#set text(size: 10pt)
#set par(justify: true, first-line-indent: 1em)
#set heading(numbering: "1.1")
#let long = ({titles})
#show heading.where(level: 1): it => if not it.outlined {{ text(size: 16pt, it.body) }} else {{
  pagebreak(weak: true); v(2em)
  text(size: 16pt, weight: "bold")[Chapter #counter(heading).display()]; v(0.6em)
  text(size: 16pt, weight: "bold", long.at(it.body.text)); v(1.2em) }}
#show heading.where(level: 2): it => {{ v(0.8em); text(size: 11pt, weight: "bold")[#counter(heading).display() #it.body]; v(0.4em) }}
#align(center)[#v(3cm)#text(size: 20pt)[The Rock Ledgers]]
#pagebreak()
#outline(title: [Contents], depth: 2)
#pagebreak()
#counter(page).update(1)
#metadata(none) <text>
"""]
    for n in range(1, chapters + 1):
        out.append(f"= Watch {n}\n{prose(n, 5)}\n")
        out += [f"== Turn {k} of the glass\n{prose(n + k, 3)}\n" for k in range(1, 5)]
    return "\n".join(out)


def test_a_contents_list_over_several_pages_finds_its_short_titled_chapters_by_page(tmp_path):
    """Rule "entries confirmed by their page numbers": a contents list of
    short titles over four pages; no line reads as a chapter's entry, but
    each entry's page number names the PDF page whose folio prints it, and
    that page's first heading (the label over the longer title) starts the
    chapter, its title the longer one (rule "chapter label over its title":
    the label dropped). The contents pages are no chapter."""
    chapters = 24
    source = tmp_path / "book.typ"
    source.write_text(_long_contents_book(chapters), encoding="utf-8")
    pdf = tmp_path / "book.pdf"
    typst.compile(str(source), output=str(pdf))
    result = import_book(pdf, tmp_path / "out")
    assert [c.title for c in result.chapters] == [f"Night on the Rock, Log {n}"
                                                  for n in range(1, chapters + 1)]
    assert result.evidence.startswith("the contents list before the text")
    assert not result.missing_chapters
    first = sorted((tmp_path / "out" / "manuscript").glob("01-*.md"))[0].read_text(encoding="utf-8")
    assert "Night on the Rock, Log 1" in first and "Watch 2" not in first
