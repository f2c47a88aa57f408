"""Round trips: books set in print (a PDF made with Typst, or a text extraction
of their pages) are imported and compared with their sources, paragraph by
paragraph, note by note (its text and where its reference stands), italics
and headings. The default run covers every layout once; CI's long step
(``BOOKBUILD_IMPORT_LONG=1``) imports 100-chapter books in every layout and
language."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
import typst
from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.importer import columns, import_book, pdfread, pdfsource
from bookbuild.pandoc import read_markdown

from conftest import PROJECT
from pdfgen.compare import Errors, compare, inline_text
from pdfgen.layout import COLUMNS, DROP_CAPS, LAYOUTS, MARGIN, PER_PAGE, SUPERIORS, Layout
from pdfgen.model import Book, generate
from pdfgen.roundtrip import import_printed
from pdfgen.sample import sample_book
from pdfgen.typstbook import make_pdf, typst_source

LONG = os.environ.get("BOOKBUILD_IMPORT_LONG") == "1"
#: The sources that show where pages break and paragraphs start: the PDF, and
#: an extraction that keeps the printed lines, indents and page ends. (An
#: extraction with a paragraph a line and nothing of the page, like the seed,
#: cannot tell a page that breaks between two sentences of a paragraph from
#: one that breaks between paragraphs; bench/import_accuracy.py measures it.)
STYLES = ("pdf", "wrapped")


def round_trip(book: Book, layout: Layout, style: str, tmp: Path) -> Errors:
    book_dir = import_printed(book, layout, style, tmp)
    assert_flags_placed(book_dir)
    return compare(book, book_dir)


def assert_flags_placed(book_dir: Path) -> None:
    """Every flag of the report names the source place, the output file and
    line, what was decided, and a confidence."""
    report = (book_dir / "import-report.md").read_text(encoding="utf-8")
    flags = report.split("## To check", 1)[1].strip().splitlines()
    for flag in flags:
        if flag.startswith("Nothing"):
            continue
        m = re.match(r"- source (\d+|p\. \d+ l\. \d+) → (\S+?)(?::(\d+))?: (.+) "
                     r"\(confidence (0\.\d|1\.0)\)$", flag)
        assert m, flag
        file = m.group(2)
        if file.endswith(".md"):
            lines = (book_dir / file).read_text(encoding="utf-8").splitlines()
            assert 1 <= int(m.group(3)) <= len(lines), flag


def imported_chapter(source: Path, out: Path) -> Path:
    """The first chapter file of the import of the PDF Typst sets from ``source``
    (written beside it, as ``source`` with ".pdf")."""
    typst.compile(str(source), output=str(source.with_suffix(".pdf")))
    import_book(source.with_suffix(".pdf"), out)
    chapter, = (out / "manuscript").glob("01-*.md")
    return chapter


def imported_paragraphs(source: Path, out: Path, note=str) -> list[str]:
    """The text of each paragraph of the chapter imported from ``source``
    (``imported_chapter``), its spaces made single, a note as ``note`` writes it."""
    chapter = imported_chapter(source, out)
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    return [" ".join(inline_text(b["c"], note).split()) for b in blocks if b["t"] == "Para"]


def assert_exact(errors: Errors) -> None:
    assert (errors.paragraph_errors, errors.note_errors, errors.heading_errors) == (0, 0, 0), \
        "\n".join(errors.examples)
    assert errors.paragraphs and errors.notes


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_every_layout_comes_back_whole(layout, style, tmp_path):
    assert_exact(round_trip(generate(3, chapters=3), layout, style, tmp_path))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", ["de", "fr"])
def test_german_and_french_with_notes_per_page_and_running_heads(language, style, tmp_path):
    book = generate(5, chapters=3, language=language)
    assert_exact(round_trip(book, PER_PAGE, style, tmp_path))
    yaml = (tmp_path / "out" / "book.yaml").read_text(encoding="utf-8")
    assert f"language: {language}\n" in yaml
    assert f"name: {book.front.translator}\n  role: translator" in yaml
    assert f"publisher: {book.front.publisher}\n" in yaml
    copyright_page = (tmp_path / "out" / "manuscript" / "00b-copyright.md").read_text("utf-8")
    assert book.front.isbn in copyright_page
    for line in book.front.print_only:
        assert line not in copyright_page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_numbered_margin_notes_come_back_on_their_references(language, tmp_path):
    """Rule "margin notes" (a Tufte layout): notes numbered like footnotes,
    set smaller in the outer margin (right on a recto, left on a verso) beside
    their reference's line or pushed off it by the notes around, come back
    each bound to its reference with its text, and no word of the margin in
    the text's paragraphs nor of the text in the notes."""
    book = generate(3, chapters=3, language=language, long_notes=0)
    assert_exact(round_trip(book, MARGIN, "pdf", tmp_path))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_drop_caps_open_their_paragraphs_and_cut_no_lines(language, tmp_path):
    """Rule "drop capital" on Typst's PDF: a chapter's first letter two lines
    tall, its first two lines beside it, comes back as the first letter of
    its paragraph's first word, the lines beside it neither a paragraph of
    their own nor a heading."""
    book = generate(4, chapters=3, language=language)
    assert typst_source(book, DROP_CAPS).count("\n#drop-cap(") == 2
    assert_exact(round_trip(book, DROP_CAPS, "pdf", tmp_path))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_notes_referred_to_by_the_fonts_superior_figures_come_back(language, tmp_path):
    """Rule "superior figures" on Typst's default: references and labels set
    in the font's own superior figures (the text's size, on its baseline)
    come back each bound to its note, as smaller raised digits do."""
    book = generate(6, chapters=3, language=language)
    assert "typographic" not in typst_source(book, SUPERIORS)
    assert_exact(round_trip(book, SUPERIORS, "pdf", tmp_path))


def test_a_book_with_more_words_in_its_notes_than_in_its_text_comes_back(tmp_path):
    """Rule "text above its notes": the text's type size is read above each
    page's note rule, so a book whose notes hold more characters than its
    text does not take its notes' size for the text's (every paragraph, set
    larger than that, read as a heading: 26 of 26 were)."""
    book = generate(20, chapters=3, paragraphs=(3, 6), notes=0.6)
    errors = round_trip(book, PER_PAGE, "pdf", tmp_path)
    sizes: dict[float, int] = {}
    with pdfread.Reading(tmp_path / "book.pdf") as pdf:
        for page in pdf.pages(pdfsource._font_style):
            for glyph in page.glyphs:
                sizes[round(glyph.size, 1)] = sizes.get(round(glyph.size, 1), 0) + 1
    note_size, text_size = sorted(sizes, key=sizes.get, reverse=True)[:2]
    assert note_size < text_size  # the notes' size is the most common one
    assert_exact(errors)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_columns_come_back_in_reading_order_with_their_notes(language, tmp_path):
    """Rule "text set in columns" on Typst's PDF: the chapters in two columns
    (the title over both, each column's footnotes under it, running heads
    and a centred folio) come back in reading order, paragraphs running on
    from a left column to the right one and from a page to the next whole,
    every note on its reference."""
    book = generate(3, chapters=3, language=language)
    assert_exact(round_trip(book, COLUMNS, "pdf", tmp_path))
    within, across = column_breaks(tmp_path / "book.pdf")
    assert within and across  # the book holds the breaks the rule is for


def test_notes_under_both_columns_come_back_on_their_references(tmp_path):
    """Rule "text set in columns", its notes set the page's width under both
    columns (Typst's ``columns`` function, as LaTeX's ftnright and dblfnote
    packages do in their ways): paragraphs running on from column to column
    and page to page come back whole, each note on its reference."""
    sentence = "The keeper wrote every evening in the ledger while storm and fog kept ships away. "
    paragraphs = [sentence * 6 + "Oil", sentence * 9 + "Wicks", sentence * 24 + "Glass",
                  sentence * 8 + "Red ink"]
    notes = ["Whale oil, until 1870, a note long enough to run the width of the page and on.",
             "Cotton wicks.", "Crown glass."]
    body = "\n\n".join(p + (f".#footnote[{n}]" if n else ".")
                        for p, n in zip(paragraphs, [*notes, None]))
    source = tmp_path / "across.typ"
    source.write_text(
        '#set page(width: 17cm, height: 19cm, margin: (top: 2.2cm, bottom: 2.2cm, x: 1.8cm), '
        'footer: context align(center, counter(page).display()))\n'
        '#set text(lang: "en", size: 10pt)\n'
        "#set par(justify: true, first-line-indent: 1em, spacing: 0.65em)\n"
        "#set super(typographic: false)\n"
        f"= The Lights\n\n#columns(2)[\n{body}\n]\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "across.pdf"))
    within, across = column_breaks(tmp_path / "across.pdf")
    assert within and across
    import_book(tmp_path / "across.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    text = chapter.read_text(encoding="utf-8")
    blocks = read_markdown(text).doc["blocks"]
    got = [" ".join(inline_text(b["c"], lambda note: "^").split())
           for b in blocks if b["t"] == "Para"]
    assert got == [" ".join(p.split()) + (".^" if n else ".")
                   for p, n in zip(paragraphs, [*notes, None])]
    for n, note in enumerate(notes, start=1):
        assert f"[^{n}]: {note}\n" in text


def column_breaks(pdf: Path) -> tuple[int, int]:
    """How many paragraphs of a PDF in COLUMNS run on from a left column to
    the right one, and from a right column to the next page: the line before
    the break full to its column's edge (within half an em: Typst hangs a
    hyphen or a stop past it), the line after it not indented (the
    text block is the page less 2.2 cm top and bottom: running heads and folios
    stand outside it, and notes are smaller)."""
    with pdfread.Reading(pdf) as reading:
        pages = [(page, pdfsource._page_rows(page.glyphs, page.number))
                 for page in reading.pages(pdfsource._font_style)]
    parts = [(page.number, [r for r in rows if r.size == 10 and 62 <= r.top < page.height - 62])
             for page, rows, *_ in columns.read_in_columns(pages, pdfsource._page_rows)]
    within = across = 0
    for (page, before), (next_page, after) in zip(parts, parts[1:]):
        if before and after and before[-1].x1 >= max(r.x1 for r in before) - 5 \
                and after[0].x0 <= min(r.x0 for r in after) + 1:
            within += page == next_page
            across += page != next_page
    return within, across


@pytest.mark.parametrize("style", STYLES)
def test_the_sample_book_comes_back_whole(style, tmp_path):
    assert_exact(round_trip(sample_book(PROJECT), LAYOUTS[0], style, tmp_path))


def test_the_sample_books_own_print_edition_comes_back_whole(tmp_path):
    """bookbuild's print edition (`--format pdf`) imported again: the sample
    book whole, its note referred to twice included."""
    built = build_book(PROJECT, BuildOptions(out_dir=tmp_path / "dist", formats=("pdf",),
                                             check=False))
    import_book(built.artifact("pdf").path, tmp_path / "out")
    assert_flags_placed(tmp_path / "out")
    take_the_sources_reading_of_doubtful_hyphens(tmp_path / "out")
    errors = compare(sample_book(PROJECT), tmp_path / "out")
    assert_exact(errors)
    yaml = (tmp_path / "out" / "book.yaml").read_text(encoding="utf-8")
    assert "title: Notes from the Margin\n" in yaml and "name: Lev Perov" in yaml


def take_the_sources_reading_of_doubtful_hyphens(book_dir: Path) -> None:
    """A line-end hyphen between two words of their own ("some-/where") is the
    word's or the typesetter's, and the book alone cannot always say: the
    report flags each such decision as doubtful. There, and nowhere else, the
    imported text takes the author's reading (the manuscript's), so that the
    rest is still held to be exact."""
    report = (book_dir / "import-report.md").read_text(encoding="utf-8")
    source = " ".join(p.read_text(encoding="utf-8") for p in (PROJECT / "manuscript").glob("*.md"))
    for m in re.finditer(r"→ (\S+?):\d+: the hyphen at a line break was (kept|taken out) "
                         r"\('(\w+)' and '(\w+)' are words of their own", report):
        file, kept, left, right = book_dir / m.group(1), m.group(2) == "kept", m.group(3), \
            m.group(4)
        printed, other = (f"{left}-{right}", f"{left}{right}") if kept \
            else (f"{left}{right}", f"{left}-{right}")
        if re.search(rf"\b{other}\b", source) and not re.search(rf"\b{printed}\b", source):
            text = file.read_text(encoding="utf-8")
            file.write_text(re.sub(rf"\b{printed}\b", other, text, count=1), encoding="utf-8")


def test_a_listing_over_a_page_break_comes_back_as_one_code_block(tmp_path):
    """Rule "code listing" on a PDF Typst set: a raw block in its fixed-pitch
    face, long enough to run over the page, with indents, a blank line and
    a lone closing brace, comes back as printed in one fenced block."""
    code = ["def ledger(days):", "    total = 0"]
    code += [f"    {'    ' * (n % 3)}total += days[{n}]  # day {n}" for n in range(40)]
    code += ["", "    return total", "}"]
    source = tmp_path / "listing.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n#set text(lang: "en")\n'
        "= The Keeper's Ledger\n\nThe keeper added the days of oil in a small program of "
        "his own, which the inspectors read twice each year:\n\n```\n" + "\n".join(code)
        + "\n```\n\nThey praised the careful slow hand of the second private book.\n",
        encoding="utf-8")
    chapter = imported_chapter(source, tmp_path / "out")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    assert [b["c"][1] for b in blocks if b["t"] == "CodeBlock"] == ["\n".join(code)]
    assert blocks[-1]["t"] == "Para"


def test_a_page_that_ends_short_ends_its_paragraph_however_full_its_last_line(tmp_path):
    """Rule "page ends short" on a PDF Typst set: the book's last paragraph,
    its last line set full, ends a page whose text stops half way down; the
    colophon on the next page, set at the margin, is a paragraph of its own.
    A paragraph that fills its page to the foot still runs on."""
    running = "The keeper wrote every evening in the ledger while storm and fog kept " * 14
    last = "The inspectors visited twice each year and signed the ledger in red ink " * 3
    colophon = "Set in the harbour office from the ledgers of the keeper by the second hand."
    source = tmp_path / "short.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n'
        '#set text(lang: "en", size: 10pt)\n#set par(justify: true, first-line-indent: 1em)\n'
        f"= The Lights\n\n{running * 2}away.\n\n{last}#linebreak(justify: true)\n"
        f"#pagebreak()\n#[#set par(first-line-indent: 0pt)\n{colophon}]\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "short.pdf"))
    assert len(pypdfium2.PdfDocument(tmp_path / "short.pdf")) == 3  # the last one runs over
    import_book(tmp_path / "short.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    texts = [" ".join(inline_text(b["c"], str).split()) for b in blocks if b["t"] == "Para"]
    assert texts == [" ".join((running * 2 + "away.").split()), " ".join(last.split()), colophon]


@pytest.mark.parametrize("noted", [True, False], ids=["notes next", "no notes next"])
def test_a_page_left_short_for_a_line_taken_on_with_its_note_runs_on(noted, tmp_path):
    """Rule "page ends short", its exception: a page whose text stops half way
    down, its last line set full, followed by a page with notes, was left
    short because a line went on to the next page with its note: its
    paragraph runs on into that page's first line, set at the margin.
    Without the notes the same page ends its paragraph. The full pages after
    the two set the text's foot."""
    opening = "The keeper wrote every evening in the ledger while storm and fog kept " * 5
    rest = "the boats in the harbour{0} until the spring tides came back. " * 3
    full = "The inspectors visited twice each year and signed the ledger in red ink. " * 90
    note = "#footnote[The harbour log of that winter is lost.]" if noted else ""
    source = tmp_path / "left-short.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n'
        '#set text(lang: "en", size: 10pt)\n#set par(justify: true, first-line-indent: 1em)\n'
        f"= The Lights\n\n{opening}#linebreak(justify: true)\n#pagebreak()\n"
        f"#[#set par(first-line-indent: 0pt)\n{rest.format(note)}]\n\n{full}\n", encoding="utf-8")
    texts = imported_paragraphs(source, tmp_path / "out", lambda _: "[n]")
    opening, rest = " ".join(opening.split()), " ".join(rest.format("[n]" * noted).split())
    assert texts == ([f"{opening} {rest}"] if noted else [opening, rest]) \
        + [" ".join(full.split())]


def test_a_gloss_in_the_margin_is_a_block_of_its_own_after_its_paragraph(tmp_path):
    """Rule "margin notes", unnumbered: a gloss set small in the outer margin
    beside the middle lines of a paragraph stays in the text as a block of
    its own after that paragraph, which comes back whole and without it."""
    gloss = "Keepers of the northern lights"
    first = "The keeper wrote every evening in the ledger while storm and fog kept " * 6
    second = "The inspectors visited twice each year and signed the ledger in red."
    source = tmp_path / "gloss.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, margin: (top: 2.2cm, bottom: 2.2cm, '
        'inside: 1.5cm, outside: 4.6cm), numbering: "1", foreground: context {\n'
        '  for m in query(<gloss>).filter(m => m.location().page() == here().page()) {\n'
        '    place(top + left, dx: page.width - 4.2cm, dy: m.location().position().y - 7pt,\n'
        '          block(width: 3.4cm, text(size: 8pt, m.value))) } })\n'
        '#set text(lang: "en", size: 10pt)\n#set par(justify: true, first-line-indent: 1em)\n'
        f"= The Lights\n\n{first * 2}#metadata[{gloss}]<gloss>{first}ships away.\n\n"
        f"{second}\n", encoding="utf-8")
    texts = imported_paragraphs(source, tmp_path / "out")
    assert texts == [" ".join((first * 3 + "ships away.").split()), gloss, second]


def test_notes_referred_to_at_one_place_come_back_as_two_references(tmp_path):
    """Rule "several references at one place" on a PDF Typst set: two notes
    referred to at one place, their numbers parted by a raised comma ("2,3",
    as Chicago's style sets them), are two references, each bound to its
    note; a note referred to alone beside them is still one."""
    source = tmp_path / "side.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n#set text(lang: "en")\n'
        "#set super(typographic: false)\n"  # raised digits, as most faces set them
        "= The Keeper's Ledger\n\nThe keeper ordered oil.#footnote[Whale oil, until 1870.] "
        "He ordered wicks and mantles as well.#footnote[Cotton wicks.]#super[,]"
        "#footnote[Incandescent mantles came later.] The inspectors signed the ledger.\n",
        encoding="utf-8")
    chapter = imported_chapter(source, tmp_path / "out")
    text = chapter.read_text(encoding="utf-8")
    assert "oil.[^1] He ordered wicks and mantles as well.[^2][^3] The inspectors" in text
    for n, note in enumerate(("Whale oil, until 1870.", "Cotton wicks.",
                              "Incandescent mantles came later."), start=1):
        assert f"[^{n}]: {note}\n" in text


def test_superior_figures_are_raised_and_the_texts_figures_are_not(tmp_path):
    """Rule "superior figures" on a PDF Typst set with its default
    superscripts: the reference and the note's label (the font's superior
    figures, at the text's size on its baseline), a superscript digit
    character and an exponent are raised; the digits of a year, a
    temperature and an ordinal, a fraction's numerator (drawn as a superior
    is), a degree sign and an apostrophe are not;
    the reference is bound to its note and the exponent, bound to none,
    stays a superscript."""
    source = tmp_path / "sups.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, numbering: "1")\n#set text(lang: "en")\n'
        "= The Keeper's Ledger\n\nThe keeper bought oil in 1984 at 20°C,#footnote[Whale oil.] "
        "it's the 1st and n° 4 of the area x#super[3] there, and the last² time, "
        '#text(features: ("frac",))[1/2] a gallon.\n',
        encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "sups.pdf"))
    with pdfread.Reading(tmp_path / "sups.pdf") as pdf:
        page = list(pdf.pages(lambda font: (False, False)))[-1]
    raised = "".join(g.text for g in page.glyphs if g.superior)
    assert raised == "13²1", raised  # the reference, the exponent, "²", the note's label
    assert sum(g.text.isdigit() for g in page.glyphs if not g.superior) >= 8
    import_book(tmp_path / "sups.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    text = chapter.read_text(encoding="utf-8")
    assert "in 1984 at 20°C,[^1] it’s the 1st and n° 4 of the area x³ there" in text
    assert " time, 1/2 a gallon." in text
    assert "[^1]: Whale oil.\n" in text


def test_import_accepts_a_pdf_from_the_command_line(tmp_path):
    pdf = make_pdf(generate(9, chapters=2), LAYOUTS[0], tmp_path / "book.pdf")
    result = CliRunner().invoke(main, ["import", str(pdf), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "2 chapters" in result.output
    title_page = (tmp_path / "out" / "manuscript" / "00a-title-page.md").read_text("utf-8")
    assert title_page.startswith("# ") and "::: subtitle" in title_page \
        and "::: credit" in title_page and "::: publisher" in title_page


def test_a_file_that_is_not_a_pdf_is_one_clear_error(tmp_path):
    bad = tmp_path / "book.pdf"
    bad.write_text("not a pdf")
    result = CliRunner().invoke(main, ["import", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "book.pdf" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_folio_in_the_outer_margin_is_furniture_not_a_gloss(tmp_path):
    """Running heads and page numbers are looked for before the margin's
    lines are taken apart (rule "margin notes"): a folio set in the outer
    margin, beside the foot of the text block, is the page's furniture, not
    a gloss, and no page's number comes back as text."""
    paragraph = "The keeper wrote every evening in the ledger while storm and fog kept " * 5
    source = tmp_path / "folio.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm, margin: (top: 2.2cm, bottom: 2.2cm, '
        'inside: 1.5cm, outside: 4.6cm), footer: context {\n'
        '  let outer = if calc.odd(here().page()) { right } else { left }\n'
        '  let dx = if calc.odd(here().page()) { 3cm } else { -3cm }\n'
        '  align(outer, move(dx: dx, counter(page).display())) })\n'
        '#set text(lang: "en", size: 10pt)\n#set par(justify: true, first-line-indent: 1em)\n'
        "= The Lights\n\n" + "\n\n".join(f"{paragraph}ships away {n}." for n in range(12))
        + "\n", encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "folio.pdf"))
    with pdfread.Reading(tmp_path / "folio.pdf") as pdf:
        assert len(list(pdf.pages(lambda font: (False, False)))) >= 4
    import_book(tmp_path / "folio.pdf", tmp_path / "out")
    chapter, = (tmp_path / "out" / "manuscript").glob("01-*.md")
    blocks = read_markdown(chapter.read_text(encoding="utf-8")).doc["blocks"]
    texts = [" ".join(inline_text(b["c"], str).split()) for b in blocks if b["t"] == "Para"]
    assert texts == [" ".join(f"{paragraph}ships away {n}.".split()) for n in range(12)]


if LONG:  # CI's long step (.ci/run): not collected in the default run
    LANGUAGES = ("en", "de", "fr")

    @pytest.mark.parametrize("style", STYLES)
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_100_chapter_book_in_every_layout(language, style, tmp_path):
        """Every layout once from each source style, the languages taking the
        layouts in turn (each language meets a third of them per style): the
        languages differ in words, hyphenation and front matter, not in layout."""
        book = generate(11, chapters=100, paragraphs=(3, 6), notes=0.6, language=language)
        assert book.notes > 300
        turn = LANGUAGES.index(language)
        for n, layout in enumerate(LAYOUTS + (PER_PAGE,)):
            if (n + STYLES.index(style)) % len(LANGUAGES) == turn:
                assert_exact(round_trip(book, layout, style, tmp_path / str(n)))

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_100_chapter_book_with_margin_notes_and_drop_caps(language, tmp_path):
        """The layouts of a PDF only (a text extraction sets the margin's
        lines anywhere among the text's, a drop cap anywhere on its line), in
        every language, with notes sparse enough for every page's to fit in
        its margin."""
        book = generate(13, chapters=100, paragraphs=(3, 6), notes=0.3, language=language,
                        long_notes=0)
        assert book.notes > 150
        layout = replace(MARGIN, drop_caps=True)
        assert typst_source(book, layout).count("\n#drop-cap(") > 20
        assert_exact(round_trip(book, layout, "pdf", tmp_path))


def test_a_character_past_the_basic_plane_comes_back_as_itself(tmp_path):
    """PDFium gives a character beyond U+FFFF (a mathematical script letter,
    as a logic textbook's title sets it) in two UTF-16 halves: they are read
    as the one character, so the heading matches its outline entry and the
    chapter file can be written (a half alone stopped the import with a bug)."""
    source = tmp_path / "astral.typ"
    source.write_text(
        '#set page(width: 13cm, height: 19cm)\n= The Ledger of 𝓍\n\nThe keeper wrote of '
        '#text(font: "New Computer Modern Math")[𝓍] and of the sea every evening.\n',
        encoding="utf-8")
    chapter = imported_chapter(source, tmp_path / "out")
    assert chapter.read_text(encoding="utf-8") \
        == "# The Ledger of 𝓍\n\nThe keeper wrote of 𝓍 and of the sea every evening.\n"
    assert pdfread._astral("\ud835", "a") == pdfread._astral("\udccd", "") == pdfread.UNMAPPED
