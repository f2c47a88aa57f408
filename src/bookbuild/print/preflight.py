"""What a printer's preflight checks, on the PDF as PDFium reads it (``layout``)
and on where Typst says it put things (``facts``, from ``data/print.typ``'s
``bb-layout``): pages of the trim and its bleed, cut at the trim (their
TrimBox, see ``boxes``), every chapter title and note where it belongs, each
footnote starting on its reference's page, no heading left at a page's foot,
nothing outside the text block, no character without a glyph, every font
embedded as a subset, PDF/A-2b (compiled so by ``engine``), no widow or
orphan line, not even one Typst set to keep a footnote with its reference
(``print_edition`` opens a page before its paragraph instead, where the
design can). Reported like EPUBCheck's messages, so ``--json`` and the exit
status treat both alike; each failure names its page and, where the book has
one, the source line. Images under print resolution and colour in a black
and white interior are warnings of the build (with their file and line), not
failures."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..chapters.convert import ConvertedChapter
from ..checks.epubcheck import CheckMessage, CheckResult
from ..codes import code as registered
from ..config import PrintSettings
from ..errors import Problem, display_path
from ..pandoc import Parsed
from ..pandoc.ast import elements
from ..pandoc.locate import locate
from ..source.manuscript import Chapter
from .boxes import trim_box
from .layout import PRINT_DPI, Layout, Line, normal

CHECKER = "pdf"
#: What the report calls this check (never EPUBCheck, which checks the e-books).
TITLE = "print check"
#: How far a page may differ from the trim, in points (Typst writes sizes to a hundredth).
TRIM_TOLERANCE = 0.05
#: Typst names a font it subsets as PDF says: six capitals and a plus before the name.
_SUBSET = re.compile(r"[A-Z]{6}\+")
#: The PDF/A identification Typst writes in the XMP metadata for PDF/A-2b.
PDFA_2B = (b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:conformance>B</pdfaid:conformance>")


@dataclass(frozen=True)
class Placed:
    """What an image on a page was made from: its chapter and its file in the book."""

    chapter: ConvertedChapter
    source: Path


def preflight(pdf: bytes, layout: Layout, facts: dict, owner: list[int | None],
              alone: tuple[LoneLine, ...], chapters: tuple[ConvertedChapter, ...],
              settings: PrintSettings, footnotes: bool) -> CheckResult:
    """The checks, on the PDF, ``layout`` and ``facts``; ``owner``: each page's
    chapter (``pagelist.owners``); ``alone``: its widows and orphans (``lone_lines``)."""
    messages: list[CheckMessage] = []

    def error(code: str, message: str, page: str | None = None, source: str | None = None) -> None:
        registered(code)
        messages.append(CheckMessage(code, "ERROR", message, f"page {page}" if page else None,
                                     source=source))

    if not layout.pages:
        error("print-no-pages", "the PDF has no pages")
    for name, embedded in layout.fonts:
        if not embedded or not _SUBSET.match(name):
            error("print-font-whole", f"font {name} is " + ("not embedded" if not embedded
                                                             else "embedded whole, not a subset"))
    if not all(marker in pdf for marker in PDFA_2B):
        error("print-not-pdfa", "the PDF does not identify itself as PDF/A-2b")
    sheet = settings.sheet()
    for number, page in enumerate(layout.pages):
        if page.strays:
            chapter = owner[number]
            error("print-beyond-measure", f"{page.strays} characters, rules or images outside "
                                          "the text block", page.label,
                  None if chapter is None else display_path(chapters[chapter].chapter.source))
        for text in page.undrawn:
            chapter = None if owner[number] is None else chapters[owner[number]].chapter
            error("print-glyph-missing", f"a character no font of the book has is printed as an "
                                         f"empty box, in {text!r} (give a font that has it: "
                                         "fonts: in book.yaml)", page.label,
                  None if chapter is None else _where(chapter, _line_of_text(chapter, text)))
        if any(abs(got - want) > TRIM_TOLERANCE
               for got, want in zip((*page.size, *page.trim), (sheet.width, sheet.height,
                                                               *trim_box(number, settings)))):
            error("print-trim", f"the page is {page.size[0]:.2f} x {page.size[1]:.2f} pt, "
                                f"trimmed to {page.trim}; the trim {settings.trim} is "
                                f"{settings.width:.2f} x {settings.height:.2f} pt"
                                + (f", with a bleed of {settings.bleed:.2f} pt" if settings.bleed
                                   else ""), page.label)
    parts = facts["parts"]
    opening = {p["index"]: p["page"] - 1 for p in parts if p["kind"] == "chapter"}
    printed_on = _words_by_page(layout)
    for index, conv in enumerate(chapters):
        if not conv.headings:
            continue  # nothing to print as its title (the conversion warned)
        title = [normal(w) for w in conv.headings[0].text.split() if normal(w)]
        if not _contains(printed_on.get(opening.get(index), []), title):
            error("print-title-misplaced", f"the title of {conv.chapter.source.name} "
                                           f"({conv.headings[0].text}) is not on its opening page",
                  source=display_path(conv.chapter.source))
    references = sum(len(n.ref_ids) for c in chapters for n in c.notes)
    printed_refs = sum(len(p.references) for p in layout.pages)
    if printed_refs != references:
        error("print-notes-missing", f"{printed_refs} note references printed, "
                                     f"{references} in the book")
    if footnotes:
        notes = sum(len(c.notes) for c in chapters)
        entries = sum(len(p.notes) for p in layout.pages)
        if entries != notes:
            error("print-notes-missing", f"{entries} footnotes printed, {notes} in the book")
        off = list(_notes_off_their_page(facts, owner))
        # the references' lines, from Pandoc's readings of their chapters
        lines = _reference_lines(chapters, [place for _, place in off if place is not None])
        for entry, place in off:
            source = None if place is None else _where(chapters[place[0]].chapter,
                                                        lines[place[:2]])
            error("print-footnote-off-page",
                  f"note {entry['ref']['number']} starts on page "
                  f"{layout.pages[entry['page'] - 1].label}, not on the page of its reference",
                  layout.pages[entry["ref"]["page"] - 1].label, source)
    for page, index in _headings_at_foot(layout, facts, owner, chapters):
        conv = chapters[index[0]]
        heading = conv.headings[index[1]]
        error("print-heading-at-foot", f"the heading {heading.text!r} ends the page, apart from "
                                       "the text it heads", layout.pages[page].label,
              _where(conv.chapter, conv.chapter.line_of(heading.text)))
    for lone in alone:
        chapter = chapters[lone.chapter].chapter
        # one left so for a note where no page can open before its paragraph (a quotation,
        # a display, an item's later paragraph), or the settings ran out (edition.SETTINGS)
        error("print-line-alone-for-note" if lone.for_note else lone.code,
              _lone_text(lone) + (", to keep a footnote with its reference, where no page "
                                  "opens before its paragraph: reword it, or take the note "
                                  "out of the quotation or display" if lone.for_note else ""),
              layout.pages[lone.page].label,
              _where(chapter, _line_of_text(chapter, lone.line.text, lone.before)))
    return CheckResult(fatal=0, error=len(messages), warning=0, messages=tuple(messages),
                       checker=CHECKER, scope="whole book", title=TITLE)


def _words_by_page(layout: Layout) -> dict[int, list[str]]:
    """The body's words of each 0-based page, as compared (``normal``)."""
    pages: dict[int, list[str]] = {}
    for word in layout.words:
        pages.setdefault(word.page, []).append(normal(word.text))
    return pages


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _where(chapter: Chapter, line: int | None) -> str:
    """The file and line the author wrote (a line of an included file where it was included)."""
    file, line = chapter.origin(line)
    return display_path(file) + (f":{line}" if line is not None else "")


def _notes_off_their_page(facts: dict, owner: list[int | None]):
    """Each footnote entry that starts on another page than its reference, with
    the reference's (chapter index, place among its chapter's references, their
    number), or None where no chapter holds it."""
    at = {(r["page"], r["x"], r["y"]): k  # two marks may share a line, never a place
          for k, r in enumerate(facts["refs"])}
    ordinal: dict[int | None, int] = Counter()
    place = []
    for r in facts["refs"]:
        chapter = owner[r["page"] - 1]
        ordinal[chapter] += 1
        place.append(None if chapter is None else (chapter, ordinal[chapter]))
    for entry in facts["notes"]:
        if entry["page"] != entry["ref"]["page"]:
            k = at.get((entry["ref"]["page"], entry["ref"]["x"], entry["ref"]["y"]))
            yield entry, None if k is None or place[k] is None else (*place[k],
                                                                       ordinal[place[k][0]])


def _note_marks(parsed: Parsed) -> int:
    """The note references a reading of a chapter shows: its Note elements (each
    one footnote, chapters.paper), and a reference whose definition the reading
    has not reached yet (left as the text ``[^label]``)."""
    return sum(el["t"] == "Note" or (el["t"] == "Str" and "[^" in el["c"])
               for el in elements(parsed.doc["blocks"], skip=frozenset({"Note"})))


def _reference_lines(chapters: tuple[ConvertedChapter, ...],
                     places: list[tuple[int, int, int]]) -> dict[tuple[int, int], int | None]:
    """The source line of each (chapter index, ``count``-th note reference of
    ``total``) in ``places``: the first beginning of the chapter showing that
    many (see pandoc.locate), each chapter read once whole and its beginnings
    once for all its references. None when the chapter's footnotes are not all
    its notes (a note style's citations are notes too): a line then could be wrong."""
    lines: dict[tuple[int, int], int | None] = {}
    for index in sorted({place[0] for place in places}):
        chapter = chapters[index].chapter
        marks = functools.cache(lambda text, chapter=chapter: _note_marks(chapter.parse(text)))
        for _, count, total in (place for place in places if place[0] == index):
            lines[index, count] = None if marks(chapter.text) != total else locate(
                chapter.text, lambda marked, count=count: marked >= count, reader=marks)
    return lines


def _headings_at_foot(layout: Layout, facts: dict, owner: list[int | None],
                      chapters: tuple[ConvertedChapter, ...]):
    """(0-based page, (chapter index, heading index)) of each heading below the
    chapter's title whose lines are the last of its page while its chapter
    goes on: nothing but its own words below where Typst put it. Typst's
    headings of a chapter are its XHTML's, in order (one Pandoc AST); a
    chapter where they are not as many is left alone."""
    last_page: dict[int, int] = {}
    for p, chapter in enumerate(owner):
        if chapter is not None:
            last_page[chapter] = p
    placed: dict[int, list[dict]] = {}
    for heading in facts["headings"]:
        chapter = owner[heading["page"] - 1]
        if chapter is not None:
            placed.setdefault(chapter, []).append(heading)
    for chapter, found in placed.items():
        headings = chapters[chapter].headings
        if len(found) != len(headings):
            continue
        for k, (where, heading) in enumerate(zip(found, headings)):
            p = where["page"] - 1
            if where["level"] == 1 or last_page[chapter] == p:
                continue
            below = [normal(w) for line in layout.pages[p].lines if line.baseline > where["y"]
                     for w in line.text.split() if normal(w)]
            if below and below == [normal(w) for w in heading.text.split() if normal(w)]:
                yield p, (chapter, k)


@dataclass(frozen=True)
class LoneLine:
    """A paragraph's line alone on its page: its first at a page's foot (an
    orphan) or its last at a page's head (a widow)."""

    page: int  # 0-based
    code: str  # print-widow or print-orphan
    line: Line
    chapter: int
    before: str  # the printed line before it, which a hyphenated word may run on from
    notes: tuple[str, ...]  # footnotes it was set so to keep with their references ("": unlabelled)

    @property
    def for_note(self) -> bool:
        return bool(self.notes)


def lone_lines(layout: Layout, facts: dict, owner: list[int | None]) -> Iterator[LoneLine]:
    """Each widow and orphan of the body, in every theme: Typst reports where
    each paragraph starts and ends (``bb-par`` in data/print.typ; those in the
    footnotes are left out), PDFium which lines lie between. Typst avoids both
    (its widow and orphan costs), but where a note does not fit under its
    reference's line, it sets that line overleaf with the note: the footnote's
    guarantee wins, and the line is ``for_note``; ``print_edition`` then opens
    a page before its paragraph (``kept_apart_for_notes``), where the design
    can (not inside a quotation or a display)."""
    def noted(page: int) -> tuple[str, ...]:
        """The labels of the footnotes set on the 0-based ``page`` whose
        references stand on its first line."""
        lines = layout.pages[page].lines
        return tuple(entry["ref"].get("label") or "" for entry in facts["notes"]
                     if lines and entry["page"] == entry["ref"]["page"] == page + 1
                     and abs(entry["ref"]["y"] - lines[0].baseline) < lines[0].size)

    opened = None
    for tag in facts["paragraphs"]:
        top = layout.pages[tag["page"] - 1].notes_top
        if top is not None and tag["y"] >= top:
            continue  # a note's paragraph
        if not tag["end"]:
            opened = tag
            continue
        began, opened = opened, None
        if began is None or began["page"] == tag["page"]:
            continue
        first, last = began["page"] - 1, tag["page"] - 1
        chapter = owner[first]
        if chapter is None or owner[last] != chapter:
            continue
        opening = [line for line in layout.pages[first].lines if line.baseline > began["y"]]
        closing = [line for line in layout.pages[last].lines if line.baseline <= tag["y"] + 1]
        if not opening or not closing:
            continue  # not split: what follows took its end (a tag) overleaf
        if len(opening) == 1:
            yield LoneLine(first, "print-orphan", opening[0], chapter, "", noted(first + 1))
        if len(closing) == 1:
            before = layout.pages[last - 1].lines
            yield LoneLine(last, "print-widow", closing[0], chapter,
                           before[-1].text if before else "", noted(last))


def kept_apart_for_notes(alone: tuple[LoneLine, ...]) -> set[str]:
    """The labels of the footnotes for which Typst left a line of their
    reference's paragraph alone: ``print_edition`` sets the book again with
    each such paragraph opening a page (``bb-keep-with-note``), where the
    whole paragraph goes with its note and no line is alone; one that carries
    no such mark (``ConvertedChapter.keep_marks``) stays as it was."""
    return {label for lone in alone for label in lone.notes if label}


def _lone_text(lone: LoneLine) -> str:
    what = "a widow: the last line" if lone.code == "print-widow" else "an orphan: the first line"
    return f"{what} of a paragraph alone, {lone.line.text!r}"


def _line_of_text(chapter: Chapter, text: str, before: str = "") -> int | None:
    """The source line holding a printed line's words: the first run of three
    (then two, then one) of its words, or of the words ``before`` it running
    into it, that a line of the source holds. A word hyphenated over the two
    is joined again."""
    words, mine = before.split()[-2:], text.split()
    if words and words[-1].endswith("-") and mine:
        words[-1] = words[-1][:-1] + mine.pop(0)
    joined, first = words + mine, len(words) - (len(text.split()) - len(mine))
    for n in (3, 2, 1):
        for i in range(max(0, first - n + 1), len(joined) - n + 1):
            line = chapter.line_of(" ".join(joined[i:i + n]))
            if line is not None:
                return line
    return None


def spine_width(pages: int, settings: PrintSettings) -> float:
    """The spine's width in millimetres, for the cover designer: a page's paper times the pages."""
    return round(pages * settings.paper * 25.4 / 72, 2)


def print_warnings(layout: Layout, facts: dict, placed: dict[str, Placed],
                   settings: PrintSettings) -> tuple[Problem, ...]:
    """A warning for each image printed under the resolution printers ask for,
    naming its file and line where the book has one, and for colour in a
    black and white interior (``print: {colour: true}`` asks for colour)."""
    found: list[Problem] = []
    typst_images: dict[int, list[str]] = {}
    for image in facts["images"]:
        typst_images.setdefault(image["page"] - 1, []).append(image["source"].lstrip("/"))
    low = Counter()
    coloured: list[str] = []
    for p, page in enumerate(layout.pages):
        sources = typst_images.get(p, [])
        for k, image in enumerate(page.images):
            if image.dpi >= PRINT_DPI:
                continue
            # Typst's images of the page, in order, are the PDF's when they are as many.
            place = placed.get(sources[k]) if len(sources) == len(page.images) else None
            low[(page.label, image.dpi, place)] += 1
        if page.colour or any(i.colour for i in page.images):
            coloured.append(page.label)
    if coloured and not settings.colour:  # one warning, not one a page of a book in colour
        shown = ", ".join(coloured[:10]) + (", ..." if len(coloured) > 10 else "")
        found.append(Problem(f"print edition: colour in a black and white interior, on "
                             f"{len(coloured)} page{'s' if len(coloured) > 1 else ''} ({shown}); "
                             "print: {colour: true} asks for colour", code="print-colour"))
    for label, dpi, place in low:
        where = {} if place is None else {
            "file": place.chapter.chapter.source,
            "line": place.chapter.chapter.line_of(place.source.name)}
        found.append(Problem(f"print edition, page {label}: an image prints at {dpi} dpi, under "
                             f"{PRINT_DPI} (give a larger image or print it smaller)",
                             code="image-low-resolution", **where))
    return tuple(found)
