"""The book's look: a built-in theme (``theme:``), the book's own fonts
(``fonts:``) and stylesheet (``css:``), read and checked before anything is
converted, and made into the EPUB's one stylesheet in that order, so the
book's rules win over the theme's.

The themes are ``data/themes/base.css`` (the structure every theme shares)
followed by ``data/themes/NAME.css``. Each names only a generic family
(serif, sans-serif), so the reader's own font stays in charge unless the
book embeds its fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..config import BookConfig
from ..errors import BookbuildError, Problem
from ..safety import active
from ..safety import files as bookfiles
from .fonts import Face, font_face_rules, load_faces
from .scriptfaces import SANS, SERIF

#: The generic family each theme falls back on.
GENERIC = {"classic": "serif", "modern": "sans-serif"}
#: The face each theme sets the print edition in, where the EPUB names a generic family.
PRINT_FACE = {"classic": SERIF, "modern": SANS}


class StylesheetError(BookbuildError):
    """The book's own stylesheet cannot go into the EPUB as written."""


@dataclass(frozen=True)
class Look:
    theme: str
    book_css: str  # the book's own stylesheet ("" without one)
    faces: tuple[Face, ...]


def theme_css(theme: str) -> str:
    folder = resources.files("bookbuild") / "data" / "themes"
    return "".join((folder / f"{name}.css").read_text(encoding="utf-8") for name in ("base", theme))


def _book_css(config: BookConfig) -> str:
    """The book's stylesheet as UTF-8 text, held to the active-content policy:
    it may not load other files (an ``@import`` or ``url()`` in any spelling
    would fetch from the web or point at nothing in the package; fonts come
    through ``fonts:``, which subsets and declares them)."""
    if config.css is None:
        return ""
    path = config.css
    try:
        text = bookfiles.read_bytes(path, config.root, "'css' file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StylesheetError(f"the stylesheet is not UTF-8 ({exc.reason})", path, code="stylesheet-invalid") from None
    problems = [Problem(f"the book's stylesheet may not load other files: {f.what}", path, f.line, code="stylesheet-external")
                for f in active.css(text, "the stylesheet")]
    if problems:
        raise StylesheetError.from_problems(problems)
    return text


def load_look(config: BookConfig) -> Look:
    return Look(config.theme, _book_css(config), load_faces(config))


def stylesheet(look: Look, font_hrefs: tuple[str, ...]) -> bytes:
    """The EPUB's stylesheet: theme, then the embedded fonts, then the book's own."""
    parts = [theme_css(look.theme)]
    if look.faces:
        parts.append(font_face_rules(look.faces, font_hrefs, GENERIC[look.theme]))
    if look.book_css:
        parts.append("/* The book's own stylesheet (css: in book.yaml). */\n" + look.book_css)
    return "\n".join(parts).encode("utf-8")
