"""Rule "verse": lines broken by hand inside a display (a stanza, an epigraph,
a song quoted in a tale) are one paragraph, its lines kept apart by hard
line breaks.

A verse line ends where the poet ended it, not where the measure did, so
every rule that reads a line stopping short as a paragraph's end cut a
stanza into as many paragraphs as it has lines (LaTeX's ``verse`` and a
quotation broken with ``\\\\``; Pandoc reads each stanza as one paragraph
with line breaks). A run of lines is a stanza when they are

- set in from the margin, further than the book's first-line indent (so a
  novel's one-line paragraphs of dialogue, standing at that indent, never
  are one), each starting where its first does or in by a verse's own
  indent (a line hung left of it, an argument's "So:", is not the verse's),
  none opening with an item's label (a list), the first not with a
  description item's term (``pdfsource`` asks: its text hangs under it);
- each stopping short of the display's own right edge (the text's, stood
  in as far as the display stands in on the left: a quotation's margins are
  alike), so a prose quotation's justified lines are none of its lines, nor
  an attribution set flush right under the verse (its own paragraph);
- broken by hand: every break leaves room on the line for the next line's
  first word or opens the next line with a capital, and one break at least
  leaves room (a prose display, ragged or wrapped at its own edge, breaks
  where the next word did not fit, inside a sentence; in a language that
  capitalises its nouns many of its lines open with a capital too), and one
  at least falls inside a sentence (a list of sentences, an argument's
  premises, ends every line with a stop);
- one size, a line's step apart (the book's own: a template may set its
  lines wide), two lines at least: a wider step (a stanza's space) ends the
  stanza;
- no listing's: a listing's lines are short, set in and broken by hand too,
  but set in a fixed-pitch font (``pdfsource`` tells them) or opening with
  a line number, as a verse's never do.

Its first line goes where the other rules put it (opening a paragraph, or
going on a numbered example's item); its other lines go on that paragraph,
each after a hard line break.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


class _Glyph(Protocol):
    text: str
    x0: float
    x1: float
    raised: bool


class Row(Protocol):
    """A printed line, as ``pdfsource`` reads one."""

    size: float
    top: float
    bottom: float
    chars: list[_Glyph]

    @property
    def x0(self) -> float: ...

    @property
    def x1(self) -> float: ...

    @property
    def word_glyphs(self) -> list[list[_Glyph]]: ...

    @property
    def item_start(self) -> float | None: ...


@dataclass(frozen=True)
class Measure:
    """Where a page's lines of text start and end, how far a paragraph's
    first line stands in (None where the book shows no indent), and the gap
    between two lines, in ems of their size, over which they stand apart
    (``pdfsource._Block.gap``: the book's own, rule "wide leading")."""

    left: float
    right: float
    indent: float | None
    gap: float


#: A stanza stands in from the margin by this many ems or more: a display's
#: inset is an em or more (a hung quotation mark moves a line a tenth).
INSET_EM = 0.4
#: Lines start at one place within this many ems (a line opening with a
#: quotation mark stands about 0.1 em left of the others).
ALIGNED_EM = 0.15
#: A verse's own indent: a line may stand this many ems further in than the
#: stanza's first (an indented refrain, alternate lines set in); an
#: attribution set flush right stands much further.
VERSE_INDENT_EM = 2.5
#: A step this many ems wider than the stanza's own is a stanza's space
#: (half a line to a line in the books measured; lines of one stanza step
#: alike to a tenth of a point).
STANZA_STEP_EM = 0.1
#: The word space a line would need before the next line's first word, in ems.
SPACE_EM = 0.25


def stanzas(rows: Sequence[Row], measure: Measure, listed: Callable[[Row], bool]) -> list[list[Row]]:
    """The runs of ``rows`` (a page's lines of text, top to bottom) that are
    stanzas, each two lines or more; a line ``listed`` (a listing's) is none's."""
    found: list[list[Row]] = []
    run: list[Row] = []
    for row in rows:
        if run and not listed(row) and _goes_on(run, row, measure):
            run.append(row)
            continue
        found += _split(run, measure)
        run = [row] if _stands_in(row, measure) and not listed(row) else []
    return found + _split(run, measure)


def goes_over(stanza: Sequence[Row], before: Measure, row: Row, measure: Measure) -> bool:
    """A page's first line goes on the ``stanza`` the page ``before`` ended
    with (lines measured each against its own page's text): it stands in as
    they do, within the verse's own indent, and of their size."""
    inset = min(r.x0 - before.left for r in stanza)
    return _stands_in(row, measure) and abs(row.size - stanza[-1].size) < 0.5 \
        and -ALIGNED_EM * row.size <= row.x0 - measure.left - inset <= VERSE_INDENT_EM * row.size


def _stands_in(row: Row, measure: Measure) -> bool:
    inset = row.x0 - measure.left
    return inset > INSET_EM * row.size and row.item_start is None \
        and (measure.indent is None or abs(inset - measure.indent) >= ALIGNED_EM * row.size) \
        and row.x1 < _edge([row], measure) - ALIGNED_EM * row.size


def _edge(lines: Sequence[Row], measure: Measure) -> float:
    """The display's right edge: the text's, stood in as far as its lines
    furthest left."""
    return measure.right - (min(r.x0 for r in lines) - measure.left)


def _goes_on(run: list[Row], row: Row, measure: Measure) -> bool:
    """``row`` is the next line of ``run``'s stanza: where its first starts or
    in by the verse's own indent (a line hung left of it is an item's label:
    an argument's "So:"), and every line short of the edge all its lines make."""
    first, last = run[0], run[-1]
    lines = [*run, row]
    edge = _edge(lines, measure)
    return abs(row.size - first.size) < 0.5 and _stands_in(row, measure) \
        and -ALIGNED_EM * row.size <= row.x0 - first.x0 <= VERSE_INDENT_EM * row.size \
        and all(r.x1 < edge - ALIGNED_EM * r.size for r in lines) \
        and row.top > last.top and row.top - last.bottom <= measure.gap * row.size


def _split(run: list[Row], measure: Measure) -> list[list[Row]]:
    """``run``'s stanzas: parted where the lines step wider than their
    closest step, each kept if two lines or more broken by hand."""
    if len(run) < 2:
        return []
    steps = [b.top - a.top for a, b in zip(run, run[1:])]
    step = min(steps)
    parts: list[list[Row]] = [[run[0]]]
    for row, gap in zip(run[1:], steps):
        if gap > step + STANZA_STEP_EM * row.size:
            parts.append([])
        parts[-1].append(row)
    return [part for part in parts if len(part) >= 2 and _by_hand(part, _edge(run, measure))
            and not any(_numbered(row) for row in part)]


def _numbered(row: Row) -> bool:
    """The line opens with a line number (a numbered listing's), a word of
    digits only with more words after it."""
    words = row.word_glyphs
    return len(words) > 1 and all(c.text.isdigit() for c in words[0])


def _by_hand(part: list[Row], edge: float) -> bool:
    """Every break leaves room for the next line's first word or opens the
    next line with a capital (as verse opens its lines), one at least leaves
    room (a capital alone opens many a prose line: a sentence's, a noun's in
    German), and one at least falls inside a sentence (verse carries its
    sentences over its lines; a list of sentences, an argument's premises,
    ends each line with a stop)."""
    room = capital = 0
    for a, b in zip(part, part[1:]):
        word = b.word_glyphs[0]
        opening = "".join(c.text for c in word).lstrip(_OPENERS)[:1]
        fits = edge - a.x1 > word[-1].x1 - word[0].x0 + SPACE_EM * b.size
        room += fits
        capital += not fits and opening.isupper()
    return room > 0 and room + capital == len(part) - 1 and any(not _ends_sentence(a) for a in part[:-1])


#: What may open a line before its first letter, and close a sentence after its stop.
_OPENERS, _CLOSERS, _STOPS = "“‘\"'«„‹(", "”’\"')]»›", ".!?…"


def _ends_sentence(row: Row) -> bool:
    text = "".join(c.text for c in row.chars if not c.raised).rstrip().rstrip(_CLOSERS)
    return text.endswith(tuple(_STOPS))


#: A paragraph's first line reaches this share of the measure at least: it
#: went on (a ragged line stops within a word or two of the edge).
FULL_SHARE = 0.8


def first_line_indent(rows: Sequence[Row], left: float, right: float, size: float,
                      gap: float) -> float | None:
    """How far the book's paragraphs indent their first line: the most common
    inset of a line of the text's ``size`` standing in and reaching across the
    measure, over a line at the margin (its paragraph going on: within
    ``gap`` ems below, as in ``Measure``); None in a book that indents none."""
    insets: Counter = Counter()
    for a, b in zip(rows, rows[1:]):
        if abs(a.size - size) < 0.5 and abs(b.size - size) < 0.5 \
                and abs(b.x0 - left) < ALIGNED_EM * size and a.x0 - left > INSET_EM * size \
                and a.x1 - left >= FULL_SHARE * (right - left) \
                and b.top > a.top and b.top - a.bottom <= gap * size:
            insets[round(a.x0 - left)] += 1
    return float(insets.most_common(1)[0][0]) if insets else None
