"""Rule "a running line holding the folio": a running head or foot that
names the page's current section beside its number ("7 | Tide Tables",
"Harbours | 8": Typst's templates, the book class's ``\\markright``) changes
its words from page to page, so no repetition of its words tells it; its
number does: it counts on with the pages, the same distance from the PDF's
page number on every page that prints one (``folios.shift``).
"""

from __future__ import annotations

from typing import Protocol

from . import folios

#: A running line stands apart from the text it heads or closes: this many
#: of the text's sizes at least between it and the nearest line.
APART_EM = 0.8
#: Pages whose line at one edge counts on with the pages before the rule
#: takes them: two could be a coincidence of the text's numbers.
LEAST_PAGES = 3
#: A running line is set no larger than the text (a heading is).
AT_MOST = 1.05


class Row(Protocol):
    top: float
    size: float
    page: int

    def words(self) -> str: ...


def folio_lines(pages: list[list[Row]], body_size: float) -> set[int]:
    """The ids of the rows that are a page's first or last, stand apart from
    the rest of the page (or are all of it), are set no larger than the
    text, and open or close with a number that counts on with the pages as
    the same edge's numbers of ``LEAST_PAGES`` pages or more do."""
    found: dict[tuple[bool, tuple[bool, int]], list[int]] = {}
    for rows in pages:
        for foot, row, neighbour in ((False, rows[0], rows[1:2]), (True, rows[-1], rows[-2:-1])) \
                if rows else ():
            words = row.words().split()
            if not words or row.size > body_size * AT_MOST or neighbour and \
                    abs(neighbour[0].top - row.top) - row.size < APART_EM * body_size:
                continue
            for word in dict.fromkeys((words[0], words[-1])):
                if folios.FOLIO.match(word):
                    found.setdefault((foot, folios.shift(row.page, word)), []).append(id(row))
    return {i for ids in found.values() if len(ids) >= LEAST_PAGES for i in ids}
