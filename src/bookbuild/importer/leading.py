"""Rule "wide leading": a template may set a paragraph's lines as far apart
as another book sets its paragraphs (Typst's templates: 1 em of leading,
paragraphs 1.2 em apart and not indented; a thesis set one and a half or
double spaced), so a fixed gap (``pdfsource.GAP_EM``) would part every line
from the next. The book's own line gap is measured, and only a gap wider
than it parts paragraphs: the most common gap between two lines of one
paragraph, a line reaching the text's right edge (where most of a page's
lines end: justified, so going on) over a line starting where it starts. Gaps over other lines are no measure:
in a book of short paragraphs set apart by a blank line (LaTeX's
``parskip``, most of them one line long) the most common gap is the one
between paragraphs.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

#: How much wider than the book's line gap a gap between paragraphs is, at
#: least, in ems: half the least space a book of the class sets between its
#: paragraphs over its leading (paragraphs set apart by a space of their own,
#: not by a blank line: Typst's ``spacing`` over its ``leading``, 0.2 em in
#: its templates; LaTeX's ``parskip`` sets a blank line, 1 em or more).
SLACK_EM = 0.1
#: Gaps are counted to a tenth of a point: one book sets one leading.
PRECISION = 1
#: A line going on to the next reaches the text's right edge within this
#: many ems (a justified line; a hyphen or a protruded stop stands out a
#: little), and the next starts within this many ems of where it starts.
EDGE_EM = 0.5


class Row(Protocol):
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float: ...

    @property
    def x1(self) -> float: ...


def paragraph_gap(pages: list[list[Row]], body_size: float, least: float) -> float:
    """The gap, in ems of the text's size, over which a line stands apart from
    the line above: ``least`` (a fixed gap), or the book's line gap and
    ``SLACK_EM`` where that is wider."""
    edge = EDGE_EM * body_size
    gaps: Counter = Counter()
    for rows in pages:
        ends = Counter(round(r.x1) for r in rows if abs(r.size - body_size) < 0.5)
        right, lines = ends.most_common(1)[0] if ends else (0, 0)
        if lines < 2:  # no two lines justified to one edge: a page of short lines
            continue
        gaps.update(round(b.top - a.bottom, PRECISION) for a, b in zip(rows, rows[1:])
                    if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5
                    and b.top > a.bottom and a.x1 >= right - edge and abs(b.x0 - a.x0) < edge)
    if not gaps:
        return least
    return max(least, gaps.most_common(1)[0][0] / body_size + SLACK_EM)
