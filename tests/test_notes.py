"""A chapter's notes as Pandoc reads them: which note each reference shows, and
the mistakes Pandoc would hide."""

import textwrap
from pathlib import Path

import pytest

from bookbuild.notes.source import read_notes
from bookbuild.pandoc import read_markdown

F = Path("ch.md")


def notes_of(text: str):
    text = textwrap.dedent(text)
    return read_notes(text, read_markdown(text, F), F)


def problems_of(text: str) -> list[tuple[int | None, str]]:
    """(line, code) of each problem: codes, not wording, say what is wrong."""
    return [(p.line, p.code) for p in notes_of(text).problems]


def test_labels_and_a_note_referenced_twice_is_one_note():
    notes = notes_of("Text[^a] and[^b].\n\nMore[^a] and ^[inline].\n\n[^a]: A.\n[^b]: B\n")
    assert notes.refs == (0, 1, 0, 2) and notes.count == 3
    assert notes.problems == ()
    # Two labels with the same text are two notes ("Ibid." is no repeat).
    assert notes_of("A[^1] b[^2] c[^1].\n\n[^1]: Ibid.\n[^2]: Ibid.\n").refs == (0, 1, 0)


def test_definitions_wherever_pandoc_allows_them():
    notes = notes_of("""\
        [^before]: Defined before its use.

        Use[^before], then a list:

        - item one[^inlist]

          [^inlist]: Defined inside the list item.

        > Quoted[^q] words.
        >
        > [^q]: Defined inside the quote.

        A note with blocks[^rich].

        [^rich]: First paragraph.

            ```
            code in a note
            ```

            > a quotation

            - a list
        """)
    assert notes.refs == (0, 1, 2, 3)
    assert notes.problems == ()


@pytest.mark.parametrize("decoy", [
    "Use `[^1]` in code.",
    "```\n[^1]\n```",
    "    [^1] indented code",
    "Math $x[^1]$ here.",
    "$$\na[^1]\n$$",
    '<a title="[^1]">raw attribute</a>',
    "<pre>\n[^1]\n</pre>",
    "<!-- [^1] -->",
    "A code span across lines `a\n[^1]` ends.",
    "Escaped \\[^1] is text.",
    '---\ntitle: "[^1] in a YAML block"\n---',
])
def test_text_that_pandoc_does_not_read_as_a_note_is_not_one(decoy):
    notes = notes_of(f"# Chapter\n\n{decoy}\n\nReal[^r].\n\n[^r]: R.\n")
    assert notes.refs == (0,) and notes.problems == ()


def test_a_code_span_cut_by_a_blank_line_is_no_code_span():
    # The blank line ends the paragraph, so the backtick opens nothing and
    # Pandoc reads the next paragraph's [^1] as a reference: with no definition.
    assert problems_of("A `code\n\n[^1]` span.\n") == [
        (3, "note-undefined")]


def test_a_reference_in_link_text_is_a_reference():
    notes = notes_of("A [link with a note[^k]](https://example.org).\n\n[^k]: On the link.\n")
    assert notes.refs == (0,) and notes.problems == ()


def test_each_mistake_with_its_line():
    assert problems_of("""\
        Undefined[^u]. Twice[^t].

        [^t]: first
        [^t]: second

        [^unused]: never referenced
        """) == [
        (1, "note-undefined"),
        (4, "note-duplicate"),
        (6, "note-unused"),
    ]


def test_undefined_reference_line_follows_pandoc_not_the_first_match():
    # The first "[^u]" is code; the reference Pandoc reads is on line 5.
    assert problems_of("Code `[^u]` here.\n\nText.\n\nReal[^u] reference.\n") == [
        (5, "note-undefined")]


def test_notes_inside_notes():
    assert problems_of("A[^a].\n\n[^a]: See[^b] too.\n[^b]: B.\n") == [
        (3, "note-nested")]
    assert problems_of("A[^a].\n\n[^a]: See[^z], which is nowhere.\n") == [
        (3, "note-nested")]
    assert problems_of("A[^a].\n\n[^a]: With ^[an inline note] inside.\n") == [
        (3, "note-nested")]


def test_an_escaped_label_inside_a_note_is_text():
    notes = notes_of("A[^a] b[^b].\n\n[^a]: Write \\[^b] for a note.\n[^b]: B.\n")
    assert notes.refs == (0, 1) and notes.problems == ()


def test_an_unclosed_fence_is_text_to_pandoc_and_hides_nothing():
    assert problems_of("Before[^u].\n\n```\nnever closed [^v]\n") == [
        (1, "note-undefined"),
        (4, "note-undefined")]
    notes = notes_of("A[^a] b[^a].\n\n[^a]: A.\n\n<div>\n<!-- never closed\n")
    assert notes.problems == () and notes.refs == (0, 0)


def test_a_note_in_an_image_description_would_be_lost():
    assert problems_of("Text ![a picture[^p]](x.png) here.\n\n[^p]: P.\n") == [
        (1, "note-in-image")]
    # In a figure the caption shows the note: no problem.
    assert notes_of("![A figure[^f]](x.png)\n\n[^f]: F.\n").problems == ()
