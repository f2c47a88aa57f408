"""Rule "wide leading": a template may set a paragraph's lines as far apart
as another book sets its paragraphs (Typst's templates: 1 em of leading,
paragraphs 1.2 em apart and not indented; a thesis set one and a half or
double spaced), so a fixed gap (``pdfsource.GAP_EM``) would part every line
from the next. The book's own line gap, the most common gap between two
lines of its text on a page, is measured, and only a gap wider than it
parts paragraphs.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

#: How much wider than the book's line gap a gap between paragraphs is, at
#: least, in ems: half the least difference seen between a book's paragraph
#: spacing and its line gap (0.2 em: a Typst template's 1.2 em over its 1 em).
SLACK_EM = 0.1
#: Gaps are counted to a tenth of a point: one book sets one leading.
PRECISION = 1


class Row(Protocol):
    top: float
    bottom: float
    size: float


def paragraph_gap(pages: list[list[Row]], body_size: float, least: float) -> float:
    """The gap, in ems of the text's size, over which a line stands apart from
    the line above: ``least`` (a fixed gap), or the book's line gap and
    ``SLACK_EM`` where that is wider."""
    gaps = Counter(round(b.top - a.bottom, PRECISION) for rows in pages for a, b in zip(rows, rows[1:])
                   if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5
                   and b.top > a.bottom)
    if not gaps:
        return least
    return max(least, gaps.most_common(1)[0][0] / body_size + SLACK_EM)
