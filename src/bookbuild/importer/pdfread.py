"""A print PDF's pages as glyphs, rules and images, and its outline, read with
PDFium (``pdfglyphs``) within the limits a hostile PDF could otherwise pass.

Each glyph is a ``Glyph`` of its text, its box, size and font, in the geometry
the rules of ``pdfsource`` measure: x from the page's left,
``top`` and ``bottom`` from its top; the box the advance width wide and the
size high, standing on the font's descent (a type setter's box, not the ink:
a full stop's ink box says nothing of its line). A page is let go once read.

PDFium parses a page's content when the page loads, so the limits hold
before: the pages are counted, every stream is measured inflated and the
strings they hold are bounded (``pdfstreams``) before any page loads; then
the text each page shows is counted, and its longest run (a Tj or TJ
operand) measured, before a Python object is made for any of its characters.
"""

from __future__ import annotations

import ctypes
import io
import logging
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .. import pdfglyphs
from ..errors import BookbuildError
from ..safety import limits
from . import glyphclasses, glyphnames, pdfstreams, texbitmaps
from .inline import SUPERSCRIPTS
from .source import Bookmark

#: The character that stands for a glyph the PDF maps to no Unicode.
UNMAPPED = "\ufffd"
#: A font's descent deeper than this (in ems) is no text face's: it is a
#: symbol font's bounding box, PDFium's stand-in where the descriptor gives
#: none (0); its glyphs stand on their baseline, as that descriptor says.
#: (Text faces go 0.2 to 0.3 em below it.)
DEEPEST_DESCENT = -0.5
#: Lower-case letters whose ink stands on the baseline and reaches the
#: x-height, no higher: a font's x-height is what their ink tops measure.
X_HEIGHT_LETTERS = frozenset("acemnorsuvwxz")
#: What follows a fraction's numerator.
FRACTION_SLASHES = ("/", "\u2044")
#: The letters measured for a font's x-height on a page, at most (a median of a few is as good).
X_HEIGHT_SAMPLE = 40
#: A "q" or "Q" advancing further than this (in ems) is a ligature with its
#: "u" (``_qu``): a text face's q advances about half an em, its Q under
#: 0.8, their ligatures with u about 1 em and 1.2.
QU_EM = 0.9


@dataclass(slots=True)  # a book holds a million of them: no dict each
class Glyph:
    """A glyph as the import's rules read it, made once (a dict first, then
    this, was two objects for each of a book's million glyphs): its italic
    and bold are what the caller's ``style`` says of its font; ``raised``
    and ``lowered`` are for the line it joins to decide (``pdfsource``)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    italic: bool
    bold: bool
    raised: bool = False
    lowered: bool = False  # a subscript
    font: str = ""
    spaced: bool = False  # the PDF's reader put a space before it, beside a raised glyph
    superior: bool = False  # a superior figure (``_superior_figures``): raised at the text's size
    overhang: float = 0.0  # how far its ink passes its advance (``x1``): an italic's slant


#: (italic, bold) of a font, by the caller's rule.
Style = Callable[[pdfglyphs.Font], tuple[bool, bool]]


@dataclass
class Page:
    number: int
    glyphs: list[Glyph]
    strokes: list[dict]  # the paths drawn (rules, boxes): their extent
    images: list[dict]
    width: float
    height: float
    fonts: dict[str, pdfglyphs.Font]  # each font the glyphs name


class Reading:
    """An open PDF: its pages one at a time, and its outline."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = _read(path)
        try:
            self.pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _unreadable(exc, path) from None
        bound = limits.current()
        if len(self.pdf) > bound.pdf_pages:
            self.pdf.close()
            raise limits.LimitError(f"has more than {bound.pdf_pages:,} pages, more than the limit "
                                    "(pdf-pages)", path)
        try:
            if raw.FPDF_GetSecurityHandlerRevision(self.pdf.raw) != -1:  # encrypted: as deciphered
                data = _saved(self.pdf)
            pdfstreams.check_streams(data, path)
        except BaseException:
            self.pdf.close()
            raise

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *_) -> None:
        self.pdf.close()

    def pages(self, style: Style) -> list[Page]:
        """The pages, all read before any is given: a TeX bitmap font's
        glyphs are read by what the whole book's show (``texbitmaps``)."""
        steps: dict[tuple[str, str], Counter] = defaultdict(Counter)
        names, bitmaps = glyphnames.GlyphNames(), texbitmaps.Encodings()
        shown, out = 0, []
        for index in range(len(self.pdf)):
            page = _page(self.pdf, index, self.path)
            try:
                textpage = _textpage(page, index, self.path)
                try:
                    shown = _count_text(page, textpage, index + 1, shown, self.path)
                    glyphs, fonts = _glyphs(page, textpage, steps, names, bitmaps, style)
                finally:
                    textpage.close()
                out.append(Page(index + 1, glyphs, *_shapes_of(page), fonts))
            finally:
                page.close()
        bitmaps.settle(UNMAPPED)
        return out

    def outline(self) -> list[Bookmark]:
        """The outline's entries, less the title page (an entry reading as
        the document's own title, before any other)."""
        quiet = logging.getLogger("pypdfium2")  # it warns of a looping outline on stderr
        level = quiet.level
        quiet.setLevel(logging.CRITICAL + 1)
        try:
            entries = [Bookmark(item.level + 1, item.get_title(), _page_led_to(item))
                       for item in self.pdf.get_toc()]
        finally:
            quiet.setLevel(level)
        title = (self.pdf.get_metadata_value("Title") or "").strip().casefold()
        return entries[1:] if entries and title and entries[0].title.strip().casefold() == title \
            else entries


    def document(self) -> tuple[str | None, str | None]:
        """The title and author the document information gives (LaTeX's
        hyperref and word processors fill them in), for the title page."""
        title, author = ((self.pdf.get_metadata_value(key) or "").strip() or None
                         for key in ("Title", "Author"))
        return title, author


def _page_led_to(bookmark) -> int | None:
    """The page (from 1) an outline entry leads to, or None."""
    index = dest.get_index() if (dest := bookmark.get_dest()) else None
    return None if index is None else index + 1


def _unreadable(exc: Exception | str, path: Path) -> BookbuildError:
    return BookbuildError(f"not a PDF that can be read: {exc}", path, code="import-unreadable")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BookbuildError(f"cannot read it: {exc.strerror}", path,
                             code="import-unreadable") from None


def _saved(pdf) -> bytes:
    """The PDF as PDFium writes it without its encryption (its streams as stored, deciphered)."""
    out = io.BytesIO()
    pdf.save(out, flags=raw.FPDF_REMOVE_SECURITY)
    return out.getvalue()


def _page(pdf, index: int, path: Path):
    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise _unreadable(f"page {index + 1}: {exc}", path) from None


def _textpage(page, index: int, path: Path):
    try:
        return page.get_textpage()
    except pdfium.PdfiumError as exc:
        raise _unreadable(f"page {index + 1}: {exc}", path) from None


def _astral(high: str, low: str) -> str:
    """One character beyond the Basic Multilingual Plane (a mathematical
    script letter, "𝓍") from the two UTF-16 halves PDFium gives for it; a
    half without its other is no character."""
    if "\ud800" <= high <= "\udbff" and "\udc00" <= low <= "\udfff":
        return (high + low).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return UNMAPPED


def _count_text(page, textpage, number: int, shown: int, path: Path) -> int:
    """The characters shown up to this page, refused past the limit, and
    past its own a run on this page (looked for only on a page that shows
    more characters than a run may hold)."""
    bound = limits.current()
    count = raw.FPDFText_CountChars(textpage.raw)
    if count > bound.pdf_run_characters:
        longest = max((_run(obj, textpage) for obj in
                       page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT])), default=0)
        if longest > bound.pdf_run_characters:
            raise limits.LimitError(
                f"page {number} sets a text run of {longest:,} characters, more than the "
                f"limit of {bound.pdf_run_characters:,} (pdf-run-characters)", path)
    if shown + count > bound.pdf_characters:
        raise limits.LimitError(f"shows more than {bound.pdf_characters:,} characters of text by "
                                f"page {number}, more than the limit (pdf-characters)", path)
    return shown + count


def _run(obj, textpage) -> int:
    """The characters of a text object (one Tj or TJ operand): its text's UTF-16 length."""
    return max(0, raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0) // 2 - 1)


def _glyphs(page, textpage, steps: dict[tuple[str, str], Counter],
            names: glyphnames.GlyphNames, bitmaps: texbitmaps.Encodings, style: Style
            ) -> tuple[list[Glyph], dict[str, pdfglyphs.Font]]:
    """The page's upright glyphs, none PDFium added, and their fonts, each
    glyph standing on its font's descent (PDFium's loose box stands lower
    where the ink does, and a space's is empty, on its baseline).
    ``steps``: what the pages so far say of each glyph's advance (``_advances``);
    ``names``: the characters the fonts' programs give glyphs the PDF maps to none;
    ``bitmaps``: the codes of TeX's bitmap fonts, by which their glyphs are read;
    ``style``: a font's (italic, bold), asked once a page for each font name
    (the page's first font of that name answers for its glyphs)."""
    left, _, _, top = page.get_bbox()  # the crop box within the media box, inherited
    placed, fonts, styles = [], {}, {}
    spaced: set[int] = set()  # glyphs PDFium sets a space before (``_spaced`` in pdfsource)
    chars = pdfglyphs.Glyphs(textpage)
    # a million glyphs in a book: the methods bound once, not looked up for each
    text_of, generated, run_of, unmapped = chars.text, chars.generated, chars.run, chars.unmapped
    origin, loose_box, category = chars.origin, chars.loose_box, unicodedata.category
    count, last = chars.count, None  # ``last``: the run of the glyph placed last
    owed: dict[int, int] = {}  # a Type 3 font's glyphs read once the book is: their codes by place
    low = -1  # the index of a surrogate pair's second half, read with its first
    for i in range(count):
        if i == low:
            continue
        text = text_of(i)
        if "\ud800" <= text <= "\udfff":  # PDFium gives a character past U+FFFF in two halves
            text = _astral(text, text_of(i + 1) if i + 1 < count else "")
            low = i + 1 if text != UNMAPPED else low
        if text == " ":
            if generated(i):  # a space PDFium put in
                if last is not None and i + 1 < count and (after := run_of(i + 1)) is not None \
                        and last is not after and last.size != after.size:
                    spaced.add(i + 1)  # its word gap where the size changes (a reference, a word)
                continue
        elif text in ("", "\r", "\n"):
            continue  # a line break PDFium put in, or nothing
        run = run_of(i)
        if run is None or not (run.upright or run.mirrored and category(text)[0] == "L"):
            continue  # rule "mirrored letter": a logo's (XeTeX's reversed E) is read as its letter
        if unmapped(i) and run.font.procedures:  # rule "TeX bitmap fonts" (``texbitmaps``)
            code = chars.code(i)
            if (read := bitmaps.text(run.font.name, code)) is None:
                owed[len(placed)] = code  # until then, PDFium's text: its code's character
            else:
                text = read
        elif unmapped(i):  # PDFium gives the code: a letter where it is one (a Type 1 symbol's)
            text = names.text(chars, i, run.size) \
                or (UNMAPPED if category(text)[0] == "C" or text == "-" else text)
        x, y = origin(i)
        if run.mirrored:  # drawn leftwards from its origin
            x = loose_box(i)[0]
        if run is not last and run.font.name not in fonts:
            fonts[run.font.name] = run.font
            styles[run.font.name] = style(run.font)
        placed.append((text, x, loose_box(i)[1], y, run, i))
        last = run
    advances = _advances(placed, chars, steps)
    superior = _superior_figures(placed, chars)
    glyphs = []
    for k, ((text, x, right, y, run, i), following) in enumerate(
            zip(placed, [*placed[1:], None])):
        size, font = run.size, run.font
        if text in ("q", "Q") and right - x > QU_EM * size:  # the box: advance and ink
            text = _qu(text, following)
        if k in advances:
            right = min(right, x + advances[k] * size)
        elif following is not None and following[4] is run and x < following[1] <= right + 0.01:
            right = following[1]  # the next glyph starts within its box: no space between them
        bottom = top - y - (font.descent if font.descent >= DEEPEST_DESCENT else 0.0) * size
        italic, bold = styles[font.name]
        glyphs.append(Glyph(text, x - left, right - left, bottom - size, bottom, size, italic,
                            bold, False, False, font.name, i in spaced, k in superior,
                            max(0.0, loose_box(i)[1] - right)))
        if k in owed:
            bitmaps.owe(glyphs[-1], owed[k])
    return glyphs, fonts


def _qu(q: str, following: tuple | None) -> str:
    """Rule "qu ligature": a face's q-u ligature (Libertinus's, of its small
    capitals too) that the PDF's ToUnicode maps to its "q" alone, as TeX's
    drivers write it, is told by its advance (``QU_EM``): no other ligature
    opens with a q, so it reads "qu" ("QU" before capitals), unless the "u"
    is there (a ToUnicode that gives both letters)."""
    after = following[0] if following is not None else ""
    if after[:1] in ("u", "U"):
        return q
    return q + ("U" if after.isupper() else "u")


def _superior_figures(placed: list[tuple], chars: pdfglyphs.Glyphs) -> set[int]:
    """Rule "superior figures": a note reference set in the font's own
    superior figures (OpenType ``sups``: Typst's default, InDesign's, LaTeX's
    with fontspec's VerticalPosition=Superior) is a glyph drawn small and
    high by the font, on the line's baseline and at the text's size, so no
    size nor baseline tells it from a digit of the text: its ink does. A
    digit whose ink stands clear above the baseline, higher than half the
    x-height of its font (measured by the ink of that font's lower-case
    letters on the page), and is less tall than that x-height, is one: a
    lining or old-style figure stands on the baseline or below it and is at
    least as tall. A superscript digit (U+00B9 and the like) is one by its
    character. A fraction's numerator (OpenType ``frac``: "½" drawn as
    ¹⁄₂) is drawn as a superior is, but a slash follows it. A degree sign or
    an apostrophe is no digit; whether a superior figure is a reference (not
    x²) the notes it binds to decide. Returned: their places in ``placed``."""
    out: set[int] = set()
    risen: dict[int, tuple[float, float]] = {}  # (rise, height) of a digit's ink over its baseline, in ems
    for k, (text, _, _, y, run, i) in enumerate(placed):
        if text in SUPERSCRIPTS:
            out.add(k)
        elif len(text) == 1 and "0" <= text <= "9" and run.size > 0:
            _, _, bottom, top = chars.box(i)
            if bottom > y:
                risen[k] = (bottom - y) / run.size, (top - bottom) / run.size
    if not risen:
        return out
    fonts = {placed[k][4].font.name for k in risen}
    tops: dict[str, list[float]] = defaultdict(list)  # their letters' ink tops, in ems
    for text, _, _, y, run, i in placed:
        name = run.font.name
        if text in X_HEIGHT_LETTERS and name in fonts and run.size > 0 \
                and len(tops[name]) < X_HEIGHT_SAMPLE:
            tops[name].append((chars.box(i)[3] - y) / run.size)
    for k, (rise, height) in risen.items():
        letters = tops.get(placed[k][4].font.name)
        if letters:
            x_height = statistics.median(letters)
            if rise > x_height / 2 and height < x_height:
                out.add(k)
    return {k for k in out if not _numerator(k, out, placed)}


def _numerator(k: int, raised: set[int], placed: list[tuple]) -> bool:
    """The raised figure at ``k`` is one of a run of them that a slash or a
    fraction slash follows."""
    while k in raised:
        k += 1
    return k < len(placed) and placed[k][0] in FRACTION_SLASHES


def _advances(placed: list[tuple], chars: pdfglyphs.Glyphs,
              steps: dict[tuple[str, str], Counter]) -> dict[int, float]:
    """Rule "advance width": PDFium's loose box is the glyph's advance joined
    with its ink, so a glyph whose ink passes its advance (an "f"'s hook, an
    italic's slant) reaches into the gap after it, where a word space could
    vanish. Where the next glyph of its text run (a Tj or TJ: one line)
    starts inside the ink, how far on it starts is the glyph's advance,
    kerning aside (the next word's first letter can start under an italic
    "f"'s tail): these steps of each font and character, in ems,
    are counted in ``steps`` as the book goes on, and the advance is what
    they mostly say, kerned pairs aside (``glyphclasses.advance``). A
    ligature's letters share its origin and its box (PDFium gives each
    letter of an "ff" the ligature's, its last f's hook included): its steps
    are the ligature's, counted and applied to all its letters as one
    glyph's (rule "a ligature's advance": the word space after "off" is
    measured from the ligature's advance, not from its hook); until they are
    learnt, a ligature ending in an f (ff) passes its advance by as much as
    a lone f of its font on the page does: the same hook. Returned: the
    advance, in ems, of each glyph (by its place in ``placed``) whose right
    edge is its ink's and whose advance is learnt, but for one the next
    glyph starts right at the end of (a "V" whose ink reaches just its
    advance: the steps learnt for it are kerned pairs')."""
    last = _ligatures(placed)

    def key(k: int) -> tuple[str, str]:  # a glyph's, or its ligature's: the font's name and text
        run = placed[k][4]
        return run.font.name, "".join(placed[j][0] for j in range(k, last[k] + 1)) \
            if k in last else placed[k][0]

    def ink_ends(k: int) -> bool:
        right, i = placed[k][2], placed[k][5]
        return abs(chars.box(i)[1] - right) < 0.01

    first = {end: start for start, end in last.items()}
    for k, (a, b) in enumerate(zip(placed, placed[1:])):
        _, x, right, _, run, _ = a
        if b[4] is run and x < b[1] < right - 0.01 and run.size and ink_ends(k):
            steps[key(first.get(k, k))][round((b[1] - x) / run.size, 3)] += 1
    learnt: dict[tuple[str, str], float] = {}  # of the glyphs on this page, as they come

    def advance(key: tuple[str, str]) -> float:
        if key not in learnt:
            learnt[key] = glyphclasses.advance(steps[key])
        return learnt[key]

    def touched(k: int) -> bool:  # the next glyph of its run starts where its box ends
        return k + 1 < len(placed) and placed[k + 1][4] is placed[k][4] \
            and abs(placed[k + 1][1] - placed[k][2]) <= 0.01

    hooks: dict[str, float] = {}  # how far a lone "f"'s ink passes its advance, in ems, by font
    for k, (text, x, right, _, run, _) in enumerate(placed):
        if text == "f" and k not in last and k not in first and (run.font.name, "f") in steps \
                and run.size and ink_ends(k):
            hooks.setdefault(run.font.name, (right - x) / run.size - advance((run.font.name, "f")))
    out: dict[int, float] = {}
    k = 0
    while k < len(placed):
        end = last.get(k, k)
        text, x, right, _, run, _ = placed[end]
        if not touched(end) and ink_ends(end):
            if key(k) in steps:
                out.update(dict.fromkeys(range(k, end + 1), advance(key(k))))
            elif k in last and text == "f" and hooks.get(run.font.name, 0) > 0:
                # an unlearnt ligature ending in an f's hook: passing its advance as a lone f does
                out.update(dict.fromkeys(range(k, end + 1),
                                         (right - x) / run.size - hooks[run.font.name]))
        k = end + 1
    return out


def _ligatures(placed: list[tuple]) -> dict[int, int]:
    """Each ligature's first letter's place in ``placed``: its last's (the
    glyphs of one run that share their origin, as PDFium gives a
    ligature's letters)."""
    out: dict[int, int] = {}
    k = 0
    while k < len(placed):
        end = k
        while end + 1 < len(placed) and placed[end + 1][4] is placed[k][4] \
                and placed[end + 1][1] == placed[k][1]:
            end += 1
        if end > k:
            out[k] = end
        k = end + 1
    return out


def _shapes_of(page) -> tuple[list[dict], list[dict], float, float]:
    """The page's strokes and images, and its width and height."""
    left, bottom, right, top = page.get_bbox()
    strokes, images = [], []
    for kind, (x0, y0, x1, y1) in _shapes(page.raw, False, (1, 0, 0, 1, 0, 0)):
        place = {"x0": x0 - left, "x1": x1 - left, "top": top - y1, "bottom": top - y0}
        (images if kind == raw.FPDF_PAGEOBJ_IMAGE else strokes).append(place)
    return strokes, images, right - left, top - bottom


def _shapes(parent, form: bool, matrix: tuple, depth: int = 0
            ) -> Iterator[tuple[int, tuple[float, float, float, float]]]:
    """(type, extent on the page) of each path and image, in forms too (their
    extent through the forms' matrices)."""
    count = raw.FPDFFormObj_CountObjects(parent) if form else raw.FPDFPage_CountObjects(parent)
    get = raw.FPDFFormObj_GetObject if form else raw.FPDFPage_GetObject
    box = [ctypes.c_float() for _ in range(4)]
    for i in range(max(0, count)):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 15:
            m = raw.FS_MATRIX()
            if raw.FPDFPageObj_GetMatrix(obj, m):
                yield from _shapes(obj, True, _times((m.a, m.b, m.c, m.d, m.e, m.f), matrix),
                                   depth + 1)
        elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE) \
                and raw.FPDFPageObj_GetBounds(obj, *box):
            x0, y0, x1, y1 = (v.value for v in box)
            a, b, c, d, e, f = matrix
            xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
            ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
            yield kind, (min(xs), min(ys), max(xs), max(ys))


def _times(inner: tuple, outer: tuple) -> tuple:
    """The matrix ``inner`` then ``outer`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)
