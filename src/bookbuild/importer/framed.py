"""Rule "a framed box's title": a bold line opening a box is no heading.

Textbooks set summaries, key ideas, definitions and theorems in a drawn box
(LaTeX's ``\\fcolorbox``, ``framed``, ``tcolorbox``), titled by a bold line of
the text's own size. A bold line of the text's size is otherwise read as a
heading (a run-in or body-size sub-heading), which would cut the book's
structure at every box. A box is drawn one of two ways: as a rectangle (a
path, filled or stroked, its extent both wide and tall) or as lines, its
top edge a horizontal stroke with a side drawn down from either of its
ends (``pdfsource._rule`` reads the same edges for the rule over notes).
A band drawn behind a heading alone encloses no line under it: the heading
stays one.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A path this thin (in points) is a line, not a box: a rule's stroke.
THIN = 2.0
#: A box's ends meet its sides within this many points (a stroke's width,
#: a corner's rounding).
CORNER = 2.0


@dataclass(frozen=True)
class Box:
    """A drawn box's extent on its page (points from the top left)."""

    x0: float
    x1: float
    top: float
    bottom: float

    def holds(self, x0: float, x1: float, top: float, bottom: float) -> bool:
        return self.x0 <= x0 and x1 <= self.x1 and self.top <= top and bottom <= self.bottom


#: A rectangle this share of the page's width or wider is the page's own
#: (a border, a background, a bleed), not a box set in the text block.
PAGE_WIDE = 0.95


def drawn_boxes(strokes: list[dict], page_width: float) -> list[Box]:
    """The page's boxes, from its paths' extents (pdfread's strokes): each
    rectangle narrower than the page (a page's border or background is
    none), and each top edge with a side down from one of its ends."""
    def box(s: dict) -> Box:
        return Box(s["x0"], s["x1"], s["top"], s["bottom"])

    wide = [s for s in strokes if s["x1"] - s["x0"] >= THIN and s["bottom"] - s["top"] >= THIN
            and s["x1"] - s["x0"] < PAGE_WIDE * page_width]
    edges = [s for s in strokes if s["bottom"] - s["top"] < THIN and s["x1"] - s["x0"] >= THIN]
    sides = [s for s in strokes if s["x1"] - s["x0"] < THIN and s["bottom"] - s["top"] >= THIN]
    framed = [Box(edge["x0"], edge["x1"], edge["top"], side["bottom"])
              for edge in edges for side in sides
              if min(abs(side["x0"] - edge["x0"]), abs(side["x1"] - edge["x1"])) < CORNER
              and abs(side["top"] - edge["top"]) < CORNER]
    return [box(s) for s in wide] + framed


def boxed(line: tuple[float, float, float, float], below: tuple[float, float, float, float]
          | None, boxes: list[Box]) -> bool:
    """Whether a line (x0, x1, top, bottom) stands in a box that holds the
    line under it too (``below``): the box's title, not the book's heading."""
    return below is not None and any(b.holds(*line) and b.holds(*below) for b in boxes)
