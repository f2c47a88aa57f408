"""Rule "margin notes": text set in a margin beside the text block, not in it.

Tufte's sidenotes (a note numbered like a footnote, set smaller in the outer
margin beside the line of its reference) and a textbook's glosses (a few
words in the margin, no number) are the class. The text block is the book's
own, learned from its lines of text per side of the spread
(``pdfsource._text_blocks``), not a constant: a glyph standing past its edge
by MARGIN_GAP_EM or more is the margin's. A note's first line stands at the
height of its reference's line, so the line finder may have joined the
margin's glyphs to that line of text (they come within its reach); they are
taken out of it when smaller than the text (a table or a display wider than
the block keeps its glyphs, which are the text's size).

Running heads and page numbers are found first, on the page's whole lines
(``pdfsource._furniture``), so one set in the outer margin is the page's
furniture, not a gloss. The margin's other lines are grouped (``blocks``):
a line opening with a raised label that a line of text on the page carries
as a reference opens a note (beside its reference's line, unless the notes
before pushed it down or the page's foot pushed it up); any other line goes
on the block a line's step above it, or opens a gloss, which stays in the
text as a block of its own after the paragraph it stands beside
(``gloss_place``), never inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .inline import label_of

#: A glyph this far (in ems of the text) past the text block's edge is the
#: margin's: a justified line ends at the edge, a line's last reference or a
#: hung punctuation mark stands well within half an em of it, and margins
#: part their notes from the text by a few ems (about one in Tufte's books).
MARGIN_GAP_EM = 0.5
#: Lines of one margin block stand a line's step apart: less than this many
#: times their size from the bottom of one to the top of the next.
STEP = 0.9


@dataclass
class Block:
    """A margin's block: a note (its label and the label's style) or, with no
    label, a gloss."""

    rows: list[Any]
    label: str | None = None
    label_style: str = "superscript"


def text_extent(row: Any) -> tuple[float, float]:
    """Where the glyphs of the line's own size start and end: the smaller ones
    it took in (a reference, or a margin note's beside it) left aside."""
    own = [c for c in row.chars if c.size >= row.size - 0.5]
    return (own[0].x0 if row.left is None else row.left), own[-1].x1


def split(rows: list[Any], left: float, right: float, size: float) -> tuple[list[Any], list[Any]]:
    """The page's lines of text (taken out of them, the margin's glyphs) and
    the margin's glyphs, for ``pdfsource`` to set in lines of their own. A
    book with no line of text long enough to learn its block from has no
    margin either."""
    if right <= left:
        return rows, []
    gap = MARGIN_GAP_EM * size
    text, margin = [], []
    for row in rows:
        # (glyphs run left to right: most lines' first and last say "none")
        if row.chars[0].x0 > left - gap and row.chars[-1].x0 < right + gap:
            text.append(row)
            continue
        outside = [c for c in row.chars if c.x0 >= right + gap or c.x1 <= left - gap]
        if not outside:
            text.append(row)
        elif len(outside) == len(row.chars):
            margin += outside
        elif max(c.size for c in outside) < row.size - 0.5:
            margin += outside
            taken = {id(c) for c in outside}
            text.append(replace(row, chars=[c for c in row.chars if id(c) not in taken]))
        else:
            text.append(row)
    return text, margin


def references(row: Any) -> set[str]:
    """The labels a line of text carries raised: its references."""
    out, run = set(), ""
    for ch in [*row.chars, None]:
        if ch is not None and ch.raised:
            run += ch.text
            continue
        if run.strip():
            out.add(label_of(run.strip().strip("[]")))
        run = ""
    return out


def blocks(margin: list[Any], text: list[Any],
           label: Callable[[Any], tuple[str, str] | None]) -> list[Block]:
    """The margin's lines (top to bottom) as notes and glosses. ``label``
    reads the label a line opens with (``pdfsource._row_label``)."""
    out: list[Block] = []
    referred = {mark for r in text for mark in references(r)} if margin else set()
    for row in sorted(margin, key=lambda r: r.top):
        opens = label(row)
        if opens is not None and opens[1] == "superscript" and opens[0] in referred:
            out.append(Block([row], opens[0], opens[1]))
        elif out and row.top - out[-1].rows[-1].bottom < STEP * row.size:
            out[-1].rows.append(row)
        else:
            out.append(Block([row]))
    return out


def gloss_place(gloss: Block, paras: list[Any]) -> int:
    """Where a gloss goes among the page's paragraphs: after the one holding
    the line of text it stands beside (the last at or above its first line),
    so that it parts no paragraph; first, beside a paragraph the page before
    began."""
    top = gloss.rows[0].top
    for k in range(len(paras) - 1, -1, -1):
        if paras[k].kind != "note" and any(r.top <= top and r.page == gloss.rows[0].page
                                           for r in paras[k].rows):
            return k + 1
    return 0
