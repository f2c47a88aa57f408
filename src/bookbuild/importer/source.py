"""Lines of a print book, and the small judgements made about single lines.

Both readers (``textsource`` for a text extraction, ``pdfsource`` for the
PDF) produce the same thing: a list of ``Line``, one paragraph, heading or
note each, with the inline marks of ``inline``. A reader that knows what a
line is (the PDF knows a heading by its type size, a note by the footnote
area) says so in ``kind``; a line whose kind is None is judged here by its
shape. Rules here are about the shape of text from any book, never one book's
words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .hyphens import Vocabulary
from .inline import EM_CLOSE, EM_OPEN, REF, SUPERSCRIPTS, SYMBOLS, label_of, plain

#: A note as printed: its label ("1", "1.", "[1]", a superscript, a symbol;
#: sometimes behind a dash), a space, then the text.
NOTE_LABEL = re.compile(r"^(?:[-–—]\s*)?(?:(?P<num>\d{1,3})(?P<dot>\.?)|\[(?P<br>\d{1,3})\]|"
                        rf"(?P<ref>{REF.pattern})|(?P<sup>[{SUPERSCRIPTS}]{{1,3}})|(?P<sym>[{re.escape(SYMBOLS)}]{{1,3}}))"
                        r"\s+(?P<text>\S.*)$")
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
SEPARATOR = re.compile(r"^(?:={2,}|\*(?:\s*\*){2,}|~{2,}|#{3,})$")
#: "Title<TAB>12", "Title ..... 12", "Title . . . . 12", "Title   xii"
CONTENTS_ENTRY = re.compile(r"^(?P<title>.*?\S)(?:\t+|\s{2,}|\s*(?:\.\s?){2,}\s*)(?P<page>\d+|[ivxlc]+)$",
                            re.IGNORECASE)
TERMINAL = ".!?…"  # not ":", after which print often breaks the page mid-sentence
#: Endings that cannot end a sentence at all, in any language: a strong sign of a cut.
CUT = ",;–—-(/"
CLOSERS = "\"'”’»)]"
#: A bracketed reference in running text, "word [1]" or "word[1]".
BRACKET_REF = re.compile(r"\s?\[(\d{1,3})\]")
#: "2.1": a section's number; "B.1": an appendix's section; "2.10Title": a
#: section whose space a reader lost.
SECTION_LABEL = re.compile(r"^(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+\.?(?:\s|(?=[^\W\d_]))")
LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[a-z][.)]|[-–•])\s")


#: A PDF has no lines of its own: a line's number there is its page times this
#: plus its line on the page, so one integer orders the lines and still names the
#: page in the report ("p. 12 l. 7"). No page holds this many lines.
PAGE_LINES = 1000


def page_line(page: int, line: int) -> int:
    """The number of a PDF's ``line`` on ``page`` (``PAGE_LINES``)."""
    return page * PAGE_LINES + line


def page_of(number: int) -> int:
    """The page a PDF's line number is on (``PAGE_LINES``)."""
    return number // PAGE_LINES


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the source file (a PDF: ``page_line``)
    text: str  # with the marks of ``inline``
    kind: str | None = None  # "text", "heading", "note", "separator", "code", "term" when known
    level: int = 0  # a heading's level (1 = chapter) when the reader knows
    label: str | None = None  # a note's label when the reader knows (then text is its body)
    in_notes: bool = False  # printed under the rule over a page's notes
    indent: bool = False  # its first line is indented, as a new paragraph's is


@dataclass(frozen=True)
class Doubt:
    """A place a person should check: what was decided, and how sure it is."""

    line: int  # in the source
    message: str
    confidence: float  # that the decision taken is right
    target: object | None = None  # the Block or Note it lands in, for the output line


@dataclass(frozen=True)
class Bookmark:
    """An entry of a PDF's outline: its depth (1 the top), its title as the
    author typed it, and the page it leads to (numbered as ``page_line``
    numbers pages; None where it leads nowhere)."""

    level: int
    title: str
    page: int | None = None


@dataclass(frozen=True)
class Source:
    """What a reader made of a book file."""

    lines: list[Line]
    vocabulary: Vocabulary  # the book's words and language, for hyphens at line and page ends
    outline: tuple[Bookmark, ...] = ()  # the PDF's outline
    document: tuple[str | None, str | None] = (None, None)  # a PDF's information: title, author
    doubts: tuple[Doubt, ...] = ()  # the reader's own (a hyphen it could not settle)
    furniture: int = 0  # running heads and page numbers taken out
    markers: str = "superscript"  # how the book marks references
    paged: bool = False  # line numbers are ``page_line``s (a PDF)
    indents: bool = False  # the extraction shows paragraphs' first-line indents
    caveats: tuple[str, ...] = ()  # what this kind of source cannot tell, for the report
    folios: tuple[tuple[int, str], ...] = ()  # a PDF's printed page numbers: (page, folio)


def unmapped(text: str) -> tuple[Doubt, ...]:
    """Rule "unmapped glyphs", for a text extraction as the PDF reader has it
    for a PDF: each line holding U+FFFD (what an extractor writes for a glyph
    the PDF maps to no character) is a place a person must read in the print."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(Doubt(number, f"{lost} glyph{'s' * (lost > 1)} the PDF maps to no character, "
                       "shown as \N{REPLACEMENT CHARACTER} in the extraction", 0.0)
                 for number, line in enumerate(lines, start=1)
                 if (lost := line.count("\N{REPLACEMENT CHARACTER}")))


def note_label(text: str) -> tuple[str, str] | None:
    """(label, body) when ``text`` opens as a note does."""
    m = NOTE_LABEL.match(text)
    if not m:
        return None
    raw = m.group("num") or m.group("br") or m.group("sym") or m.group("sup") or REF.match(m.group("ref")).group(1)
    return label_of(raw), m.group("text")


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends as a finished sentence does."""
    stripped = plain(text).rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in TERMINAL


def clearly_cut(text: str) -> bool:
    """Ends with a comma, a dash or the like, or a short lower-case word ("in",
    "the", "et", "и"): certainly not the end of the paragraph, in any language."""
    stripped = plain(text).rstrip()
    if not stripped:
        return False
    last = stripped.split()[-1]
    return stripped[-1] in CUT or (last.isalpha() and last.islower() and len(last) <= 3)


def starts_list_item(text: str) -> bool:
    """"1. …", "a) …", "• …": a list item starts its own paragraph, page break or not."""
    return bool(LIST_ITEM.match(plain(text)))


def starts_lowercase(text: str) -> bool:
    first = next((ch for ch in plain(text) if ch.isalnum()), "")
    return first.islower()


def is_caps_heading(text: str) -> bool:
    """A short line in capitals, with a full stop or none: how print sets sub-headings."""
    words = plain(text)
    letters = [ch for ch in words if ch.isalpha()]
    return (len(letters) >= 3 and all(ch.isupper() for ch in letters) and len(words) <= 80
            and not words.rstrip().endswith((",", ";", ":")))


def is_roman_heading(text: str) -> bool:
    return bool(ROMAN.match(plain(text).strip()))


def normalise_title(text: str) -> str:
    """Compare a contents entry with a heading: no numbering, references,
    quotes, case or punctuation."""
    text = unicodedata.normalize("NFKC", plain(text).replace(EM_OPEN, "").replace(EM_CLOSE, ""))
    text = re.sub(r"^\s*(?:\d+|[IVXLC]+)[.)]?\s+", "", text)
    text = re.sub(r"[\"'“”‘’«»„]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.casefold().split())
