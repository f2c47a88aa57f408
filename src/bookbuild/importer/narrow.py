"""Rule "a block set to its own narrower measure": text set in a box narrower
than the page's text block, beside a figure, a diagram or a table (a parbox
or minipage of two thirds of the width beside a drawing, a grid's column
beside an image).

Its lines are justified to the box's own right edge, short of the page's, so
measured against the page's measure every one of them ends early: each would
open a paragraph, a line-end hyphen would stay cut from the rest of its word,
and a bold lead-in filling a line would stand alone as a heading. The box's
edge is found from its lines' ends (``measures``): justified lines share it,
two of them in a row at least, and more lines of the page reach it. A line
reaching such an edge is full: its paragraph goes on past it (``full``); a
line stopping short of it ends its paragraph, as one stopping short of the
page's edge does; a box standing in from the page's left edge is measured
from its own left edge, where its lines start (``Measure.left``). A box is
set whole, so its first line opens a paragraph under one of the page's
measure (``apart``), on its page or the page before.

Ordinary pages have no such edge: ragged lines end anywhere and seldom three
at one place, a list's items end where their words do, a table's rows that
fill its width part their cells by gaps far wider than their word spaces, a
listing's lines of one length are read as code before this rule is asked,
and lines reaching the page's edge measure the page, not a box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class _Glyph(Protocol):
    x0: float
    x1: float


class _Line(Protocol):
    @property
    def x0(self) -> float: ...

    @property
    def x1(self) -> float: ...

    size: float

    @property
    def word_glyphs(self) -> list[list[_Glyph]]: ...


#: Justified lines of one box end at one place: within this many ems of each
#: other (TeX sets them to the point; a line's last glyph's side bearing
#: differs by a few hundredths of an em).
EDGE_EM = 0.1
#: A box's edge stands short of the page's by more than this many ems (what
#: ``pdfsource._ends_short`` takes for a line ending a paragraph): a line
#: ending nearer measures the page.
SHORT_EM = 1.5
#: A box of text beside a figure is this share of the text block's width at
#: least: narrower lines that end together are a table's cells or labels.
MIN_SHARE = 0.4
#: A box's justified line is prose: this many words at least, its word
#: spaces stretched alike, none more than EVEN times their median (a space
#: after a stop is a little wider); a table's row that fills its width
#: (a name, then a number set flush right) has one wide gap between cells.
MIN_WORDS = 3
EVEN = 2.0
#: Lines of the page reaching one edge, for it to be a box's: two in a row
#: (a paragraph's justified lines) and one more (ragged lines of a page
#: reach one place by chance in twos, seldom in threes).
MIN_LINES = 3


@dataclass(frozen=True)
class Measure:
    """A box's measure on its page: where its lines start and end."""

    left: float
    right: float


def measures(rows: list[_Line], left: float, right: float, size: float) -> tuple[Measure, ...]:
    """The narrower measures of a page's ``rows`` of text (in reading order),
    in a text block from ``left`` to ``right`` set in type of ``size``: a run
    of two lines or more sharing both edges, standing in from the page's
    right edge (a box left of its figure) or from its left edge (a box right
    of its figure), by SHORT_EM or more (more than a paragraph's indent), and
    reached by MIN_LINES lines of the page."""
    def near(a: float, b: float) -> bool:
        return abs(a - b) <= EDGE_EM * size

    def boxed(row: _Line) -> bool:
        return abs(row.size - size) < 0.5 and row.x1 - row.x0 >= MIN_SHARE * (right - left) \
            and (row.x1 < right - SHORT_EM * size or row.x0 > left + SHORT_EM * size) \
            and _justified(row)

    found: list[Measure] = []
    for a, b in zip(rows, rows[1:]):
        if not (boxed(a) and boxed(b) and near(a.x0, b.x0) and near(a.x1, b.x1)) \
                or any(near(m.right, a.x1) for m in found):
            continue
        if sum(near(r.x1, a.x1) and r.x0 >= a.x0 - EDGE_EM * size for r in rows if boxed(r)) \
                >= MIN_LINES:
            found.append(Measure(min(a.x0, b.x0), a.x1))
    return tuple(found)


def _justified(row: _Line) -> bool:
    """Whether the line's word spaces are alike, as a justified line's are."""
    words = row.word_glyphs
    gaps = sorted(b[0].x0 - a[-1].x1 for a, b in zip(words, words[1:]))
    return len(words) >= MIN_WORDS and gaps[-1] <= EVEN * gaps[(len(gaps) - 1) // 2]


def full(row: _Line, found: tuple[Measure, ...]) -> Measure | None:
    """The measure whose edge ``row``, set inside it, reaches (a justified
    line of its box), if any. (A line of the page's measure may end at a box's
    edge where the box ends with the page's lines: it is the page's.)"""
    return next((m for m in found if abs(row.x1 - m.right) <= EDGE_EM * row.size
                 and row.x0 >= m.left - EDGE_EM * row.size), None)


def short_of(measure: Measure | None, right: float, size: float) -> bool:
    """Whether ``measure`` is a box's that stops short of the page's edge
    ``right``: a bold line filling it is a lead-in justified to it, no
    heading, and its first line is set apart (``apart``). (A box standing
    in from the left only ends where the page's lines do, give or take the
    glyphs a typesetter lets protrude past the edge: its lines say nothing
    the page's measure does not.)"""
    return measure is not None and measure.right < right - SHORT_EM * size


def apart(rows: list[_Line], measure: Measure) -> bool:
    """Whether a paragraph of ``rows`` (above a line of ``measure``'s box, on
    its page or the page before) is not the box's: none of its lines reaches
    the box's edge and one is set wider than the box. A box is set whole, so
    its first line opens a paragraph, though the line before, of the page's
    measure, was full or left too little room for its first word."""
    return not any(full(r, (measure,)) for r in rows) \
        and any(r.x1 - r.x0 > measure.right - measure.left + SHORT_EM * r.size for r in rows)
