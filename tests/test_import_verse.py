"""Verse and lines broken by hand inside a display (rule "verse", issue #26):
a stanza set in from the margins comes back as one paragraph with hard line
breaks, its attribution set flush right as a paragraph of its own, and a
wider step between stanzas parts them; a novel's one-line paragraphs of
dialogue (at the book's first-line indent), a list's short items and a
prose quotation's justified lines are no verse."""

from __future__ import annotations

from bookbuild.importer.chapters import Block, Chapter
from bookbuild.importer.markdown import chapter_markdown, inline_markdown
from bookbuild.importer.pdfsource import GAP_EM
from bookbuild.importer.verse import Measure, first_line_indent, stanzas
from bookbuild.pandoc import read_markdown

from glyphrows import rows_of
from pdfgen.compare import inline_text
from test_import_roundtrip import imported_chapter

PAGE = ('#set page(width: 15cm, height: 21cm, margin: 2cm)\n#set text(lang: "en", size: 10pt)\n'
        "#set par(justify: true, first-line-indent: 1.5em)\n= The Mill\n\n")
PROSE = ("The miller’s daughter counted the sacks twice before the cart left the yard, "
         "and twice she found one more than her father had written down. ")
STANZA = ("The wheel goes round when the water falls, \\\n"
          "And the stones grind slow in the dark, \\\n"
          "Till the flour lies white on the mill-house walls \\\n"
          "And the dog in the lane starts to bark.")
AGAIN = ("So grind for the baker and grind for the poor, \\\n"
         "Grind for the lord on the hill; \\\n"
         "The river will pay what the river owes, \\\n"
         "And the wheel will be turning still.")


def _paragraphs(source, tmp_path) -> list[tuple[str, int]]:
    """Each paragraph the import of ``source`` makes: its words, and how many
    hard line breaks Pandoc reads in it."""
    chapter = imported_chapter(source, tmp_path / "out").read_text(encoding="utf-8")
    return [(" ".join(inline_text(b["c"], str).split()), _breaks(b["c"]))
            for b in read_markdown(chapter).doc["blocks"] if b["t"] == "Para"]


def _breaks(inlines: list) -> int:
    """The hard line breaks in Pandoc's ``inlines``, inside emphasis too."""
    return sum(1 if i["t"] == "LineBreak" else _breaks(i["c"]) if i["t"] == "Emph" else 0
               for i in inlines)


def test_a_stanza_comes_back_as_one_paragraph_and_its_attribution_as_another(tmp_path):
    source = tmp_path / "epigraph.typ"
    source.write_text(PAGE + "#pad(x: 4em)[_" + STANZA + "_\n\n#align(right)[_The Miller’s Song_]]\n\n"
                      + PROSE * 3 + "\n\n" + PROSE * 2 + "\n", encoding="utf-8")
    paragraphs = _paragraphs(source, tmp_path)
    assert paragraphs[0] == (" ".join(STANZA.replace("\\", "").split()), 3)
    assert paragraphs[1] == ("The Miller’s Song", 0)
    assert [breaks for _, breaks in paragraphs[2:]] == [0, 0]


def test_a_wider_step_parts_two_stanzas(tmp_path):
    source = tmp_path / "stanzas.typ"
    source.write_text(PAGE + PROSE * 3 + "\n\n#pad(x: 2.5em)[#set par(first-line-indent: 0em)\n" + STANZA + "\n\n" + AGAIN + "]\n\n"
                      + PROSE * 2 + "\n", encoding="utf-8")
    paragraphs = _paragraphs(source, tmp_path)
    assert [breaks for _, breaks in paragraphs] == [0, 3, 3, 0]
    assert paragraphs[2][0].startswith("So grind for the baker")


def test_dialogue_items_and_a_prose_quotation_are_no_verse(tmp_path):
    """One-line paragraphs at the book's indent (a novel's dialogue), a
    list's short items, a prose quotation set in from both margins: each of
    their lines stays its own paragraph, or goes on its paragraph as prose."""
    dialogue = ["“Who is there?”", "“Only the carter.”", "“At this hour?”", "“The river rose.”"]
    items = ["- sacks of barley", "- two new stones", "- a lantern"]
    source = tmp_path / "novel.typ"
    source.write_text(PAGE + PROSE * 3 + "\n\n" + PROSE * 2 + "\n\n" + "\n\n".join(dialogue)
                      + "\n\n" + PROSE * 2 + "\n\n" + "\n".join(items) + "\n\n" + PROSE * 2
                      + "\n\n#pad(x: 2.5em)[" + PROSE * 2 + "]\n\n" + PROSE + "\n", encoding="utf-8")
    paragraphs = _paragraphs(source, tmp_path)
    assert all(breaks == 0 for _, breaks in paragraphs)
    texts = [text for text, _ in paragraphs]
    assert all(line in texts for line in dialogue)
    assert all(f"• {item[2:]}" in texts for item in items)
    assert " ".join((PROSE * 2).split()) in texts


#: A page's text block, 100 to 400 points, indenting paragraphs 15 points.
MEASURE = Measure(100.0, 400.0, 15.0, GAP_EM)


def _none(row) -> bool:
    """No line is a listing's."""
    return False


def _line(text: str, x0: float, top: float, size: float = 10.0) -> list[dict]:
    """A printed line of invented glyphs, a letter each half its size wide."""
    step = size / 2
    return [{"text": ch, "x0": x0 + k * step, "x1": x0 + (k + 1) * step, "top": top,
             "bottom": top + size, "size": size, "fontname": "Serif"} for k, ch in enumerate(text)]


def test_the_first_line_indent_is_the_books_and_lines_at_it_are_no_stanza():
    """The indent is read off a paragraph's first line over its second; lines
    standing there, however short, are paragraphs, and lines standing
    further in, short of the display's edge, a stanza."""
    glyphs = _line("x" * 56, 115, 100) + _line("x" * 60, 100, 112) \
        + _line("a short reply", 115, 124) + _line("another reply", 115, 136) \
        + _line("one line of verse", 140, 160) + _line("a second of it", 140, 172)
    rows = rows_of(glyphs, 1)
    indent = first_line_indent(rows, 100.0, 400.0, 10.0, GAP_EM)
    assert indent == 15.0
    found = stanzas(rows, Measure(100.0, 400.0, indent, GAP_EM), _none)
    assert [[r.plain for r in s] for s in found] == [["one line of verse", "a second of it"]]
    assert [[r.plain for r in s] for s in stanzas(rows, Measure(100.0, 400.0, None, GAP_EM), _none)] \
        == [["a short reply", "another reply"], ["one line of verse", "a second of it"]]


def test_a_stanzas_lines_stay_lines_of_its_paragraph_in_markdown():
    """A kept line opening as a list item or a bullet would ("1. ", "- ")
    stays a line of the stanza's paragraph, after a hard line break."""
    text = inline_markdown("Count the sacks:\n1. one for the baker,\n- and one for the mill")
    block, = read_markdown(text).doc["blocks"]
    assert block["t"] == "Para" and _breaks(block["c"]) == 2
    assert " ".join(inline_text(block["c"], str).split()) \
        == "Count the sacks: 1. one for the baker, - and one for the mill"


def test_lines_each_ending_a_sentence_are_no_stanza():
    """An argument's premises or a list of sentences, set in and short, each
    line ending with a stop, its conclusion's "So:" hung left: no stanza; the
    same lines carrying a sentence over a break are one."""
    premises = _line("The mill is closed.", 140, 100) + _line("The miller is away.", 140, 112) \
        + _line("So: The sacks wait.", 120, 124)
    assert stanzas(rows_of(premises, 1), MEASURE, _none) == []
    verse = _line("The mill is closed,", 140, 100) + _line("The miller is away.", 140, 112)
    assert len(stanzas(rows_of(verse, 1), MEASURE, _none)) == 1


def test_lines_opening_with_a_capital_where_the_next_word_did_not_fit_are_no_stanza():
    """A ragged prose quotation in a language that capitalises its nouns:
    each line stops where the next line's first word (a noun) did not fit,
    none leaving room for it; the same lines with room at a break are one."""
    right = 420.0  # the text's: the display's edge stands in 40 points, 35 past its longest line
    ragged = _line("Der Rat will im Herbst die alten Wege und", 140, 100) \
        + _line("Brücken der Gemeinde erneuern lassen und die", 140, 112) \
        + _line("Kasse dafür nehmen.", 140, 124)
    measure = Measure(100.0, right, 15.0, GAP_EM)
    assert stanzas(rows_of(ragged, 1), measure, _none) == []
    verse = _line("Der Rat will im Herbst die alten Wege und", 140, 100) \
        + _line("Brücken der Gemeinde,", 140, 112) + _line("Kasse dafür nehmen.", 140, 124)
    assert len(stanzas(rows_of(verse, 1), measure, _none)) == 1


def test_a_listings_lines_are_no_stanza():
    """A listing's lines, short, set in and broken by hand, are no verse:
    neither set in a fixed-pitch font (``listed``) nor opening with line
    numbers; the same lines as words are a stanza."""
    lines = ["while the wheel turns,", "grind the barley fine", "and count the sacks"]
    verse = [g for k, text in enumerate(lines) for g in _line(text, 140, 100 + 12 * k)]
    assert len(stanzas(rows_of(verse, 1), MEASURE, _none)) == 1
    fixed = [dict(g, fontname="Mono") for g in verse]
    assert stanzas(rows_of(fixed, 1), MEASURE, lambda r: all(c.font == "Mono" for c in r.chars)) == []
    numbered = [g for k, text in enumerate(lines) for g in _line(f"{k + 1} {text}", 140, 100 + 12 * k)]
    assert stanzas(rows_of(numbered, 1), MEASURE, _none) == []


def test_a_stanza_in_wide_leading_is_one_paragraph(tmp_path):
    """A template setting its lines wide apart (the book's own line gap
    measured, rule "wide leading"): the stanza's lines still go on it."""
    wide = PAGE.replace("first-line-indent: 1.5em", "first-line-indent: 1.5em, leading: 1.35em, spacing: 1.8em")
    source = tmp_path / "wide.typ"
    source.write_text(wide + PROSE * 3 + "\n\n#pad(x: 2.5em)[#set par(first-line-indent: 0em)\n" + STANZA
                      + "]\n\n" + PROSE * 2 + "\n", encoding="utf-8")
    assert [breaks for _, breaks in _paragraphs(source, tmp_path)] == [0, 3, 0]


def test_the_lines_after_a_stanza_are_counted_with_its_line_breaks():
    """The report's output line of a block after a stanza counts the lines
    its hard line breaks added."""
    stanza = Block("text", "The wheel goes round,\nThe stones grind slow,\nThe flour lies white.", 2)
    after = Block("text", "The cart left the yard.", 3)
    written = chapter_markdown(Chapter("The Mill", 1, blocks=[stanza, after]))
    assert written.text.split("\n")[written.lines[id(after)] - 1] == after.text


def test_a_stanza_cut_by_a_page_break_goes_on(tmp_path):
    """The stanza's lines on the next page (measured against that page's text
    block: a book's prose sets the block) go on it."""
    lines = [f"The {n}th sack went up the stair," for n in range(4, 34)]
    source = tmp_path / "long.typ"
    source.write_text(PAGE + "\n\n".join([PROSE * 3] * 9) + "\n\n#pad(x: 3em)[" + " \\\n".join(lines)
                      + "]\n\n" + "\n\n".join([PROSE * 3] * 12) + "\n", encoding="utf-8")
    paragraphs = _paragraphs(source, tmp_path)
    assert [breaks for _, breaks in paragraphs] == [0] * 9 + [len(lines) - 1] + [0] * 12
