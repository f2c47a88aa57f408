"""The print edition (--format pdf) and the EPUB page list made from it, judged
from the PDF itself: PDFium's characters, their sizes and positions, read here
without bookbuild's own reading of the PDF (print/layout.py)."""

from __future__ import annotations

import os
import random
import re
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.errors import ConfigError
from bookbuild.preview.screenshots import pdf_plan
from conftest import NS, PROJECT, Epub, write_book

sys.path.insert(0, str(PROJECT / "bench"))
from common import generated_book  # noqa: E402  (the benchmarks' generated books)

EPOCH = 1700000000
#: The long run (.ci/run) builds the 100-chapter book; make test builds a small one.
LONG = int(os.environ.get("BOOKBUILD_PRINT_CHAPTERS", "0"))


def squash(text: str) -> str:
    return "".join(re.findall(r"\w", text)).replace("_", "").casefold()


class Pdf:
    """A PDF as PDFium reads it: per page its label, its plain text, the
    superscript numbers above the footnotes and the numbers opening them."""

    def __init__(self, path: Path):
        pdf = pdfium.PdfDocument(path)
        self.labels = [pdf.get_page_label(i) for i in range(len(pdf))]
        self.texts, self.references, self.footnotes = [], [], []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            self.texts.append(textpage.get_text_range())
            chars = []
            for k in range(textpage.count_chars()):
                char = chr(raw.FPDFText_GetUnicode(textpage.raw, k))
                size = raw.FPDFText_GetFontSize(textpage.raw, k)
                box = textpage.get_charbox(k)
                chars.append((char, size, box[1], box[0]))  # the bottom (from the foot), x0
            # Footnote text is 8 pt; the notes start at the highest line of it.
            note_lines = [y for c, s, y, _ in chars if abs(s - 8) < 0.1 and c.strip()]
            rule = max(note_lines) + 4 if note_lines else -1
            self.references.append(_numbers(chars, lambda y: y > rule))
            self.footnotes.append(_openings(chars, lambda y: y <= rule))
        pdf.close()


def _numbers(chars, where) -> list[str]:
    """Runs of superscript digits (set under 6.6 pt) in the zone ``where``."""
    found, current = [], ""
    for char, size, y, _ in chars:
        if size < 6.6 and char.isdigit() and where(y):
            current += char
        elif current:
            found.append(current)
            current = ""
    return found + ([current] if current else [])


def _openings(chars, where) -> list[str]:
    """The numbers (8 pt, then a full stop) opening lines in the zone ``where``
    at its left edge, where a note's number hangs (its own lines stand in); a
    line starts after a line break or on another baseline (PDFium gives no
    break after a hyphenated line)."""
    edge = min((x for c, s, y, x in chars if abs(s - 8) < 0.1 and c.strip() and where(y)),
               default=0.0)
    found, current, start, last_y = [], "", True, None
    for char, size, y, x in chars:
        if char == "\n":
            current, start = "", True
            continue
        if last_y is not None and char.strip() and abs(y - last_y) > 4 and not current:
            start = True
        if char.strip():
            last_y = y
        if start and char.isdigit() and abs(size - 8) < 0.1 and where(y) \
                and (current or x < edge + 2):
            current += char
        else:
            if char == "." and current:
                found.append(current)
            current, start = "", start and char == "\r"
    return found


def _build(book: Path, out: Path, formats=("pdf", "epub"), check=True):
    return build_book(book, BuildOptions(out_dir=out, check=check, source_date_epoch=EPOCH,
                                         formats=formats))


def _page_list(epub: Epub) -> list[tuple[str, str]]:
    nav = epub.xml("EPUB/nav.xhtml")
    return [(a.text, a.get("href"))
            for a in nav.iterfind(".//h:nav[@epub:type='page-list']//h:a", NS)]


def _words_around(epub: Epub, href: str) -> tuple[list[str], list[str]]:
    """The words of the chapter before and after the marker ``href`` names
    (superscripts, the note references, are no words in print either)."""
    file, _, marker = href.partition("#")
    body = epub.xml(f"EPUB/{file}").find(".//h:body", NS)  # hrefs from the nav beside the OPF
    before: list[str] = []
    after: list[str] = []
    seen = [False]

    def add(text: str | None) -> None:
        (after if seen[0] else before).extend((text or "").split())

    def walk(el) -> None:
        if el.get("id") == marker:
            seen[0] = True
        if not el.tag.endswith("}sup"):
            add(el.text)
            for child in el:
                walk(child)
                add(child.tail)

    walk(body)
    return before, after


def check_edition(report, pdf_path: Path, epub: Epub, samples: int) -> None:
    pdf = Pdf(pdf_path)
    pages = _page_list(epub)
    # One entry per printed page, with the printed label.
    assert [label for label, _ in pages] == pdf.labels
    # Every footnote at the foot of the page of its reference.
    for label, refs, notes in zip(pdf.labels, pdf.references, pdf.footnotes):
        assert set(refs) <= set(notes), f"page {label}: references {refs}, footnotes {notes}"
    assert sum(len(n) for n in pdf.footnotes) == report.notes
    # A sample of markers sits at the word where its page begins: the words
    # after it are on that page, the word before it on the page before.
    rng = random.Random(1)
    body_pages = [i for i, (_, href) in enumerate(pages) if not re.match(r"^[ivxlc]+$", pdf.labels[i])]
    for i in rng.sample(body_pages, min(samples, len(body_pages))):
        before, after = _words_around(epub, pages[i][1])
        after_text = squash(" ".join(after[:5]))
        if after_text and i + 1 < len(pages) \
                and pages[i + 1][1].split("#")[0] == pages[i][1].split("#")[0]:
            assert after_text in squash(pdf.texts[i]), f"page {pdf.labels[i]}: {after[:5]}"
        if before and squash(before[-1]) and i > 0:
            assert squash(before[-1])[:3] in squash(pdf.texts[i - 1]), \
                f"page {pdf.labels[i]}: {before[-1]!r} not on the page before"


def test_sample_pdf_and_page_list(sample_build):
    report, epub = sample_build
    pdf = report.artifact("pdf")
    assert pdf.check.checker == "pdf" and pdf.check.passed, pdf.check.messages
    assert pdf.pages == 17  # the half title's verso, the colophon on a recto: pages more
    check_edition(report, pdf.path, epub, samples=7)
    opf = epub.xml("EPUB/content.opf")
    source = opf.find(".//opf:meta[@property='pageBreakSource']", NS)
    assert source.text == "urn:isbn:9781402894626"  # source-isbn: no print: isbn given
    # The hand-written markers of the other edition give way: none is left over.
    assert _page_list(epub)[6] == ("1", "text/c01-01-the-first-margin.xhtml#page-1")


def test_sample_pdf_is_a_print_book(sample_build):
    report, _ = sample_build
    doc = pdfium.PdfDocument(report.artifact("pdf").path)
    assert [round(x) for x in doc[0].get_size()] == [396, 612]  # 5.5 x 8.5 in
    meta = doc.get_metadata_dict()
    assert meta["Title"] == "Notes from the Margin" and meta["Author"] == "Ada Quill"
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    # The half title (no cover), the title page on the next recto, the copyright
    # page on its verso with the ISBN of each edition, then the contents.
    assert texts[0].split() == ["Notes", "from", "the", "Margin"]
    assert texts[2].split()[:4] == texts[0].split() and "Translated by Lev Perov" in texts[2]
    assert "ISBN 978-0-306-40615-7 (e-book)" in texts[3] and "Copyright ©" in texts[3]
    assert "Contents" in texts[4] and "The First Margin" in texts[4]
    # Running heads: the book's title on versos, none on chapter openings.
    assert texts[7].splitlines()[0].strip().lower().endswith("notes from the margin")
    assert "Notes from the Margin" not in texts[6].splitlines()[0]
    # Chapters open on rectos (odd pages), so pages ii and vi are blank.
    assert texts[1].strip() == "" and texts[5].strip() == ""
    doc.close()


def test_hand_written_markers_without_pdf(tmp_path):
    report = _build(PROJECT, tmp_path, formats=("epub",))
    pages = _page_list(Epub(report.artifact("epub").path))
    assert pages == [("2", "text/c01-01-the-first-margin.xhtml#page-2"),
                     ("3", "text/c01-01-the-first-margin.xhtml#page-3"),
                     ("5", "text/c02-02-ibid-and-its-cousins.xhtml#page-5")]


def test_generated_book_pdf_and_epub_agree_and_rebuild_identically(tmp_path):
    chapters = LONG or 4
    book = generated_book(tmp_path / "book", chapters=chapters, notes_per_chapter=6,
                          paragraphs=25 if LONG else 12)
    with open(book / "book.yaml", "a", encoding="utf-8") as f:
        f.write("print: {trim: 6x9in, isbn: 978-0-306-40615-7}\nnotes-numbering: continuous\n")
    report = _build(book, tmp_path / "one", check=True)
    assert report.exit_code == 0, [a.check for a in report.artifacts]
    epub = Epub(report.artifact("epub").path)
    check_edition(report, report.artifact("pdf").path, epub, samples=40 if LONG else 8)
    opf = epub.xml("EPUB/content.opf")
    assert opf.find(".//opf:meta[@property='pageBreakSource']", NS).text == "urn:isbn:9780306406157"
    doc = pdfium.PdfDocument(report.artifact("pdf").path)
    assert [round(x) for x in doc[0].get_size()] == [432, 648]  # 6 x 9 in
    doc.close()
    again = _build(book, tmp_path / "two", check=False)
    for fmt in ("pdf", "epub"):
        assert report.artifact(fmt).sha256 == again.artifact(fmt).sha256, fmt


def test_book_end_notes_stay_endnotes_in_print(tmp_path):
    book = write_book(tmp_path / "b", {
        "01.md": "# One\n\nA claim.[^a] Another.[^b] Again.[^a]\n\n[^a]: First note.\n\n"
                 "[^b]: Second note.\n",
        "02.md": "# Two\n\nMore.[^x]\n\n[^x]: Third note.\n"},
        "title: Ends\nlanguage: en\nauthor: A. Writer\nnotes: book\n")
    report = _build(book, tmp_path / "out")
    pdf = report.artifact("pdf")
    assert pdf.check.passed, pdf.check.messages
    text = "\n".join(Pdf(pdf.path).texts)
    assert "Notes" in text and "1. First note." in text and "1. Third note." in text
    assert Pdf(pdf.path).footnotes == [[] for _ in Pdf(pdf.path).labels]  # none at the feet


def test_print_settings_are_checked_with_their_line(tmp_path):
    book = write_book(tmp_path / "b", {"01.md": "# One\n\nText.\n"},
                      "title: T\nlanguage: en\nauthor: A\nprint:\n  trim: 6x90cm\n"
                      "  margins: {inside: wide}\n")
    with pytest.raises(ConfigError) as info:
        _build(book, tmp_path / "out")
    found = sorted((p.line, p.message) for p in info.value.problems)
    assert [line for line, _ in found] == [5, 6]
    assert "'trim' must be a size such as 6x9in" in found[0][1]
    assert "'inside' must be a length such as 0.75in" in found[1][1]


def test_named_trim_and_margins(tmp_path):
    book = write_book(tmp_path / "b", {"01.md": "# One\n\n" + "Word " * 400 + "\n"},
                      "title: T\nlanguage: en\nauthor: A\n"
                      "print: {trim: a5, margins: {inside: 25mm, outside: 15mm}}\n")
    report = _build(book, tmp_path / "out", formats=("pdf",))
    assert report.artifact("pdf").check.passed
    doc = pdfium.PdfDocument(report.artifact("pdf").path)
    page = doc[0]
    first = next(i for i in range(len(doc)) if doc.get_page_label(i) == "1")
    textpage = doc[first].get_textpage()
    lefts = [textpage.get_charbox(k)[0] for k in range(textpage.count_chars())
             if chr(raw.FPDFText_GetUnicode(textpage.raw, k)).strip()]
    assert abs(min(lefts) - 25 / 25.4 * 72) < 2  # the inside margin of a recto
    assert [round(x) for x in page.get_size()] == [420, 595]
    doc.close()


def test_print_only_lines_stay_in_print_and_leave_the_ebooks_copyright_page(tmp_path):
    """One rule (bookbuild.lang.printonly), used by the importer too: a copyright
    page's lines about the printed copy are for the printed copy."""
    book = write_book(tmp_path / "book", {
        "00-copyright.md": """\
            Copyright © 2026 A. Writer

            Printed and bound in Great Britain by Example Printers Ltd

            Typeset in 11pt Noto Serif by the author.[^1]

            [^1]: A note keeps its paragraph: nothing is lost.
            """,
        "01-one.md": "# One\n\nText.\n"},
        config="""\
            title: Test Book
            language: en
            author: A. Writer
            chapters:
              - file: manuscript/00-copyright.md
                type: copyright-page
                title: Copyright
              - manuscript/01-one.md
            """)
    report = _build(book, tmp_path / "out")
    assert all(a.check.passed for a in report.artifacts if a.check), \
        [str(m) for a in report.artifacts if a.check for m in a.check.messages]
    epub = Epub(report.artifact("epub").path)
    page = " ".join("".join(epub.xml(epub.chapters()[0]).itertext()).split())
    assert "Copyright © 2026 A. Writer" in page and "Printed and bound" not in page
    assert "Typeset in 11pt Noto Serif by the author." in page and report.notes == 1
    printed = squash(" ".join(Pdf(report.artifact("pdf").path).texts))
    assert squash("Printed and bound in Great Britain by Example Printers Ltd") in printed


def test_the_sample_s_print_pages_are_pictured_where_their_words_are(sample_build):
    """The pages `make screenshots` pictures of the print edition are found by
    the EPUB's words: the display pages in roman folios in the book's order,
    the first chapter opening on page 1, the verse and table on body pages."""
    report, epub = sample_build
    pdf_path = report.artifact("pdf").path
    shots = dict(pdf_plan(epub.path, pdf_path))
    assert list(shots)[:4] == ["title-page", "copyright-page", "contents", "chapter-opening"]
    assert list(shots.values()) == sorted(set(shots.values()))  # each page once, in order
    labels = Pdf(pdf_path).labels
    assert all(set(labels[shots[n]]) <= set("ivxlc")
               for n in ("title-page", "copyright-page", "contents"))
    assert labels[shots["chapter-opening"]] == "1"
    assert {"verse", "table"} <= set(shots)
    assert all(labels[shots[n]].isdigit() for n in ("verse", "table"))
