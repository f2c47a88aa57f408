"""Layouts of Typst's book templates, in generated PDFs: a running foot
that names the page's section beside its number (``folioline``), lines
set as far apart as another book sets its paragraphs (``leading``), and a
term list whose terms stand over their text (pdfsource's "a term over its
text")."""

from __future__ import annotations

import typst

from bookbuild.importer import import_book
from bookbuild.pandoc import read_markdown

from pdfgen.compare import inline_text

_WORDS = ("the keeper climbed to the lamp at dusk and wound the clockwork that turned "
          "the lens while the fog rolled in over the reef and the bell rang").split()


def _paragraph(seed: int) -> str:
    words = [_WORDS[(seed * 5 + k) % len(_WORDS)] for k in range(40 + seed % 9)]
    return " ".join(words).capitalize() + "."


def _imported(tmp_path, page: str, par: str) -> list[str]:
    """The paragraphs of the first chapter imported from a Typst book of
    five sections, three paragraphs each, set with ``page`` and ``par``."""
    body = "".join(f"== Watch {s}\n\n" + "\n\n".join(_paragraph(3 * s + k) for k in range(3))
                   + "\n\n" for s in range(1, 6))
    source = tmp_path / "book.typ"
    source.write_text(f"#set page(width: 12cm, height: 16cm, {page})\n#set text(lang: \"en\", size: 10pt)\n"
                      f"#set par({par})\n= The Lamp\n\n{body}", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "book.pdf"))
    import_book(tmp_path / "book.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    return [" ".join(inline_text(b["c"], str).split()) for b in blocks if b["t"] == "Para"]


_PARAGRAPHS = [_paragraph(3 * s + k) for s in range(1, 6) for k in range(3)]


def test_a_running_foot_naming_the_section_beside_the_folio_is_furniture(tmp_path):
    """Rule "a running line holding the folio": "7 | Watch 3" on a recto,
    "Watch 3 | 8" on a verso, its words changing with the section; no
    page's foot comes back as text."""
    foot = ('footer: context { let h = query(heading.where(level: 2).before(here())); '
            'let name = if h.len() > 0 { h.last().body } else [The Lamp]; '
            'let n = counter(page).display(); '
            'if calc.odd(here().page()) { align(right)[#n | #name] } else [#name | #n] }')
    paragraphs = _imported(tmp_path, foot, "justify: true, first-line-indent: 1em")
    assert paragraphs == _PARAGRAPHS


def test_lines_set_as_far_apart_as_paragraphs_elsewhere_stay_one_paragraph(tmp_path):
    """Rule "wide leading": a template's 1.35 em of leading, its paragraphs
    1.55 em apart and not indented; each paragraph comes back whole."""
    paragraphs = _imported(tmp_path, 'numbering: "1"',
                           "justify: true, first-line-indent: 0em, leading: 1.35em, spacing: 1.55em")
    assert paragraphs == _PARAGRAPHS


def test_terms_set_bold_over_their_text_are_a_description_list(tmp_path):
    """Rule "a term over its text": Typst's term list as a template sets it,
    each term bold on a line of its own at the text's size and its text
    standing in under it, is a description list, not headings; the
    section's own heading stays one."""
    source = tmp_path / "terms.typ"
    source.write_text(
        '#set page(width: 12cm, height: 16cm)\n#set text(lang: "en", size: 10pt)\n'
        "#show terms.item: it => block[#strong(it.term) #pad(left: 2em, it.description)]\n"
        "= The Lamp\n\n== Words of the Watch\n\n" + _paragraph(1) + "\n\n"
        "/ Lantern: A lamp hung at the masthead, lit at dusk and trimmed at midnight by the "
        "second watch of the ship.\n/ Beacon: A fire on the headland.\n"
        "/ Bell: Rung in fog.\n\n" + _paragraph(2) + "\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "terms.pdf"))
    import_book(tmp_path / "terms.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    assert [b["t"] for b in blocks] == ["Header", "Header", "Para", "DefinitionList", "Para"]
    terms = [" ".join(inline_text(term, str).split()) for term, _ in blocks[3]["c"]]
    assert terms == ["Lantern", "Beacon", "Bell"]


def test_bold_lines_over_smaller_lines_standing_in_are_no_terms(tmp_path):
    """A bold label over a diagram's smaller caption or a move sequence set
    in from it is no term over its text: the text of an item is set as the
    text is."""
    source = tmp_path / "cases.typ"
    cases = "".join(f"*Case {n}*\n\n#pad(left: 8em, text(size: 8.5pt)[L R{' U' * n}])\n\n"
                    for n in range(1, 4))
    source.write_text('#set page(width: 12cm, height: 16cm)\n#set text(lang: "en", size: 10pt)\n'
                      f"= The Lamp\n\n{_paragraph(1)}\n\n{cases}{_paragraph(2)}\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "cases.pdf"))
    import_book(tmp_path / "cases.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    assert "DefinitionList" not in [b["t"] for b in blocks]


def test_bold_lines_over_their_text_at_different_places_are_no_list(tmp_path):
    """Rule "a term over its text": two items make a list only with their
    terms one under another; a second item set further in (a nested
    block's) is no item of the first's list."""
    source = tmp_path / "apart.typ"
    item = "#strong[{term}]\n\n#pad(left: 2em)[{text}]\n\n"
    source.write_text(
        '#set page(width: 12cm, height: 16cm)\n#set text(lang: "en", size: 10pt)\n'
        f"= The Lamp\n\n{_paragraph(1)}\n\n"
        + item.format(term="Lantern", text="A lamp hung at the masthead and lit at dusk.")
        + "#pad(left: 6em)[" + item.format(term="Beacon", text="A fire kept on the headland.")
        + f"]\n\n{_paragraph(2)}\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "apart.pdf"))
    import_book(tmp_path / "apart.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    assert "DefinitionList" not in [b["t"] for b in blocks]
