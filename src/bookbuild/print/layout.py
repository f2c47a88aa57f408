"""The typeset PDF read back with PDFium (pypdfium2): what each printed page
holds, and the checks a printer's preflight makes.

Every character comes with its box and size, so each page splits into its
zones: the running head and folio in the margins, the footnotes below the
first footnote entry (whose place Typst reports, see ``data/print.typ``), and
the text between. The body's words, in order and with the page each starts on,
are what the EPUB's page list is made from (``pagelist``); superscripts (note
references, smaller than any text size the design uses) are not words.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import ImageChops

from .. import pdfglyphs
from ..config import PrintSettings

#: Characters below this size are superscripts: note numbers in the text and notes.
SUPERSCRIPT_BELOW = 6.6
#: How far a character may pass the text block's sides, in points: Typst hangs
#: hyphens and stops at a line's end a little into the margin, as fine setting does.
TOLERANCE = 2.5
#: The resolution printers ask for at an image's printed size.
PRINT_DPI = 300
#: How far above its first footnote entry a page's note area starts, in points:
#: Typst reports where the entry starts (``data/print.typ``), the separator rule
#: and its clearance lie above, and a note's first line may rise a little.
NOTES_ABOVE = 2.0
#: How far red, green and blue may differ in a grey (of 255): anti-aliasing and JPEG noise.
GREY = 8
_WORD = re.compile(r"\w+")


def normal(word: str) -> str:
    """A word as compared between the PDF and the EPUB: letters and digits only,
    so hyphenation, punctuation and ligatures make no difference."""
    return "".join(_WORD.findall(word)).replace("_", "").casefold()


@dataclass(frozen=True)
class Word:
    text: str  # as printed (joined when hyphenated over a line or page end)
    page: int  # 0-based page where it starts


@dataclass(frozen=True)
class PrintedImage:
    dpi: int  # its effective resolution at its printed size
    colour: bool  # whether any of its pixels is not a grey


@dataclass(frozen=True)
class Line:
    """A line of the body text, as the widow, orphan and heading checks see it."""

    size: float  # its first character's size
    text: str
    baseline: float  # from the top of the page


@dataclass(frozen=True)
class PageFacts:
    label: str  # the printed page number: i, ii, ... 1, 2, ...
    references: tuple[str, ...]  # superscript numbers in the text
    notes: tuple[str, ...]  # the numbers opening footnotes ("1." at a line's start)
    images: tuple[PrintedImage, ...]  # in the order they are drawn
    strays: int  # characters, rules and images outside the text block, the head and the foot
    size: tuple[float, float]  # the page's width and height, in points
    colour: int  # text and rules drawn in a colour that is not a grey
    lines: tuple[Line, ...]  # the body's lines, top to bottom
    #: the text of each line (body, note or margin) where a character is drawn with
    #: no glyph and PDFium reads it as character 0 (a .notdef it cannot map back;
    #: one that keeps its character's code is not seen here, but the same book
    #: fails PDF/A, whose export refuses every such character: ``engine._compile``)
    undrawn: tuple[str, ...] = ()
    trim: tuple[float, ...] = ()  # its TrimBox: left, bottom, right, top (the page without one)
    notes_top: float | None = None  # where its footnotes start, from the top (``notes_tops``)


@dataclass(frozen=True)
class Layout:
    pages: tuple[PageFacts, ...]
    words: tuple[Word, ...]  # the body text of the whole book, in reading order
    fonts: tuple[tuple[str, bool], ...]  # (font name, embedded) for each font used
    metadata: dict[str, str] = field(default_factory=dict)  # Title, Author, ...


def notes_tops(facts: dict) -> dict[int, float]:
    """Where each 0-based page's footnotes start (points from the top): a
    little above the first of the entries ``facts["notes"]`` places on it
    (``data/print.typ``'s bb-layout). Below it is notes, above it the body."""
    tops: dict[int, float] = {}
    for entry in facts["notes"]:
        page = entry["page"] - 1
        tops[page] = min(tops.get(page, entry["y"]), entry["y"])
    return {page: y - NOTES_ABOVE for page, y in tops.items()}


def read_layout(data: bytes, settings: PrintSettings, facts: dict) -> Layout:
    """Read the PDF, whose notes start where ``facts`` (``bb-layout``) place
    them (``notes_tops``)."""
    tops = notes_tops(facts)
    pdf = pdfium.PdfDocument(data)
    try:
        pages, words, fonts = [], [], {}
        for index in range(len(pdf)):
            page = pdf[index]
            found, page_words = _page(page, index, settings, tops.get(index), fonts)
            pages.append(PageFacts(pdf.get_page_label(index), *found, page.get_trimbox(),
                                   tops.get(index)))
            for text, continues in page_words:
                # A word hyphenated at a line's end goes on with the next line's first.
                if continues and words and words[-1].text.endswith("-"):
                    words[-1] = Word(words[-1].text[:-1] + text, words[-1].page)
                else:
                    words.append(Word(text, index))
            page.close()
        metadata = {k: v for k, v in pdf.get_metadata_dict().items() if v}
    finally:
        pdf.close()
    return Layout(tuple(pages), tuple(words), tuple(sorted(fonts.items())), metadata)


def _page(page, index: int, settings: PrintSettings, note_top: float | None,
          fonts: dict[str, bool]) -> tuple[tuple, list[tuple[str, bool]]]:
    """The page's facts but its label, and its body words, each with whether
    it opens a line."""
    width, height = page.get_size()
    recto = index % 2 == 0
    left = settings.inside if recto else settings.outside
    right = width - (settings.outside if recto else settings.inside)
    top, bottom = settings.top, height - settings.bottom
    foot = note_top if note_top is not None else bottom
    textpage = page.get_textpage()
    words: list[tuple[str, bool]] = []  # (text, first on its line)
    references: list[str] = []
    notes: list[str] = []
    strays = 0
    current, first_on_line, number, number_zone = "", True, "", ""
    note_number: str | None = ""  # a notes line's opening digits; None past them
    baseline = 0.0  # the last character's, from the foot of the page
    lines: list[list] = []  # the body's lines: size, text, baseline
    undrawn: list[str] = []
    glyphs = pdfglyphs.Glyphs(textpage)

    def flush_word() -> None:
        nonlocal current, first_on_line
        if current:
            words.append((current, first_on_line))
            first_on_line = False
        current = ""

    def flush_number() -> None:
        nonlocal number
        if number:
            (references if number_zone == "body" else notes).append(number)
        number = ""

    for i in range(glyphs.count):
        char = glyphs.text(i)
        if char in ("\r", "\n"):
            if char == "\n":
                flush_word()
                flush_number()
                first_on_line, note_number = True, ""
            continue
        if not char:  # drawn, with no glyph: its line's words say where
            undrawn.append(_line_at(glyphs, textpage, i, width))
        if char.isspace() or not char:
            flush_word()
            flush_number()
            if lines and not lines[-1][1].endswith(" "):
                lines[-1][1] += " "
            continue
        x0, x1, y0, y1 = glyphs.box(i)
        y_top = height - y1  # from the top of the page, as Typst measures
        y_bottom = height - y0
        # The head and the foot sit in the margins' inner halves; nothing else may.
        strays += (x0 < left - TOLERANCE or x1 > right + TOLERANCE
                   or y_top < top / 2 or y_bottom > height - settings.bottom / 2)
        middle = (y_top + y_bottom) / 2  # ascenders of a first line rise above the block
        if middle < top or middle > bottom:
            flush_word()
            continue
        size = glyphs.size(i)
        zone = "notes" if middle >= foot else "body"
        if size < SUPERSCRIPT_BELOW:
            flush_word()
            if char.isdigit():
                if number and number_zone != zone:
                    flush_number()
                number, number_zone = number + char, zone
            else:  # the raised comma between two marks at one place ends the first
                flush_number()
            continue
        flush_number()
        # A character on another baseline ends the word even where PDFium gives no
        # line break between them (a title page's lines, set apart: "T" over "A" is
        # not "TA"); the origin, not the ink box, which a "*" or "," has off the line.
        _, origin_y = glyphs.origin(i)
        if abs(origin_y - baseline) > size / 2:
            note_number = ""
            if current:
                flush_word()
                first_on_line = True
        baseline = origin_y
        if zone == "body":
            current += char
            if not lines or abs(baseline - lines[-1][2]) > size / 2:
                lines.append([size, "", baseline])
            lines[-1][1] += char
        else:
            flush_word()
            if note_number is not None:  # a note opens with its number and a full stop
                # in the column the number hangs in, at the block's edge: a line of
                # a note's own text that starts "2." stands in from it
                at_edge = x0 <= left + TOLERANCE or x1 >= right - TOLERANCE
                if char.isdigit() and (note_number or at_edge):
                    note_number += char
                else:
                    if char == "." and note_number:
                        notes.append(note_number)
                    note_number = None
    flush_word()
    flush_number()
    textpage.close()
    images, colour = [], 0
    kinds = [raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH]
    for obj in page.get_objects(filter=kinds):
        if obj.type == raw.FPDF_PAGEOBJ_TEXT:
            font = pdfglyphs.font_of(raw.FPDFTextObj_GetFont(obj.raw))
            fonts.setdefault(font.name, font.embedded)
            colour += _coloured(obj, raw.FPDFPageObj_GetFillColor)
            continue
        x0, y0, x1, y1 = obj.get_bounds()
        # Rules and images keep to the text block (the margins hold only the head and folio).
        strays += x0 < left - TOLERANCE or x1 > right + TOLERANCE \
            or height - y1 < top - TOLERANCE or height - y0 > bottom + TOLERANCE
        if obj.type == raw.FPDF_PAGEOBJ_PATH:
            colour += _coloured(obj, raw.FPDFPageObj_GetFillColor) \
                or _coloured(obj, raw.FPDFPageObj_GetStrokeColor)
            continue
        if x1 > x0:  # pixels across the printed width, in inches
            images.append(PrintedImage(round(obj.get_px_size()[0] / ((x1 - x0) / 72)),
                                       _colour_image(obj)))
    return (tuple(references), tuple(notes), tuple(images), strays, (width, height), colour,
            tuple(Line(size, text.strip(), height - baseline) for size, text, baseline in lines),
            tuple(undrawn)), words


def _line_at(glyphs: pdfglyphs.Glyphs, textpage, index: int, width: float) -> str:
    """The text of the line the character ``index`` is on, across the page."""
    _, y = glyphs.origin(index)
    size = glyphs.size(index)
    text = textpage.get_text_bounded(0, y - 0.1 * size, width, y + 0.6 * size)
    return " ".join(text.replace("\x00", " ").split())


def _coloured(obj, getter) -> bool:
    """Whether the object's fill or stroke (``getter``) is a colour, not a grey."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj.raw, r, g, b, a):
        return False
    return a.value > 0 and max(r.value, g.value, b.value) - min(r.value, g.value, b.value) > GREY


def _colour_image(obj) -> bool:
    """Whether an image holds a colour: its pixels, not its colour space (a grey
    picture saved as RGB is grey), read at most a thumbnail's worth."""
    picture = obj.get_bitmap(render=False).to_pil()
    picture.thumbnail((256, 256))
    if picture.mode in ("1", "L", "LA", "I", "F"):
        return False
    r, g, b = picture.convert("RGB").split()
    return any(ImageChops.difference(x, y).getextrema()[1] > GREY
               for x, y in ((r, g), (g, b), (r, b)))
