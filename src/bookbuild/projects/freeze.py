"""Quarto's frozen results: what a chapter's code produced when its author
last rendered it, read in place of code that never runs here.

Quarto keeps, for each file of a project it executed, the Markdown its
engine wrote (each chunk a ``::: {.cell}`` block holding the code and its
output) in ``_freeze/<path without extension>/execute-results/<format>.json``,
under ``result.markdown``, and the figures in ``_freeze/<path>/figure-<format>/``,
which it copies to ``<name>_files/`` when it renders (Quarto's guide,
"Freeze"). bookbuild takes the EPUB's results if Quarto froze those, else
the HTML's (an EPUB is HTML), the figures from where Quarto keeps them, and
maps each line of that Markdown back to a line of the chapter (a line-by-line
alignment: the prose is the author's, unchanged), so every problem still
names the author's file and line. A frozen file that is not what Quarto
writes is no result: the chapter is read as written.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError
from ..safety import files as bookfiles

FOLDER = "_freeze"
#: The formats whose results an EPUB can show, the EPUB's own first.
FORMATS = ("epub", "html")
#: A frozen result larger than this is no chapter's: it is left unread.
LARGEST = 64 * 1024 * 1024


@dataclass(frozen=True)
class Frozen:
    text: str  # the Markdown Quarto's engine wrote, figures where Quarto keeps them
    origins: tuple[tuple[Path, int], ...]  # per line of ``text``: the chapter's file and line


def frozen(source: Path, text: str, root: Path) -> Frozen | None:
    """The frozen results of the chapter ``source`` (whose text is ``text``) of
    the Quarto project at ``root``, if Quarto left any."""
    try:
        folder = root / FOLDER / source.resolve().relative_to(root.resolve()).with_suffix("")
    except ValueError:
        return None
    for name in FORMATS:
        markdown = _markdown(folder / "execute-results" / f"{name}.json", root)
        if markdown is not None:
            break
    else:
        return None
    figures = Path(os.path.relpath(folder, source.parent)).as_posix()
    markdown = markdown.replace("\r\n", "\n").replace(f"]({source.stem}_files/", f"]({figures}/")
    return Frozen(markdown, _origins(source, text.split("\n"), markdown.split("\n")))


def _markdown(file: Path, root: Path) -> str | None:
    if not bookfiles.is_regular(file) or file.stat().st_size > LARGEST:
        return None
    try:
        result = json.loads(bookfiles.read_bytes(file, root, "frozen result")).get("result")
    except (BookbuildError, ValueError, AttributeError, RecursionError):
        return None
    markdown = result.get("markdown") if isinstance(result, dict) else None
    return markdown if isinstance(markdown, str) else None


def _origins(source: Path, ours: list[str], theirs: list[str]) -> tuple[tuple[Path, int], ...]:
    """Each line of the frozen Markdown at a line of the chapter: where it is
    the author's own line, that line; where the engine wrote it (a result), the
    author's line before it."""
    at: list[int | None] = [None] * len(theirs)
    for a, b, size in difflib.SequenceMatcher(None, ours, theirs).get_matching_blocks():
        for k in range(size):
            at[b + k] = a + k + 1
    origins, last = [], 1
    for line in at:
        last = line or last
        origins.append((source, last))
    return tuple(origins)
