"""Printed page numbers (folios) and the PDF pages they stand on.

A contents list names each entry's page by its folio, not by its place in
the PDF: front matter numbered i, ii, iii before the text's 1, 2, 3, and
blank or title pages printing none. The reader keeps each page's folio as
it takes the page furniture out (``pdfsource``); ``printing_page`` turns an
entry's page number back into its PDF page, so a contents list can point at
a chapter whose heading prints another title than its entry (a short title).
"""

from __future__ import annotations

import re

#: A folio: Arabic figures, or lower-case Roman numerals as front matter's.
FOLIO = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,7})$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
#: A book's folios: (PDF page, the number it prints), page by page.
Folios = tuple[tuple[int, str], ...]


def roman(text: str) -> int:
    """The value of an upper-case Roman numeral ("XIV": 14)."""
    total = 0
    for ch, after in zip(text, text[1:] + " "):
        value = _ROMAN.get(ch, 0)
        total += -value if _ROMAN.get(after, 0) > value else value
    return total


def _value(folio: str) -> tuple[bool, int]:
    """(Roman or not, its number): the two series count apart."""
    return (False, int(folio)) if folio.isdigit() else (True, roman(folio.upper()))


def shift(page: int, folio: str) -> tuple[bool, int]:
    """How far a folio stands from its PDF page's number, in its series:
    the same through a run of pages numbered in order."""
    series, number = _value(folio)
    return series, page - number


def printing_page(folios: Folios, printed: str) -> int | None:
    """The PDF page printing the folio ``printed``: the page that prints it,
    else (a chapter's opening page often prints none) the page counted on
    from the nearest pages of its series that do, when those before and
    after it agree (a page left out between them would make them disagree)."""
    if not FOLIO.match(printed):
        return None
    series, number = _value(printed)
    known = sorted((n, page) for page, folio in folios
                   for s, n in [_value(folio)] if s == series)
    if exact := [page for n, page in known if n == number]:
        return exact[0] if len(exact) == 1 else None
    before = [page + number - n for n, page in known if n < number][-1:]
    after = [page + number - n for n, page in known if n > number][:1]
    guesses = set(before + after)
    return guesses.pop() if len(guesses) == 1 else None
