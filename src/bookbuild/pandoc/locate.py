"""Where in the Markdown a thing Pandoc found came from.

Pandoc's Markdown reader gives positions only in its diagnostics, not in the
AST. When a message needs the line of something found in the AST (a note
reference with no definition, a link to nowhere), we ask Pandoc again: the
line is the first one at which Pandoc's reading of the chapter up to that line
shows the thing. So the line follows Pandoc's reading, not a guess about the
Markdown. Lines that contain the thing's own text narrow the search; only
those are tried (then the lines after them: a reference to a link's
definition shows it without its text), so it costs a few Pandoc runs, and
only when there is something to report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from . import Parsed, read_markdown
from .ast import elements, identifier

#: What a reader makes of a text: Pandoc's reading, or what a caller keeps of it.
Read = TypeVar("Read")


def locate(text: str, shows: Callable[[Read], bool], needle: str | None = None,
           reader: Callable[[str], Read] = read_markdown) -> int | None:
    """The first line L such that ``shows(reader(lines 1..L))``. If even the
    whole text does not show it (raw HTML is not in the AST), the first line
    holding ``needle``, else None."""
    lines = text.split("\n")
    candidates = [i + 1 for i, line in enumerate(lines) if needle and needle in line]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        candidates = list(range(1, len(lines) + 1))

    def at(k: int) -> bool:
        return shows(reader("\n".join(lines[:candidates[k]]) + "\n"))

    lo, hi = 0, len(candidates) - 1
    if not at(hi):  # shown by a later line without the needle: a reference to a definition
        candidates += range(candidates[-1] + 1, len(lines) + 1)
        lo, hi = hi + 1, len(candidates) - 1
        if lo > hi or not at(hi):
            return candidates[0] if needle and needle in text else None
    while lo < hi:
        mid = (lo + hi) // 2
        if at(mid):
            hi = mid
        else:
            lo = mid + 1
    return candidates[lo]


def image(src: str) -> Callable[[Parsed], bool]:
    """``shows`` for an image with this source."""
    return lambda parsed: any(el["t"] == "Image" and el["c"][2][0] == src
                              for el in elements(parsed.doc["blocks"]))


def link(target: str, k: int = 1) -> Callable[[Parsed], bool]:
    """``shows`` for the ``k``-th link (from 1) to this target."""
    return lambda parsed: sum(el["t"] == "Link" and el["c"][2][0] == target
                              for el in elements(parsed.doc["blocks"])) >= k


def repeated_identifier(name: str) -> Callable[[Parsed], bool]:
    """``shows`` for the second element with this identifier."""
    return lambda parsed: sum(identifier(el) == name
                              for el in elements(parsed.doc["blocks"])) > 1
