"""A chapter knitr (or Quarto's engine) already ran: the Markdown it wrote
(code with its output, figures it made), read in place of code that never
runs here.

What knitr and its callers leave behind, by their own sources:

- ``knitr::knit("ch.Rmd")`` writes ``ch.md`` (``auto_out_name`` in knitr's
  ``R/utils.R``) in the working directory, the chapter's folder when knitted
  there, its figures under ``figure/``, paths relative to it.
- rmarkdown's ``keep_md: true`` copies the knitted Markdown to ``ch.md``
  beside its output, by default in the chapter's folder (``render`` in
  rmarkdown's ``R/render.R``), and keeps its figures in ``ch_files/``
  (``keep_md`` turns ``clean_supporting`` off, ``R/output_format.R``).
- Quarto's ``keep-md: true`` writes the Markdown its engine returned (the
  very text it freezes) to ``ch.<format>.md`` beside the chapter
  (``executionEngineKeepMd`` in quarto-cli's ``src/execute/engine.ts``,
  written in ``src/command/render/render-files.ts``), keeping its figures in
  ``ch_files/``; the EPUB's is taken if there, else the HTML's.
- bookdown's "Knit and Merge" (``new_session: yes``) knits each chapter alone
  in the project's root and keeps it as ``<output_dir>/ch.md`` (``_book/`` by
  default; ``render_new_session`` in bookdown's ``R/render.R``, whose preview
  re-uses them), moving its figures ``ch_files/`` into ``_bookdown_files/``
  when done (``files_cache_dirs``). Its default "Merge and Knit" keeps no
  chapter of its own: only the merged ``_main.knit.md``, and only with
  ``clean = FALSE``; that is not read.

Such a file is read when it is there and not older than the chapter (an older
one is results of another text; knitr keeps no hash of its input), within
:data:`SAME_TIME`: a checkout (git writes files in name order, ``ch.html.md``
before ``ch.qmd``) or a copy to a FAT or zip folder (2-second times) may date
the two a moment apart, while an edit after knitting comes later than that.
The chapter beside it first, then bookdown's.
Its lines are mapped back to the chapter's (``computed.py``), and it holds no
chunk: the engine ran them all, and a chunk header left in it is one the author
showed verbatim (```` ```{r}`r ''` ````).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import BookbuildError
from ..safety import files as bookfiles
from .computed import Computed, computed
from .freeze import FORMATS

#: The R Markdown files knitr writes a ``.md`` for (``auto_out_name``).
SOURCES = (".rmd", ".rmarkdown")
#: How much older than its chapter a knitted file may be and still be of its text.
SAME_TIME = 2 * 10**9  # nanoseconds
#: Where bookdown moves the chapters' figure folders when it is done.
BOOKDOWN_FILES = "_bookdown_files"


def already_knitted(source: Path, text: str, root: Path,
                    output_dir: str | None = None) -> Computed | None:
    """The chapter ``source`` (whose text is ``text``) as knitr knitted it, if
    a knitted ``.md`` is beside it or, in a bookdown project whose output
    folder is ``output_dir``, there (Knit and Merge knits only the root's files)."""
    if source.suffix.lower() not in SOURCES:
        return None
    places = [source.with_suffix(".md")]
    if output_dir and source.parent.resolve() == root.resolve():
        places.append(root / output_dir / f"{source.stem}.md")
    return _first(places, source, text, root)


def kept_by_quarto(source: Path, text: str, root: Path) -> Computed | None:
    """The chapter ``source`` of a Quarto project as its engine ran it, if
    Quarto kept that Markdown beside it (``keep-md: true``)."""
    return _first([source.with_name(f"{source.stem}.{name}.md") for name in FORMATS],
                  source, text, root)


def _first(places: list[Path], source: Path, text: str, root: Path) -> Computed | None:
    """The first of ``places`` holding the chapter as computed, mapped to it."""
    for place in places:
        markdown = _read(place, source, root)
        if markdown is not None:
            if place.parent != source.parent:
                markdown = _bookdown_figures(markdown, source, root)
            return computed(source, text, markdown, place)
    return None


def _read(place: Path, source: Path, root: Path) -> str | None:
    """The knitted Markdown at ``place``, if it is there, inside the book, not
    older than ``source`` and a text a chapter could be."""
    if not bookfiles.is_regular(place) \
            or place.stat().st_mtime_ns < source.stat().st_mtime_ns - SAME_TIME:
        return None
    try:
        return bookfiles.read_text(place, root)
    except BookbuildError:
        return None


def _bookdown_figures(markdown: str, source: Path, root: Path) -> str:
    """bookdown's knitted chapter with its figures where bookdown left them:
    ``ch_files/`` in the root while it runs, ``_bookdown_files/ch_files/`` after."""
    folder = f"{source.stem}_files"
    if (source.parent / folder).is_dir() or not (root / BOOKDOWN_FILES / folder).is_dir():
        return markdown
    moved = Path(os.path.relpath(root / BOOKDOWN_FILES / folder, source.parent)).as_posix()
    return re.sub(rf"(\]\(|src=\"){re.escape(folder)}/", rf"\g<1>{moved}/", markdown)
