"""A chapter as its toolchain computed it: the Markdown knitr or Quarto wrote
when the author last rendered the book (code with its output, figures), read
in place of code that never runs here.

Whoever wrote it (Quarto's ``_freeze/``, see ``freeze.py``; a knitted ``.md``,
see ``knitted.py``), the prose is the author's, unchanged but for inline
expressions replaced by their values, so each of its lines is mapped back to a
line of the chapter by a line-by-line alignment, and every problem still names
the author's file and line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Computed:
    text: str  # the Markdown the toolchain wrote, its figures where the toolchain keeps them
    origins: tuple[tuple[Path, int], ...]  # per line of ``text``: the chapter's file and line
    file: Path  # where the toolchain wrote it: an input of the book, dated like the chapter


def computed(source: Path, ours: str, theirs: str, file: Path) -> Computed:
    """``theirs``, the toolchain's Markdown of the chapter ``source`` (whose
    text is ``ours``) that it wrote in ``file``, each line at a line of the
    chapter: where it is the author's own line, that line; where a run of lines
    took the place of as many of the author's (an inline expression replaced by
    its value), those lines one by one; where the engine wrote it (a result),
    the author's line before it."""
    mine, written = ours.split("\n"), theirs.split("\n")
    at: list[int | None] = [None] * len(written)
    matcher = difflib.SequenceMatcher(None, mine, written)
    for tag, a, a_end, b, b_end in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and a_end - a == b_end - b):
            for k in range(b_end - b):
                at[b + k] = a + k + 1
    origins, last = [], 1
    for line in at:
        last = line or last
        origins.append((source, last))
    return Computed(theirs, tuple(origins), file)
