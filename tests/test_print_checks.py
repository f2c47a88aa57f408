"""The print edition's guarantees and preflight, measured on the PDF with
PDFium: footnotes start on their reference's page, no widow, orphan or heading
left at a page's foot, fonts embedded as subsets, PDF/A-2b, the trim, images
and colour; and a layout that cannot keep a guarantee fails the build (exit 1,
"print check failed", page and source line) without leaving a PDF."""

from __future__ import annotations

import ctypes
import json
import random
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from click.testing import CliRunner
from PIL import Image

from bookbuild import BuildOptions, build_book, pdfglyphs
from bookbuild.chapters.paper import chapter_typst
from bookbuild.cli import main
from bookbuild.notes.source import read_notes
from bookbuild.pandoc import read_markdown
from bookbuild.source.manuscript import Chapter
from conftest import write_book
from test_print import EPOCH, Pdf

WORDS = ("margin note page reader editor printer line letter proof sheet gloss text "
         "author binding folio signature quire leaf").split()


def _paragraphs(rng: random.Random, count: int, words: tuple[int, int] = (14, 110)) -> list[str]:
    """Paragraphs of two to nine lines, so that page ends fall everywhere in them."""
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))).capitalize() + "."
            for _ in range(count)]


def _noted(rng: random.Random, words: tuple[int, int], count: int = 40,
           block: str = "{}") -> str:
    """``count`` paragraphs, each with a note referenced at its end, each
    written in ``block`` (Markdown around it). Where a note cannot follow its
    reference, Typst sets the reference's line overleaf: in one-line
    paragraphs that line is the whole paragraph, in longer ones a widow."""
    noted = ["# Many Notes\n"]
    for k, text in enumerate(_paragraphs(rng, count, words), start=1):
        noted.append(block.format(f"{text}[^n{k}]") + f"\n\n[^n{k}]: "
                     + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))))
    return "\n\n".join(noted) + "\n"


def _chapters() -> dict[str, str]:
    rng = random.Random(7)
    plain = "# Plain Paragraphs\n\n" + "\n\n".join(_paragraphs(rng, 60)) + "\n"
    parts = ["# Headed Sections\n"]
    for k in range(1, 25):
        parts.append(f"## Section heading {k}\n")
        parts += _paragraphs(rng, rng.randint(1, 3))
    images = ("# Pictures\n\n![A grey square, too small for print](grey.png)\n\n"
              "Between the pictures.\n\n![A red square](red.png)\n")
    return {"01-plain.md": plain, "02-headed.md": "\n\n".join(parts) + "\n",
            "03-notes.md": _noted(rng, (4, 7)), "04-pictures.md": images}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """One book built once: its report as JSON, its PDF, and the CLI's output."""
    root = tmp_path_factory.mktemp("checks")
    book = write_book(root / "book", _chapters(),
                      "title: Guarantees\nlanguage: en\nauthor: A. Writer\n")
    Image.new("L", (120, 120), 128).save(book / "manuscript" / "grey.png")
    Image.new("RGB", (900, 900), (200, 30, 30)).save(book / "manuscript" / "red.png")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(book), "-o", str(out), "-f", "pdf",
                                       "--json", "--no-daemon"],
                                env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    return json.loads(result.stdout), out / "guarantees.pdf", book


def _lines(pdf_path) -> list[list[tuple[float, float, str]]]:
    """Each page's body lines, top to bottom: (left, right, text), at the 10 pt of body text."""
    pdf = pdfium.PdfDocument(pdf_path)
    pages = []
    for i in range(len(pdf)):
        textpage = pdf[i].get_textpage()
        height = pdf[i].get_size()[1]
        lines: dict[float, list] = {}
        x, y = raw.ctypes.c_double(), raw.ctypes.c_double()
        for k in range(textpage.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(textpage.raw, k))
            if not char.strip() or abs(raw.FPDFText_GetFontSize(textpage.raw, k) - 10) > 0.1:
                continue
            raw.FPDFText_GetCharOrigin(textpage.raw, k, x, y)  # on the baseline
            right = textpage.get_charbox(k)[2]
            lines.setdefault(round(height - y.value), []).append((x.value, right, char))
        pages.append([(min(c[0] for c in chars), max(c[1] for c in chars),
                       "".join(c[2] for c in chars)) for _, chars in sorted(lines.items())])
    pdf.close()
    return pages


def test_the_book_passes_with_a_spine_and_warnings_that_name_the_image(edition):
    report, pdf_path, book = edition
    pdf = report["artifacts"][0]
    assert report["ok"] and pdf["check"]["passed"] and pdf["written"], pdf["check"]["messages"]
    assert pdf["spine_mm"] == round(pdf["pages"] * 0.0572, 2)
    warnings = {(w["code"], w["file"], w["line"]) for w in report["warnings"]}
    assert ("image-low-resolution", "manuscript/04-pictures.md", 3) in \
        {(c, f and f.replace(str(book) + "/", ""), line) for c, f, line in warnings}
    colour = [w for w in report["warnings"] if w["code"] == "print-colour"]
    assert len(colour) == 1  # the red square's page, not the grey one's


def test_every_footnote_starts_on_its_references_page(edition):
    _, pdf_path, _ = edition
    pdf = Pdf(pdf_path)
    assert sum(len(n) for n in pdf.footnotes) == 40
    for label, refs, notes in zip(pdf.labels, pdf.references, pdf.footnotes):
        assert refs == notes, f"page {label}: marks {refs}, notes {notes}"


def test_no_widow_orphan_or_heading_at_a_page_foot(edition):
    """Paragraphs open indented: a page that starts with a continued line has
    a second line of it, and a page's last line never opens a paragraph that
    goes on overleaf; no section heading is a page's last line."""
    _, pdf_path, _ = edition
    pages = _lines(pdf_path)
    broken = 0
    for number, (page, following) in enumerate(zip(pages, pages[1:]), start=1):
        if len(page) < 3 or len(following) < 2:
            continue
        left, right = min(x for x, _, _ in page), max(r for _, r, _ in page)
        after = min(x for x, _, _ in following)
        # A paragraph that goes on overleaf ends its page justified, at the right edge.
        opens_last = page[-1][0] > left + 6 and page[-1][1] > right - 1.5
        continues = following[0][0] <= after + 1 and not re.match(r"Section heading", following[0][2])
        if continues:
            broken += 1
            assert not opens_last, f"page {number}: an orphan line {page[-1][2]!r}"
            assert following[1][0] <= after + 1, f"page {number + 1}: a widow {following[0][2]!r}"
        assert not page[-1][2].startswith("Section"), f"page {number}: {page[-1][2]!r} at its foot"
    assert broken > 10  # paragraphs do run over pages: the measure saw them


def test_fonts_subset_pdfa_and_trim(edition):
    _, pdf_path, _ = edition
    data = pdf_path.read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data and b"<pdfaid:conformance>B" in data
    pdf = pdfium.PdfDocument(pdf_path)
    names = set()
    for i in range(len(pdf)):
        assert [round(x) for x in pdf[i].get_size()] == [396, 612]
        for obj in pdf[i].get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            font = raw.FPDFTextObj_GetFont(obj.raw)
            assert raw.FPDFFont_GetIsEmbedded(font)
            size = raw.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = (raw.ctypes.c_char * size)()
            raw.FPDFFont_GetBaseFontName(font, buffer, size)
            names.add(buffer.value.decode())
    pdf.close()
    assert names and all(re.match(r"[A-Z]{6}\+", n) for n in names), names


def test_a_footnote_the_layout_cannot_keep_fails_the_build_and_leaves_no_pdf(tmp_path):
    """A note in a captioned table (a figure, which never breaks) too long to
    fit under it: Typst sets it overleaf, and the build says where."""
    rows = "\n".join(f"| row {i} | value {i} |" for i in range(40))  # most of a page
    note = " ".join(["A very long note that goes on and on."] * 40)
    text = ("# One\n\n" + "\n\n".join(["Text to fill the page before the table. " * 6] * 3)
            + f"\n\n| Name[^t] | Value |\n|---|---|\n{rows}\n\n: A table with a note\n\n"
            f"[^t]: {note}\n\nAfter the table.\n")
    book = write_book(tmp_path / "book", {"01.md": text},
                      "title: Tight\nlanguage: en\nauthor: A. Writer\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "tight.pdf").write_bytes(b"%PDF- an earlier build's")
    result = CliRunner().invoke(main, ["build", str(book), "-o", str(out), "-f", "pdf",
                                       "--no-daemon"], env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 1, result.output
    assert "print check failed" in result.output and "EPUBCheck" not in result.output
    assert re.search(r"print-footnote-off-page page 2 \(\S*01\.md:9\): note 1 starts on page 3",
                     result.output), result.output
    assert list(out.iterdir()) == []  # neither this PDF nor the earlier one stays


def _faces(pdf_path) -> dict[str, set[str]]:
    """The fonts (subset tag dropped) each printed character is drawn from."""
    faces: dict[str, set[str]] = {}
    pdf = pdfium.PdfDocument(pdf_path)
    for page in pdf:
        textpage = page.get_textpage()
        for k in range(textpage.count_chars()):
            name = ctypes.create_string_buffer(200)
            raw.FPDFText_GetFontInfo(textpage.raw, k, name, 200, ctypes.c_int())
            char = chr(raw.FPDFText_GetUnicode(textpage.raw, k))
            faces.setdefault(char, set()).add(name.value.decode().partition("+")[2])
    pdf.close()
    return faces


def test_each_script_takes_its_face_and_a_character_none_has_fails_the_print_check(tmp_path):
    """Typst picks no face itself: Hebrew, Japanese, Greek, a sign and math
    (whose double-struck letters the design's names leave to Typst's bb) each
    come from the theme's list, and a character no face of it has (cuneiform)
    fails the print check with its page and source line, leaving no PDF."""
    text = ("# One\n\nPlain words.\n\nShalom: \u05e9\u05dc\u05d5\u05dd, \u65e5\u672c, "
            "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1 \u2192 $\\mathbb{R}$ done.\n")
    book = write_book(tmp_path / "book", {"01.md": text + "\nA sign: \U00012000 here.\n"},
                      "title: Scripts\nlanguage: en\nauthor: A. Writer\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(book), "-o", str(out), "-f", "pdf",
                                       "--no-daemon"], env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 1, result.output
    assert re.search(r"print-glyph-missing page 1 \(\S*01\.md:7\): .*'A sign: here\.'",
                     result.output), result.output
    assert not list(out.glob("*.pdf"))
    (book / "manuscript" / "01.md").write_text(text, encoding="utf-8")
    report = build_book(book, BuildOptions(out_dir=out, check=True, formats=("pdf",),
                                           source_date_epoch=EPOCH))
    assert report.exit_code == 0, report.artifact("pdf").check.messages
    faces = _faces(report.artifact("pdf").path)
    assert [f.split("-")[0] for f in (*faces["\u05e9"], *faces["\u65e5"])] == [
        "NotoSansHebrew", "NotoSansJP"]
    assert faces["\u03bb"] == faces["P"] == {"NotoSerif-Regular"}
    assert faces["\u2192"] == {"LibertinusSerif-Regular"}
    assert faces["\u211d"] == {"NewCMMath-Book"}


def _on_the_trim(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's characters with where they stand on the page as cut: their
    origin from the TrimBox's left and top (the MediaBox's without one), in points."""
    pdf = pdfium.PdfDocument(path)
    pages = []
    for index in range(len(pdf)):
        page = pdf[index]
        left, _, _, top = page.get_trimbox()
        textpage = page.get_textpage()
        glyphs = pdfglyphs.Glyphs(textpage)
        pages.append([(glyphs.text(k), glyphs.origin(k)[0] - left, top - glyphs.origin(k)[1])
                      for k in range(glyphs.count) if glyphs.text(k).strip()])
    pdf.close()
    return pages


def test_a_bleed_grows_the_sheet_on_its_outer_sides_and_the_trim_box_says_where_to_cut(tmp_path):
    """print: {bleed: ...}: the page is the trim and the bleed at the fore-edge,
    head and foot (not the spine's side: on a recto the right, on a verso the
    left); TrimBox and BleedBox written after Typst, every object still where
    the cross-reference table says, PDF/A-2b as before; and every character
    (the text block, the openings, the running heads and folios in the
    margins) stands on the cut page where it stands in the book without a bleed."""
    text = "# One\n\n" + "\n\n".join(_paragraphs(random.Random(3), 24)) + "\n"

    def built(print_settings: str) -> Path:
        book = write_book(tmp_path / print_settings[:5], {"01.md": text},
                          f"title: Bled\nlanguage: en\nauthor: A. Writer\nprint: {print_settings}\n")
        report = build_book(book, BuildOptions(out_dir=tmp_path / print_settings[:5] / "out",
                                               check=True, formats=("pdf",),
                                               source_date_epoch=EPOCH))
        artifact = report.artifact("pdf")
        assert report.exit_code == 0, artifact.check.messages
        return artifact.path

    path = built("{trim: 6x9in, bleed: 3mm}")
    data = path.read_bytes()
    bleed = 3 * 72 / 25.4
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) > 4
    for index in range(len(pdf)):
        page = pdf[index]
        left = 0 if index % 2 == 0 else bleed
        assert page.get_mediabox() == pytest.approx((0, 0, 432 + bleed, 648 + 2 * bleed), abs=0.01)
        assert page.get_bleedbox() == pytest.approx(page.get_mediabox(), abs=0.01)
        assert page.get_trimbox() == pytest.approx((left, bleed, left + 432, bleed + 648), abs=0.01)
    pdf.close()
    table = data[data.rindex(b"\nxref\n") + 1:]
    count = int(table.split(b"\n")[1].split()[1])
    entries = table.split(b"\n", 2)[2][:20 * count]
    for number in range(1, count):
        offset = int(entries[20 * number:20 * number + 10])
        assert data[offset:].startswith(b"%d 0 obj" % number), number
    assert int(data.rsplit(b"startxref\n", 1)[1].split()[0]) == data.rindex(b"\nxref\n") + 1
    assert b"<pdfaid:part>2</pdfaid:part>" in data
    bled, cut = _on_the_trim(path), _on_the_trim(built("{trim: 6x9in}"))
    assert len(bled) == len(cut)
    for index, (with_bleed, without) in enumerate(zip(bled, cut)):
        assert [c for c, _, _ in with_bleed] == [c for c, _, _ in without], f"page {index + 1}"
        moved = max((max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(with_bleed, without)),
                    default=0)
        assert moved < 0.05, f"page {index + 1}: a character {moved:.2f} pt off its place"
    heads = [page[0] for page in cut if page and page[0][2] < 0.8 * 72]  # above the text block
    assert len(heads) >= 2, heads  # running heads of a verso and a recto are among them


def test_notes_in_list_items_start_on_their_references_pages(tmp_path):
    """Notes referenced in bulleted and numbered items, nested too, falling at
    every place of a page: Typst's own list (a grid) could not take a
    reference's line overleaf with its note, which went to the next page
    alone (Advanced R, twice); the design sets items as paragraphs."""
    rng = random.Random(11)
    lines = ["# Listed\n", "Opening words of the chapter.\n"]
    notes = []
    for k, text in enumerate(_paragraphs(rng, 36, (10, 60)), start=1):
        marker = "-" if k % 3 else "1."
        indent = "    " if k % 5 == 0 else ""
        lines.append(f"{indent}{marker} {text}[^n{k}]")
        notes.append(f"[^n{k}]: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))))
    book = write_book(tmp_path / "book", {"01.md": "\n".join(lines) + "\n\n" + "\n\n".join(notes)
                                          + "\n"}, "title: Listed\nlanguage: en\nauthor: A. W.\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=True,
                                           formats=("pdf",), source_date_epoch=EPOCH))
    pdf = report.artifact("pdf")
    assert report.exit_code == 0 and pdf.written, pdf.check.messages
    pages = Pdf(pdf.path)
    assert sum(len(n) for n in pages.footnotes) == 36 and len(pages.labels) > 4
    for label, refs, entries in zip(pages.labels, pages.references, pages.footnotes):
        assert refs == entries, f"page {label}: marks {refs}, notes {entries}"


def test_a_code_line_wider_than_the_measure_goes_on_under_a_mark(tmp_path):
    """Long code lines, at the chapter's level and in a list item: each breaks
    after a comma or space that fits and goes on under a mark, within the text
    block; a word longer than the measure is cut at it."""
    call = "result <- some_function(" + ", ".join(f"argument_{k} = {k}" for k in range(12)) + ")"
    word = "x" * 120
    text = (f"# Code\n\n```r\n{call}\n{word}\n```\n\n- An item:\n\n    ```r\n    {call}\n    ```\n")
    book = write_book(tmp_path / "book", {"01.md": text},
                      "title: Code\nlanguage: en\nauthor: A. W.\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=True,
                                           formats=("pdf",), source_date_epoch=EPOCH))
    pdf = report.artifact("pdf")
    assert report.exit_code == 0 and pdf.written, pdf.check.messages
    lines = [line.strip() for text in Pdf(pdf.path).texts for line in text.split("\n")]
    first = next(k for k, line in enumerate(lines) if line.startswith("result <- some_function("))
    pieces = [lines[first]]
    while lines[first + len(pieces)].startswith("\u21aa "):
        pieces.append(lines[first + len(pieces)].removeprefix("\u21aa "))
    assert len(pieces) > 1 and all(piece.endswith(",") for piece in pieces[:-1]), pieces
    assert " ".join(pieces) == call
    assert sum(line.startswith("\u21aa ") for line in lines) >= 4  # both calls and the word


def test_a_line_left_alone_for_a_note_moves_with_its_paragraph(tmp_path, monkeypatch):
    """Notes referenced at a paragraph's end: where a note cannot follow its
    reference, Typst moves the reference's line overleaf, alone. One more
    setting opens a page before that paragraph, and no line is alone; where
    the design cannot (shown here by turning that setting off), the line
    fails the print check with its page and source line, as any widow does,
    and no PDF is left."""
    book = write_book(tmp_path / "book", {"01.md": _noted(random.Random(7), (14, 110))},
                      "title: Widows\nlanguage: en\nauthor: A. Writer\n")

    def built(out: str):
        return build_book(book, BuildOptions(out_dir=tmp_path / out, check=True,
                                             formats=("pdf",), source_date_epoch=EPOCH))

    report = built("kept")
    pdf = report.artifact("pdf")
    assert report.exit_code == 0 and pdf.written, pdf.check.messages
    import bookbuild.print.edition as edition
    monkeypatch.setattr(edition, "kept_apart_for_notes", lambda *args: ())
    report = built("left")
    pdf = report.artifact("pdf")
    assert report.exit_code == 1 and not pdf.written and not pdf.path.exists()
    widows = [m for m in pdf.check.messages
              if m.id == "print-line-alone-for-note" and "a widow" in m.message]
    assert widows and all(m.source.split(":")[0].endswith("01.md") for m in widows), \
        pdf.check.messages
    text = (book / "manuscript" / "01.md").read_text(encoding="utf-8").split("\n")
    for m in widows:  # the line named holds the widow's words, on the page named
        printed = re.search(r"alone, '(.*?)', to keep", m.message)[1]
        assert printed in text[int(m.source.rsplit(":", 1)[1]) - 1], (m, printed)
        assert re.fullmatch(r"page \d+", m.path), m


@pytest.mark.parametrize("block, failure", [
    ("- An item.\n\n  {}", "print-line-alone-for-note"),  # an item's later paragraph
    ("> {}", "print-footnote-off-page")])  # Typst sets a quotation's note overleaf instead
def test_a_note_no_page_can_open_for_costs_no_other_setting(tmp_path, monkeypatch, block, failure):
    """Notes in paragraphs that carry no keep mark (chapters.paper): an item's
    later paragraph, whose line Typst leaves alone for its note, a
    quotation, whose note it sets overleaf. Naming them to Typst would set
    the same document again: the book is set once, and fails the print
    check naming the page and line. A code block of the book showing keep
    marks for those notes, character for character, opens no page either:
    the marks are the ones the conversion placed, not read back from text."""
    import bookbuild.print.edition as edition
    settings = []
    typeset = edition.typeset
    monkeypatch.setattr(edition, "typeset",
                        lambda *args, **kw: settings.append(args) or typeset(*args, **kw))
    look_alike = "\n".join(f"#bb-keep-with-note(<bb-c01-01-note-{k}>)" for k in range(12))
    book = write_book(tmp_path / "book",
                      {"01.md": _noted(random.Random(1), (14, 110), 12, block)
                       + f"\n```\n{look_alike}\n```\n"},
                      "title: Unmarked\nlanguage: en\nauthor: A. Writer\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=True,
                                           formats=("pdf",), source_date_epoch=EPOCH))
    pdf = report.artifact("pdf")
    assert len(settings) == 1, pdf.check.messages
    assert report.exit_code == 1 and not pdf.written
    failed = [m for m in pdf.check.messages if m.id == failure]
    assert failed and {m.id for m in pdf.check.messages} == {failure}, pdf.check.messages
    text = (book / "manuscript" / "01.md").read_text(encoding="utf-8").split("\n")
    for m in failed:
        assert re.fullmatch(r"page \d+", m.path), m
        line = text[int(m.source.rsplit(":", 1)[1]) - 1]
        printed = re.search(r"alone, '(.*?)', to keep", m.message) \
            or re.search(r"note (\d+) starts", m.message)
        assert (printed[1] if m.id == "print-line-alone-for-note" else f"[^n{printed[1]}]") \
            in line, (m, line)


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_widow_or_orphan_typst_was_let_leave_fails_the_print_check(tmp_path, theme):
    """Typst's widow and orphan costs turned off (trusted raw Typst can): the
    lines it leaves alone are found in justified and ragged text alike, and
    each fails the build with its page and source line, which holds the line."""
    text = ("# Loose\n\n```{=typst}\n#set text(costs: (widow: 0%, orphan: 0%))\n```\n\n"
            + "\n\n".join(_paragraphs(random.Random(5), 40)) + "\n")
    book = write_book(tmp_path / "book", {"01.md": text},
                      f"title: Loose\nlanguage: en\nauthor: A. Writer\ntheme: {theme}\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=True, formats=("pdf",),
                                           source_date_epoch=EPOCH, trust=frozenset({"typst"})))
    artifact = report.artifact("pdf")
    assert report.exit_code == 1 and not artifact.written
    alone = [m for m in artifact.check.messages if m.id in ("print-widow", "print-orphan")]
    assert alone, artifact.check.messages
    source = text.split("\n")
    for message in alone:
        printed = re.search(r"alone, '(.*)'$", message.message)[1].split()[:-1]  # whole words
        assert " ".join(printed) in source[int(message.source.rsplit(":", 1)[1]) - 1], message


def test_a_colour_interior_asked_for_takes_colour_without_a_warning(tmp_path):
    """And with checks off (--no-check) the PDF is written unchecked, as the EPUB is."""
    book = write_book(tmp_path / "book", {"01.md": "# One\n\n![A red square](red.png)\n"},
                      "title: C\nlanguage: en\nauthor: A. Writer\nprint: {colour: true}\n")
    Image.new("RGB", (1500, 1500), (200, 30, 30)).save(book / "manuscript" / "red.png")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False,
                                           formats=("pdf",), source_date_epoch=EPOCH))
    assert report.warnings == ()  # neither colour nor resolution (1500 px over 4.1 in)
    pdf = report.artifact("pdf")
    assert pdf.check is None and pdf.written and pdf.path.is_file()


def test_a_heading_that_ends_its_page_is_found():
    """Typst keeps headings with what follows (sticky); where a layout could not,
    the check finds a heading with nothing but its own words below it on a
    page its chapter runs past, and not a line that only ends with its words."""

    from bookbuild.chapters.convert import Heading
    from bookbuild.print.layout import Layout, Line, PageFacts
    from bookbuild.print.preflight import _headings_at_foot

    chapter = SimpleNamespace(headings=(Heading(1, "t", "Title"), Heading(2, "s", "A Section")))

    def found(section_y: float, lines: list[tuple[str, float]]) -> list:
        facts = {"headings": [{"page": 1, "level": 1, "y": 100.0},
                              {"page": 1, "level": 2, "y": section_y}]}
        page = PageFacts("1", (), (), (), 0, (396, 612), 0,
                         tuple(Line(10, text, y) for text, y in lines))
        layout = Layout((page, page), (), ())
        return list(_headings_at_foot(layout, facts, [0, 0], (chapter,)))

    assert found(520, [("Title", 110), ("Text.", 300), ("A Section", 530)]) == [(0, (0, 1))]
    assert found(280, [("Title", 110), ("A Section", 290), ("Text.", 300)]) == []
    assert found(280, [("Title", 110), ("A Section", 290), ("see A Section", 530)]) == []


def test_widows_and_orphans_are_read_from_where_typst_says_paragraphs_start_and_end():
    """A paragraph split over two pages with one line on either side is an
    orphan or a widow; one whose end tag alone went overleaf (what follows
    moved) is not split; a note's paragraph is not the body's; a line alone
    whose first line overleaf holds a reference with its note there is for
    the note."""
    from bookbuild.print.layout import Layout, Line, PageFacts, notes_tops
    from bookbuild.print.preflight import lone_lines

    def tag(p: int, y: float, end: bool = False) -> dict:
        return {"page": p, "y": y, "end": end}

    facts = {"notes": [{"page": 3, "y": 540, "ref": {"page": 3, "y": 62}}], "paragraphs": [
        tag(1, 90), tag(1, 101, True),  # one line, on its page
        tag(1, 515), tag(2, 95, True),  # an orphan: one line, then three overleaf
        tag(2, 510),  # two lines, then one overleaf holding a reference: a widow for its note
        tag(3, 550), tag(3, 560, True),  # a note's paragraph, below its entry
        tag(3, 71, True),
        tag(3, 75), tag(4, 58, True),  # ends as page 4 opens: only its end tag moved
    ]}
    tops = notes_tops(facts)  # the notes' area, as read_layout gives each page it

    def page(index: int, *baselines: float) -> PageFacts:
        return PageFacts("1", (), (), (), 0, (396, 612), 0,
                         tuple(Line(10, f"line at {y:g}", y) for y in baselines),
                         notes_top=tops.get(index))

    layout = Layout((page(0, 100, 500, 512, 524), page(1, 70, 82, 94, 518, 530),
                     page(2, 70, 82), page(3, 70)), (), ())
    found = [(lone.page, lone.code, lone.line.baseline, lone.for_note)
             for lone in lone_lines(layout, facts, [0, 0, 0, 0])]
    assert found == [(0, "print-orphan", 524, False), (2, "print-widow", 70, True)]


def test_the_lines_of_notes_off_their_page_read_each_chapter_once(monkeypatch):
    """Each reference's line is the first beginning of its chapter that Pandoc
    reads with that many references; the chapter is read whole once, and a
    beginning read for one reference is not read again for the next."""
    from bookbuild.print.preflight import _reference_lines

    text = "# One\n\nA[^a] b.\n\nNothing.\n\nC[^b] d[^a].\n\n[^a]: A.\n[^b]: B.\n"
    chapter = Chapter(1, Path("01.md"), "chapter", None, text)
    read: list[str] = []
    parse = Chapter.parse
    monkeypatch.setattr(Chapter, "parse", lambda self, t=None: read.append(t) or parse(self, t))
    chapters = (SimpleNamespace(chapter=chapter),)
    assert _reference_lines(chapters, [(0, 1, 3), (0, 3, 3), (0, 2, 3)]) == \
        {(0, 1): 3, (0, 3): 7, (0, 2): 7}
    assert read.count(text) == 1 and len(read) == len(set(read))
    assert _reference_lines(chapters, [(0, 1, 2)]) == {(0, 1): None}  # not all its notes


def test_a_paragraph_keeps_with_its_note_by_opening_a_page_where_typst_allows():
    """Typst's widow and orphan rules can move a paragraph or list item whole
    to the next page after its note was placed (Advanced R, thrice): each
    paragraph of the chapter and each item's first paragraph holding a note
    is marked in the AST with its notes' labels, and the design opens a page
    there when the print edition names one of them (a list item says so after
    its marker, so that the list and its numbers go on); never inside a
    container, nor under an item's marker, where a break would be refused or
    end the list."""
    text = textwrap.dedent("""\
        # One[^h]

        ```r
        ]
        x <- 1[^0]
        ```

        First line of it
        goes on[^a] here, twice[^b].

        > Quoted[^q].

        ::: aside
        In a div[^d].
        :::

        1. An item.
        2. (Another[^i].

           Its second paragraph[^s].

           - Nested[^n] and again[^a].

        [^h]: On a heading.
        [^a]: A note.
        [^b]: Another.
        [^q]: In a quote.
        [^d]: In a div.
        [^i]: In a list.
        [^s]: Deeper.
        [^n]: Nested.
        """)
    source = Path("01.md")
    parsed = read_markdown(text, source)
    refs = read_notes(text, parsed, source).refs
    paper = chapter_typst(parsed.doc, refs, "01", str, False,
                          Chapter(1, source, "chapter", None, text))
    typst = paper.typst
    marks = [line for line in typst.split("\n") if "bb-keep" in line]
    assert marks == ["#bb-keep-with-note(<bb-01-note-0>)",
                     "#bb-keep-with-note(<bb-01-note-1>, <bb-01-note-2>)",
                     "+ #bb-keep-item-with-note(<bb-01-note-5>);\\(Another#footnote[In a list.]"
                     "<bb-01-note-5>.",
                     "  - #bb-keep-item-with-note(<bb-01-note-7>);Nested#footnote[Nested.]"
                     "<bb-01-note-7> and again#footnote(<bb-01-note-1>)."]
    lines = typst.split("\n")
    assert lines[lines.index(marks[1]) + 1].startswith("First line of it")
    # what the print edition is given with the Typst: the notes whose paragraphs a setting can move
    assert paper.keep_marks == (
        {"bb-01-note-0"}, {"bb-01-note-1", "bb-01-note-2"}, {"bb-01-note-5"}, {"bb-01-note-7"})


def test_a_page_opened_for_a_note_opens_before_the_headings_above_its_paragraph():
    """A section's heading, then only raw TeX (an index entry), then the
    paragraph with the note: the page opens before the heading, which would
    otherwise end the page before alone; a chapter's title keeps its place."""
    text = ("# One\n\nOpening[^a].\n\n## Two\n\n\\index{two}\n\nThen[^b].\n\n"
            "[^a]: Note a.\n[^b]: Note b.\n")
    source = Path("01.md")
    parsed = read_markdown(text, source)
    lines = chapter_typst(parsed.doc, read_notes(text, parsed, source).refs, "01", str, False,
                          Chapter(1, source, "chapter", None, text)).typst.split("\n")
    lines = [line for line in lines if line.strip()]
    second = lines.index("#bb-keep-with-note(<bb-01-note-1>)")
    assert lines[second + 1].startswith("== Two"), lines
    first = lines.index("#bb-keep-with-note(<bb-01-note-0>)")
    assert lines[first - 1] == "= One", lines


def test_a_paragraph_moved_whole_after_its_note_opens_a_page_with_it(tmp_path):
    """Two- to four-line paragraphs, each with a note referenced in its first
    line: the widow and orphan rules move some whole to the next page after
    their notes were placed; the second setting opens a page before each, and
    every note starts on its reference's page."""
    rng = random.Random(2)
    text = ["# Early Notes\n"]
    for k in range(1, 41):
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 45))]
        at = rng.randint(2, 6)
        text += [" ".join(words[:at]).capitalize() + f"[^n{k}] " + " ".join(words[at:]) + ".",
                 f"[^n{k}]: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))]
    book = write_book(tmp_path / "book", {"01.md": "\n\n".join(text) + "\n"},
                      "title: Kept\nlanguage: en\nauthor: A. W.\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=True,
                                           formats=("pdf",), source_date_epoch=EPOCH))
    pdf = report.artifact("pdf")
    assert report.exit_code == 0 and pdf.written, pdf.check.messages
    pages = Pdf(pdf.path)
    assert sum(len(n) for n in pages.footnotes) == 40
    for label, refs, entries in zip(pages.labels, pages.references, pages.footnotes):
        assert refs == entries, f"page {label}: marks {refs}, notes {entries}"
