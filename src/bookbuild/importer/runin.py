"""Rule "run-in heading": a heading set at the start of its paragraph's first
line, not on a line of its own.

LaTeX's ``\\paragraph`` (the book and article classes, memoir, Tufte's
classes) and the like in other tools set a few words in italics or bold,
then a fixed space, a quad (TeX: 1 em), then the paragraph's text upright,
on the same line. The styled words are a heading, not emphasis opening the
paragraph (a book's title in italics opening a sentence is followed by a
word space). The class is told by that space: wider than a word space may
stretch on a justified line, and wider than the line's own word spaces
elsewhere, but narrower than the gap between a table's columns (a table's
first cell in italics, then the other cells).
"""

from __future__ import annotations

import statistics

from .pdfread import Glyph

#: The space after a run-in heading, in ems: TeX sets a quad (1 em); a word
#: space on a justified line, a third of an em as set, stretches to about half
#: an em; a table's columns stand two ems or more apart.
QUAD_EM = (0.8, 1.5)
#: The space after the heading is this many times the line's other word spaces at least.
QUAD_OVER_SPACES = 1.5
#: A gap this wide (in ems) or more parts two words: letters stand within a
#: tenth of an em of each other (``pdfsource.SPACE_EM``).
WORD_GAP_EM = 0.15
#: The most words a run-in heading holds: a phrase, not a sentence set in italics.
HEADING_WORDS = 6


def heading_end(chars: list[Glyph], size: float) -> int | None:
    """Where the paragraph's text starts after a run-in heading opening the
    line ``chars`` set at ``size`` points (the index of its first glyph),
    or None when the line opens with none."""
    if not chars or size <= 0 or chars[0].raised or not (chars[0].italic or chars[0].bold):
        return None
    style = chars[0].italic, chars[0].bold
    end = 1
    while end < len(chars) and ((chars[end].italic, chars[end].bold) == style
                                or chars[end].raised or not chars[end].text.strip()):
        end += 1
    if end == len(chars) or not chars[end].text.isalnum() and chars[end].text not in "(“‘\"'":
        return None
    gaps = [(b.x0 - a.x1) / size for a, b in zip(chars, chars[1:])]
    quad = gaps[end - 1]
    words = 1 + sum(gap >= WORD_GAP_EM for gap in gaps[:end - 1])
    spaces = [gap for gap in gaps[end:] if gap >= WORD_GAP_EM]
    if not QUAD_EM[0] <= quad <= QUAD_EM[1] or words > HEADING_WORDS \
            or not any(c.text.isalpha() for c in chars[:end]):
        return None
    return end if not spaces or quad >= QUAD_OVER_SPACES * statistics.median(spaces) else None
