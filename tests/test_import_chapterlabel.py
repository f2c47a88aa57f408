"""Rule "chapter label over its title" (``chapterlabel``): a chapter's
number set as a label on its own line above the title, as LaTeX's book
class, Pandoc's templates and many novels set it, in the languages the
tests cover; the heading is the title alone."""

from __future__ import annotations

import pytest

from bookbuild.importer.chapterlabel import is_label
from bookbuild.importer.hyphens import Vocabulary
from bookbuild.importer.pdfsource import _Block, _line, _page_paragraphs

from glyphrows import rows_of
from test_import_glyphs import SIZE, glyphs, page

_OPENING = "The text of the chapter opens under its title and goes on"


def _headed(*label_rows: list[dict]) -> list[tuple[str, str]]:
    """(kind, text) of a page: the label's rows, a title under them, the text."""
    rows = rows_of(page(*label_rows, glyphs("The Salt Road", 50, 150, size=24.0),
                        glyphs(_OPENING, 60, 200)), 1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 1, {0: block, 1: block}, 800.0, [])
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    return [(p.kind, _line(p, vocabulary, []).text) for p in paras]


@pytest.mark.parametrize("label", ["Chapter 3", "CHAPTER IV", "Kapitel 2", "Chapitre un",
                                   "chapter XII."])
def test_a_label_set_large_over_the_title_is_dropped(label):
    """Book class: the label bold and large, well above the title."""
    assert _headed(glyphs(label, 50, 90, size=20.0, font="Serif-Bold")) == [
        ("heading", "The Salt Road"), ("text", _OPENING)]


def test_a_label_in_tracked_capitals_at_the_texts_size_is_dropped():
    """Typst's and many novels' templates: spaced-out capitals, the text's
    size and face, just over a bold title."""
    assert _headed(glyphs("CHAPTER II", 120, 125, letter=0.4, space=1.2)) == [
        ("heading", "The Salt Road"), ("text", _OPENING)]


def test_a_paragraph_ending_on_a_chapters_name_is_text():
    """A last line reading "Chapter 3." under a paragraph, no title under
    it, stays that paragraph's."""
    rows = rows_of(page(glyphs("The road and its inns are described at length in", 50, 100),
                        glyphs("Chapter 3.", 50, 112),
                        glyphs("A new paragraph opens here and it goes on for a while", 60, 124)),
                   1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 1, {0: block, 1: block}, 800.0, [])
    assert [p.kind for p in paras] == ["text", "text"]


def test_a_paragraph_ending_on_a_chapters_name_over_a_heading_keeps_its_words():
    """The paragraph's last line, close under its line above, is no label
    though a bold heading stands just under it: the words stay the paragraph's."""
    rows = rows_of(page(glyphs("The road and its inns are described at length in", 50, 100),
                        glyphs("Chapter 3.", 50, 112),
                        glyphs("2.4 The Inns", 50, 130, font="Serif-Bold"),
                        glyphs("A new paragraph opens here and it goes on for a while", 60, 146)),
                   1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 1, {0: block, 1: block}, 800.0, [])
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    assert [(p.kind, _line(p, vocabulary, []).text) for p in paras] == [
        ("text", "The road and its inns are described at length in Chapter 3."),
        ("heading", "2.4 The Inns"),
        ("text", "A new paragraph opens here and it goes on for a while")]


def test_what_reads_as_a_label():
    assert all(map(is_label, ["Chapter 1", "C H A P T E R  I", "KAPITEL 10", "Chapitre IV:"]))
    assert not any(map(is_label, ["Chapter 3 The Salt Road", "Chapters", "The Chapter",
                                  "3", "Part II", "chapter ill", "Chapter civic"]))
