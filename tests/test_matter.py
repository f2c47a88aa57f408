"""Front and back matter written from book.yaml (source/matter.py): the pages,
their order and types in the EPUB and the stores' files, their place in the
print edition, the words of every language, and the author's own pages winning."""

from __future__ import annotations

import io
import textwrap

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader
from stdnum import isbn as stdnum_isbn

from bookbuild.config import load_config
from bookbuild.errors import ConfigError
from bookbuild.lang import words
from bookbuild.pandoc.ast import stringify
from bookbuild.source.manuscript import load_manuscript
from bookbuild.source.matter import with_matter

from conftest import NS, Epub, build_epub, write_book

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
#: Every ASCII punctuation mark, and Markdown that must stay text: the pages show
#: book.yaml's values as written.
AWKWARD = r"""*Not* _emphasis_ [x](y) <b>&amp; `code` \ # 1. | {.cls} ~sub~ ^sup^ -- ... 'q' "q" $x$"""

FULL = f"""\
title: "The {AWKWARD[:12]} Book"
subtitle: A Subtitle
language: en
contributors:
  - {{name: Ada Quill, role: author}}
  - {{name: Lev Perov, role: translator}}
  - {{name: Rosa Lind, role: [editor, cover-designer]}}
  - {{name: Ivo Kent, role: narrator}}
publisher: Margin Press
rights: |-
  Copyright © 2026 Ada Quill. {AWKWARD}
edition: "2"
isbn: 978-0-306-40615-7
print: {{isbn: 978-3-16-148410-0}}
accessibility: {{summary: "Navigable by headings."}}
dedication: |
  For M.,
  who read every note.
epigraph:
  text: A note is a second voice.
  source: Anonymous, 1750
colophon: Set in Noto Serif.
"""


def _paragraphs(epub: Epub, doc: str) -> list[str]:
    return [" ".join("".join(p.itertext()).split())
            for p in epub.xml(doc).iterfind(".//h:section//h:p", NS)]


def test_every_page_in_order_typed_and_kept_by_the_stores(tmp_path):
    book = write_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"}, FULL)
    report, epub = build_epub(book, tmp_path / "out", formats=("epub", "kindle-epub", "kobo"))
    pages = ["text/titlepage.xhtml", "text/copyright.xhtml", "text/dedication.xhtml",
             "text/epigraph.xhtml"]
    assert epub.spine() == ["text/cover.xhtml", *pages, "nav.xhtml", "text/c01-01.xhtml",
                            "text/colophon.xhtml"]
    types = [epub.xml(f"EPUB/{doc}").find(".//h:section", NS).get(EPUB_TYPE)
             for doc in pages + ["text/colophon.xhtml"]]
    assert types == ["titlepage", "copyright-page", "dedication", "epigraph", "colophon"]
    landmarks = [a.get(EPUB_TYPE) for a in
                 epub.xml("EPUB/nav.xhtml").iterfind(".//h:nav[@id='landmarks']//h:a", NS)]
    assert landmarks == ["cover", "toc", "titlepage", "copyright-page", "dedication", "epigraph",
                         "bodymatter", "colophon"]

    title = epub.xml("EPUB/text/titlepage.xhtml")
    assert " ".join("".join(title.find(".//h:h1", NS).itertext()).split()) == \
        f"The {AWKWARD[:12]} Book"
    assert _paragraphs(epub, "EPUB/text/titlepage.xhtml") == [
        "A Subtitle", "Ada Quill", "Translated by Lev Perov", "Edited by Rosa Lind", "Margin Press"]
    assert _paragraphs(epub, "EPUB/text/copyright.xhtml") == [
        f"Copyright © 2026 Ada Quill. {AWKWARD}",
        "Edition 2", "ISBN 978-0-306-40615-7 (e-book)", "ISBN 978-3-16-148410-0 (print)",
        "Cover design by Rosa Lind", "With contributions by Ivo Kent",
        "Accessibility: Navigable by headings."]
    dedication = epub.xml("EPUB/text/dedication.xhtml").find(".//h:section/h:p", NS)
    assert dedication.find("h:br", NS) is not None  # its lines as written
    epigraph = epub.xml("EPUB/text/epigraph.xhtml")
    assert epigraph.find(".//h:div[@class='epigraph']/h:div[@class='attribution']", NS) is not None
    assert _paragraphs(epub, "EPUB/text/colophon.xhtml") == ["Set in Noto Serif."]

    for kind in ("kindle-epub", "kobo"):
        store = Epub(report.artifact(kind).path)
        assert store.spine()[1:5] == pages, kind
        assert report.artifact(kind).check.passed, kind


def test_the_authors_own_pages_win_and_the_written_ones_fall_in_around_them(tmp_path):
    config = FULL.replace("colophon: Set in Noto Serif.\n", "") + textwrap.dedent("""\
        chapters:
          - manuscript/00-foreword.md
          - {file: manuscript/00-title.md, type: titlepage}
          - {file: manuscript/00-rights.md, type: copyright-page}
          - manuscript/01.md
        """)
    book = write_book(tmp_path / "b", {"00-foreword.md": "# Foreword\n\nWords.\n",
                                       "00-title.md": "# My Own Title\n",
                                       "00-rights.md": "All mine.\n", "01.md": "# One\n\nText.\n"},
                      config)
    chapters = with_matter(load_manuscript(load_config(book))).chapters
    # A dedication and an epigraph come after the author's title and copyright pages.
    assert [(c.type, c.name) for c in chapters] == [
        ("chapter", "c01-00-foreword"), ("titlepage", "c02-00-title"),
        ("copyright-page", "c03-00-rights"), ("dedication", "dedication"),
        ("epigraph", "epigraph"), ("chapter", "c04-01")]
    assert [c.index for c in chapters] == list(range(1, 7))


def _matter(tmp_path, config: str) -> dict[str, str]:
    book = write_book(tmp_path, {"01.md": "# One\n\nText.\n"}, config)
    return {c.type: c.text for c in with_matter(load_manuscript(load_config(book))).chapters
            if c.written}


def test_a_missing_field_leaves_no_line_and_nothing_given_no_page(tmp_path):
    pages = _matter(tmp_path / "a", "title: T\nlanguage: en\nauthor: A\n")
    assert list(pages) == ["titlepage"]  # no rights, ISBN or credits: no copyright page
    assert pages["titlepage"] == "# T {.unnumbered}\n\n::: author\nA\n:::\n"
    pages = _matter(tmp_path / "b", "title: T\nlanguage: en\nauthor: A\nisbn: 9780306406157\n")
    assert pages["copyright-page"] == "ISBN 978\\-0\\-306\\-40615\\-7 \\(e\\-book\\)\n"


@pytest.mark.parametrize("language", words.languages())
def test_each_language_has_its_words_on_the_pages(tmp_path, language):
    config = FULL.replace("language: en", f"language: {language}")
    book = write_book(tmp_path, {"01.md": "# One\n\nText.\n"}, config)
    chapters = {c.type: c for c in with_matter(load_manuscript(load_config(book))).chapters}

    def lines(kind: str) -> list[str]:
        # Pandoc reads the page back: exactly the words and the values, no more.
        return [stringify(block["c"]) for block in chapters[kind].parse().doc["blocks"]
                if block["t"] == "Para"]

    def said(key: str, **values: str) -> str:
        return words.word(language, key, **values)

    isbn = stdnum_isbn.format("9780306406157")
    assert said("translated_by", names="Lev Perov") in [
        stringify(div["c"][1][0]["c"]) for div in chapters["titlepage"].parse().doc["blocks"]
        if div["t"] == "Div"]
    assert lines("copyright-page")[1:] == [
        said("edition", n="2"), said("isbn_ebook", isbn=isbn),
        said("isbn_print", isbn=stdnum_isbn.format("9783161484100")),
        said("cover_by", names="Rosa Lind"), said("contributions_by", names="Ivo Kent"),
        said("accessibility", summary="Navigable by headings.")]
    assert chapters["colophon"].title == words.word(language, "colophon")


def test_print_edition_half_title_title_recto_copyright_verso(tmp_path):
    book = write_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"},
                      FULL + "publisher-logo: assets/logo.png\n")
    (book / "assets").mkdir()
    Image.new("RGB", (300, 300), "black").save(book / "assets" / "logo.png")
    report, epub = build_epub(book, tmp_path / "out", formats=("epub", "pdf"))
    logo = epub.xml("EPUB/text/titlepage.xhtml").find(".//h:div[@class='publisher']//h:img", NS)
    assert logo.get("src") == "../images/assets/logo.png" and logo.get("role") == "presentation"
    pdf = report.artifact("pdf")
    assert pdf.check.passed, pdf.check.messages
    texts = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(pdf.path.read_bytes())).pages]
    title = f"The {AWKWARD[:12]} Book"
    assert texts[0] == title  # i: the half title, a recto
    assert texts[1] == ""  # ii: its verso
    assert texts[2].startswith(title) and "Translated by Lev Perov" in texts[2]  # iii: recto
    assert "ISBN 978-3-16-148410-0 (print)" in texts[3]  # iv: the title page's verso
    assert texts[4] == "For M., who read every note."  # v: a recto
    assert texts[6].startswith("A note is a second voice.")  # vii: a recto
    assert texts[8].startswith("Contents")
    # The title page's design: the title in the upper third, the publisher at the foot.
    doc = pdfium.PdfDocument(pdf.path)
    height = doc[2].get_size()[1]
    tops = {text: _top(doc[2], text) / height for text in ("The", "Ada Quill", "Margin Press")}
    assert tops["The"] < 0.33 < tops["Ada Quill"] < 0.8 < tops["Margin Press"], tops
    (image,) = doc[2].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
    image_top = (height - image.get_bounds()[3]) / height
    assert 0.8 < image_top < tops["Margin Press"], image_top  # the logo, above the name
    doc.close()


def _top(page: pdfium.PdfPage, text: str) -> float:
    """How far below the page's top ``text`` first sits, in points."""
    textpage = page.get_textpage()
    index, _ = textpage.search(text).get_next()
    return page.get_size()[1] - textpage.get_charbox(index)[3]


@pytest.mark.parametrize("yaml, key", [
    ("epigraph: {source: Someone}", "epigraph"),
    ("epigraph: {text: ''}", "epigraph"),
    ("dedication: [a, b]", "dedication"),
    ("colophon: {text: x}", "colophon"),
    ("publisher-logo: missing.png", "publisher-logo"),
])
def test_bad_matter_keys_are_errors_at_their_line(tmp_path, yaml, key):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\n" + yaml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    (problem,) = info.value.problems
    assert problem.line == 4 and key in problem.message, problem


def test_an_authors_half_title_stands_for_the_printed_one(tmp_path):
    config = "title: T\nlanguage: en\nauthor: A\nchapters:\n" \
             "  - {file: manuscript/00.md, type: halftitlepage}\n  - manuscript/01.md\n"
    book = write_book(tmp_path / "b", {"00.md": "My own half title.\n", "01.md": "# One\n\nText.\n"},
                      config)
    report, _ = build_epub(book, tmp_path / "out", formats=("epub", "pdf"))
    texts = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(report.artifact("pdf").path.read_bytes())).pages]
    # Its half title first, then the title page written after it, on the next recto.
    assert texts[:3] == ["My own half title.", "", "T A"]
