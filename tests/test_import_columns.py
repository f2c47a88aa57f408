"""Rule "text set in columns" (importer/columns.py) on pages of invented
glyphs: two justified columns are read left then right, the lines over both
keep their place, pages that only look like columns (a contents page, a
table, text in one column) are read as they were, and a paper's pages in
columns are measured apart from its pages in one column."""

from __future__ import annotations

from bookbuild.importer import columns
from bookbuild.importer.pdfread import Page
from bookbuild.importer.pdfsource import (_page_kinds, _page_rows, _render, _text_blocks,
                                          _text_feet)

from glyphrows import rows_of
from test_import_glyphs import SIZE, glyphs

#: The columns: each 180 pt wide, parted by a gutter of 12 pt.
LEFT, WIDTH, GUTTER = 50.0, 180.0, 12.0
RIGHT = LEFT + WIDTH + GUTTER
STEP = 13.0  # from one line's top to the next's

WORDS = ("the keeper wrote every evening in the ledger while storm and fog kept the ships "
         "away from the harbour and the inspectors came twice each year to sign it in red "
         "with a careful slow hand").split()


def justified(words: list[str], x: float, top: float, width: float = WIDTH) -> list[dict]:
    """``words`` set from ``x`` to ``x + width``, their spaces stretched to fill it."""
    letters = sum(len(w) for w in words) * 0.5 * SIZE
    space = (width - letters) / (len(words) - 1) / SIZE
    return glyphs(" ".join(words), x, top, space=space)


def column_lines(first: int, count: int, x: float, top: float) -> list[list[dict]]:
    """``count`` lines of ``WORDS`` (from word ``first`` on, round) justified
    as a typesetter fills a line, its spaces a third of an em at least; the
    last line short (a paragraph's end)."""
    lines, k = [], first
    for n in range(count):
        words = [WORDS[k % len(WORDS)]]
        while (sum(map(len, words)) + len(WORDS[(k + 1) % len(WORDS)])) * 0.5 * SIZE \
                + len(words) * SIZE / 3 <= WIDTH:
            k += 1
            words.append(WORDS[k % len(WORDS)])
        k += 1
        line_top = top + n * STEP
        lines.append(glyphs(" ".join(words[:3]), x, line_top) if n == count - 1
                     else justified(words, x, line_top))
    return lines


def text(rows) -> list[str]:
    return [_render(r.chars) for r in rows]


def page_of(number: int, *lines: list[dict], strokes: list[dict] = ()) -> tuple[Page, list]:
    chars = [g for line in lines for g in line]
    rows = rows_of(chars, number)
    return Page(number, [], list(strokes), [], 500.0, 700.0, {}), rows


def two_columns(number: int, left_lines: int = 10, right_lines: int = 10,
                strokes: list[dict] = ()) -> tuple[Page, list]:
    title = glyphs("The Lights of the Northern Coast", 80, 40, size=16.0)
    folio = glyphs(str(number), 233.5, 600)  # centred under the gutter
    return page_of(number, title, *column_lines(0, left_lines, LEFT, 100),
                   *column_lines(40, right_lines, RIGHT, 100), folio, strokes=strokes)


def test_two_columns_are_read_left_then_right_with_the_title_first_and_the_folio_last():
    page, rows = two_columns(3)
    assert len(rows) == 12  # the line finder set the columns' lines side by side
    (_, left, *_), (_, right, *_) = columns.read_in_columns([(page, rows)], _page_rows)
    assert text(left) == ["The Lights of the Northern Coast",
                          *text(rows_of([g for ln in column_lines(0, 10, LEFT, 100)
                                         for g in ln], 3))]
    assert text(right) == [*text(rows_of([g for ln in column_lines(40, 10, RIGHT, 100)
                                          for g in ln], 3)), "3"]
    # the right column's lines stand where the left's do, each measured by its own edges
    assert {round(r.x0) for r in right[:-1]} == {round(r.x0) for r in left[1:]} == {LEFT}
    assert [r.index for r in left + right] == list(range(1, 23))


def test_each_columns_rule_and_notes_go_with_its_column():
    """Typst and LaTeX set a column's footnotes under it, under a rule of its own."""
    rules = [{"x0": LEFT, "x1": LEFT + 40, "top": 240.0, "bottom": 240.5},
             {"x0": RIGHT, "x1": RIGHT + 40, "top": 227.0, "bottom": 227.5}]
    title, lines = glyphs("The Lights", 80, 40, size=16.0), column_lines(0, 10, LEFT, 100)
    notes = [glyphs("1 A note under the left column.", LEFT, 250, size=8.0),
             glyphs("2 And one under the right.", RIGHT, 237, size=8.0)]
    page, rows = page_of(5, title, *lines, *column_lines(40, 9, RIGHT, 100), *notes,
                         strokes=rules)
    (_, left, left_strokes, _), (_, right, right_strokes, _) = \
        columns.read_in_columns([(page, rows)], _page_rows)
    assert text(left)[-1] == "1 A note under the left column." and len(left) == 12
    assert text(right)[-1] == "2 And one under the right." and len(right) == 10
    assert left_strokes == rules[:1]
    assert right_strokes == [dict(rules[1], x0=LEFT, x1=LEFT + 40)]


def test_a_chapters_last_page_takes_the_gutter_of_the_books_pages_on_its_side():
    """Its right column a paragraph's short last line, the page alone shows
    no second column of the first's measure; its side's other pages show
    where the gutter is."""
    pages = [two_columns(3), two_columns(4), two_columns(5, left_lines=10, right_lines=1)]
    assert columns._gutter(pages[2][1]) is None
    parts = columns.read_in_columns(pages, _page_rows)
    assert [page.number for page, *_ in parts] == [3, 3, 4, 4, 5, 5]
    assert text(parts[-1][1]) == ["evening in the", "5"]  # the right column's line, the folio


def test_a_right_column_holding_only_notes_is_read_after_the_left_one():
    """The left column's text ends the chapter and its notes run on into the
    right column: the page's text shows no gutter, its side's pages do."""
    lines = column_lines(0, 10, LEFT, 100)
    notes = [glyphs("1 A note under the left column, that goes", LEFT, 250, size=8.0),
             glyphs("on and ends in the right one.", RIGHT, 250, size=8.0)]
    page, rows = page_of(5, *lines, *notes, glyphs("5", 233.5, 600))
    assert columns._gutter(rows) is None
    assert text(rows)[-2] == \
        "1 A note under the left column, that goes on and ends in the right one."
    parts = columns.read_in_columns([two_columns(3), two_columns(4), (page, rows)], _page_rows)
    (_, left, *_), (_, right, *_) = parts[-2:]
    assert text(left)[-1] == "1 A note under the left column, that goes"
    assert text(right) == ["on and ends in the right one.", "5"]


def test_a_page_in_one_column_is_read_as_it_was():
    lines = column_lines(0, 14, LEFT, 100)
    wide = [justified(WORDS[k:k + 12], LEFT, 300 + STEP * k, width=2 * WIDTH + GUTTER)
            for k in range(8)]
    page, rows = page_of(7, *lines, *wide, strokes=[{"x0": 50, "x1": 90, "top": 500,
                                                     "bottom": 500.5}])
    (got_page, got_rows, strokes, images), = columns.read_in_columns([(page, rows)], _page_rows)
    assert got_page is page and got_rows is rows and strokes is page.strokes \
        and images is page.images


def test_a_contents_page_and_a_table_are_not_columns():
    """A contents page's titles and page numbers, a table's ragged cells: a
    band clear of glyphs down the page, but no two justified columns of one
    measure beside it."""
    titles = ["The Keeper", "Storm and Fog Over the Harbour", "Ships", "The Inspectors Came",
              "Red Ink", "A Careful Slow Hand and the Ledger", "Lanterns", "The Northern Coast"]
    contents = [glyphs(t, LEFT, 100 + STEP * k) + glyphs(str(10 * k + 7), 400, 100 + STEP * k)
                for k, t in enumerate(titles)]
    page, rows = page_of(9, *contents)
    assert columns._gutter(rows) is None
    cells = [glyphs(" ".join(WORDS[k:k + 2 + k % 4]), LEFT, 100 + STEP * k)
             + glyphs(" ".join(WORDS[k + 3:k + 5 + k % 3]), RIGHT, 100 + STEP * k)
             for k in range(10)]
    page, rows = page_of(11, *cells)
    assert columns._gutter(rows) is None
    assert columns.read_in_columns([(page, rows)], _page_rows)[0][1] is rows


def test_a_papers_columns_and_its_pages_in_one_column_are_measured_apart():
    """Two-column articles and papers set their appendices (a glossary, a
    specification) the width of the page: a column's full line is full by
    its column's edges, not short by the wide pages' (every line of a column
    read as a paragraph of its own), and a wide page's lines by the page's.
    A chapter's last page, its text in the left column only, is read whole
    and measured by its columns."""
    wide = [justified(WORDS[k:k + 12], LEFT, 100 + STEP * k, width=2 * WIDTH + GUTTER)
            for k in range(16)]
    pages = [two_columns(n) for n in (3, 4, 5)] + [page_of(6, *column_lines(0, 6, LEFT, 100))] \
        + [page_of(n, *wide) for n in (7, 8)]
    parts = columns.read_in_columns(pages, _page_rows)
    assert [page.number for page, *_ in parts] == [3, 3, 4, 4, 5, 5, 6, 7, 8]
    numbered = [(page.number, rows) for page, rows, *_ in parts]
    kinds = _page_kinds(numbered, SIZE)
    blocks = _text_blocks(numbered, kinds, SIZE)
    feet = _text_feet([(rows, None, 700.0, [], number) for number, rows in numbered], kinds,
                      set(), SIZE)
    # each kind's foot its own: the columns' folio stands lower than the wide pages' text ends
    assert feet[7] == feet[8] == max(r.bottom for r in pages[-1][1]) < feet[3]
    assert {round(blocks[n].right) for n in (3, 4, 5, 6)} == {LEFT + WIDTH}
    assert {round(blocks[n].right) for n in (7, 8)} == {LEFT + 2 * WIDTH + GUTTER}
    assert {blocks[n].left for n in blocks} == {LEFT}


def test_a_folio_under_the_gutter_joined_to_the_last_lines_is_read_after_the_columns():
    """A paper's first page (amsart) sets its folio smaller and just under
    the columns' last lines, centred in the gutter: the line finder joins it
    to them, yet the line does not run over both columns."""
    folio = glyphs("1", 233.0, 222.0, size=6.0)
    page, rows = page_of(1, glyphs("The Lights of the Northern Coast", 80, 40, size=16.0),
                         *column_lines(0, 11, LEFT, 100), *column_lines(40, 10, RIGHT, 100), folio)
    assert "1" in text(rows)[-2].split() and len(rows) == 12  # the folio among the lines
    (_, left, *_), (_, right, *_) = columns.read_in_columns([(page, rows)], _page_rows)
    assert text(left)[1:] == text(rows_of([g for ln in column_lines(0, 11, LEFT, 100)
                                            for g in ln], 1))
    assert text(right) == [*text(rows_of([g for ln in column_lines(40, 10, RIGHT, 100)
                                          for g in ln], 1)), "1"]
