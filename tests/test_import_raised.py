"""Raised runs in a generated Typst book whose notes are numbered through
the book (Typst's default): a formula's exponent is no note's reference,
and two notes referred to at one place are two references (``raised``)."""

from __future__ import annotations

import typst

from bookbuild.importer import import_book
from bookbuild.importer.chapters import assemble
from bookbuild.importer.hyphens import Vocabulary
from bookbuild.importer.inline import ref
from bookbuild.importer.markdown import chapter_markdown
from bookbuild.importer.raised import exponent, side_by_side
from bookbuild.importer.source import Line


def test_a_later_chapters_notes_bind_past_exponents_and_side_by_side(tmp_path):
    """Chapter 2's notes are 2, 3 and 4: the exponents of 𝑥² and 𝑚𝑐² before
    note 2's reference stay raised and bound to nothing, and "34" set after
    a sentence is notes 3 and 4, each on its own reference."""
    source = tmp_path / "notes.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n#set text(lang: "en")\n'
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }\n"
        "= The Lamp Room\n\nThe keeper trimmed the wick at dusk.#footnote[A cotton wick.] "
        "He wrote the hour in the ledger.\n\n= The Tide Tables\n\n"
        "The beam swept an area of $x^2$ by night, and the lens $m c^2$ did the rest."
        "#footnote[A lens of rings.] The fog came in twice that week."
        "#footnote[Once on Monday.]#footnote[Once on Friday.]\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "notes.pdf"))
    result = import_book(tmp_path / "notes.pdf", tmp_path / "out")
    assert [len(c.notes) for c in result.chapters] == [1, 3]
    second = sorted((tmp_path / "out" / "manuscript").glob("02-*.md"))[0].read_text("utf-8")
    assert "area of 𝑥² by night, and the lens 𝑚𝑐² did the rest.[^1] The fog came in " \
        "twice that week.[^2][^3]" in second
    for n, note in enumerate(("A lens of rings.", "Once on Monday.", "Once on Friday."), start=1):
        assert f"[^{n}]: {note}\n" in second
    report = (tmp_path / "out" / "import-report.md").read_text("utf-8")
    assert "no note body" not in report and "has no reference" not in report


def test_side_by_side_cuts_a_run_only_into_the_chapters_free_notes():
    assert side_by_side("34", {"3", "4"}, {"3", "4"}) == ["3", "4"]
    assert side_by_side("910", {"9", "10"}, {"9", "10"}) == ["9", "10"]
    assert side_by_side("1112", {"11", "12", "1", "2"}, {"11", "12", "1", "2"}) == ["11", "12"]
    assert side_by_side("34", {"3", "4", "34"}, {"3", "4"}) is None  # note 34 itself
    assert side_by_side("34", {"3", "4"}, {"3"}) is None  # note 4 referred to elsewhere
    assert side_by_side("35", {"3", "5"}, {"3", "5"}) is None  # not counting on
    assert side_by_side("*", {"*"}, {"*"}) is None


def test_an_exponent_follows_a_mathematical_letter_only():
    assert exponent("area 𝑥\ue0022\ue003", len("area 𝑥"))
    assert not exponent("area x\ue0022\ue003", len("area x"))
    assert not exponent("dusk.\ue0022\ue003", len("dusk."))


def test_a_raised_number_is_no_run_of_notes_referred_to_elsewhere():
    """A power of ten after notes 1 and 2 were referred to, each on its own
    reference: "10¹²" stays raised and bound to nothing."""
    title = Line(1000, "Coins", kind="heading", level=1)
    lines = [Line(1001, f"The mint struck coins.{ref('1')} A purse held 10{ref('12')} of them "
                        f"and more.{ref('2')}", kind="text"),
             Line(1002, "In bronze.", kind="note", label="1"),
             Line(1003, "Or fewer.", kind="note", label="2")]
    chapter = assemble(title, lines, Vocabulary(["the mint struck coins"], "en"))
    text = chapter_markdown(chapter).text
    assert "struck coins.[^1] A purse held 10¹² of them and more.[^2]" in text
    assert [n.paragraphs for n in chapter.notes] == [["In bronze."], ["Or fewer."]]


def test_an_extractions_numbered_items_are_no_notes_for_a_run():
    """In a text extraction a line opening with "1." may be a list's item:
    a raised "12" whose note is there stays one reference, to note 12."""
    title = Line(1, "Coins", kind="heading", level=1)
    lines = [Line(2, f"Two claims are made here.{ref('12')}"), Line(3, "1. The mint is old."),
             Line(4, "2. The coins are new."), Line(5, "12 As the ledger says.")]
    chapter = assemble(title, lines, Vocabulary(["the mint struck coins"], "en"))
    assert [n.paragraphs for n in chapter.notes] == [["As the ledger says."]]
