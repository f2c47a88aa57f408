"""One chapter through Pandoc and the note rebuild, checked on the XHTML tree."""

import re
from pathlib import Path

import pytest
from PIL import Image
from lxml import etree

from bookbuild.epub import links
from bookbuild.build import place_notes
from bookbuild.config import load_config
from bookbuild.chapters.convert import convert_chapter
from bookbuild.errors import ManuscriptError
from bookbuild.source.manuscript import load_manuscript
from bookbuild.notes.plan import plan
from bookbuild.chapters.reading import check_all, read_chapter

from conftest import NS, write_book


def convert(tmp_path: Path, text: str, language: str = "en", extra: dict | None = None):
    write_book(tmp_path, {"ch.md": text, **(extra or {})},
               f"title: T\nlanguage: {language}\nauthor: A\nchapters: [manuscript/ch.md]\n")
    config = load_config(tmp_path)
    (chapter,) = load_manuscript(config).chapters
    reading = read_chapter(chapter)
    check_all([reading])
    conv = convert_chapter(reading, config)
    (note_plan,) = plan([conv.file], [conv.note_count], "chapter", "chapter")
    (linked,) = links.resolve((place_notes(conv, note_plan, language),))
    return linked


def text(el) -> str:
    """Text with ASCII white space folded; no-break spaces are kept, they matter."""
    return re.sub(r"[ \t\r\n]+", " ", "".join(el.itertext())).strip()


def test_references_link_to_notes_and_back(tmp_path):
    conv = convert(tmp_path, "# Ch\n\nOne[^a] two[^b] again[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n")
    tree = conv.tree()
    refs = tree.findall(".//h:a[@epub:type='noteref']", NS)
    assert [(r.get("href"), r.get("id"), r.text) for r in refs] == [
        ("#note-1", "noteref-1", "1"), ("#note-2", "noteref-2", "2"), ("#note-1", "noteref-1-2", "1")]
    assert all(r.getparent().tag == f"{{{NS['h']}}}sup" for r in refs)  # <sup> outside <a>
    assert tree.find(".//h:section[@id='footnotes']", NS) is None  # Pandoc's list is gone
    notes_ = conv.notes_tree().findall("h:li[@epub:type='endnote']", NS)
    assert [n.get("id") for n in notes_] == ["note-1", "note-2"]
    assert text(notes_[0]).startswith("1. Note A.")
    backs = notes_[0].findall(".//h:a[@role='doc-backlink']", NS)
    assert [b.get("href") for b in backs] == ["#noteref-1", "#noteref-1-2"]
    assert [(n.number, n.ref_ids) for n in conv.notes] == [
        (1, ("noteref-1", "noteref-1-2")), (2, ("noteref-2",))]


def test_rich_notes_and_references_in_odd_places(tmp_path):
    conv = convert(tmp_path, """\
        # Heading[^h]

        > Quoted[^q] text.

        - item[^l]

        | a | b |
        |---|---|
        | cell[^t] | x |

        A [link with a note[^k]](https://example.org) here.

        [^h]: On the heading.
        [^q]: First paragraph.

            > A quotation in a note.

            - a list
            - in a note
        [^l]: On the *list*.
        [^t]: On the table.
        [^k]: On the link.
        """)
    tree = conv.tree()
    refs = tree.findall(".//h:a[@epub:type='noteref']", NS)
    assert [r.text for r in refs] == ["1", "2", "3", "4", "5"]
    for r in refs:  # never a link inside a link
        assert next(r.iterancestors(f"{{{NS['h']}}}a"), None) is None
    link = tree.find(".//h:a[@href='https://example.org']", NS)
    assert link.text == "link with a note" and link.getnext().find("h:a", NS).text == "5"
    note2 = conv.notes_tree().find("h:li[@id='note-2']", NS)
    assert note2.find("h:blockquote", NS) is not None and note2.find("h:ul", NS) is not None
    assert conv.headings[0].text == "Heading"  # the reference is not part of the nav label
    assert conv.notes_tree().find("h:li[@id='note-3']//h:em", NS).text == "list"


@pytest.mark.parametrize("language, quoted", [
    ("en", "“a” ‘b’"), ("ru", "«a» „b“"), ("de", "„a“ ‚b‘"), ("fr", "«\u202fa\u202f» “b”"),
])
def test_smart_quotes_follow_the_language(tmp_path, language, quoted):
    conv = convert(tmp_path, "\"a\" 'b' -- c --- d\n", language)
    para = text(conv.tree().find(".//h:p", NS))
    assert para == f"{quoted} – c — d"


def test_raw_html_that_is_not_xml_still_converts(tmp_path):
    conv = convert(tmp_path, "Line one<br>line two&nbsp;end[^1].\n\n[^1]: N.\n")
    p = conv.tree().find(".//h:p", NS)
    assert p.find("h:br", NS) is not None
    assert "line two\u00a0end" in text(p)
    assert conv.notes_tree().find("h:li[@id='note-1']", NS) is not None


def test_images_resolved_and_rewritten(tmp_path):
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "assets" / "fig.png")
    conv = convert(tmp_path, "![A figure](../assets/fig.png)\n\n![Again](assets/fig.png)\n")
    srcs = [i.get("src") for i in conv.tree().iterfind(".//h:img", NS)]
    assert srcs == ["../images/assets/fig.png"] * 2
    assert [i.source.name for i in conv.images] == ["fig.png"]


def test_bad_images_are_clear_errors(tmp_path):
    with pytest.raises(ManuscriptError) as info:
        convert(tmp_path, "Intro.\n\n![Alt](../assets/none.png)\n")
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("ch.md", 3, "image-missing")]
    assert "image not found: ../assets/none.png" in str(info.value)


def test_a_remote_image_is_its_alt_text(tmp_path):
    conv = convert(tmp_path, "Intro.\n\nA badge: ![Alt text](https://example.org/x.png) here.\n")
    assert conv.tree().find(".//h:img", NS) is None
    assert "A badge: Alt text here." in text(conv.tree())
    assert conv.remote_images == (3,)


def test_chapter_section_semantics(tmp_path):
    conv = convert(tmp_path, "# One\n\nText.\n")
    section = conv.tree()
    assert section.get("{http://www.idpf.org/2007/ops}type") == "chapter"
    assert section.get("role") == "doc-chapter"
    assert conv.title == "One"
    assert etree.QName(section).localname == "section"


def test_raw_html_mathml_and_svg_become_valid_xhtml(tmp_path):
    conv = convert(tmp_path, """\
        Line<br>break, <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math> inline.

        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5"/></svg>

        <math display="block"><mi>y</mi></math>

        <p xmlns:foo="urn:x" foo:bar="1">a stray namespace&nbsp;declaration</p>
        """)
    tree = conv.tree()
    maths = tree.findall(".//{http://www.w3.org/1998/Math/MathML}math")
    assert len(maths) == 2 and tree.find(".//h:math", NS) is None  # never in the XHTML namespace
    assert tree.find(".//{http://www.w3.org/2000/svg}rect") is not None
    assert conv.properties == {"mathml", "svg"}


def test_pandoc_code_block_markup_is_valid_and_quiet(tmp_path):
    conv = convert(tmp_path, """\
        # Code

        ```{.python .numberLines startFrom="10"}
        x = 1
        y = 2
        ```
        """)
    pre = conv.tree().find(".//h:pre", NS)
    div = pre.getparent()
    assert div.get("data-startfrom") == "10" and div.get("data-startFrom") is None
    anchors = pre.findall(".//h:a", NS)
    assert anchors and all(a.get("aria-hidden") == "true" for a in anchors)
    assert conv.warnings == ()  # no "link has no text" for the line anchors
