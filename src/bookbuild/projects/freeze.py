"""Quarto's frozen results: what a chapter's code produced when its author
last rendered it, read in place of code that never runs here.

Quarto keeps, for each file of a project it executed, the Markdown its
engine wrote (each chunk a ``::: {.cell}`` block holding the code and its
output) in ``_freeze/<path without extension>/execute-results/<format>.json``,
under ``result.markdown``, and the figures in ``_freeze/<path>/figure-<format>/``,
which it copies to ``<name>_files/`` when it renders (Quarto's guide,
"Freeze"). bookbuild takes the EPUB's results if Quarto froze those for the
chapter's text, else the HTML's (an EPUB is HTML), the figures from where
Quarto keeps them, and maps each line of that Markdown back to a line of the
chapter (``computed.py``), so every problem still names the author's file and
line. A frozen file that is not what Quarto writes is no result: the chapter
is read as written.

Quarto stores beside the results ``"hash"``, the MD5 of the chapter's text
with its line endings made LF (``freezeInputHash`` in quarto-cli's
``src/command/render/freeze.ts``), and ``defrostExecuteResult`` uses them
only when that hash is the chapter's, or whatever it is when the project says
``execute: freeze: true`` (or the chapter's own front matter does); otherwise,
``freeze: auto``'s case, Quarto runs the chapter again. bookbuild does the
same, and since it runs nothing, a chapter changed since it was frozen is read
as written, with one warning (``freeze-stale``) saying why its results are
missing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError
from ..safety import files as bookfiles
from . import front_matter
from .computed import Computed, computed

FOLDER = "_freeze"
#: The formats whose results an EPUB can show, the EPUB's own first.
FORMATS = ("epub", "html")
#: A frozen result larger than this is no chapter's: it is left unread.
LARGEST = 64 * 1024 * 1024


@dataclass(frozen=True)
class Thawed:
    """What Quarto froze of a chapter: its results, or ``stale`` when the
    chapter changed since and Quarto would run it again."""

    results: Computed | None = None
    stale: bool = False


def frozen(source: Path, text: str, root: Path, force: bool = False) -> Thawed:
    """The frozen results of the chapter ``source`` (whose text is ``text``) of
    the Quarto project at ``root``, if Quarto left any and would use them
    (``force``: the project's ``freeze: true``, results however old, unless
    the chapter's own ``execute:`` says otherwise)."""
    try:
        folder = root / FOLDER / source.resolve().relative_to(root.resolve()).with_suffix("")
    except ValueError:
        return Thawed()
    found = [(file, *result) for file in (folder / "execute-results" / f"{name}.json"
                                          for name in FORMATS)
             if (result := _result(file, root)) is not None]
    if not found:
        return Thawed()
    current = _hash(source, root)
    usable = [(file, markdown) for file, markdown, stored in found if stored == current]
    if not usable and not _forced(source, root, force):
        return Thawed(stale=True)
    file, markdown = (usable or [(file, markdown) for file, markdown, _ in found])[0]
    figures = Path(os.path.relpath(folder, source.parent)).as_posix()
    markdown = markdown.replace("\r\n", "\n").replace(f"]({source.stem}_files/", f"]({figures}/")
    return Thawed(computed(source, text, markdown, file))


def _forced(source: Path, root: Path, project: bool) -> bool:
    """Whether results frozen from another text are used: ``freeze: true`` in
    the chapter's own ``execute:``, which Quarto merges over the project's,
    else in the project's (``project``)."""
    execute = front_matter(source, root).get("execute")
    own = execute.get("freeze") if isinstance(execute, dict) else None
    return own is True if own is not None else project


def _hash(source: Path, root: Path) -> str:
    """Quarto's hash of a chapter: the MD5 of its UTF-8 text, BOM left out
    (Deno's ``readTextFileSync``), each CRLF made LF and nothing else changed."""
    text = bookfiles.read_bytes(source, root, "chapter").decode("utf-8-sig")
    return hashlib.md5(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def _result(file: Path, root: Path) -> tuple[str, object] | None:
    """A frozen result's Markdown and the hash stored with it."""
    if not bookfiles.is_regular(file) or file.stat().st_size > LARGEST:
        return None
    try:
        stored = json.loads(bookfiles.read_bytes(file, root, "frozen result"))
        result = stored.get("result")
    except (BookbuildError, ValueError, AttributeError, RecursionError):
        return None
    markdown = result.get("markdown") if isinstance(result, dict) else None
    return (markdown, stored.get("hash")) if isinstance(markdown, str) else None
