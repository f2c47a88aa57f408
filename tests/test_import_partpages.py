"""What an outline's entries over others are, told by their pages
(importer/partpages.py), and the entries found by the pages the outline and
the contents list name (importer/structure.py): parts whose label is a
numeral alone, a bookmark grouping the back matter, a label the entry gives
and the page prints over the title, a title whose glyphs map to nothing,
and front matter standing before the contents list."""

from __future__ import annotations

import typst

from bookbuild.importer import import_book
from bookbuild.importer.partpages import lone_pages, only_groups, stands_alone
from bookbuild.importer.source import Bookmark, Line, page_line
from bookbuild.importer.structure import as_outlined, book_structures, chapter_starts

PROSE = "The keeper lit the lamp at dusk and wrote each passing ship into the ledger."


def page(number: int, *rows: tuple[str, str]) -> list[Line]:
    """A PDF page's lines: (text, kind), a heading of the largest kind."""
    return [Line(page_line(number, k), text, kind=kind, level=1 if kind == "heading" else 2)
            for k, (text, kind) in enumerate(rows, start=1)]


def test_a_page_holding_a_title_alone_is_a_part_page():
    lines = (page(3, ("Part I", "heading"), ("The North", "text"))
             + page(4, ("The Lamp", "heading"), (PROSE, "text"))
             + page(6, ("Fog", "heading"), ("1.1 Horns", "heading")))
    assert lone_pages(lines) == {3, 6}
    part = Bookmark(1, "I The North", 3)
    assert stands_alone(part, [Bookmark(2, "The Lamp", 4)], lone_pages(lines))
    # its first child on its own page, or a page with text: a chapter's sections
    assert not stands_alone(Bookmark(1, "II Fog", 6), [Bookmark(2, "Horns", 6)], {6})
    assert not stands_alone(Bookmark(1, "III The Lamp", 4), [Bookmark(2, "Wick", 5)], {3, 6})


def test_parts_labelled_by_a_numeral_alone_are_told_from_chapters_by_their_pages():
    """Rule "a part page stands alone": "I" and a title over unnumbered
    entries is a part where its page holds its title alone and its first
    child opens a later page, and a chapter with its sections beneath where
    its page holds its text."""
    lines = (page(3, ("Part I", "heading"), ("The North", "text"))
             + page(5, ("The Lamp", "heading"), (PROSE, "text"))
             + page(7, ("The Ledger", "heading"), (PROSE, "text"))
             + page(9, ("II The Storm", "heading"), (PROSE, "text"), ("Wind", "heading"),
                    (PROSE, "text"))
             + page(10, ("Rain", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "I The North", 3), Bookmark(2, "The Lamp", 5),
               Bookmark(2, "The Ledger", 7), Bookmark(1, "II The Storm", 9),
               Bookmark(2, "Wind", 9), Bookmark(2, "Rain", 10))
    structure = book_structures(lines, outline)[0]
    assert [(e.title, e.part) for e in structure.entries] == [
        ("I The North", True), ("The Lamp", False), ("The Ledger", False),
        ("II The Storm", False)]
    found, missing = chapter_starts(lines, structure.entries, None, paged=True, outline=outline)
    assert [lines[i].text for i, _ in found] == ["The North", "The Lamp", "The Ledger",
                                                 "II The Storm"]
    assert not missing


def test_an_entry_printed_nowhere_over_chapters_on_their_own_pages_only_groups_them():
    """Rule "a bookmark over chapters"."""
    notes, licence = Bookmark(2, "Notes", 40), Bookmark(2, "Licence", 44)
    assert only_groups(Bookmark(1, "Backmatter", 40), [notes, licence], printed=False)
    assert not only_groups(Bookmark(1, "Backmatter", 40), [notes, licence], printed=True)
    # two on one page, or numbered as sections: a chapter's sections under a short title
    assert not only_groups(Bookmark(1, "Watch", 40), [notes, Bookmark(2, "Wick", 40)], False)
    assert not only_groups(Bookmark(1, "Watch", 40), [Bookmark(2, "4.1 Wick", 40)], False)
    lines = (page(5, ("The Lamp", "heading"), (PROSE, "text"))
             + page(40, ("Notes", "heading"), (PROSE, "text"))
             + page(44, ("Licence", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "The Lamp", 5), Bookmark(1, "Backmatter", 40), notes, licence)
    assert [e.title for e in book_structures(lines, outline)[0].entries] == [
        "The Lamp", "Notes", "Licence"]
    # a chapter listed under a short title, its long one printed over its
    # first section, its sections one a page: a chapter, its label no title
    lines = (page(5, ("The Lamp", "heading"), (PROSE, "text"))
             + page(40, ("Chapter 2", "heading"), ("The Long Watch of the Night", "heading"),
                    ("Wick", "heading"), (PROSE, "text"))
             + page(41, ("Oil", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "The Lamp", 5), Bookmark(1, "Watch", 40), Bookmark(2, "Wick", 40),
               Bookmark(2, "Oil", 41))
    assert [e.title for e in book_structures(lines, outline)[0].entries] == ["The Lamp", "Watch"]
    labelled = (page(5, ("The Lamp", "heading"), (PROSE, "text"))
                + page(40, ("Chapter 2", "heading"), ("Notes", "heading"), (PROSE, "text"))
                + page(44, ("Licence", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "The Lamp", 5), Bookmark(1, "Backmatter", 40), notes, licence)
    assert [e.title for e in book_structures(labelled, outline)[0].entries] == [
        "The Lamp", "Notes", "Licence"]


def test_a_label_the_entry_gives_and_the_page_prints_over_the_title_in_its_own_words():
    """Rule "label over the title", in the entry: "Partie II Les feux" is the
    title "Les feux" under "Deuxième partie", "B Tide Tables" the title
    under "Appendix B"; each keeps its printed title."""
    lines = (page(3, ("The Lamp", "heading"), (PROSE, "text"))
             + page(9, ("Deuxième partie", "heading"), ("Les feux", "heading"))
             + page(11, ("Appendix B", "heading"), ("Tide Tables", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "The Lamp"), Bookmark(1, "Partie II Les feux"),
               Bookmark(1, "B Tide Tables"))
    entries = book_structures(lines, outline)[0].entries
    found, missing = chapter_starts(lines, entries, None, paged=True, outline=outline)
    assert [lines[i].text for i, _ in found] == ["The Lamp", "Les feux", "Tide Tables"]
    assert not missing
    assert [as_outlined(lines[i].text, e) for i, e in found] == [
        "The Lamp", "Les feux", "Tide Tables"]


def test_a_title_whose_glyphs_map_to_nothing_is_found_on_the_page_the_outline_leads_to():
    """Rule "an outline entry found by its page": where the entries found by
    their titles stand on the pages their links lead to, an entry no line
    reads as is its page's title (under the label over it), spelled as the
    outline spells it; where the links disagree, they place nothing."""
    lost = "Self-modi\N{REPLACEMENT CHARACTER}ed Code"
    lines = (page(3, ("The Lamp", "heading"), (PROSE, "text"))
             + page(7, ("Chapter 2", "heading"), (lost, "heading"), (PROSE, "text"))
             + page(9, ("The Storm", "heading"), (PROSE, "text")))
    outline = (Bookmark(1, "The Lamp", 3), Bookmark(1, "Self-modified Code", 7),
               Bookmark(1, "The Storm", 9))
    entries = book_structures(lines, outline)[0].entries
    found, missing = chapter_starts(lines, entries, None, paged=True, outline=outline)
    assert [lines[i].text for i, _ in found] == ["The Lamp", lost, "The Storm"]
    assert not missing and as_outlined(lost, found[1][1]) == "Self-modified Code"
    early = (Bookmark(1, "The Lamp", 2), Bookmark(1, "Self-modified Code", 7),
             Bookmark(1, "The Storm", 8))  # each link a page early
    entries = book_structures(lines, early)[0].entries
    found, missing = chapter_starts(lines, entries, None, paged=True, outline=early)
    assert [e.title for e in missing] == ["Self-modified Code"]


def _preface_book() -> str:
    """Typst source of a book whose preface stands before its contents list
    (Roman folios), its chapters after it (Arabic folios from 1)."""
    prose = " ".join([PROSE] * 8)
    return f"""#set page(width: 13cm, height: 19cm, margin: 2cm,
  footer: context align(center, counter(page).display(
    if here().page() < 4 {{ "i" }} else {{ "1" }})))
#set text(size: 10pt)
#set heading(outlined: true)
#show heading.where(level: 1): it => {{ pagebreak(weak: true); text(size: 16pt, weight: "bold", it.body); v(1em) }}
#align(center)[#v(3cm)#text(size: 20pt)[The Rock Ledgers]]
#pagebreak()
#counter(page).update(2)
= Preface
{prose}

{prose}
#pagebreak()
#outline(title: [Contents])
#pagebreak()
#counter(page).update(1)
= The Lamp
{prose}

= The Storm
{prose}
"""


def test_a_preface_before_the_contents_list_is_a_chapter(tmp_path):
    """Rule "front matter before the contents": the contents list names the
    preface standing before it, found on the page its Roman folio names;
    the list is in no chapter, the title page in none."""
    source = tmp_path / "book.typ"
    source.write_text(_preface_book(), encoding="utf-8")
    pdf = tmp_path / "book.pdf"
    typst.compile(str(source), output=str(pdf))
    result = import_book(pdf, tmp_path / "out")
    assert [c.title for c in result.chapters] == ["Preface", "The Lamp", "The Storm"]
    preface = sorted((tmp_path / "out" / "manuscript").glob("01-*.md"))[0].read_text(
        encoding="utf-8")
    assert "keeper lit the lamp" in preface and "Contents" not in preface \
        and "The Storm" not in preface
