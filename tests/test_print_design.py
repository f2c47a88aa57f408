"""The book's design in both media, measured: the PDF's glyphs as PDFium
places them (positions, sizes, fonts) and the EPUB's markup, for one small
book with every display style, built once per theme for the whole module."""

from __future__ import annotations

import ctypes
import statistics

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from conftest import NS, Epub, write_book

CHAPTER = """\
# The Opening

::: epigraph
> Say it once in full; after that, a nod will do.

::: attribution
A proverb
:::
:::

The first paragraph after the heading, long enough to run over several lines of
the page so that its second line shows where the text block starts.[^a][@knuth84]

The second paragraph, indented as every paragraph after another one is, which
is how a book tells paragraphs apart without space between them.[^c]

## A Section

After a section heading no indent either, and the sentence runs long enough to
take a second line of the page, and a third where the type is wide.

***

After a scene break the text starts flush again, and this sentence too runs long
enough to take a second line of the page, and a third where the type is wide.

| Set the text, then set the note,
|     small beneath the rule;

| Reading system | Where a note opens, in a heading long enough to wrap | Way back |
|----------------|--------------------|-------------------|
| Phone app      | a pop-up over the text, which the reader dismisses with a tap outside it, wherever that is | tap outside it |

```python
def note(number):  # a comment
    return f"<sup>{number}</sup>"
```

### A Detail

The way back → to the text, drawn from a face that has the arrow.
"""
NOTES = """
[^a]: The author's note.
[^c]: A third note, long enough to run over to a second line of the notes so
    that the second line shows whether the text hangs clear of its number.
"""
BIBLIOGRAPHY = """\
@book{knuth84,
  author = {Donald E. Knuth},
  title = {The {\\TeX}book: A Complete Guide to Computer Typesetting with {\\TeX}, Being
           Volume A of Computers and Typesetting, Set at Length},
  publisher = {Addison-Wesley},
  year = {1984}
}
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The book built in each theme: (EPUB, PDF) per theme; EPUBCheck on the classic."""
    root = write_book(tmp_path_factory.mktemp("design"), {"one.md": CHAPTER + NOTES},
                      "title: Design\nlanguage: en\nauthor: A. Writer\nbibliography: refs.bib\n")
    (root / "refs.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
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
    """The page holding ``needle`` and its characters: (char, size, ink box, font,
    origin x: where the pen stood, the same for every letter, unlike the ink)."""
    for index in range(len(pdf)):
        textpage = pdf[index].get_textpage()
        if needle in textpage.get_text_range():
            font, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            x, y = ctypes.c_double(), ctypes.c_double()
            chars = []
            for k in range(textpage.count_chars()):
                raw.FPDFText_GetFontInfo(textpage.raw, k, font, 256, ctypes.byref(flags))
                raw.FPDFText_GetCharOrigin(textpage.raw, k, ctypes.byref(x), ctypes.byref(y))
                chars.append((chr(raw.FPDFText_GetUnicode(textpage.raw, k)),
                              raw.FPDFText_GetFontSize(textpage.raw, k), textpage.get_charbox(k),
                              font.value.decode("latin-1"), x.value))
            return index, chars
    raise AssertionError(f"{needle!r} is on no page")


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_two_note_marks_at_one_place_are_kept_apart(books, theme):
    epub, pdf = books[theme]
    chapter = next(n for n in epub.chapters() if "one" in n)
    sups = epub.xml(chapter).findall(".//h:p//h:sup", NS)
    assert ["".join(s.itertext()) for s in sups] == ["1,", "2", "3"]
    # In print: the raised characters of the text, as read: "1", ",", "2", then "3".
    _, chars = glyphs(pdf, "The first paragraph")
    body_size = statistics.mode(round(size, 1) for _, size, *_ in chars)
    raised = [c for c, size, box, *_ in chars if size < 0.7 * body_size and c.strip()
              and box[1] > 200]  # above the footnotes at the foot
    assert raised == ["1", ",", "2", "3"]


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_notes_hang_from_light_numbers(books, theme):
    epub, pdf = books[theme]
    css = epub.files["EPUB/styles/book.css"].decode()
    rule = css[css.index("a.note-number {"):]
    rule = rule[:rule.index("}")]
    assert "font-weight: normal" in rule and "text-decoration: none" in rule
    assert "color: inherit" in rule
    # In print, the second line of a note starts where its first line's text does,
    # clear of the number.
    _, chars = glyphs(pdf, "A third note")
    text = "".join(c for c, *_ in chars)
    first = text.index("A third note")
    number_left = chars[text.rindex("3", 0, first)][2][0]
    assert abs(chars[first][4] - chars[line_start_after(chars, first)][4]) < 0.5
    assert chars[first][2][0] - number_left > 5


#: The sample's page (book.yaml's defaults): 5.5 x 8.5 in, margins inside 0.8 in, outside 0.6 in.
WIDTH, INSIDE, OUTSIDE = 5.5 * 72, 0.8 * 72, 0.6 * 72


def measure(index: int) -> tuple[float, float]:
    """The text block's left and right edges on page ``index`` (0-based: even is a recto)."""
    left = INSIDE if index % 2 == 0 else OUTSIDE
    return left, WIDTH - (OUTSIDE if index % 2 == 0 else INSIDE)


def line_start_after(chars, start: int) -> int:
    """The index of the first character on the line after the one holding ``start``."""
    k = start
    while chars[k][0] != "\n":
        k += 1
    return k + 1


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_no_indent_after_headings_and_breaks_and_an_indent_between_paragraphs(books, theme):
    _, pdf = books[theme]
    for phrase, indent in [("The first paragraph", 0), ("The second paragraph", 1),
                           ("After a section heading", 0), ("After a scene break", 0)]:
        _, chars = glyphs(pdf, phrase)
        at = "".join(c for c, *_ in chars).index(phrase)
        shift = chars[at][4] - chars[line_start_after(chars, at)][4]
        assert (shift > 8) if indent else abs(shift) < 0.5, (phrase, shift)


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_the_chapters_first_line_as_the_theme_sets_it(books, theme):
    """The first line of the paragraph after the title and its epigraph in small
    capitals in classic, every letter one height, to the text block's right
    edge; the second line plain, ascenders over the rest. Modern makes the
    line bold after the title alone, as its stylesheet does (h1 + p), so here
    it is plain."""
    index, chars = glyphs(books[theme][1], "The first paragraph")
    at = "".join(c for c, *_ in chars).index("The first paragraph") + 1  # past the capital
    second = line_start_after(chars, at)

    def heights(start: int, end: int) -> list[float]:
        return [box[3] - box[1] for c, _, box, *_ in chars[start:end] if c.islower()]

    first_line, next_line = heights(at, second), heights(second, line_start_after(chars, second))
    assert max(next_line) - min(next_line) > 1.5
    spread = max(first_line) - min(first_line)
    assert spread < 0.2 if theme == "classic" else spread > 1.5, (theme, spread)
    if theme == "classic":
        last = max(box[2] for c, _, box, *_ in chars[at:second] if c.strip())
        assert abs(last - measure(index)[1]) < 2.5, last


def test_the_themes_set_two_different_books(books):
    fonts = {}
    for theme, pdf in books.items():
        index, chars = glyphs(pdf[1], "The first paragraph")
        text = "".join(c for c, *_ in chars)
        fonts[theme] = chars[text.index("The first paragraph")][3]
        heading = chars[text.index("The Opening")][2]
        left, right = measure(index)
        # Classic centres the chapter's title, modern sets it flush left.
        offset = heading[0] - left
        assert (offset > 40) if theme == "classic" else offset < 0.5, (theme, offset)
    assert "Serif" in fonts["classic"] and "Sans" in fonts["modern"], fonts


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_display_styles_in_print(books, theme):
    _, pdf = books[theme]
    index, chars = glyphs(pdf, "Reading system")
    text = "".join(c for c, *_ in chars)
    left, right = measure(index)
    # The table within the measure, its long cells wrapped, and no column rules.
    table = [box for c, _, box, *_ in chars[text.index("Reading system"):text.index("def note")]
             if c.strip()]
    assert min(b[0] for b in table) >= left - 0.5 and max(b[2] for b in table) <= right + 0.5
    page = pdf[index]
    rules = [obj.get_bounds() for obj in page.get_objects() if obj.type == raw.FPDF_PAGEOBJ_PATH]
    assert rules and not [r for r in rules if r[2] - r[0] < 1 and r[3] - r[1] > 4], rules
    # Code: every character black, set off from the text above it by space.
    textpage = page.get_textpage()
    start = text.index("def note")
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    colours = set()
    for k in range(start, text.index("</sup>") + 6):
        raw.FPDFText_GetFillColor(textpage.raw, k, *(ctypes.byref(v) for v in (r, g, b, a)))
        colours.add((r.value, g.value, b.value))
    assert colours == {(0, 0, 0)}, colours
    # Verse: set in from the text, the poet's indent kept.
    verse = chars[text.index("Set the text")][2][0] if "Set the text" in text else None
    if verse is not None:
        assert verse - left > 10
        assert chars[text.index("small beneath")][2][0] - verse > 10


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_epigraph_attribution_on_its_own_line_set_right(books, theme):
    _, pdf = books[theme]
    index, chars = glyphs(pdf, "A proverb")
    text = "".join(c for c, *_ in chars)
    quote, source = chars[text.index("Say it once")][2], chars[text.index("A proverb")][2]
    last = chars[text.index("A proverb") + len("A proverb") - 1][2]
    assert source[3] < quote[1]  # below the quotation's line
    assert abs(last[2] - measure(index)[1]) < 1  # flush with the text block's right edge


def test_the_bibliography_hangs(books):
    for _, pdf in books.values():
        _, chars = glyphs(pdf, "Knuth, Donald")
        text = "".join(c for c, *_ in chars)
        at = text.index("Knuth, Donald")
        assert chars[line_start_after(chars, at)][4] - chars[at][4] == pytest.approx(20, abs=0.5)


def test_contents_two_levels_with_leaders_a_space_after_the_title(books):
    for theme, (epub, pdf) in books.items():
        _, chars = glyphs(pdf, "Contents")
        text = "".join(c for c, *_ in chars)
        assert "A Section" in text and "A Detail" not in text, theme
        assert "A Detail" not in "".join(epub.xml("EPUB/nav.xhtml").itertext())
        end = text.index("The Opening") + len("The Opening") - 1
        dot = text.index(".", end)
        assert text[end + 1:dot].strip() == ""
        assert chars[dot][2][0] - chars[end][2][2] > 4, theme  # not "Opening. . ."


def test_symbols_come_from_a_face_that_has_them(books):
    # Noto has no arrow: a serif one for the serif theme, a sans one for the sans theme.
    for theme, face in (("classic", "Libertinus"), ("modern", "DejaVu")):
        _, chars = glyphs(books[theme][1], "The way back")
        arrow = next(font for c, _, _, font, _ in chars if c == "\u2192")
        assert face in arrow, (theme, arrow)


def test_build_takes_another_theme_than_book_yamls(tmp_path):
    root = write_book(tmp_path / "book", {"one.md": "# One\n\nText.\n"})
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "out"),
                                       "-f", "epub", "--no-check", "--theme", "modern"])
    assert result.exit_code == 0, result.output
    css = Epub(tmp_path / "out" / "test-book.epub").files["EPUB/styles/book.css"].decode()
    assert 'Theme "modern"' in css
