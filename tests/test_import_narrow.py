"""Rule "a block set to its own narrower measure" (importer/narrow.py): text
set in a box narrower than the page's text block, beside a figure, is
measured by the box's own edges: its justified lines are full, a hyphen at
their ends joins its word, a bold lead-in filling its line is no heading;
and ordinary pages, a list's items and ragged lines show no such box."""

from __future__ import annotations

from collections import defaultdict

from bookbuild.importer import narrow
from bookbuild.importer.pdfsource import _Block, _page_paragraphs, _render

from glyphrows import rows_of
from test_import_glyphs import SIZE, glyphs, page
from test_import_paper import PAGE
from test_import_roundtrip import imported_paragraphs

#: The page's text block, and a box of two thirds of it left of a figure.
LEFT, RIGHT, BOX = 50.0, 350.0, 250.0
STEP = 13.0  # from one line's top to the next's


def line(text: str, top: float, x: float = LEFT, right: float | None = None,
         font: str = "Serif-Regular") -> list[dict]:
    """``text`` set from ``x`` on the line at ``top``, its word spaces
    stretched to end it at ``right`` (justified), or natural without one."""
    natural = glyphs(text, x, top, font=font)
    if right is None:
        return natural
    spaces = text.count(" ")
    stretch = (right - natural[-1]["x1"]) / spaces / SIZE
    return glyphs(text, x, top, space=0.3 + stretch, font=font)


def rows(*lines: list[dict]):
    return rows_of(page(*lines), 1)


def paragraphs(*lines: list[dict]) -> list[tuple[str, str]]:
    paras = _page_paragraphs(rows(*lines), None, 1, defaultdict(lambda: _Block(SIZE, LEFT, RIGHT)),
                             800.0, [])
    return [(p.kind, " ".join(_render(r.chars) for r in p.rows)) for p in paras]


def boxed_lines(top: float, texts: list[str], x: float = LEFT, right: float = BOX,
                font: str = "Serif-Regular") -> list[list[dict]]:
    """``texts`` as a box's lines, justified to ``right`` but the last."""
    return [line(t, top + n * STEP, x, right if n < len(texts) - 1 else None, font)
            for n, t in enumerate(texts)]


BOX_TEXT = ["the keeper wrote the hour in", "the ledger and trimmed the",
            "wicks of the lamp at dusk", "until the boats came in."]


def test_a_box_beside_a_figure_is_measured_by_its_own_edge():
    found = narrow.measures(rows(*boxed_lines(100, BOX_TEXT)), LEFT, RIGHT, SIZE)
    assert [(round(m.left), round(m.right)) for m in found] == [(LEFT, BOX)]
    assert paragraphs(*boxed_lines(100, BOX_TEXT), *boxed_lines(170, BOX_TEXT)) == [
        ("text", " ".join(BOX_TEXT)), ("text", " ".join(BOX_TEXT))]


def test_a_box_right_of_its_figure_is_measured_from_its_own_left_edge():
    texts = ["the harbour lights were lit", "at dusk each evening and the",
             "keeper wrote the hour in", "his ledger."]
    assert paragraphs(*boxed_lines(100, texts, x=150.0, right=RIGHT)) == [
        ("text", " ".join(texts))]


def test_a_bold_lead_in_filling_a_box_s_line_is_no_heading():
    lead = line("Slack water before the turn", 100, right=BOX, font="Serif-Bold")
    rest = boxed_lines(100 + STEP, BOX_TEXT)
    assert paragraphs(lead, *rest) == [("text", " ".join(["Slack water before the turn",
                                                           *BOX_TEXT]))]
    # a box right of a figure ends where the page's lines do: a bold line
    # reaching there is read as it was without the box
    texts = ["the harbour lights were lit", "at dusk each evening and the",
             "keeper wrote the hour in", "his ledger."]
    title = line("Slack water before the turn of the tide at dusk", 60, right=RIGHT,
                 font="Serif-Bold")
    assert paragraphs(title, *boxed_lines(100, texts, x=150.0, right=RIGHT))[0] == (
        "heading", "Slack water before the turn of the tide at dusk")


def test_a_box_opens_its_paragraph_under_a_full_line_of_the_page():
    wide = line("the keeper trimmed the wicks at dusk and wrote the", 80, right=RIGHT)
    last = line("hour in the ledger while the boats came in", 80 + STEP)
    found = paragraphs(wide, last, *boxed_lines(80 + 2 * STEP, BOX_TEXT))
    assert [text for _, text in found] == [
        "the keeper trimmed the wicks at dusk and wrote the hour in the ledger while the boats "
        "came in", " ".join(BOX_TEXT)]


def test_ordinary_pages_lists_and_ragged_lines_show_no_box():
    full = [line("the keeper trimmed the wicks at dusk and wrote the", 100 + n * STEP, right=RIGHT)
            for n in range(4)]
    # a list's items ending together by chance, each a few words
    items = [line(text, 160 + n * STEP) for n, text in enumerate(
        ["1. the lamp oil", "2. the wicks", "3. the ledger", "4. the hour"])]
    # ragged lines (set unjustified) each ending where its words do, two in
    # a row at one place by chance
    ragged = [line(text, 220 + n * STEP) for n, text in enumerate(
        ["the keeper trimmed the wicks at dusk", "the keeper lighted the lamps at dusk",
         "and wrote the hour in the ledger while", "the boats came in to the harbour"])]
    assert rows(ragged[0])[0].x1 == rows(ragged[1])[0].x1
    # a table's rows filling its width: a name, then a count set flush right
    table = [glyphs(name, 80, 290 + n * STEP) + glyphs(count, BOX - len(count) * SIZE / 2 - 0.3 * SIZE,
                                                        290 + n * STEP)
             for n, (name, count) in enumerate([("lamp oil casks", "12 in"), ("wick rolls", "40 in"),
                                                ("ledger books", "3 in"), ("glass panes", "7 in")])]
    assert len({round(r.x1) for r in rows(*table)}) == 1
    assert narrow.measures(rows(*full, *items, *ragged, *table), LEFT, RIGHT, SIZE) == ()


def test_narrow_text_beside_a_figure_comes_back_in_whole_paragraphs(tmp_path):
    """A Typst page: a paragraph of the page's measure, a box of two thirds
    of it left of a figure (justified and hyphenated), a box right of one,
    and a paragraph after them: each paragraph whole, each hyphen joined."""
    source = tmp_path / "boxes.typ"
    wide = "The keeper trimmed the wicks at dusk and wrote the hour in the ledger. " * 3
    left = ("Unquestionably the lighthousekeeper's administrative responsibilities, "
            "notwithstanding the extraordinarily uncomfortable circumstances, remained "
            "considerable throughout the winter.")
    second = "Meanwhile the harbourmaster's correspondence accumulated unanswered beside the lamp."
    right = ("Undoubtedly the neighbourhood's fishermen, notwithstanding their characteristically "
             "independent temperament, appreciated the lighthousekeeper's meticulous "
             "recordkeeping enormously.")
    figure = "rect(width: 100%, height: 4cm)"
    source.write_text(
        PAGE + '#set text(hyphenate: true)\n= The Harbour\n\n' + wide + "\n\n"
        f"#grid(columns: (2fr, 1fr), gutter: 1em, [{left}\n\n{second}], {figure})\n\n"
        f"#grid(columns: (1fr, 2fr), gutter: 1em, {figure}, [{right}])\n\n" + wide + "\n",
        encoding="utf-8")
    paras = imported_paragraphs(source, tmp_path / "out")
    apostrophe = str.maketrans("’", "'")
    assert [p.translate(apostrophe) for p in paras] == [wide.strip(), left, second, right,
                                                        wide.strip()]


def test_a_list_s_next_item_is_no_line_of_the_box_its_items_lines_make():
    """Items whose lines hang under their text, full to the page's edge,
    share both edges as a box right of a figure does; the next item, its
    label left of them, still opens a paragraph of its own."""
    def item(top: float) -> list[list[dict]]:
        first = glyphs("•", 60, top) + line("the keeper trimmed the wicks at dusk and", top,
                                             x=70, right=RIGHT)
        return [first, *boxed_lines(top + STEP, ["wrote the hour in the ledger while the",
                                                 "boats came in to the harbour and the",
                                                 "lights were lit."], x=70, right=RIGHT)]

    found = paragraphs(*item(100), *item(100 + 4 * STEP))
    assert len(found) == 2 and found[0] == found[1]


def test_lines_of_the_page_s_measure_ending_at_a_box_s_edge_are_the_page_s():
    """An example standing in from the left, justified to the page's edge, is
    a box that ends where the page's lines do, give or take what protrudes
    past the edge (a stop, a hyphen): a full line of the page ending at the
    box's edge, under lines a point short of it, goes on as before."""
    example = boxed_lines(60, ["the keeper wrote the hour in the ledger", "while the boats came in",
                               "to the harbour at dusk and the", "lights were lit."],
                          x=90.0, right=RIGHT)
    texts = ["and the keeper trimmed the wicks at dusk and wrote the",
             "hour in the ledger while the boats came in to the harbour",
             "and the lights were lit one by one along the whole wall",
             "of the harbour."]
    page_lines = [line(t, 140 + n * STEP, right=RIGHT - (0 if n == 2 else 1.5) if n < 3 else None)
                  for n, t in enumerate(texts)]
    found = paragraphs(*example, *page_lines)
    assert found[-1] == ("text", " ".join(texts))


def test_a_box_at_a_page_s_top_opens_its_paragraph_after_a_full_line_of_the_page():
    """A paragraph of the page's measure filling the last line of a page, and
    a box's lines at the top of the next: the box is set whole, so its first
    line opens a paragraph of its own, the page break notwithstanding."""
    texts = ["the keeper trimmed the wicks at dusk and wrote the",
             "hour in the ledger while the boats came in to the"]
    blocks = defaultdict(lambda: _Block(SIZE, LEFT, RIGHT))
    first = _page_paragraphs(rows_of(page(*[line(t, 700 + n * STEP, right=RIGHT)
                                            for n, t in enumerate(texts)]), 1),
                             None, 1, blocks, 800.0, [])
    second = _page_paragraphs(rows_of(page(*boxed_lines(60, BOX_TEXT)), 2), None, 2, blocks,
                              800.0, first)
    assert [" ".join(_render(r.chars) for r in p.rows) for p in first + second] == [
        " ".join(texts), " ".join(BOX_TEXT)]
