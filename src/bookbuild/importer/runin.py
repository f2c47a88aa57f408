"""Rule "run-in heading": a heading set at the start of its paragraph's
first line, the text running on after it on the same line.

Articles and papers set their lower headings so: amsart's subsections
("1.1. Title." in bold after a roman number), LaTeX's ``\\paragraph`` in any
class (a bold or italic title, a quad, then the text: the book and article
classes, memoir, Tufte's), and so do many journals. The line is not styled
throughout, so it is no heading line; the styled run opening it is the
heading, of its own level, and the rest of the line opens the paragraph. A
theorem's head ("Theorem 2.1.", "Definition 3.") is bold and run in too, but
it ends with its number, and an exercise's or an item's bold letter ("A.")
is a label: both are the text's, not headings. Italics opening a sentence
(a book's title) are common, so an italic title is one only when a quad
sets it off, a few words at most; and a bold lead-in closed by a stop or a
colon with a word space after it ("Note:") is emphasis: without a quad, only
a section's number makes a bold title a heading.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .pdfread import Glyph

#: A heading's number before its title, set in the text's face or in bold: a
#: section's, dotted ("1.1."); a number alone ("2.") is a numbered item's.
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,4})\.?$")
#: A run-in heading is a title, not a sentence: this many words at most.
MAX_WORDS = 12
#: Marks that close a run-in title (amsart's period, a question's mark).
CLOSING = ".:?!"
#: An italic run-in title is a phrase, not a sentence set in italics.
ITALIC_WORDS = 6
#: Without a closing mark, the title is set off by a quad (LaTeX's
#: ``\\paragraph``: 1 em), far wider than a word space (under 0.5 em) and
#: narrower than the gap between a table's columns (two ems or more).
QUAD_EM = (0.8, 1.5)
#: A quad is fixed where word spaces stretch: wider than the line's median
#: word space by this much, it is no word space of that line.
QUAD_SPACES = 1.4
#: Letters of a word stand within 0.08 em of each other; the tightest
#: justified word space is 0.14 em or more (pdfsource.SPACE_EM's measures).
WORD_GAP_EM = 0.12


@dataclass(frozen=True)
class RunIn:
    """Where a line's run-in heading ends, and its level."""

    end: int  # the index of the first glyph of the text running on
    level: int


def _words(glyphs: list[Glyph]) -> list[str]:
    """The glyphs' words, split where a gap is wider than WORD_GAP_EM."""
    words: list[str] = []
    previous = None
    for g in glyphs:
        if not g.text.strip():
            previous = None
            continue
        if previous is None or g.x0 - previous.x1 > WORD_GAP_EM * previous.size or not words:
            words.append(g.text)
        else:
            words[-1] += g.text
        previous = g
    return words


def _quad(gap: float, text: list[Glyph]) -> bool:
    """Whether ``gap`` is a quad setting a title off from ``text``: about an
    em (``QUAD_EM``), and wider than the text's own word spaces by QUAD_SPACES (a
    justified line in a narrow measure may stretch its spaces to an em)."""
    size = text[0].size
    spaces = [b.x0 - a.x1 for a, b in zip(text, text[1:]) if b.x0 - a.x1 > WORD_GAP_EM * size]
    return QUAD_EM[0] * size <= gap <= QUAD_EM[1] * size \
        and gap > QUAD_SPACES * statistics.median(spaces or [0.0])


def run_in(glyphs: list[Glyph]) -> RunIn | None:
    """The run-in heading opening a paragraph's first line, if it has one:
    a number (optional), then a run of letters in bold (or in italics), then
    text in neither."""
    shown = [i for i, g in enumerate(glyphs) if g.text.strip() and not g.raised]
    first_bold = next((k for k, i in enumerate(shown) if glyphs[i].bold or glyphs[i].italic),
                      None)
    if first_bold is None:
        return None
    style = glyphs[shown[first_bold]].bold, glyphs[shown[first_bold]].italic
    number = _words([glyphs[i] for i in shown[:first_bold]])
    if len(number) > 1 or number and not _NUMBER.match(number[0]):
        return None
    after = next((k for k in range(first_bold, len(shown))
                  if (glyphs[shown[k]].bold, glyphs[shown[k]].italic) != style), None)
    if after is not None and (glyphs[shown[after]].bold or glyphs[shown[after]].italic):
        return None  # the title's style gives way to another style, not to the text's
    if after is None or not any(glyphs[i].text.isalpha() for i in shown[after:]):
        return None
    title = [glyphs[i] for i in shown[first_bold:after]]
    words = _words(title)
    if not number and len(words) > 1 and _NUMBER.match(words[0]):
        number, words = words[:1], words[1:]  # its number set in bold too
    if not any(len(w.rstrip(CLOSING)) > 1 for w in words) or len(words) > MAX_WORDS:
        return None  # no word, or a single letter: an item's or an exercise's label ("A.")
    last = words[-1].rstrip(CLOSING)
    if not last or last[-1].isdigit():
        return None  # a theorem's head ends with its number
    quad = _quad(glyphs[shown[after]].x0 - title[-1].x1, [glyphs[i] for i in shown[after:]])
    if not quad and (last == words[-1] or not style[0] or not number):
        # no quad, and in italics, without a closing mark or without a section's
        # number: a sentence's words, or a bold lead-in ("Note:", "Tip.")
        return None
    if not style[0] and len(words) > ITALIC_WORDS:
        return None
    level = len(_NUMBER.match(number[0]).group(1).split(".")) if number else 3
    return RunIn(shown[after], min(3, max(2, level)))
