"""The book's design in both media, measured: the PDF's glyphs as PDFium
places them (positions, sizes, fonts) and the EPUB's markup, for one small
book with every display style, built once per theme for the whole module."""

from __future__ import annotations

import ctypes
import statistics

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from bookbuild import BuildOptions, build_book
from conftest import NS, Epub, write_book

CHAPTER = """\
# The Opening

The first paragraph after the heading, long enough to run over several lines of
the page so that its second line shows where the text block starts.[^a][^b]

The second paragraph, indented as every paragraph after another one is, which
is how a book tells paragraphs apart without space between them.[^c]
"""
NOTES = """
[^a]: The author's note.
[^b]: A citation's note, long enough to run over to a second line of the notes so
    that the second line shows whether the text hangs clear of its number.
[^c]: A third note.
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The book built in each theme: (EPUB, PDF) per theme; EPUBCheck on the classic."""
    root = write_book(tmp_path_factory.mktemp("design"), {"one.md": CHAPTER + NOTES})
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "xdg-cache"))
        for theme in ("classic", "modern"):
            report = build_book(root, BuildOptions(
                out_dir=root / theme, check=theme == "classic", source_date_epoch=1700000000,
                formats=("pdf", "epub"), theme=theme))
            assert report.exit_code == 0, [a.check for a in report.artifacts]
            built[theme] = (Epub(report.artifact("epub").path),
                            pdfium.PdfDocument(report.artifact("pdf").path))
    yield built
    for _, pdf in built.values():
        pdf.close()


def glyphs(pdf, needle: str) -> tuple[int, list[tuple[str, float, tuple, str]]]:
    """The page holding ``needle`` and its characters: (char, size, box, font)."""
    for index in range(len(pdf)):
        textpage = pdf[index].get_textpage()
        if needle in textpage.get_text_range():
            font, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            chars = []
            for k in range(textpage.count_chars()):
                raw.FPDFText_GetFontInfo(textpage.raw, k, font, 256, ctypes.byref(flags))
                chars.append((chr(raw.FPDFText_GetUnicode(textpage.raw, k)),
                              raw.FPDFText_GetFontSize(textpage.raw, k), textpage.get_charbox(k),
                              font.value.decode("latin-1")))
            return index, chars
    raise AssertionError(f"{needle!r} is on no page")


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_two_note_marks_at_one_place_are_kept_apart(books, theme):
    epub, pdf = books[theme]
    chapter = next(n for n in epub.chapters() if "one" in n)
    sups = epub.xml(chapter).findall(".//h:p/h:sup", NS)
    assert ["".join(s.itertext()) for s in sups] == ["1,", "2", "3"]
    # In print: the raised characters of the text, as read: "1", ",", "2", then "3".
    _, chars = glyphs(pdf, "The first paragraph")
    body_size = statistics.mode(round(size, 1) for _, size, _, _ in chars)
    raised = [c for c, size, box, _ in chars if size < 0.7 * body_size and c.strip()
              and box[1] > 200]  # above the footnotes at the foot
    assert raised == ["1", ",", "2", "3"]


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_notes_hang_from_light_numbers(books, theme):
    epub, pdf = books[theme]
    css = epub.files["EPUB/css/style.css"].decode() if "EPUB/css/style.css" in epub.files else \
        next(v.decode() for k, v in epub.files.items() if k.endswith(".css"))
    rule = css[css.index("a.note-number {"):]
    rule = rule[:rule.index("}")]
    assert "font-weight: normal" in rule and "text-decoration: none" in rule
    assert "color: inherit" in rule
    # In print, the second line of a note starts where its first line's text does,
    # clear of the number.
    _, chars = glyphs(pdf, "A citation")
    text = "".join(c for c, _, _, _ in chars)
    first = text.index("A citation")
    second = text.index("that the second line")
    line_start = second
    while text[line_start - 1] not in "\r\n":
        line_start -= 1
    number_left = chars[text.rindex("2", 0, first)][2][0]
    assert abs(chars[first][2][0] - chars[line_start][2][0]) < 0.5
    assert chars[first][2][0] - number_left > 5
