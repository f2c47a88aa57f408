"""Read a print PDF into ``Line``s, using what a text extraction loses.

``pdfread`` gives every character with its font, size and place (PDFium's). From those: a raised, smaller run is a note reference (in the text)
or a note label (in the footnote area), and so is a run of the font's own
superior figures (``pdfread``'s rule "superior figures"); an italic font is
emphasis; a line set larger than the text is a heading; the footnote area is what lies below
the rule over the notes (or, without a rule, the smaller lines closing the
page); running heads and page numbers are the lines at the top or bottom
edge whose place and wording (numbers aside) repeat from page to page. The
PDF's outline, when it has one, names the chapters. A paragraph or a note
cut by a page break is joined here, where the layout says so for certain.
Where a decision rests on weak evidence (a display's breaks, small type or
columns read as text, a float, a wide glyph, a narrow space), the reader
says so: a ``Doubt`` at the page and line, for import-report.md.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from ..errors import BookbuildError
from . import (bitmapweight, chapterlabel, columns, described, folioline, folios, framed,
               glyphclasses, hyphens, leading, margins, narrow, pdfread, runin, verse)
from .inline import (CODE_CLOSE, CODE_OPEN, EM_CLOSE, EM_OPEN, SYMBOLS, label_of, ref, references,
                     sub)
from .pdfread import UNMAPPED, Glyph as _Char
from .source import BRACKET_REF, Doubt, Line, Source, page_line

#: Lines of a paragraph stand less than this many ems of their size apart
#: (leading is a fifth to a half of an em); a wider gap is a blank line
#: between blocks (a paragraph's space, a display's, a heading's).
GAP_EM = 0.9
#: A line standing in from a column by this many ems or more is indented: a
#: paragraph's indent or a display's is an em or more, while a justified or
#: ragged line's start moves a tenth or two (a hung quotation mark, protrusion).
INDENT_EM = 0.4
#: A raised run this much smaller than its line is a reference or a label.
SUPER_SIZE = 0.85
#: Rule "a label one size smaller": a glyph this much smaller than its line
#: (TeX's size steps are 0.83 to 0.9 of each other) and raised HIGH_RAISE of
#: the line's size (a superscript's shift is 0.35 to 0.45 em; small capitals,
#: a smaller word on the line, stand on its baseline) is raised.
ONE_SIZE_SMALLER = 0.95
HIGH_RAISE = 0.3
#: A letter this much larger than the page's text, beside its lines, is a drop cap.
DROP_CAP = 1.6
#: Rule "bold by its stems": a font whose stems PDFium weighs this many times
#: the text font's is bold (bold against regular: Computer Modern 1.58 at
#: 9 pt, Typst's and XeTeX's weights 1.7 to 1.8; a regular face at 5 pt
#: against one at 9 or 10 pt, heavier to be read small, 1.2 to 1.3).
BOLD_STEMS = 1.4
#: Rule "a centred title under a display": a centred line standing in this
#: share of the measure on each side is short, a title's length.
CENTRED_INSET = 0.25
#: A line this much larger than the text, or bold throughout, is a heading.
HEADING_SIZE = 1.12
#: Rule "italic heading a size up": a line set in italics throughout, this much
#: larger than the text or more, is a heading (Tufte's subsections: 11 points
#: over 10; LaTeX's next size up from 10 points is 10.95). Italics at the
#: text's size are emphasis, an epigraph, a quotation.
ITALIC_HEADING_SIZE = 1.05
#: Word spaces on justified lines: a gap is a space when it is wider than the
#: line's own letter spacing by this much (in ems). Letters sit at their
#: kerning, within 0.08 em of it in the books measured, while the tightest
#: justified line still spaces its words 0.14 em or more; a fixed gap of
#: 0.2 em ran the words of tight lines together.
SPACE_EM = 0.1
#: A reference or an index sits against its word, past the glyph's own side
#: bearing (0.17 em in the books measured); a space there is wider still.
SCRIPT_SPACE_EM = 0.2
#: Rule "italic correction": after a word set in italic, TeX kerns upright
#: text (a hyphen, a bracket) by the slant's overhang, so it starts where
#: the italic's ink ends (within this many ems): an italic "f" overhangs its
#: advance by 0.2 em, the width of a tight word space, but a word space
#: there would end at the ink only by chance.
ITALIC_CORRECTION_EM = 0.03
#: Lines of a block quote or a display start within this much (in ems) of
#: each other: an opening quotation mark's side bearing sets a line that
#: starts with one about 0.1 em left of the others.
ALIGNED_EM = 0.15
#: A font is fixed-pitch (a listing's) when this many different letters of it
#: all advance by one width: a proportional face's "i" and "m" never do, and
#: figures alone (tabular in most faces) say nothing.
FIXED_PITCH_LETTERS = 6
#: Rule "display breaks": a display's lines stepping this much (in ems) more
#: than the page's lines do are set apart as paragraphs are; within it, they
#: step as a paragraph's lines do. (A book that sets its examples' paragraphs
#: apart does so by a fraction of a line, far less than a blank line.)
STEP_EM = 0.05
#: Rule "small type": a line set this much smaller than the text, among the
#: text's lines, is a caption's, a table's or a figure's as often as the text's.
SMALL_TYPE = 0.95
#: Rule "float": a caption's label, its first word and number ("Table 2.1",
#: "Figure 1", "Tableau 3"), as the text refers to it.
_CAPTION_KEY = re.compile(r"^(\w+\s+\d+(?:[.-]\d+)*)(?=[\s.:–—-]|$)")
#: Rule "narrow space": a space at a change of face (italic to roman) this much
#: narrower than the line's other word spaces may be the italic's correction.
NARROW_SPACE = 0.8
#: Marks set close up to the word before them, in the languages the tests
#: cover (French sets a thin space before "?!:;»", so they are not here).
_AFTER_ITALIC = frozenset("-‐)],.’”")
#: Rule "wide letter": a glyph read as one letter this many times wider than
#: that letter usually is in its font is a ligature of more letters (small
#: capitals stand 1.5 to 1.7 times as wide as the lower case they share a font with).
WIDE_LETTER = 1.9
#: Rule "numbered heading": a heading's number alone on its first line (a
#: long title set unhyphenated in a narrow measure broke after it) goes on
#: with the title's line below it, as a long line would.
_HEADING_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,7})\.?$")
_LABEL = re.compile(rf"^(?:\[(\d{{1,3}})\]|(\d{{1,3}})\.?|([{re.escape(SYMBOLS)}]{{1,3}}))$")


@dataclass
class _Row:
    """One printed line: its characters left to right and its extent."""

    chars: list[_Char]
    top: float
    bottom: float
    size: float  # the size of its full-size characters
    page: int = 0
    index: int = 0  # its place on the page, from the top
    left: float | None = None  # where it starts for its indent, if not at its first glyph

    @property
    def x0(self) -> float:
        return self.chars[0].x0 if self.left is None else self.left

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def bold(self) -> bool:
        return self._all("bold")

    @property
    def italic(self) -> bool:
        return self._all("italic")

    def _all(self, style: str) -> bool:
        """Whether every glyph of its text (a reference aside) is set in ``style``."""
        letters = [c for c in self.chars if c.text.strip() and not c.raised]
        return bool(letters) and all(getattr(c, style) for c in letters)

    def words(self) -> str:
        return self.plain

    @cached_property
    def plain(self) -> str:
        """Its text, rendered once: the rules for running heads, headings,
        notes and hyphens each ask for it."""
        return _render(self.chars, plain_text=True, spacing=self.letter_spacing,
                       tracked=self.tracked)

    @cached_property
    def letter_spacing(self) -> float:
        """``_letter_spacing`` of its characters, once: each rendering of the
        line and each reading of its words measures by it."""
        return _letter_spacing(self.chars)

    @cached_property
    def tracked(self) -> dict[int, float]:
        """``glyphclasses.letter_spaced`` of its characters, once, as its spacing."""
        return glyphclasses.letter_spaced(self.chars, self.letter_spacing, SPACE_EM)

    @cached_property
    def word_glyphs(self) -> list[list[_Char]]:
        """``_word_glyphs``, once: the rules for items, ragged lines and glosses
        ask it of the same lines again and again (a gloss of every line of its
        example so far, for each line)."""
        return _word_glyphs(self)

    @cached_property
    def item_start(self) -> float | None:
        """``_item_text_start``, once: the rules for items ask it of a
        paragraph's first line for every line that follows."""
        return _item_text_start(self)


@dataclass
class _Para:
    kind: str  # "text", "heading", "note", "code"
    rows: list[_Row]
    page: int
    label: str | None = None
    level: int = 0
    label_style: str = "superscript"  # a note's label: "superscript", "bracket", "symbol", "number"
    floating: bool = False  # a figure's caption or a gloss: the text flows on past it
    caption: bool = False  # a figure's caption (rule "figure"), its image not imported
    term: int = 0  # its first glyphs are a description item's term (rule "description list")
    kept: set[int] = field(default_factory=set)  # ids of its rows that open a line kept (rule "verse")


def read_pdf_source(path: Path, language: str | None = None) -> Source:
    with pdfread.Reading(path) as pdf:
        # rule "text set in columns": a page in two columns is read in its parts
        read = list(pdf.pages(_font_style))
        _bold_by_stems(read)
        bitmapweight.mark_bold(read)
        _name_hyphens([page.glyphs for page in read])
        pages, drawn = [], {}
        for page, rows, strokes, images in columns.read_in_columns(
                [(page, _page_rows(page.glyphs, page.number)) for page in read], _page_rows):
            pages.append((rows, _rule(strokes, page.height, page.width), page.height, images,
                          page.number))
            drawn[page.number] = framed.drawn_boxes(strokes, page.width)
        outline = pdf.outline()
        document = pdf.document()
    rows_all = [r for rows, *_ in pages for r in rows]
    if not rows_all:
        raise BookbuildError("the PDF has no text (a scan needs OCR first)", path, code="import-unreadable")
    fixed = _fixed_pitch([c for r in rows_all for c in r.chars])
    # the text's size is its prose's: a book of long listings sets them smaller,
    # and a book heavy with notes may set more words in them than in its text
    # (rule "text above its notes": the size is read above each page's note
    # rule, or in a page's upper half where it has none)
    prose = [r for rows, rule, height, *_ in pages for r in rows
             if r.top < (rule if rule is not None else height / 2)] or rows_all
    body = _sizes(c.size for r in prose for c in r.chars
                  if not c.raised and c.font not in fixed) \
        or _sizes(c.size for r in prose for c in r.chars)
    body_size = body.most_common(1)[0][0]
    kinds = _page_kinds([(number, rows) for rows, *_, number in pages], body_size)
    gap = leading.paragraph_gap([rows for rows, *_ in pages], body_size, GAP_EM)
    blocks = _text_blocks([(number, rows) for rows, *_, number in pages], kinds, body_size, gap)
    widths = _letter_widths(rows_all)
    spaced = _displays_spaced([(number, rows) for rows, *_, number in pages], blocks)
    # furniture first, on whole lines: a folio or running head set in the
    # outer margin is the page's, not a margin's gloss
    furniture = _furniture([rows for rows, *_ in pages], body_size)
    paras: list[_Para] = []
    doubts: list[Doubt] = []
    removed = 0
    foot = _text_feet(pages, kinds, furniture, body_size)
    steps = [step for rows, *_ in pages if (step := _line_step(rows, body_size, gap))]
    line = statistics.median(steps) if steps else 1.2 * body_size  # the text's line step
    short = False  # whether the text of the page before ended short of its foot
    for rows, rule, height, images, number in pages:
        kept = [r for r in rows if id(r) not in furniture]
        removed += len(rows) - len(kept)
        text, outside = margins.split(kept, blocks[number].left, blocks[number].right,
                                      body_size)
        # a page of notes after a short one: a line went on with its note
        page = _page_paragraphs(text, rule, number, blocks, height, paras, fixed, images,
                                short and rule is None, drawn[number])
        doubts += _page_doubts(page, paras, number, blocks[number], spaced) \
            + _wide_letters(kept, widths) + _figures(page)
        paras += _with_margin(page, _lines_of(outside, number, len(rows)), text)
        ended = _text_end(text, images)
        if ended is not None:  # a page of notes may end short: a line went on with its note
            short = rule is None and ended < foot[number] - PAGE_SHORT_LINES * line
    doubts += _floated(paras, body_size)
    paras = _terms_over_text(_description_lists(paras, fixed, gap), body_size)
    code_fonts = _inline_code_fonts(rows_all, fixed)
    vocabulary = hyphens.Vocabulary([r.words() for r in rows_all], language,
                                    _addresses_as_code(rows_all, code_fonts))
    lines = _lines(paras, vocabulary, doubts, code_fonts)
    markers = _markers(paras)
    if markers == "bracket":  # "[1]" in the text, set on the line like any word
        lines = [replace(ln, text=BRACKET_REF.sub(lambda m: ref(m.group(1)), ln.text))
                 if ln.kind not in ("note", "code") else ln for ln in lines]
    return Source(lines, vocabulary, tuple(outline), document, tuple(doubts), removed, markers,
                  paged=True, folios=_folios(pages, furniture))


def _folios(pages: list, furniture: set[int]) -> folios.Folios:
    """Rule "folios kept": each page's folio, (PDF page, printed number), read
    off the furniture taken out of it, for the contents list's page numbers.
    A running head may hold a number of its own (a chapter's) beside the
    folio: of two, the one whose distance from the PDF's page number the
    book's other folios share most is the folio."""
    found: dict[int, list[str]] = {}
    for rows, *_, number in pages:
        for row in rows:
            words = row.words().split()
            if id(row) in furniture and words:
                found.setdefault(number, []).extend(
                    w for w in dict.fromkeys((words[0], words[-1])) if folios.FOLIO.match(w))
    shifts = Counter(folios.shift(page, w) for page, ws in found.items() for w in ws)
    return tuple((page, max(ws, key=lambda w: shifts[folios.shift(page, w)]))
                 for page, ws in sorted(found.items()) if ws)


def _inline_code_fonts(rows: list[_Row], fixed: frozenset[str]) -> frozenset[str]:
    """The fixed-pitch fonts whose runs in a line of prose are code (rule
    "inline code" in ``_render``): none in a book whose prose is itself set
    in a typewriter face (the font most of its lines open with is fixed)."""
    if not fixed:
        return fixed
    opening = Counter(r.chars[0].font for r in rows if r.chars).most_common(1)
    return frozenset() if opening and opening[0][0] in fixed else fixed


def _addresses_as_code(rows: list[_Row], code_fonts: frozenset[str]) -> bool:
    """Whether the book sets web addresses as code (the url package's
    typewriter face): a line's glyphs in those fonts hold a "://"."""
    return bool(code_fonts) and any(
        "://" in "".join(c.text for c in r.chars if c.font in code_fonts) for r in rows)


def _sizes(sizes: Iterable[float]) -> Counter:
    """How many characters are set at each size, to a tenth of a point: each
    distinct size rounded once, not once for each of a page's thousands of
    characters (the sizes come first in the order they are met, as they
    would be counted one by one, so a tie goes the same way)."""
    out: Counter = Counter()
    for size, count in Counter(sizes).items():
        out[round(size, 1)] += count
    return out


def _rule(strokes: list[dict], height: float, width: float) -> float | None:
    """The top of the rule over the footnotes: a short horizontal line below
    the page's first lines (long notes can push it above the middle); the
    lowest, should the page draw others. Rule "framed box": the edge of a
    box (a theorem's, a summary's), a side drawn down from or up to either
    of its ends, is no rule over notes, however short."""
    sides = [s for s in strokes if s["x1"] - s["x0"] < 2 and s["bottom"] - s["top"] >= 2]
    rules = [ln["top"] for ln in strokes
             if abs(ln["bottom"] - ln["top"]) < 2 and ln["top"] > height * 0.15
             and ln["x1"] - ln["x0"] < width * 0.6
             and not any(min(abs(s["x0"] - ln["x0"]), abs(s["x1"] - ln["x1"])) < 2
                         and s["top"] - 2 <= ln["top"] and ln["bottom"] <= s["bottom"] + 2
                         for s in sides)]
    return max(rules) if rules else None


#: Rule "hyphens by other names": what a font's table may map its hyphen glyph
#: to (XeLaTeX with some OpenType fonts): U+2010, the non-breaking U+2011.
_OTHER_HYPHENS = frozenset("\u2010\u2011")


def _name_hyphens(pages: list[list[_Char]]) -> None:
    """Rule "hyphens by other names": in a book whose printed lines end with
    U+2010 or U+2011 more often than with "-", the font maps its
    hyphen glyph there, and every one of them is read as "-" (the line-end
    rules then decide); a book that breaks its lines with "-" keeps them as
    the non-breaking hyphens it set on purpose (a page range "53‑59")."""
    ends: Counter = Counter()
    for glyphs in pages:
        hyphens_here = [g for g in glyphs if g.text == "-" or g.text in _OTHER_HYPHENS]
        if not hyphens_here:
            continue
        line_ends: dict[int, float] = {}
        for g in glyphs:  # each baseline's rightmost glyph ends its printed line
            key = round(g.bottom)
            line_ends[key] = max(line_ends.get(key, g.x1), g.x1)
        ends.update(g.text != "-" for g in hyphens_here if g.x1 >= line_ends[round(g.bottom)])
    if ends[True] > ends[False]:
        for glyphs in pages:
            for g in glyphs:
                if g.text in _OTHER_HYPHENS:
                    g.text = "-"


def _page_rows(chars: list[_Char], number: int) -> list[_Row]:
    """The page's characters as printed lines: the largest characters fix
    each line's extent, and a smaller character beside them joins the line
    its middle falls in: raised (a reference), lowered (a subscript) or on
    the baseline (small capitals). A drop cap is taken out first and put
    back at the start of its line."""
    # A hyphen glyph often maps to a soft hyphen in the font's table: it is
    # a hyphen either way, and the rules for line ends decide.
    for ch in chars:
        if hyphens.SOFT_HYPHEN in ch.text:
            ch.text = ch.text.replace(hyphens.SOFT_HYPHEN, "-")
    caps = _drop_caps(chars)
    capped = {id(ch) for cap in caps for ch in cap}
    rows = _arrows_over(glyphclasses.low_quotes(
        _lines_of([c for c in chars if id(c) not in capped])))
    for cap in caps:
        _put_back(cap, rows)
    rows = _wrapped_references(rows, chars)
    for index, row in enumerate(rows, start=1):
        row.page, row.index = number, index
    return rows


#: Rule "arrows over letters": what a vector's arrow is drawn with (TeX
#: builds a long one from a minus and an arrowhead).
_ARROW_MARKS = frozenset("−-→←↔\u20d7")
_ARROWS = frozenset("→←↔\u20d7")
#: An arrow over a letter is one glyph, or a few pieces of one.
_ARROW_PIECES = 4


def _arrows_over(rows: list[_Row]) -> list[_Row]:
    """Rule "arrows over letters": a vector's arrow, set over its letter in
    a line of text (a wide line spacing leaves it room), is found as a line
    of its own, which would end the paragraph there; a line of arrow
    pieces alone whose glyphs reach down into the line under it, above its
    glyphs, is part of that line, set where it stands."""
    out: list[_Row] = []
    for k, row in enumerate(rows):
        below = rows[k + 1] if k + 1 < len(rows) else None
        texts = {c.text for c in row.chars}
        if below is not None and len(row.chars) <= _ARROW_PIECES and texts <= _ARROW_MARKS \
                and texts & _ARROWS and below.top < row.bottom < below.bottom \
                and below.x0 <= row.x0 and row.x1 <= below.x1:
            below.chars = sorted(below.chars + row.chars, key=attrgetter("x0"))
            continue
        out.append(row)
    return out


def _lines_of(chars: list[_Char], page: int = 0, after: int = 0) -> list[_Row]:
    """Characters as printed lines, top to bottom, their glyphs left to right
    and their scripts marked (see ``_page_rows``); numbered on ``page`` from
    ``after`` on."""
    found = _Found()
    rounded = {size: -round(size, 1) for size in {c.size for c in chars}}  # each size once
    for ch in sorted(chars, key=lambda c: (rounded[c.size], c.top)):
        middle = (ch.top + ch.bottom) / 2
        for row in found.across(middle):
            if row.top - 0.5 <= middle <= row.bottom + 0.5 \
                    and (ch.size >= row.size * SUPER_SIZE or _beside(ch, row)):
                row.chars.append(ch)
                break
        else:
            found.add(_Row([ch], ch.top, ch.bottom, ch.size))
    rows = _abutting(found)
    rows.sort(key=lambda r: r.top)
    for index, row in enumerate(rows, start=after + 1):
        row.chars.sort(key=attrgetter("x0"))
        row.chars = glyphclasses.compose_accents(row.chars)
        row.page, row.index = page, index
        # the full-size glyphs' common foot: a symbol font's glyph, the line's
        # largest, stands on the baseline itself (``pdfread.DEEPEST_DESCENT``)
        baseline = statistics.median_low(c.bottom for c in row.chars
                                         if c.size >= row.size * SUPER_SIZE)
        before: _Char | None = None
        for ch in row.chars:
            smaller = ch.size < row.size * SUPER_SIZE
            ch.raised = ch.superior or smaller and ch.bottom < baseline - 0.15 * row.size \
                or _raised_a_size_smaller(ch, row.size, baseline)
            # a subscript hangs from the glyph before it (a word in a smaller
            # size set apart, as in a table's cells, is no subscript)
            ch.lowered = smaller and ch.bottom > baseline + 0.08 * row.size \
                and before is not None and (before.lowered or before.size >= row.size * SUPER_SIZE) \
                and ch.x0 - before.x1 <= SCRIPT_SPACE_EM * row.size
            before = ch
        glyphclasses.logo_letters(row.chars)
    return rows


def _raised_a_size_smaller(ch: _Char, size: float, baseline: float) -> bool:
    """Rule "a label one size smaller": TeX sets a note's label in the
    note's own size step down (a 7-point note, a 6-point label: 0.86 of it,
    too near for SUPER_SIZE), but raised as high as any superscript; so a
    glyph smaller at all and raised that high over the line's ``baseline``
    (its full-size glyphs' foot, not its deepest glyph's) is a reference or a label."""
    return ch.size < size * ONE_SIZE_SMALLER and ch.bottom < baseline - HIGH_RAISE * size


def _abutting(found: _Found) -> list[_Row]:
    """Rule "a smaller face on the line": the glyphs of a smaller face set
    among a line's text and symbols (TeX's documentation: a command's name
    in typewriter type a size down, its arguments in italics and angle
    brackets) join the line glyph by glyph only beside what it holds so far
    (``_beside``), so the run's first glyphs, further from it, made a line
    of their own. Such a line of smaller glyphs, its middle within a line's
    height and its glyphs reaching within an em and a half of that line's,
    goes on it. (A side note set that near the text joins its line here too;
    rule "margin notes" takes it out of the text block afterwards.)"""
    rows, gone = found.rows, set()
    for row in rows:  # the largest first, as found
        middle = (row.top + row.bottom) / 2
        start, end = min(c.x0 for c in row.chars), max(c.x1 for c in row.chars)
        for line in found.across(middle):
            if line is row or id(line) in gone or row.size >= line.size * SUPER_SIZE \
                    or not line.top - 0.5 <= middle <= line.bottom + 0.5:
                continue
            reach = 1.5 * line.size
            if start <= max(c.x1 for c in line.chars) + reach \
                    and end >= min(c.x0 for c in line.chars) - reach:
                line.chars += row.chars
                gone.add(id(row))
                break
    return [row for row in rows if id(row) not in gone]


class _Found:
    """The lines of a page as ``_lines_of`` finds them, indexed by bands of the
    page's height, so that a character is tried against the few lines
    across its middle, not all of the page's (a page of 60 lines and 4,000
    characters made that scan a third of an import): the lines of its band
    come in the order they were found, so the first that takes it is the one
    a scan of them all would find. A line whose reach is not finite or spans
    more than WIDE bands (a hostile PDF's) is tried for every character."""

    BAND = 4.0  # points
    WIDE = 100

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self._bands: dict[int, list[_Row]] = {}
        self._wide: list[_Row] = []
        self._order: dict[int, int] = {}  # a line's place in ``rows``, by its id

    def add(self, row: _Row) -> None:
        self._order[id(row)] = len(self.rows)
        self.rows.append(row)
        low, high = row.top - 0.5, row.bottom + 0.5
        if not (math.isfinite(low) and math.isfinite(high)) or high - low > self.WIDE * self.BAND:
            self._wide.append(row)
            return
        for band in range(math.floor(low / self.BAND), math.floor(high / self.BAND) + 1):
            self._bands.setdefault(band, []).append(row)

    def across(self, middle: float) -> list[_Row]:
        """The lines that may reach ``middle``, in the order they were found."""
        if not math.isfinite(middle):
            return self.rows
        near = self._bands.get(math.floor(middle / self.BAND), [])
        if not self._wide:
            return near
        return sorted(near + self._wide, key=lambda row: self._order[id(row)])


def _beside(ch: _Char, row: _Row) -> bool:
    """A smaller character belongs to a line it stands beside (within an em
    and a half of its text: a note's label hung in a column of its own), not
    to one across a margin (a side note)."""
    em = 1.5 * row.size
    return min(c.x0 for c in row.chars) - em <= ch.x1 and ch.x0 <= max(c.x1 for c in row.chars) + em


def _drop_caps(chars: list[_Char]) -> list[list[_Char]]:
    """Drop caps (rule "drop capital"): a letter (with a quotation mark or
    two) set at least DROP_CAP times the page's text size, alone at that size
    on its line, with two or more lines of text beside it to its right: the
    large first letter of a chapter's first paragraph, not a heading."""
    sizes = _sizes(c.size for c in chars if c.text.strip())
    if not sizes:
        return []
    text = sizes.most_common(1)[0][0]
    if max(sizes) + 0.1 < DROP_CAP * text:  # (sizes to a tenth of a point) none large enough
        return []
    large = sorted((c for c in chars if c.size >= DROP_CAP * text and c.text.strip()),
                   key=lambda c: (round(c.top), c.x0))
    runs: list[list[_Char]] = []
    for ch in large:
        if runs and abs(runs[-1][-1].top - ch.top) < 1 and ch.x0 - runs[-1][-1].x1 < 0.3 * ch.size:
            runs[-1].append(ch)
        else:
            runs.append([ch])
    caps = []
    for run in runs:
        top, bottom, right = run[0].top, max(c.bottom for c in run), run[-1].x1
        beside = {round(c.bottom) for c in chars if abs(c.size - text) < 0.5
                  and top <= (c.top + c.bottom) / 2 <= bottom and c.x0 >= right - 1}
        if len(run) <= 3 and any(c.text.isalpha() for c in run) and len(beside) >= 2:
            caps.append(run)
    return caps


def _put_back(cap: list[_Char], rows: list[_Row]) -> None:
    """The drop cap opens the first line beside it, at that line's size;
    the lines beside it start, for their indent, where it starts. When the
    first line starts where the others beside the cap start, the gap after
    the cap is the layout's, not a word space: the cap is set against its
    word ("Y|ear"); a first line standing further in follows a word ("A| keeper")."""
    top, bottom, right = cap[0].top, max(c.bottom for c in cap), cap[-1].x1
    beside = [r for r in rows if top <= (r.top + r.bottom) / 2 <= bottom and r.x0 >= right - 1]
    if not beside:
        return
    first = beside[0]
    lead = [replace(c, size=first.size, top=first.top, bottom=first.bottom) for c in cap]
    if len(beside) > 1 and abs(first.x0 - beside[1].x0) < ALIGNED_EM * first.size:
        shift = first.x0 - lead[-1].x1
        lead = [replace(c, x0=c.x0 + shift, x1=c.x1 + shift) for c in lead]
    first.chars[:0] = lead
    for row in beside:
        row.left = cap[0].x0


def _wrapped_references(rows: list[_Row], chars: list[_Char]) -> list[_Row]:
    """A reference the line break sent alone onto the next line (its
    paragraph ends with it): a line of a few small digits or note symbols
    right under a line of text, starting no further left than that line, is
    its last reference (a listing's closing brace on its own line is none,
    nor a note's label hung left of the notes' lines)."""
    sizes = _sizes(c.size for c in chars)
    text_size = sizes.most_common(1)[0][0] if sizes else 0.0
    out: list[_Row] = []
    for row in rows:
        # (its size first: the line's text is joined only for a small line)
        if out and row.size < text_size * SUPER_SIZE \
                and 0 < len(marker := "".join(c.text for c in row.chars).strip()) <= 3 \
                and all(c.isdigit() or c in SYMBOLS + "[]" for c in marker) \
                and row.chars[0].x0 >= out[-1].x0 - 1 \
                and row.top - out[-1].bottom < 0.8 * out[-1].size:
            for ch in row.chars:
                ch.raised = True
            out[-1].chars.extend(row.chars)
            continue
        out.append(row)
    return out


def _style(fontname: str) -> tuple[bool, bool]:
    """(italic, bold) as the font's name says, for a font that does not
    describe itself."""
    name = fontname.split("+", 1)[-1].casefold()
    return ("italic" in name or "oblique" in name), ("bold" in name or "black" in name)


def _font_style(font) -> tuple[bool, bool]:
    """(italic, bold) of a ``pdfglyphs.Font``, from its name and its font
    descriptor: a slanted italic angle or the italic flag, the force-bold
    flag. Names abbreviate their style in ways no list holds (Libertine's
    "_RI" is italic, "_RZ" semibold); the descriptor is what the PDF format
    itself says (and ``_bold_by_stems``, what it says of the stems)."""
    italic, bold = _style(font.name)
    return (italic or font.italic_angle != 0 or bool(font.flags & 64),
            bold or bool(font.flags & 0x40000))


def _bold_by_stems(pages: list[pdfread.Page]) -> None:
    """Rule "bold by its stems": TeX's own fonts name their weight in a code
    ("CMBX9" is Computer Modern bold) and set no flag, but their descriptor
    gives their stems' width, which PDFium reads as a weight. A font whose
    stems are BOLD_STEMS times the text font's is bold; measured against the
    book's own text font, as drivers that convert fonts (dvips through
    Ghostscript) write stem widths that say nothing, a regular face's
    heavier than its bold one's. A fixed-pitch face (a listing's, drawn with
    even, heavy stems) is another design, not a bold one."""
    counts = Counter(g.font for page in pages for g in page.glyphs)
    fonts = {name: font for page in pages for name, font in page.fonts.items()}
    text = fonts.get(counts.most_common(1)[0][0]) if counts else None
    if text is None or not text.weight:
        return
    fixed = _fixed_pitch([g for page in pages for g in page.glyphs])
    heavy = {name for name, font in fonts.items()
             if font.weight >= BOLD_STEMS * text.weight and name not in fixed}
    for page in pages:
        for glyph in page.glyphs:
            glyph.bold = glyph.bold or glyph.font in heavy


def _furniture(pages: list[list[_Row]], body_size: float) -> set[int]:
    """Running heads and page numbers: a page's first or last line whose
    place on the page, and whose words with numbers taken out, recur on
    other pages; or a lone number at the edge; or a line whose number
    counts on with the pages (``folioline``)."""
    def key(row: _Row) -> str:
        return " ".join(re.sub(r"\d+|\b[ivxlc]+\b", "#", row.words().casefold()).split())

    # A running head stands apart: a line's height or more from the text it
    # heads or closes (a short last line of text does not).
    edges, apart = [], set()
    for rows in pages:
        for row, neighbour in ((rows[0], rows[1:2]), (rows[-1], rows[-2:-1])) if rows else ():
            edges.append((row, round(row.top)))
            if neighbour and abs(neighbour[0].top - row.top) - row.size >= 0.8 * body_size:
                apart.add(id(row))
    places = Counter(top for _, top in edges)
    keys = Counter(key(row) for row, _ in edges if id(row) in apart)
    out = folioline.folio_lines(pages, body_size)
    for row, top in edges:
        if row.size > body_size * 1.05:  # larger than the text: a heading, not a running head
            continue
        repeated_place = places[top] >= 2 and len(pages) > 2
        if key(row) == "#" or (repeated_place and id(row) in apart and keys[key(row)] >= 2):
            out.add(id(row))
    # A running head at the place of the others whose words do not recur (a
    # chapter's only head) is furniture too.
    heads = {top for row, top in edges if id(row) in out}
    for rows in pages:
        if rows and round(rows[0].top) in heads and len(rows) > 1 and id(rows[0]) not in out \
                and rows[0].size <= body_size * 1.05 \
                and rows[1].top - rows[0].bottom > 0.8 * body_size:
            out.add(id(rows[0]))
    return out


@dataclass(frozen=True)
class _Block:
    """The text block of the book's pages: where lines of text start and end."""

    size: float  # the text's type size
    left: float
    right: float
    gap: float = GAP_EM  # in ems: a wider gap parts two paragraphs (rule "wide leading")
    # how far a paragraph's first line stands in (``verse.first_line_indent``): a
    # line standing in by it opens a paragraph, so the rule "verse" reads no
    # stanza there (a novel's one-line turns of dialogue); None: no indent seen
    indent: float | None = None


def _measures(row: _Row, body_size: float) -> bool:
    """Whether the line measures the text block: a line of text, no heading,
    running head or folio."""
    return abs(row.size - body_size) < 0.5 and len(row.chars) > 20


def _text_block(rows: list[_Row], body_size: float) -> _Block:
    body = [r for r in rows if _measures(r, body_size)]
    if not body:
        return _Block(body_size, 0.0, 0.0)
    extents = [margins.text_extent(r) for r in body]  # a margin note beside a line left out
    left = Counter(round(x0) for x0, _ in extents).most_common(1)[0][0]
    ends = sorted(x1 for _, x1 in extents)
    right = ends[int(len(ends) * 0.9)]
    return _Block(body_size, float(left), right)


#: Rule "page ends short": a page without notes whose text stops this many
#: of its lines (the text's own line step, single or double spaced) above its
#: foot ended its last paragraph there (a chapter's or the book's last page),
#: however full that paragraph's last line is. A page left a line or two short
#: (a widow or an orphan kept off it) still runs on, and so does a page with
#: notes, or one followed by a page with notes: a line taken on to the next
#: page with its note leaves it short.
PAGE_SHORT_LINES = 3


def _text_end(text: list[_Row], images: list[dict] | tuple) -> float | None:
    """Where the text of a page without notes (and any figure in it) ends."""
    return max([r.bottom for r in text] + [image["bottom"] for image in images], default=None)


def _text_feet(pages: list, kinds: dict[int, tuple[int, bool]], furniture: set[int],
               body_size: float) -> dict[int, float]:
    """The foot of the text block of each page, by its number: the lowest a
    page of its kind (``_page_kinds``) of text without notes (five lines or
    more) ends."""
    feet: dict[tuple[int, bool], list[float]] = {kind: [] for kind in kinds.values()}
    for rows, rule, _height, _images, number in pages:
        body = [r.bottom for r in rows if id(r) not in furniture and abs(r.size - body_size) < 0.5]
        if len(body) >= 5 and rule is None:
            feet[kinds[number]].append(max(body))
    whole = max((f for kind in feet.values() for f in kind), default=float("inf"))
    return {number: max(feet[kind], default=whole) for number, kind in kinds.items()}


def _page_kinds(pages: list[tuple[int, list[_Row]]], body_size: float
                ) -> dict[int, tuple[int, bool]]:
    """Each page's kind, by its number, for the text block and foot it is
    measured by: odd or even (a book's margins mirror, the inside wider, so a
    verso's lines start and end further left than a recto's; one block for
    both made a verso's full lines look short), and in columns or not (rule
    "text set in columns": a paper's columns, each read where the left one
    stands, by that column's edges and foot, though its appendices run the
    width of the page). A page read in columns (in parts) is in columns, and
    so is a page read whole whose lines fit its side's columns (a chapter's
    last page, its text in the left column)."""
    parts = Counter(number for number, _ in pages)
    lines: dict[int, list[_Row]] = {}
    for number, rows in pages:
        lines.setdefault(number, []).extend(rows)
    columns_block = {side: _text_block([r for number, rows in lines.items()
                                        if number % 2 == side and parts[number] > 1
                                        for r in rows], body_size)
                     for side in (0, 1)}
    kinds = {}
    for number, rows in lines.items():
        column = columns_block[number % 2]
        kinds[number] = (number % 2, parts[number] > 1 or bool(column.right) and all(
            r.x1 <= column.right + body_size for r in rows if _measures(r, body_size)))
    return kinds


def _text_blocks(pages: list[tuple[int, list[_Row]]], kinds: dict[int, tuple[int, bool]],
                 body_size: float, gap: float = GAP_EM) -> dict[int, _Block]:
    """The text block of each page, by its number, measured on the pages of
    its kind (``_page_kinds``); a kind with no body text takes the whole book's.
    Each parts paragraphs by the book's ``gap`` (rule "wide leading"), which
    the verse rule's first-line indent is measured at too.
    Only the blocks the pages are read by carry the paragraphs' first-line
    indent (the rule "verse" measures a page's lines by it): measuring it
    costs a pass over the rows, wasted on blocks only compared (columns')."""
    def indented(rows: list[_Row]) -> _Block:
        block = replace(_text_block(rows, body_size), gap=gap)
        return replace(block, indent=verse.first_line_indent(
            rows, block.left, block.right, body_size, gap)) if block.right else block

    rows_of: dict[tuple[int, bool], list[_Row]] = {}
    for number, rows in pages:
        rows_of.setdefault(kinds[number], []).extend(rows)
    blocks = {kind: indented(rows) for kind, rows in rows_of.items()}
    if not all(b.right for b in blocks.values()):
        whole = indented([r for _, rows in pages for r in rows])
        blocks = {kind: block if block.right else whole for kind, block in blocks.items()}
    return {number: blocks[kind] for number, kind in kinds.items()}


def _page_paragraphs(rows: list[_Row], rule: float | None, page: int,
                     blocks: dict[int, _Block], height: float,
                     before: list[_Para], fixed: frozenset[str] = frozenset(),
                     images: list[dict] | tuple = (), before_short: bool = False,
                     drawn: list[framed.Box] | tuple = ()) -> list[_Para]:
    """The page's text paragraphs and headings, then its notes. A line opens
    a paragraph when it is indented, set apart, or follows a short line; a
    heading's line goes on the line before only if that one was long (a title
    wrapped), so a title page keeps its lines apart. A paragraph the page
    before left full goes on: full to that page's own text block, as a
    recto's and a verso's lines end at different places, and a page whose
    text ended short of its foot (``before_short``: rule "page ends short")
    ended its paragraph there. A bold line in a ``drawn`` box is the box's
    title, no heading (rule "a framed box's title"). Text set to a box's own
    narrower measure beside a figure is measured by the box's edges
    (``narrow``: rule "a block set to its own narrower measure")."""
    block = blocks[page]
    body_size = block.size
    under = next((r for r in rows if rule is not None and r.top > rule), None)
    if under is not None and under.size >= body_size * 0.95:
        rule = None  # rule "notes set small": a line over text of the text's size is the text's
    if rule is not None:
        text_rows = [r for r in rows if r.top < rule]
        note_rows = [r for r in rows if r.top > rule]
    else:  # no rule: the smaller lines closing the page, from one that opens a note
        cut = len(rows)
        while cut and rows[cut - 1].size < body_size * 0.95 and rows[cut - 1].top > height / 2 \
                and not _listed(rows[cut - 1], fixed):
            cut -= 1
        while cut < len(rows) and _row_label(rows[cut]) is None:
            cut += 1
        text_rows, note_rows = rows[:cut], rows[cut:]
    left, right = block.left, block.right
    # rule "a block set to its own narrower measure" (a listing's lines measure nothing)
    boxes = narrow.measures([r for r in text_rows if not _listed(r, fixed)], left, right, body_size)
    # rule "verse": a stanza's lines go on the paragraph its first line is in, kept apart
    # (no description item's: its text hangs under its term)
    going_on = {id(r) for s in verse.stanzas(text_rows, _measure(page, blocks), lambda r: _listed(r, fixed))
                if not described.term_length(s[0].chars, fixed) for r in s[1:]}
    paras: list[_Para] = []
    previous: _Row | None = None
    for at, row in enumerate(text_rows):
        cut = next((p for p in reversed(before) if p.kind != "note" and not p.floating), None)
        if paras and paras[-1].floating and row.top - paras[-1].rows[-1].bottom < block.gap * row.size:
            paras[-1].rows.append(row)  # the caption goes on
            continue
        if _caption(row, images):
            paras.append(_Para("text", [row], page, floating=True, caption=True))
            continue
        flowing = [p for p in paras if not p.floating]
        listing = flowing[-1] if flowing else cut  # the listing cut by the page break goes on
        if _listed(row, fixed, listing is not None and listing.kind == "code"):
            if listing is not None and listing.kind == "code":
                listing.rows.append(row)
            else:
                paras.append(_Para("code", [row], page))
            previous = row
            continue
        below = text_rows[at + 1] if at + 1 < len(text_rows) else None
        # a line standing apart from the line above: the page's first, a gap
        # over it, or a heading above it (a chapter's label opens a heading)
        alone = previous is None or row.top - previous.bottom > block.gap * row.size \
            or bool(flowing) and flowing[-1].kind == "heading" and flowing[-1].rows[-1] is previous
        in_box = narrow.full(row, boxes)
        narrower = in_box if narrow.short_of(in_box, right, body_size) else None
        heading = row.size >= body_size * HEADING_SIZE or (
            row.bold and len(row.words()) < 120 and narrower is None
            and not framed.boxed(_extent(row), below and _extent(below), drawn)) \
            or row.italic and row.size >= body_size * ITALIC_HEADING_SIZE \
            or alone and _label_over_title(row, below, body_size)
        kind = "heading" if heading else "text"
        last = flowing[-1] if flowing else None
        # rule "a block set to its own narrower measure": a box's first line
        # is set apart from a paragraph of the page's measure before it
        gap = previous is not None and row.top - previous.bottom > block.gap * row.size \
            or narrower is not None and last is not None and narrow.apart(last.rows, narrower)
        # a block quote's lines stand in on both sides: a long line there is full
        quoted = previous is not None and previous.x0 > left + INDENT_EM * row.size \
            and abs(row.x0 - previous.x0) < ALIGNED_EM * row.size \
            and previous.x1 - previous.x0 > 0.75 * (right - left)
        box = narrow.full(previous, boxes) if previous is not None else None
        indented = row.x0 > (previous.x0 if quoted else box.left if box else left) \
            + INDENT_EM * row.size
        # a paragraph of a quote or a display (all its lines standing in) ends its
        # lines at its own right edge, the furthest they have reached: set ragged,
        # a display's stops short of the text's. (Standing in under a line at the
        # margin, they are a hanging indent's: a line there is full.)
        inside = quoted and last is not None \
            and abs(last.rows[0].x0 - previous.x0) < ALIGNED_EM * row.size
        end = max(r.x1 for r in last.rows) if inside else right
        # a paragraph's indented first line: the next starts at the margin, further left
        opening = last is not None and last.rows == [previous] and last.kind == "text" \
            and previous.x0 > left + INDENT_EM * row.size
        short = previous is not None and (inside or not quoted) and box is None \
            and _ends_short(previous, end, body_size, None if inside else row, opening)
        host = last if last is not None else cut  # the paragraph the line above is in
        if kind == "text" and id(row) in going_on and host is not None and host.kind == kind \
                and host.rows[-1] is previous:
            host.rows.append(row)
            host.kept.add(id(row))
        elif last and last.kind == kind == "heading" and not gap and abs(
                _face_size(last.rows[-1]) - _face_size(row)) < 0.5 \
                and (last.rows[-1].x1 - last.rows[-1].x0 >= 0.6 * (right - left)
                     or _HEADING_NUMBER.match(last.rows[-1].words())) \
                or last and last.kind == kind == "heading" and _number_over_title(last, row):
            last.rows.append(row)
        elif last and last.kind == kind == "text" and not (gap or short) \
                and (not indented and not _outdented(last, row, blocks, body_size)
                     or _hangs(last, row, blocks, body_size)
                     or _under_label(last, row)) and not _next_item(last, row) \
                and not (quoted and _next_turn(previous, row)) \
                or last and last.kind == kind == "text" and not gap \
                and (_glossed(last, row)
                     or _broken_by_hand(last, row) and not _centred_title(row, left, right)):
            last.rows.append(row)
        elif last and last.kind == kind == "text" and not gap and previous is last.rows[-1] \
                and _centred(previous, row, left, right):
            last.rows.append(row)
        elif not flowing and kind == "text" and cut is not None and cut.kept and not before_short \
                and verse.goes_over([r for r in cut.rows if id(r) in cut.kept],
                                    _measure(cut.rows[-1].page, blocks), row, _measure(page, blocks)):
            cut.rows.append(row)  # rule "verse": the stanza cut by the page break goes on
            cut.kept.add(id(row))
        elif not flowing and kind == "text" and cut is not None and cut.kind == "text" \
                and not before_short and not (narrower and narrow.apart(cut.rows, narrower)) \
                and ((not indented and not _outdented(cut, row, blocks, body_size)
                      or _hangs(cut, row, blocks, body_size) or _under_label(cut, row))
                     and _full(cut, blocks[cut.rows[-1].page].right, body_size, row)
                     or _quote_goes_on(cut, row, blocks, body_size)):
            cut.rows.append(row)  # the paragraph cut by the page break goes on
        elif kind == "text" and not (below and _hangs_under(row, below, block.gap)) \
                and (head := runin.run_in(row.chars)) is not None:
            title, row = _run_in_split(row, head.end)
            paras += [_Para("heading", [title], page, level=head.level),
                      _Para("text", [row], page)]
        else:
            paras.append(_Para(kind, [row], page, level=_level(row, body_size)))
        previous = row
    notes = _notes(note_rows, page, before, paras)
    return paras + notes


def _measure(page: int, blocks: dict[int, _Block]) -> verse.Measure:
    """Page ``page``'s text block as the rule "verse" measures lines against it."""
    block = blocks[page]
    return verse.Measure(block.left, block.right, block.indent, block.gap)


def _stands_in(row: _Row, start: _Row) -> bool:
    """``row`` starts an indent (INDENT_EM) right of where ``start`` does:
    it hangs under it."""
    return row.x0 > start.x0 + INDENT_EM * row.size


def _hangs_under(row: _Row, below: _Row, gap: float) -> bool:
    """The line under ``row``, close under it (less than ``gap`` ems below),
    stands in from it: ``row`` opens an item whose lines hang (a description
    list's term, however it is closed or set off), not a paragraph under a
    run-in heading."""
    return below.top - row.bottom < gap * row.size and _stands_in(below, row)


def _run_in_split(row: _Row, end: int) -> tuple[_Row, _Row]:
    """Rule "run-in heading" (``runin``): the line's heading, without the
    mark that runs it in (a stop, a colon), and the rest of the line, which
    starts its paragraph where the line starts for its indent."""
    title = row.chars[:end]
    while title and (not title[-1].text.strip() or title[-1].text in ".:"):  # "?" stays
        title = title[:-1]
    return (_Row(title, row.top, row.bottom, row.size, row.page, row.index),
            _Row(row.chars[end:], row.top, row.bottom, row.size, row.page, row.index, left=row.x0))


_ITALIC_NUMBER = re.compile(f"{EM_OPEN}([^{EM_CLOSE}]*){EM_CLOSE}")


def _extent(row: _Row) -> tuple[float, float, float, float]:
    return row.x0, row.x1, row.top, row.bottom


def _face_size(row: _Row) -> float:
    """Rule "a title mixing faces": the size most of a line's letters are set
    at. A second family scaled to the first's lower case (a sans name in a
    serif title, fontspec's ``Scale=MatchLowercase``) sets its letters a few
    per cent larger or smaller, and the line's size, its largest glyph's,
    would part a title's lines by it, as if two headings."""
    sizes = Counter(round(c.size, 1) for c in row.chars if c.text.strip() and not c.raised)
    return sizes.most_common(1)[0][0] if sizes else row.size


def _number_over_title(heading: _Para, row: _Row) -> bool:
    """Rule "chapter number over its title" (display chapter heads: memoir's,
    the book class's): a heading that is a number alone, set at a size of
    its own, or a chapter's label ("Chapter 3": ``chapterlabel``), goes on
    with the heading line under it, up to three of that line's sizes
    further down."""
    number = heading.rows[-1]
    return len(heading.rows) == 1 and (bool(_HEADING_NUMBER.match(number.words()))
                                       or chapterlabel.is_label(number.words())) \
        and 0 <= row.top - number.bottom < 3 * row.size


def _label_over_title(row: _Row, below: _Row | None, body_size: float) -> bool:
    """Rule "chapter label over its title", a label set as the text is
    (small capitals at the text's size): a chapter's label alone on its
    line heads the heading line just under it (bold or set large). The
    caller asks that the label stand apart from the line above: a
    paragraph's last line may read "Chapter 3." over a section's heading."""
    return below is not None and (below.bold or below.size >= body_size * HEADING_SIZE) \
        and 0 <= below.top - row.bottom < 3 * below.size and chapterlabel.is_label(row.words())


def _doubt(row: _Row, message: str, confidence: float = 0.5) -> Doubt:
    return Doubt(page_line(row.page, row.index), message, confidence)


def _figures(page: list[_Para]) -> list[Doubt]:
    """Rule "figure", told: the import keeps a figure's caption where it
    stood, not its image, so a person must put the picture back."""
    return [_doubt(p.rows[0], "a figure's caption: the image above it is not imported", 0.3)
            for p in page if p.caption]


def _in_text(row: _Row, owner: dict[int, _Para]) -> bool:
    """A line of a text paragraph that flows (no heading, listing or caption)."""
    para = owner.get(id(row))
    return para is not None and para.kind == "text" and not para.floating


def _page_doubts(page: list[_Para], before: list[_Para], number: int, block: _Block,
                 spaced: bool) -> list[Doubt]:
    """The doubts of page ``number``'s paragraphs (and of the one the page
    before left open, going on), read from its lines in their order."""
    cut = next((p for p in reversed(before) if p.kind != "note" and not p.floating), None)
    owner = {id(r): p for p in (*([cut] if cut else []), *page) if p.kind != "note"
             for r in p.rows}
    rows = sorted((r for p in (*([cut] if cut else []), *page) if p.kind != "note"
                   for r in p.rows if r.page == number), key=attrgetter("top"))
    return _display_breaks(rows, owner, block, spaced) \
        + _small_type(rows, owner, block.size) + _columns(page)


def _line_step(rows: list[_Row], body_size: float, gap: float) -> float | None:
    """The step from a line of the text to the next on the page, the most
    common (blank lines, wider than ``gap`` ems, aside)."""
    steps = Counter(round(b.top - a.top, 1) for a, b in zip(rows, rows[1:])
                    if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5
                    and b.top - a.bottom <= gap * body_size)
    return steps.most_common(1)[0][0] if steps else None


def _displays_spaced(pages: list[tuple[int, list[_Row]]], blocks: dict[int, _Block]) -> bool:
    """Whether the book sets a display's paragraphs apart by a little more
    than a line (rule "display breaks"): most of its displays' items (a line
    opening with its label, under a line standing in) stand so, three at least."""
    apart = Counter()
    for number, rows in pages:
        block = blocks[number]
        step = _line_step(rows, block.size, block.gap)
        for a, b in zip(rows, rows[1:]):
            if step is not None and abs(a.size - block.size) < 0.5 \
                    and abs(b.size - block.size) < 0.5 and b.top - a.bottom <= block.gap * block.size \
                    and _ITEM_LABEL.match(b.plain.split(" ", 1)[0]) and b.item_start is not None \
                    and (a.item_start or a.x0) - block.left > INDENT_EM * block.size:
                apart[b.top - a.top - step > STEP_EM * block.size] += 1
    return apart[True] >= 3 and apart[True] > apart[False]


def _display_breaks(rows: list[_Row], owner: dict[int, _Para], block: _Block,
                    spaced: bool) -> list[Doubt]:
    """Rule "display breaks": the lines of a display (a quote, a numbered
    example, a dialogue) are set ragged and broken by hand, so their lengths,
    which decide where its paragraphs end, are weak evidence. How far apart
    its lines stand is better, in a book that sets a display's paragraphs
    apart by a little more than its line step (``_displays_spaced``): a line
    joined to the line above though it stands that much further below, or
    set apart though it steps as a paragraph's lines do after a line ending
    a sentence (a dialogue's turn, a premise, broken by hand; a table's cells,
    their lines opening in lower case, break anyway), is doubtful. In a
    book that does not, a line set apart after one that ends no sentence (a
    line of verse, an address, broken by hand) is. Two lines at the body's
    paragraph indent are two paragraphs, not a display; a line opening with
    its own label is the next item for certain; lines of another size (small
    type) step by their own measure; an interlinear gloss's lines go on by
    their columns (``_glossed``), not their steps."""
    left, body_size = block.left, block.size
    step = _line_step(rows, body_size, block.gap)
    if step is None:
        return []
    paras = {id(p): p for p in owner.values()}.values()
    indents = Counter(round(p.rows[0].x0 - left) for p in paras
                      if p.kind == "text" and len(p.rows) > 1
                      and abs(p.rows[1].x0 - left) < INDENT_EM * body_size)
    indent = indents.most_common(1)[0][0] if indents else None
    found = []
    for a, b in zip(rows, rows[1:]):
        start = a.item_start or a.x0
        if not (_in_text(a, owner) and _in_text(b, owner)) or b.item_start is not None \
                or max(abs(a.size - body_size), abs(b.size - body_size)) >= 0.5 \
                or b.top - a.bottom > block.gap * body_size \
                or abs(b.x0 - start) >= ALIGNED_EM * body_size \
                or b.x0 - left <= INDENT_EM * body_size \
                or indent is not None and abs(b.x0 - left - indent) < ALIGNED_EM * body_size:
            continue
        apart = b.top - a.top - step > STEP_EM * body_size
        joined = owner[id(a)] is owner[id(b)]
        if spaced and joined and apart and not any(
                _in_columns(x, y) for x, y in zip(owner[id(a)].rows, owner[id(a)].rows[1:])):
            found.append(_doubt(b, "a display's line (a quote's, an example's) joined to the line "
                                "above, though it stands further below than its lines do: "
                                "it may open a paragraph of its own"))
        elif not joined and (not apart and _ends_clause(a) and _opens_sentence(b) if spaced
                             else not _ends_clause(a)):
            found.append(_doubt(b, "a display's line (a quote's, an example's) taken to open a "
                                "paragraph, though " + ("it steps as its lines do" if spaced else
                                                        "the line above ends no sentence")
                                + ": it may go on with the line above, broken by hand"))
    return found


def _opens_sentence(row: _Row) -> bool:
    """Whether a line opens as a sentence does: a capital, or a quotation mark."""
    first = row.plain.lstrip()[:1]
    return first.isupper() or first in "“‘\"'«„"


def _ends_clause(row: _Row) -> bool:
    """Whether a line ends a sentence or a clause (a stop, a colon, a semicolon)."""
    text = "".join(c.text for c in row.chars if not c.raised).rstrip().rstrip(_CLOSERS)
    return text.endswith((*_STOPS, ":", ";"))

def _small_type(rows: list[_Row], owner: dict[int, _Para], body_size: float) -> list[Doubt]:
    """Rule "small type": lines set smaller than the text among its lines,
    not under the notes' rule: a table's, a figure's labels or a caption as
    often as the text's, read as running text. One doubt for a run of them."""
    found = []
    for before, row in zip([None, *rows], rows):
        small = row.size < SMALL_TYPE * body_size and _in_text(row, owner)
        if small and not (before is not None and before.size < SMALL_TYPE * body_size
                          and _in_text(before, owner)):
            found.append(_doubt(row, "lines set smaller than the text, read as running text: "
                                "a caption, a table or a figure's labels?"))
    return found


def _columns(paras: list[_Para]) -> list[Doubt]:
    """Rule "columns": a paragraph's line starting two ems or more right of
    the line above, under one of its words (not past its labels, not a
    gloss's word for word): lines set in a table's columns, read as running
    text. One doubt for a paragraph."""
    found = []
    for para in paras:
        if para.kind != "text":
            continue
        for a, b in zip(para.rows, para.rows[1:]):
            if a.page == b.page and b.x0 > (a.item_start or a.x0) + 2 * b.size \
                    and any(abs(w[0].x0 - b.x0) < ALIGNED_EM * b.size for w in a.word_glyphs[1:]) \
                    and not _in_columns(a, b):
                found.append(_doubt(b, "lines set in columns (a table's?) read as running text"))
                break
    return found


def _letter_widths(rows: list[_Row]) -> dict[tuple[str, str], float]:
    """Rule "wide letter": how wide, in ems, each letter of each font usually
    is (the median of its glyphs' advances, a letter met five times at least);
    glyphs of a ligature the PDF's reader parted (sharing one box) left out."""
    seen: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        for ch, width in _single_letters(row):
            seen.setdefault((ch.font, ch.text), []).append(width)
    return {key: statistics.median(found) for key, found in seen.items() if len(found) >= 5}


def _single_letters(row: _Row) -> list[tuple[_Char, float]]:
    """The row's glyphs that are one letter each, with a box of their own
    that the next glyph starts where it ends: its advance, measured (in ems).
    (A glyph before a gap may be measured to its ink, an "f"'s overhang and
    all.) Every glyph of the book passes here twice: plain loops."""
    chars = row.chars
    found = []
    for k in range(len(chars) - 1):
        ch, after = chars[k], chars[k + 1]
        if after.x0 == ch.x1 and len(ch.text) == 1 and ch.text.isalpha() and ch.size \
                and ch.x0 != after.x0 and (k == 0 or chars[k - 1].x0 != ch.x0):
            found.append((ch, (ch.x1 - ch.x0) / ch.size))
    return found


def _wide_letters(rows: list[_Row], widths: dict[tuple[str, str], float]) -> list[Doubt]:
    """Rule "wide letter": a glyph read as one letter but WIDE_LETTER times as
    wide as that letter usually is in its font is a ligature (small capitals'
    "qu" read as "q"): its text may lack letters."""
    found = []
    for row in rows:
        wide = [ch.text for ch, width in _single_letters(row)
                if width > WIDE_LETTER * widths.get((ch.font, ch.text), math.inf)]
        if wide:
            found.append(_doubt(row, f"a glyph read as {wide[0]!r} is as wide as two letters: a "
                                "ligature whose other letters may be missing"))
    return found


def _with_margin(paras: list[_Para], margin: list[_Row], text: list[_Row]) -> list[_Para]:
    """The page's paragraphs with its margin's (rule "margin notes", see
    ``margins``): its notes after its paragraphs, as footnotes stand, each a
    gloss after the paragraph it stands beside, floating past it."""
    for block in margins.blocks(margin, text, _row_label):
        if block.label is not None:
            paras.append(_Para("note", block.rows, block.rows[0].page, label=block.label,
                               label_style=block.label_style))
        else:
            paras.insert(margins.gloss_place(block, paras),
                         _Para("text", block.rows, block.rows[0].page, floating=True))
    return paras


def _fixed_pitch(chars: list[_Char]) -> frozenset[str]:
    """Rule "code listing": the fonts whose letters all advance by one width
    (FIXED_PITCH_LETTERS different ones at least), measured on the glyphs
    themselves; a font's name or its descriptor's flag is not always there
    (LuaTeX's OpenType fonts set neither). A font without widths (a broken
    PDF's) advances by none: no pitch."""
    widths: dict[str, dict[str, float]] = {}
    for ch in chars:
        if ch.text.isalpha() and ch.size:
            widths.setdefault(ch.font, {})[ch.text] = (ch.x1 - ch.x0) / ch.size
    return frozenset(font for font, seen in widths.items()
                     if len(seen) >= FIXED_PITCH_LETTERS and min(seen.values()) > 0
                     and max(seen.values()) - min(seen.values()) < 0.01)


def _listed(row: _Row, fixed: frozenset[str], going_on: bool = False) -> bool:
    """A line of a listing: every glyph it shows in a fixed-pitch font; a
    lone glyph (a closing brace) only in a listing already going on."""
    shown = [c for c in row.chars if c.text.strip()]
    return len(shown) >= (1 if going_on else 2) and all(c.font in fixed for c in shown)


def _code(para: _Para) -> str:
    """A listing's lines as printed: the spaces before a glyph as many as the
    font's widths in the gap before it (from the listing's left edge on its
    page for the first), and a blank line where the lines stand apart by two
    steps or more. Gaps, not columns: a glyph the font lacks (drawn by its
    .notdef) has a width of its own."""
    lines: list[str] = []
    previous: _Row | None = None
    steps = [b.top - a.top for a, b in zip(para.rows, para.rows[1:]) if b.page == a.page]
    step = min(steps, default=0.0)
    for row in para.rows:
        shown = [c for c in row.chars if c.text.strip()]
        pitch = statistics.median(c.x1 - c.x0 for c in shown if c.text != UNMAPPED) \
            if any(c.text != UNMAPPED for c in shown) else para.rows[0].size / 2
        left = min(r.chars[0].x0 for r in para.rows if r.page == row.page)
        if previous is not None and previous.page == row.page and step:
            lines += [""] * max(0, round((row.top - previous.top) / step) - 1)
        line, end = "", left
        for ch in shown:
            line += " " * max(0, round((ch.x0 - end) / pitch)) + ch.text
            end = ch.x1
        lines.append(line)
        previous = row
    return "\n".join(lines)


def _caption(row: _Row, images: list[dict]) -> bool:
    """Rule "figure": a line centred under an image, within three lines of
    it, is its caption; the text flows on past the figure (a paragraph cut
    by it goes on after it)."""
    middle = (row.x0 + row.x1) / 2
    return any(0 <= row.top - image["bottom"] < 3 * row.size
               and abs(middle - (image["x0"] + image["x1"]) / 2) < row.size
               for image in images)


def _centred(previous: _Row, row: _Row, left: float, right: float) -> bool:
    """Rule "centred lines" (a caption, an epigraph): a line whose middle is
    the middle of the line above, a long one standing in from the margin
    (the line broke there), and which stands in from it by an em or more on
    both sides, goes on from it. (Lines of a list that differ a little in
    length stand in no more than their labels do.)"""
    def middle(r: _Row) -> float:
        return (r.x0 + r.x1) / 2

    return previous.x0 > left + INDENT_EM * row.size and row.x0 > previous.x0 + row.size \
        and previous.x1 - previous.x0 > 0.6 * (right - left) \
        and abs(middle(previous) - middle(row)) < 0.2 * row.size


def _hangs(para: _Para, row: _Row, blocks: dict[int, _Block], body_size: float) -> bool:
    """Rule "hanging indent" (bibliographies, glossaries, list items): a
    paragraph whose first line starts at the margin and whose other lines
    stand in by one same amount goes on with a line standing in by that
    amount; an indent there does not open a paragraph."""
    def inset(r: _Row) -> float:
        return r.x0 - blocks[r.page].left

    indent = inset(row)
    return abs(inset(para.rows[0])) < INDENT_EM * body_size and indent > INDENT_EM * body_size \
        and all(abs(inset(r) - indent) < 1 for r in para.rows[1:])


def _outdented(para: _Para, row: _Row, blocks: dict[int, _Block], body_size: float) -> bool:
    """Rule "hanging indent", its other half: in a paragraph whose first line
    starts at the margin and whose other lines stand in, a line back at the
    margin opens the next entry, however full the line before, on the page
    or past a page break (lines measured each against its own page's block)."""
    def inset(r: _Row) -> float:
        return r.x0 - blocks[r.page].left

    return len(para.rows) > 1 and abs(inset(row)) < INDENT_EM * body_size \
        and _hangs(_Para(para.kind, para.rows[:-1], para.page), para.rows[-1], blocks, body_size)


def _quote_goes_on(cut: _Para, row: _Row, blocks: dict[int, _Block], body_size: float) -> bool:
    """Rule "quote across a page break": a quote's paragraph, its lines
    standing in from both edges of the text by one amount, goes on with the
    next page's first line standing in by that amount when its last line
    reached the quote's own right edge."""
    def inset(r: _Row) -> float:
        return r.x0 - blocks[r.page].left

    def right_inset(r: _Row) -> float:
        return blocks[r.page].right - r.x1

    rows = cut.rows
    edge = min(right_inset(r) for r in rows)
    return len(rows) > 1 and inset(rows[0]) > INDENT_EM * body_size and edge > INDENT_EM * body_size \
        and all(abs(inset(r) - inset(rows[0])) < ALIGNED_EM * r.size for r in (*rows, row)) \
        and right_inset(rows[-1]) <= edge + 0.5 * body_size


#: A printed label of a list item or numbered example: "(1)", "(14b)", "a.",
#: "(a)", "iv.", "1.", a bullet or dash, a dialogue's speaker ("A:", "B₂:").
#: Rule "bullets of any shape": a book's list style may mark its items with
#: a round, square or triangular bullet, or an angle ("›", "▸").
_ITEM_LABEL = re.compile(
    r"^(?:\(\d{1,3}[a-z]?\)|\(?[a-z]\)|[a-z]\.|[ivx]{1,4}\.|\d{1,3}\.|[•◦▪▫■□●○∙‣▸▹►▻›–—]"
    r"|[A-Z]\d?:)$")


def _word_glyphs(row: _Row) -> list[list[_Char]]:
    """A line's words, each as its glyphs, parted where ``_render`` puts spaces."""
    words: list[list[_Char]] = [[]]
    spacing, tracked = row.letter_spacing, row.tracked
    for k, (a, b) in enumerate(zip([None, *row.chars], row.chars)):
        if b.text == " " or (a is not None and a.text != " "
                             and _spaced(a, b, tracked.get(k, spacing))):
            if words[-1]:
                words.append([])
        if b.text != " ":
            words[-1].append(b)
    return [w for w in words if w]


def _item_text_start(row: _Row) -> float | None:
    """Where the text of a line opening with item labels ("(1) a.") starts,
    past the labels; None for a line that opens with none."""
    words = row.word_glyphs
    labels = 0
    while labels < len(words) - 1 and _ITEM_LABEL.match("".join(c.text for c in words[labels])):
        labels += 1
    return words[labels][0].x0 if labels else None


def _next_item(para: _Para, row: _Row) -> bool:
    """Rule "next item": in a paragraph opened by item labels, a line opening
    with its own labels left of where the paragraph's text starts is the next
    item, however long the line before (a long item looks like a quote's line)."""
    start = para.rows[0].item_start
    return start is not None and row.item_start is not None \
        and row.x0 < start - ALIGNED_EM * row.size


def _under_label(para: _Para, row: _Row) -> bool:
    """Rule "hung item label" (numbered examples, lists): a paragraph whose
    first line opens with its labels ("(1) a. When Jones ...") goes on with a
    line that starts where the text after those labels starts, as its other
    lines do; an indent there does not open a paragraph."""
    start = para.rows[0].item_start
    return start is not None and all(abs(r.x0 - start) < ALIGNED_EM * r.size
                                     for r in (*para.rows[1:], row))


def _ends_short(line: _Row, end: float, body_size: float, following: _Row | None,
                opening: bool = False) -> bool:
    """Whether a line ends a paragraph by stopping short of its edge ``end``:
    by more than 1.5 ems, and by room enough for the following line's first
    word (rule "ragged lines": a line set ragged, as examples, captions and
    narrow columns are, stops short wherever the next word did not fit). A
    following line that starts further left (a hanging indent's next entry)
    opens a paragraph whatever fits, unless ``line`` is the indented first
    line of its paragraph (``opening``: text set ragged right with indented
    paragraphs, Tufte's, goes on at the margin); an edge that is only the
    furthest a display's lines reached (no ``following``) cannot say what
    would have fit."""
    room = end - line.x1
    if room <= 1.5 * body_size:
        return False
    if following is None or not opening and following.x0 < line.x0 - ALIGNED_EM * body_size:
        return True
    first = following.word_glyphs[0]
    return first[-1].x1 - first[0].x0 + 0.25 * body_size < room


def _in_columns(upper: _Row, lower: _Row) -> bool:
    """Whether a line's words start where the words of the line above start
    (three at least, and most of its own): a gloss set word for word under
    the words it glosses."""
    starts = [w[0].x0 for w in upper.word_glyphs]
    below = [w[0].x0 for w in lower.word_glyphs]
    aligned = sum(1 for x in below if any(abs(x - s) < ALIGNED_EM * lower.size for s in starts))
    return aligned >= 3 and aligned >= 0.6 * len(below)


def _glossed(para: _Para, row: _Row) -> bool:
    """Rule "interlinear gloss" (a linguistic example: a line of the source
    language, its gloss word for word below it, then its translations): in
    an item, a line under the item's text set in columns with the line above
    goes on, and so does every line under that text after it, however short
    the lines (they are broken by hand, one example all the same)."""
    if not _under_label(para, row):
        return False
    lines = [*para.rows, row]
    return any(_in_columns(a, b) for a, b in zip(lines, lines[1:]))


#: What closes a sentence, and what may stand after its stop (a closing
#: quotation mark or bracket).
_STOPS, _CLOSERS = ".!?…", "”’\"')]»"
#: A line opening with a bracket (a source, a comment on an example) or with a
#: speaker's name and a colon (one turn of a dialogue: "Dentist:").
_ITEM_LINE = re.compile(r"^(?:[(\[]|\w[\w.’'-]*:(?:\s|$))")


def _broken_by_hand(para: _Para, row: _Row) -> bool:
    """Rule "item broken by hand" (a numbered example's verse, dialogue or
    comment): in an item, a line with no label of its own standing under the
    item's text (where its text starts, or further in, as verse indents its
    lines) goes on the item, however short the line above, when that line
    stops inside a sentence (the break is the verse's) or the line opens
    with a bracket or a speaker's name and a colon (a comment or a turn set
    on a line of its own). A line under the text after one that ends a
    sentence, opening in no such way, is the item's next paragraph (prose
    quoted in an example), and a line left of the text (the margin, the
    body's indent, the next label) is not the item's."""
    start = para.rows[0].item_start
    if start is None or row.item_start is not None \
            or any(r.x0 < start - ALIGNED_EM * r.size for r in (*para.rows[1:], row)):
        return False
    before = "".join(c.text for c in para.rows[-1].chars if not c.raised).rstrip().rstrip(_CLOSERS)
    return not before.endswith(tuple(_STOPS)) or bool(_ITEM_LINE.match(row.words()))


def _centred_title(row: _Row, left: float, right: float) -> bool:
    """Rule "a centred title under a display": a line standing in from both
    edges of the text block alike (within an em) and by CENTRED_INSET of the
    measure or more opens a paragraph of its own (a title set centred: a
    paper's section under a numbered display that ended its page's
    paragraph), not a line an item broke by hand and goes on with (verse
    stands in from the left only as far as its indents)."""
    inset_left, inset_right = row.x0 - left, right - row.x1
    return abs(inset_left - inset_right) < row.size \
        and min(inset_left, inset_right) >= CENTRED_INSET * (right - left)


#: What opens a quotation at a line's start (a straight mark says not which way it goes).
_OPENERS = "“„«‹"


def _next_turn(previous: _Row, row: _Row) -> bool:
    """Rule "dialogue turn": in a display set apart from both margins (its
    lines all start at one place, so no indent says where a paragraph
    starts), a line that opens a quotation after a line that closes a
    sentence opens the next speaker's turn, however full the line before."""
    before = "".join(c.text for c in previous.chars if not c.raised).rstrip().rstrip(_CLOSERS)
    return before.endswith(tuple(_STOPS)) and row.words().lstrip().startswith(tuple(_OPENERS))


def _full(para: _Para, right: float, body_size: float, following: _Row) -> bool:
    return not _ends_short(para.rows[-1], right, body_size, following)


def _level(row: _Row, body_size: float) -> int:
    return 1 if row.size >= body_size * 1.3 else 2


def _notes(rows: list[_Row], page: int, before: list[_Para], paras: list[_Para]) -> list[_Para]:
    """The footnote area's notes: a line opening with a label starts one; the
    area's first lines without a label end the last note of the page before."""
    notes: list[_Para] = []
    left = min((r.x0 for r in rows), default=0.0)
    for row in rows:
        label = _row_label(row)
        earlier = notes[-1] if notes else next((p for p in reversed(before) if p.kind == "note"),
                                               None)
        if label is not None and label[1] == "number" and earlier is not None \
                and not _follows(earlier.label, label[0]):
            label = None
        if label is not None and row.x0 <= left + 2 * row.size:
            notes.append(_Para("note", [row], page, label=label[0], label_style=label[1]))
        elif notes:
            notes[-1].rows.append(row)
        else:
            earlier = next((p for p in reversed(before) if p.kind == "note"), None)
            if earlier is not None:
                earlier.rows.append(row)  # a note cut by the page break goes on
            else:
                notes.append(_Para("note", [row], page, label="?"))
    return notes


def _follows(previous: str | None, label: str) -> bool:
    """Rule "numbered notes run in order": a number set on the line (not
    raised, so a line of a note may open with one, a year or a page) opens a
    note only as the next of the note before, or as a count starting again."""
    return not (previous or "").isdigit() or int(label) in (int(previous) + 1, 1)


def _row_label(row: _Row) -> tuple[str, str] | None:
    """(label, its style) a footnote line opens with: raised characters, or a
    first word like "1", "1.", "[1]" or "*"."""
    raised = ""
    for ch in row.chars:
        if not ch.raised:
            break
        raised += ch.text
    if raised.strip():
        return label_of(raised.strip().strip("[].")), "superscript"
    first = row.words().split(" ", 1)[0]
    if m := _LABEL.match(first):
        style = "bracket" if m.group(1) else "number" if m.group(2) else "symbol"
        return m.group(1) or m.group(2) or m.group(3), style
    return None


def _render(chars: list[_Char], plain_text: bool = False, skip_label: bool = False,
            fixed: frozenset[str] = frozenset(), spacing: float | None = None,
            tracked: dict[int, float] | None = None) -> str:
    """A line's text with spaces where the gaps are (a letter-spaced run's
    measured against its own letter gap: ``glyphclasses.letter_spaced``),
    emphasis, references and subscripts marked; rule "inline code": a run of glyphs in a
    fixed-pitch font (``fixed``) in a line of prose is code. ``spacing``: the
    letter spacing of ``chars``, when it is known (``_Row.letter_spacing``),
    and ``tracked`` their letter-spaced runs' (``_Row.tracked``)."""
    out: list[str] = []
    italic = code = False
    raised = lowered = ""
    previous: _Char | None = None

    def flush() -> None:
        nonlocal raised, lowered
        if raised.strip():
            out.append(references(label_of(raised.strip().strip("[]"))))
        if lowered:
            out.append(sub(lowered))
        raised = lowered = ""

    start = _label_end(chars) if skip_label else 0
    chars = chars[start:]
    if spacing is None or start:  # the label's glyphs are not the text's
        spacing = _letter_spacing(chars)
        tracked = None
    if tracked is None:
        tracked = glyphclasses.letter_spaced(chars, spacing, SPACE_EM)
    for k, ch in enumerate(chars):
        if previous is not None and previous.text != " " and ch.text != " " \
                and _spaced(previous, ch, tracked.get(k, spacing)):
            if raised or lowered:
                flush()
            out.append(" ")
        previous = ch
        if fixed and not plain_text and ch.text.strip() \
                and (ch.font in fixed and not ch.raised and not ch.lowered) != code:
            if italic:
                out.append(EM_CLOSE)
                italic = False
            out.append(CODE_CLOSE if code else CODE_OPEN)
            code = not code
        if ch.raised and not plain_text:
            raised += ch.text
            continue
        if ch.lowered and not plain_text:
            lowered += ch.text
            continue
        if raised or lowered:  # (most glyphs follow none: no call for them)
            flush()
        if not plain_text and not code and ch.text.strip() and ch.italic != italic:
            out.append(EM_OPEN if ch.italic else EM_CLOSE)
            italic = ch.italic
        out.append(ch.text)
    flush()
    if italic:
        out.append(EM_CLOSE)
    if code:
        out.append(CODE_CLOSE)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def _spaced(left: _Char, right: _Char, spacing: float) -> bool:
    """Whether a word space parts two glyphs: a gap SPACE_EM wider than the
    line's letter spacing; beside a raised or lowered glyph (a reference, an
    index), which is set against its word, only a gap of SCRIPT_SPACE_EM, or
    one where the PDF's reader (PDFium) saw a word gap (``spaced``)."""
    # max()'s choice, without its call: this runs for every pair of glyphs
    larger = right.size if right.size > left.size else left.size
    gap = (right.x0 - left.x1) / larger
    if left.raised or left.lowered or right.raised or right.lowered:
        return gap > SCRIPT_SPACE_EM or right.spaced
    if left.overhang and left.italic and not right.italic \
            and abs(right.x0 - left.x1 - left.overhang) < ITALIC_CORRECTION_EM * larger:
        return False
    return gap - spacing > SPACE_EM


def _floated(paras: list[_Para], body_size: float) -> list[Doubt]:
    """Rule "float": a table or a figure (its caption set in small type and
    labelled, "Table 2.1: ...") stands where the typesetting floated it, often
    the top of a later page: when the text refers to it by its label before a
    heading that stands between, it may belong before that heading."""
    found = []
    for k, para in enumerate(paras):
        first = para.rows[0]
        key = _CAPTION_KEY.match(first.plain) if para.kind == "text" \
            and first.size < SMALL_TYPE * body_size else None
        if key is None:
            continue
        heading = None
        for earlier in reversed(paras[max(0, k - 40):k]):
            if earlier.kind == "heading":
                heading = earlier
            elif earlier.kind == "text" and earlier is not para \
                    and key.group(1) in " ".join(r.plain for r in earlier.rows):
                if heading is not None:
                    found.append(_doubt(heading.rows[0], f"{key.group(1)}, printed on "
                                        f"p. {first.page} after this heading, is referred to "
                                        "before it: it may belong before the heading"))
                break
    return found


def _narrow_space(row: _Row) -> bool:
    """Rule "narrow space": a gap read as a word space between an italic and
    an upright glyph, narrower by NARROW_SPACE than the line's other word
    spaces, may be the correction set after an italic (wide after an "f"),
    not a space ("*if*-clauses" read as "*if* -clauses"), before a mark that
    closes up to its word (``_AFTER_ITALIC``). (An example's text after its
    label, a French thin space before "?", are spaces.)"""
    chars = row.chars
    if not any(chars[k].italic != chars[k + 1].italic and chars[k + 1].text in _AFTER_ITALIC
               for k in range(len(chars) - 1)):
        return False  # (most lines: no mark after a change of face)
    spacing = row.letter_spacing
    gaps = [((b.x0 - a.x1) / max(a.size, b.size), a.italic != b.italic, b.text)
            for a, b in zip(row.chars, row.chars[1:])
            if a.text.strip() and b.text.strip() and not (a.raised or a.lowered or b.raised
                                                          or b.lowered) and _spaced(a, b, spacing)]
    spaces = [gap for gap, change, _ in gaps if not change]
    if len(spaces) < 3:
        return False
    usual = statistics.median(spaces)
    return any(change and gap < NARROW_SPACE * usual and after in _AFTER_ITALIC
               for gap, change, after in gaps)


def _letter_spacing(chars: list[_Char]) -> float:
    """The line's own gap between letters, in ems: the median gap between
    neighbouring glyphs of one size, most of which are letters of one word.
    Near 0 on most lines; tracked capitals and letter-spaced small capitals
    set every letter apart, and their words further still. A line of a few
    glyphs says nothing of its spacing: 0."""
    gaps = [(b.x0 - a.x1) / a.size for a, b in zip(chars, chars[1:])
            if a.text != " " != b.text and a.size == b.size and not (a.raised or b.raised)]
    return statistics.median(gaps) if len(gaps) >= 4 else 0.0


def _label_end(chars: list[_Char]) -> int:
    """Where a note's text starts, after its label (raised, or a first word
    like "1." or "[1]") and the space after it."""
    i = 0
    while i < len(chars) and chars[i].raised:
        i += 1
    if i == 0:
        first = _render(chars, plain_text=True).split(" ", 1)[0]
        if not _LABEL.match(first):
            return 0
        taken = ""
        while i < len(chars) and len(taken) < len(first):
            taken += chars[i].text.strip()
            i += 1
    while i < len(chars) and chars[i].text == " ":
        i += 1
    return i


def _description_lists(paras: list[_Para], fixed: frozenset[str],
                       gap: float) -> list[_Para]:
    """Rule "description list" (``described``): text paragraphs in a row,
    two or more, opening with terms that stand one under another, are its
    items, each marked with its term's length; a paragraph after an item,
    close under it and standing in from its term (a hanging line the reader
    took for an indent), goes on with that item. Paragraphs whose further
    lines go back to their first line's column (theorems, run-in headings,
    sentences opening in bold) are no items: an item's lines hang. Close:
    less than ``gap`` ems below (the book's, rule "wide leading")."""
    terms = [described.term_length(p.rows[0].chars, fixed) if p.kind == "text" else 0
             for p in paras]

    def goes_on(item: _Para, last: _Para, para: _Para) -> bool:
        first = para.rows[0]
        return para.kind == "text" and first.page == last.rows[-1].page \
            and first.top - last.rows[-1].bottom < gap * first.size \
            and all(_stands_in(r, item.rows[0]) for r in para.rows)

    out: list[_Para] = []
    k = 0
    while k < len(paras):
        if not terms[k]:
            out.append(paras[k])
            k += 1
            continue
        group = [[k]]  # each item's paragraphs: its own, then those going on with it
        j = k + 1
        while j < len(paras):
            item = paras[group[-1][0]]
            if terms[j] and abs(paras[j].rows[0].x0 - item.rows[0].x0) \
                    < ALIGNED_EM * item.rows[0].size:
                group.append([j])
            elif not terms[j] and goes_on(item, paras[group[-1][-1]], paras[j]):
                group[-1].append(j)
            else:
                break
            j += 1
        items = [[r for n in item for r in paras[n].rows] for item in group]
        if len(group) < 2 or not all(_stands_in(r, rows[0]) for rows in items for r in rows[1:]):
            out.append(paras[k])  # a paragraph going on at its term's column is no item
            k += 1
            continue
        for (first, *_), rows in zip(group, items):
            out.append(replace(paras[first], rows=rows, term=terms[first]))
        k = j
    return out


#: Rule "a term over its text": the item's text stands under its term, a
#: blank line's gap between them at most (a heading may stand further above).
TERM_TEXT_GAP_EM = 2 * GAP_EM


def _terms_over_text(paras: list[_Para], body_size: float) -> list[_Para]:
    """Rule "a term over its text" (Typst's term lists as Pandoc's templates
    set them, HTML's ``<dl>``): a description list whose items set the term
    bold on a line of its own, at the text's size, and the item's text under
    it, set as the text is, every line standing in from the term. Read as
    headings, they are items when two or more follow one another, their
    terms one under another; a section heading's text starts at its margin."""
    def item(k: int) -> bool:
        term, text = paras[k], paras[k + 1] if k + 1 < len(paras) else None
        head = term.rows[0]
        return term.kind == "heading" and len(term.rows) == 1 and head.bold \
            and abs(head.size - body_size) < 0.5 and text is not None and text.kind == "text" \
            and text.rows[0].page == head.page \
            and text.rows[0].top - head.bottom < TERM_TEXT_GAP_EM * head.size \
            and all(_stands_in(r, head) and abs(r.size - body_size) < 0.5 for r in text.rows)

    found = [item(k) for k in range(len(paras))]
    terms: set[int] = set()
    for k in range(len(paras)):
        run = [k] if found[k] else []
        while run and run[-1] + 2 < len(paras) and found[run[-1] + 2] \
                and _aligned(paras[run[-1]].rows[0], paras[run[-1] + 2].rows[0]):
            run.append(run[-1] + 2)
        if len(run) >= 2:
            terms.update(run)
    return [replace(p, kind="term", level=0) if k in terms else p for k, p in enumerate(paras)]


def _aligned(upper: _Row, lower: _Row) -> bool:
    """Two lines start in one column: on one page, at one place (a page's
    margin on the next page is its own)."""
    return upper.page != lower.page or abs(upper.x0 - lower.x0) < ALIGNED_EM * upper.size


def _markers(paras: list[_Para]) -> str:
    """How the notes are labelled: "[1]" labels go with "[1]" references."""
    labels = Counter(p.label_style for p in paras if p.kind == "note")
    return labels.most_common(1)[0][0] if labels else "superscript"


def _lines(paras: list[_Para], vocabulary: hyphens.Vocabulary,
           doubts: list[Doubt], fixed: frozenset[str] = frozenset()) -> list[Line]:
    """Each paragraph as one Line; a page's notes after every paragraph that
    starts on that page, so a note always follows its reference."""
    out: list[Line] = []
    notes = [p for p in paras if p.kind == "note"]
    for para in (p for p in paras if p.kind != "note"):
        while notes and notes[0].page < para.rows[0].page:
            out.append(_line(notes.pop(0), vocabulary, doubts, fixed))
        if para.term:  # the term on a line of its own, then the item's text
            first = para.rows[0]
            term = replace(first, chars=first.chars[:para.term])
            rest = first.chars[para.term:]
            text = replace(first, chars=rest[next(i for i, c in enumerate(rest)
                                                  if c.text.strip()):])
            out.append(_line(_Para("term", [term], para.page), vocabulary, doubts, fixed))
            para = replace(para, rows=[text, *para.rows[1:]], term=0)
        out.append(_line(para, vocabulary, doubts, fixed))
    out += [_line(n, vocabulary, doubts, fixed) for n in notes]
    return out


def _line(para: _Para, vocabulary: hyphens.Vocabulary, doubts: list[Doubt],
          fixed: frozenset[str] = frozenset()) -> Line:
    number = page_line(para.rows[0].page, para.rows[0].index)
    for row in para.rows:
        if UNMAPPED in row.words() and (lost := sum(c.text == UNMAPPED for c in row.chars)):
            doubts.append(Doubt(page_line(row.page, row.index),
                                f"{lost} glyph{'s' * (lost > 1)} with no Unicode mapping in "
                                "the PDF, shown as \N{REPLACEMENT CHARACTER}", 0.0))
        if para.kind == "text" and _narrow_space(row):
            doubts.append(_doubt(row, "a word space where the face changes, narrower than the "
                                 "line's others: an italic's correction, not a space?"))
    if para.kind == "code":
        return Line(number, _code(para), kind="code")
    rows = para.rows
    if para.kind == "heading" and len(rows) > 1 and chapterlabel.is_label(rows[0].words()):
        rows = rows[1:]  # rule "chapter label over its title": the title alone
    text = ""
    for k, row in enumerate(rows):
        piece = _render(row.chars, skip_label=(para.kind == "note" and k == 0), fixed=fixed,
                        spacing=row.letter_spacing, tracked=row.tracked)
        if id(row) in para.kept:  # rule "verse": a hard line break
            text = text.rstrip() + "\n" + piece.strip()
            continue
        if not text:
            text = piece
            continue
        text, decision = hyphens.join(text, piece, vocabulary)
        if decision is not None and not decision.certain:
            doubts.append(Doubt(number, "the hyphen at a line break was "
                                + ("kept" if decision.keep_hyphen else "taken out")
                                + f" ({decision.why})", 0.7))
    if para.kind == "note":
        return Line(number, text, kind="note", label=para.label)
    if para.kind == "heading" and text.startswith(EM_OPEN) and text.endswith(EM_CLOSE) \
            and text.count(EM_OPEN) == 1:
        text = text[1:-1]  # a heading set in italics: the type is the heading's, not emphasis
    if para.kind == "heading" and (m := _ITALIC_NUMBER.match(text)) \
            and _HEADING_NUMBER.match(m.group(1)):
        text = m.group(1) + text[m.end():]  # so is a chapter's number set in italics over it
    return Line(number, text, kind=para.kind, level=para.level)
