"""Lines of a print-PDF text extraction, and the small judgements made about them.

Rules here are about the shape of text from any such book, never one book's
words: superscript digits are references, a number opening a line may be a
note, a line in capitals or a lone Roman numeral is a heading, a paragraph that
stops mid-sentence was cut by a page break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPER_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
_TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
#: A note body as printed: its number (plain or superscript, sometimes behind a
#: dash), a space, then the text.
NOTE_START = re.compile(rf"^(?:[-–—]\s*)?(?P<num>\d{{1,3}}|[{SUPERSCRIPTS}]{{1,3}})\s+(?P<text>\S.*)$")
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
SEPARATOR = re.compile(r"^(?:={2,}|\*(?:\s*\*){2,}|~{2,}|#{3,})$")
#: A lone dash or underscore: the rule printed above a page's notes, not text.
NOTE_RULE = re.compile(r"^[-–—_]{1,3}$")
#: "Title<TAB>12", "Title ..... 12", "Title   xii"
CONTENTS_ENTRY = re.compile(r"^(?P<title>.*?\S)(?:\t+|\s{2,}|\s*\.{2,}\s*)(?P<page>\d+|[ivxlc]+)$",
                            re.IGNORECASE)
TERMINAL = ".!?…"  # not ":", after which print often breaks the page mid-sentence
#: Endings that cannot end a sentence at all, in any language: a strong sign of a cut.
CUT = ",;–—-(/"
CLOSERS = "\"'”’»)]"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the source file
    text: str


#: A block whose longest line is at least this long is prose wrapped at the page
#: width; shorter blocks (title pages, addresses) keep their lines apart.
PROSE_WIDTH = 50


def read_lines(text: str) -> list[Line]:
    """The extraction's paragraphs, each as one line. Some extractions put a
    paragraph on one line, others wrap it at the page width: a wrapped
    paragraph is joined again (a hyphen at a line's end before a lower-case
    letter is taken out), and a new one starts after a short last line or at a
    line that opens a note, a list item, a heading or a contents entry."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(i, line.strip()) for i, line in enumerate(text.split("\n"), start=1)]
    paragraphs: list[Line] = []
    block: list[Line] = []
    for line in lines + [Line(len(lines) + 1, "")]:
        if line.text and not NOTE_RULE.match(line.text):
            block.append(line)
        elif not line.text:
            paragraphs += _unwrap(block)
            block = []
    return paragraphs


def _starts_unit(text: str) -> bool:
    return bool(NOTE_START.match(text) or starts_list_item(text) or SEPARATOR.match(text)
                or is_caps_heading(text) or is_roman_heading(text) or CONTENTS_ENTRY.match(text))


def _unwrap(block: list[Line]) -> list[Line]:
    if len(block) < 2 or max(len(line.text) for line in block) < PROSE_WIDTH:
        return list(block)
    full = 0.75 * max(len(line.text) for line in block)
    result: list[Line] = []
    for line in block:
        previous = result[-1] if result else None
        ended = len(line.text) < full and not line.text.endswith("-")
        if previous is None or _starts_unit(line.text) or previous.ended:
            result.append(_Open(line.number, line.text, ended))
            continue
        joined = (previous.text[:-1] + line.text
                  if previous.text.endswith("-") and line.text[:1].islower()
                  else f"{previous.text} {line.text}")
        result[-1] = _Open(previous.number, joined, ended)
    return [Line(line.number, line.text) for line in result]


@dataclass(frozen=True)
class _Open(Line):
    ended: bool = False  # its last line was short: the paragraph ended there


def superscript_value(run: str) -> int:
    return int(run.translate(_TO_DIGITS))


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends as a finished sentence does."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS + SUPERSCRIPTS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in TERMINAL


def clearly_cut(text: str) -> bool:
    """Ends with a comma, a dash or the like, or a short lower-case word ("in",
    "the", "et", "и"): certainly not the end of the paragraph, in any language."""
    stripped = text.rstrip()
    if not stripped:
        return False
    last = stripped.split()[-1]
    return stripped[-1] in CUT or (last.isalpha() and last.islower() and len(last) <= 3)


LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[a-z][.)]|[-–•])\s")


def starts_list_item(text: str) -> bool:
    """"1. …", "a) …", "• …": a list item starts its own paragraph, page break or not."""
    return bool(LIST_ITEM.match(text))


def starts_lowercase(text: str) -> bool:
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.islower()


def is_caps_heading(text: str) -> bool:
    """A short line in capitals with no final full stop: how print sets sub-headings."""
    letters = [ch for ch in SUPER_RUN.sub("", text) if ch.isalpha()]
    return (len(letters) >= 3 and all(ch.isupper() for ch in letters) and len(text) <= 80
            and not text.rstrip().endswith((".", ",", ";")))


def is_roman_heading(text: str) -> bool:
    return bool(ROMAN.match(text.strip()))


def normalise_title(text: str) -> str:
    """Compare a contents entry with a heading: no numbering, superscripts,
    quotes, case or punctuation."""
    text = unicodedata.normalize("NFKC", SUPER_RUN.sub("", text))
    text = re.sub(r"^\s*(?:\d+|[IVXLC]+)[.)]?\s+", "", text)
    text = re.sub(r"[\"'“”‘’«»„]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.casefold().split())
