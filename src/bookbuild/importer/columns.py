"""Rule "text set in columns": a page whose text runs in two columns side by
side is read as the left column, then the right, each with its own notes.

The class is two justified columns of one measure, parted by a gutter: a
vertical band that no glyph of the text's lines crosses, over many lines of
the page. The line finder (``pdfsource._lines_of``) joins the glyphs of the
two columns that stand at one height into one printed line; here the
gutter is looked for in those lines (``_gutter``), and a page that has one
is cut into its columns' parts (``read_in_columns``), which the rules after
read as they read pages: the left column's lines, its notes under its own
rule (as Typst and LaTeX set a column's footnotes), then the right column's,
a paragraph or a note running on from one to the next as across a page
break. The right column's glyphs are set, for those rules, where the left
column's stand (moved left by the columns' pitch), so that each line is
measured against its own column's edges: its indent, whether it is full.

Lines crossing the gutter (a chapter's title over both columns, a folio
centred under them, a note area the width of the page) are not cut and keep
their place: those before a band of columns are read before its left column,
those after the page's last band after its right column. A running head set
over one column only is that column's first line, where the rule for running
heads (the first or last line of a part, as of a page) finds it.

Two-column articles and papers (amsart or article with multicols) are of the
class: their title block and abstract over both columns are lines crossing
the gutter; a folio centred in the gutter, set smaller just under the
columns' last lines, which the line finder joins to them, is no line over
both columns and is read after them (``_alone``); and where their appendices
run the page's width, the pages in columns are measured apart from those
(``pdfsource._page_kinds``).

Not read in columns: three columns or more, columns of unequal measure,
ragged columns; a drop cap in a column loses its indent.

A page of the book whose own lines show too few for a gutter (a chapter's
last page, its right column a line or two) takes the gutter its side of the
spread (recto, verso) shows on the book's other pages, when no more of its
lines cross it than a page in columns has.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

#: A gutter is this wide at least (in ems of the text): LaTeX's default
#: \columnsep and Typst's 4 % of the measure are about an em; a justified
#: line's word spaces stay under half an em, and no two lines' spaces stand
#: over one another for long.
GUTTER_EM = 0.7
#: A page is in columns when this many of its lines of text stand clear of
#: the gutter at least ...
COLUMN_LINES = 6
#: ... and no more than this share of them cross it (a title over both
#: columns, a line of a full-width note).
CROSSING = 0.2
#: The two columns are of one measure: the narrower at least this share of
#: the wider (a contents page's page numbers, a table's narrow column are not).
ONE_MEASURE = 0.7
#: Most of the left column's lines end at the gutter (within this many ems,
#: a hyphen hung past the edge included): the columns are justified, as a
#: table's left-aligned cells, a contents page's titles are not.
JUSTIFIED_EM = 0.5


@dataclass(frozen=True)
class Gutter:
    left: float  # where the left column's lines end
    right: float  # where the right column's lines start
    pitch: float  # from the left column's left edge to the right column's


def read_in_columns(pages: list[tuple[Any, list]], build: Callable[[list, int], list]
                    ) -> list[tuple[Any, list, list, list]]:
    """Each page (a ``pdfread.Page`` and its printed lines) as the parts it
    is read in: ``(page, lines, strokes, images)``, one part for a page in one
    column (its own lines, strokes and images, untouched), or its columns'
    parts in reading order. ``build`` sets glyphs in printed lines, numbered
    from 1 on the page it is given (``pdfsource._page_rows``)."""
    found = [_gutter(rows) for _, rows in pages]
    book: dict[int, Gutter] = {}
    for side in (0, 1):
        seen = Counter(g for (page, _), g in zip(pages, found)
                       if g is not None and page.number % 2 == side)
        if seen:
            book[side] = seen.most_common(1)[0][0]
    out = []
    for (page, rows), gutter in zip(pages, found):
        if gutter is None and page.number % 2 in book and _clear(rows, book[page.number % 2]):
            gutter = book[page.number % 2]
        if gutter is None:
            out.append((page, rows, page.strokes, page.images))
            continue
        parts = _parts(rows, gutter, page, build)
        index = 0
        for part_rows, *_ in parts:
            for row in part_rows:
                index += 1
                row.page, row.index = page.number, index
        out += [(page, *part) for part in parts]
    return out


def _body(rows: list) -> list:
    """The page's lines of text: those of its most common size."""
    sizes = Counter(round(r.size, 1) for r in rows)
    if not sizes:
        return []
    size = sizes.most_common(1)[0][0]
    return [r for r in rows if abs(r.size - size) < 0.5]


def _crosses(row: Any, left: float, right: float) -> bool:
    """Whether a glyph of the line stands in the middle third of the band
    ``left``..``right``: a hyphen or a stop hung past the column's edge
    (Typst's overhang, microtype's protrusion) does not reach it, nor does a
    mark standing alone in the band (``_alone``)."""
    third = (right - left) / 3
    alone = _alone(row, left, right)
    return any(c.x0 < right - third and c.x1 > left + third and id(c) not in alone
               for c in row.chars if c.text.strip())


def _alone(row: Any, left: float, right: float) -> set[int]:
    """The glyphs of the line that stand in the band ``left``..``right``, with
    no glyph of the line's own type beside them there: smaller than the
    line, or below it. The line finder joins a folio centred under the
    columns to the last line it is near (amsart's first page); it is no line
    over both columns, and is read after them."""
    inside = [c for c in row.chars if c.text.strip() and c.x0 > left and c.x1 < right]
    if any(c.size > row.size - 0.5 and c.top < row.bottom - row.size / 2 for c in inside):
        return set()
    return {id(c) for c in inside}


def _gutter(rows: list) -> Gutter | None:
    """The page's gutter, when its lines show one (see the module's rule):
    the band in the middle half of the text that the most wide gaps between
    a line's glyphs cover, narrowed to what all of them leave clear."""
    body = _body(rows)
    if len(body) < COLUMN_LINES:
        return None
    low = min(r.chars[0].x0 for r in body)
    high = max(r.chars[-1].x1 for r in body)
    inner, outer = low + (high - low) / 4, high - (high - low) / 4
    gaps = []
    for row in body:
        shown = [c for c in row.chars if c.text.strip()]
        gaps += [(a.x1, b.x0) for a, b in zip(shown, shown[1:])
                 if b.x0 - a.x1 >= GUTTER_EM * row.size and a.x1 < outer and b.x0 > inner]
    if not gaps:
        return None
    # the point the most gaps cover: the start of one of them, counted as the
    # gaps begun by it less those ended (sorted once: a page of thousands of
    # gaps, a letter-spaced table, is no quadratic search)
    starts, ends = sorted(a for a, _ in gaps), sorted(b for _, b in gaps)
    best = max((x for x, _ in gaps),
               key=lambda x: bisect.bisect_right(starts, x) - bisect.bisect_right(ends, x))
    covering = [(a, b) for a, b in gaps if a <= best < b]
    left, right = max(a for a, _ in covering), min(b for _, b in covering)
    if right - left < GUTTER_EM * body[0].size:
        return None
    return _columns(body, left, right)


def _columns(body: list, left: float, right: float) -> Gutter | None:
    """The gutter ``left``..``right``, when the page's lines of text are set
    in two columns on either side of it (see the constants' rules)."""
    clear = [r for r in body if not _crosses(r, left, right)]
    if len(clear) < COLUMN_LINES or len(body) - len(clear) > CROSSING * len(body):
        return None
    middle = (left + right) / 2
    lefts = [[c for c in r.chars if c.text.strip() and c.x0 < middle] for r in clear]
    rights = [[c for c in r.chars if c.text.strip() and c.x0 >= middle] for r in clear]
    lefts, rights = [s for s in lefts if s], [s for s in rights if s]
    if not lefts or not rights:
        return None
    start, end = min(s[0].x0 for s in lefts), max(s[-1].x1 for s in rights)
    narrow, wide = sorted((left - start, end - right))
    if narrow < ONE_MEASURE * wide:
        return None
    size = clear[0].size
    justified = sum(1 for s in lefts if abs(left - max(c.x1 for c in s)) < JUSTIFIED_EM * size)
    if justified < len(lefts) / 2:
        return None
    return Gutter(round(left, 1), round(right, 1), round(min(s[0].x0 for s in rights) - start, 1))


def _clear(rows: list, gutter: Gutter) -> bool:
    """Whether a page's lines of text leave the book's gutter clear, as a
    page in columns does, with glyphs on both sides of it (a right column may
    hold only the notes the left one's text ran on into)."""
    body = _body(rows)
    crossing = sum(1 for r in body if _crosses(r, gutter.left, gutter.right))
    return bool(body) and crossing <= CROSSING * len(body) and _two_sided(rows, gutter)


def _parts(rows: list, gutter: Gutter, page: Any, build: Callable[[list, int], list]
           ) -> list[tuple[list, list, list]]:
    """The page's parts in reading order: for each band of lines clear of the
    gutter with text on both sides, its left column (after the lines read
    before it), then its right column, moved onto the left's place; strokes
    and images go with the band and the side they stand in."""
    # (crossing, its lines): a line crossing the gutter, or a run of lines clear of it
    bands: list[tuple[bool, list]] = []
    last: list = []  # marks alone in the gutter, as lines read after the columns
    for line in rows:
        alone = _alone(line, gutter.left, gutter.right)
        if alone:
            last += build([c for c in line.chars if id(c) in alone], page.number)
        for row in build([c for c in line.chars if id(c) not in alone], page.number) \
                if alone else [line]:
            crossing = _crosses(row, gutter.left, gutter.right)
            if not crossing and bands and not bands[-1][0]:
                bands[-1][1].append(row)
            else:
                bands.append((crossing, [row]))
    if last:
        bands.append((True, last))
    parts: list[tuple[list, list, list]] = []
    pending: list = []
    for crossing, band in bands:
        if crossing or not _two_sided(band, gutter):
            pending += band
            continue
        chars = [c for r in band for c in r.chars]
        middle = (gutter.left + gutter.right) / 2
        left = [c for c in chars if c.x0 < middle]
        right = [replace(c, x0=c.x0 - gutter.pitch, x1=c.x1 - gutter.pitch)
                 for c in chars if c.x0 >= middle]
        parts.append((pending + build(left, page.number), [], []))
        parts.append((build(right, page.number), [], []))
        pending = []
    if pending:
        if parts:
            parts[-1][0].extend(pending)
        else:
            parts.append((pending, [], []))
    _share(page.strokes, parts, gutter, 1)
    _share(page.images, parts, gutter, 2)
    return parts


def _two_sided(rows: list, gutter: Gutter) -> bool:
    """Whether the lines hold text on both sides of the gutter."""
    middle = (gutter.left + gutter.right) / 2
    return any(c.x0 < middle for r in rows for c in r.chars if c.text.strip()) \
        and any(c.x0 >= middle for r in rows for c in r.chars if c.text.strip())


def _share(shapes: list[dict], parts: list[tuple[list, list, list]], gutter: Gutter,
           slot: int) -> None:
    """Each stroke (``slot`` 1) or image (2) to the part it stands in: the
    first column part on its side whose lines reach down to it (a column's
    rule over its notes); past every column, the last part (a rule over
    notes under both columns). Those of a right column move with its glyphs."""
    middle = (gutter.left + gutter.right) / 2
    for shape in shapes:
        side = 1 if shape["x0"] >= middle else 0
        target = next((part for k, part in enumerate(parts) if k % 2 == side and part[0]
                       and shape["top"] <= max(r.bottom for r in part[0])), None)
        if target is None:
            target, side = parts[-1], 0
        target[slot].append(dict(shape, x0=shape["x0"] - gutter.pitch,
                                 x1=shape["x1"] - gutter.pitch) if side else shape)
