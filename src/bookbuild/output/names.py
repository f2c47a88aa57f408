"""The name of every file a build writes, in one table.

Writing (artifacts), preview (which EPUB to show), watch (what not to rebuild
on), the sweep of a killed build's temporaries and ``bookbuild cover`` all
read it, so a format cannot be known to one and forgotten by another.
"""

from __future__ import annotations

import re

#: Each written file's ending after the book's slug, by format (the cover
#: format writes the cover and its thumbnail).
SUFFIXES = {
    "epub": ".epub",
    "kindle-epub": ".kindle.epub",  # after .epub: ".kindle.epub" ends in ".epub" too
    "kobo": ".kepub.epub",  # the name that makes Kobo readers use their kepub renderer
    "azw3": ".azw3",
    "cover-jpg": "-cover.jpg",
    "cover-thumbnail": "-cover-thumbnail.jpg",
    "pdf": ".pdf",
}

#: The marker a build holds while it renames its files into place.
RENAMING = ".renaming"

#: A temporary beside an output (``safety.temporaries.beside``): ``.NAME.PID.XXXX.tmp[.ext]``.
_TEMPORARY = re.compile(r"\..+\.\d+\..*\.tmp(\.\w+)?")


def file_name(slug: str, fmt: str) -> str:
    """The file ``fmt`` of the book ``slug`` is written to."""
    return slug + SUFFIXES[fmt]


def every_name(slug: str) -> list[str]:
    """Every file a build of ``slug`` may write, the renaming marker first."""
    return [slug + RENAMING] + [file_name(slug, fmt) for fmt in SUFFIXES]


def is_output(name: str) -> bool:
    """Whether an entry of an output directory may be one a build wrote (any
    book's: the slug can change with book.yaml), or one of its temporaries."""
    return name.endswith(tuple(SUFFIXES.values())) or bool(_TEMPORARY.fullmatch(name))
