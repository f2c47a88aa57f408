"""Front and back matter written from book.yaml: the title page, the copyright
page, a dedication, an epigraph and a colophon, each unless the author's own
chapter of that type stands in the reading order.

The pages are written as Markdown in which every ASCII punctuation mark of the
metadata is backslash-escaped (Pandoc's Markdown reads a backslash before any
of them as that mark itself), so Pandoc, the one reader, gives back the
metadata as plain text, and the pages go through the conversion every chapter
goes through: typed for EPUB, kept by the store profiles, set in print. The
words around the metadata ("Translated by", "ISBN") are the book's language's
(``lang/words.py``).
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum import isbn as stdnum_isbn

from ..config import BookConfig
from ..lang.words import word
from .manuscript import Chapter, Manuscript

#: The front pages in the order a book has them; bookbuild writes all but the
#: half title (the print edition sets its own, see print/document.py).
FRONT = ("halftitlepage", "titlepage", "copyright-page", "dedication", "epigraph")
WRITTEN_FRONT = FRONT[1:]
#: The EPUB file name of each page bookbuild writes (it has no source file to be named for).
FILE_NAMES = {"titlepage": "titlepage", "copyright-page": "copyright", "dedication": "dedication",
              "epigraph": "epigraph", "colophon": "colophon"}
#: Credit lines (role code, words key): the title page names those who shaped the
#: text, the copyright page those who shaped the book; anyone of another role is
#: thanked "with contributions by" there.
TITLE_CREDITS = (("edt", "edited_by"), ("ill", "illustrated_by"))
PAGE_CREDITS = (("cov", "cover_by"), ("bkd", "design_by"), ("pht", "photos_by"))
NAMED_ROLES = {"aut", "trl", "pbl", *(role for role, _ in TITLE_CREDITS + PAGE_CREDITS)}


def _plain(text: str) -> str:
    """One line of Markdown Pandoc reads as exactly ``text`` (spaces collapsed)."""
    line = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return "".join("\\" + ch if ch in string.punctuation else ch for ch in line)


def _paragraphs(text: str, lines: bool = False) -> list[str]:
    """Each paragraph of prose (apart by blank lines) as one plain line, or with
    ``lines`` its lines kept (a backslash at a line's end is Pandoc's line break)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    if not lines:
        return [_plain(p) for p in paragraphs]
    return ["\\\n".join(_plain(ln) for ln in p.splitlines() if ln.strip()) for p in paragraphs]


def _div(cls: str, *paragraphs: str) -> list[str]:
    """A fenced div of ``cls`` (the class the themes style) as one block."""
    return [f"::: {cls}\n" + "\n\n".join(paragraphs) + "\n:::"]


def _names(config: BookConfig, role: str) -> str | None:
    names = [p.name for p in config.contributors if role in p.roles]
    return ", ".join(names) or None


def _credits(config: BookConfig, table: tuple[tuple[str, str], ...]) -> list[str]:
    return [word(config.language, key, names=names) for role, key in table
            if (names := _names(config, role))]


@dataclass(frozen=True)
class TitlePage:
    """What a title page bookbuild writes says, in the book's words: the EPUB's
    page is written from it, and the print edition sets it in its own design."""

    title: str
    subtitle: str | None
    authors: str | None
    translators: str | None  # "Translated by ..."
    credits: tuple[str, ...]  # "Edited by ...", "Illustrated by ..."
    publisher: str | None
    logo: str | None  # the publisher's logo, relative to the book directory


def title_page_lines(config: BookConfig) -> TitlePage:
    translators = _names(config, "trl")
    return TitlePage(
        title=config.title, subtitle=config.subtitle, authors=_names(config, "aut"),
        translators=translators and word(config.language, "translated_by", names=translators),
        credits=tuple(_credits(config, TITLE_CREDITS)), publisher=config.publisher,
        logo=config.publisher_logo and config.publisher_logo.relative_to(config.root).as_posix())


def title_page(config: BookConfig) -> str:
    page = title_page_lines(config)
    blocks = [f"# {_plain(page.title)} {{.unnumbered}}"]
    for cls, line in (("subtitle", page.subtitle), ("author", page.authors),
                      ("translator", page.translators), *(("credit", c) for c in page.credits)):
        if line:
            blocks += _div(cls, _plain(line))
    # The logo above the publisher's name, which says what it shows: decorative
    # (chapters/accessibility.DECORATIVE), and in the name's paragraph, not a figure.
    logo = f"![](<{page.logo}>){{.decorative}}" if page.logo else None
    publisher = page.publisher and _plain(page.publisher)
    if logo or publisher:
        blocks += _div("publisher", "\\\n".join(filter(None, (logo, publisher))))
    return "\n\n".join(blocks) + "\n"


def _copyright_lines(config: BookConfig) -> Iterator[str]:
    lang = config.language
    if config.rights:
        yield from _paragraphs(config.rights)
    if config.edition:
        edition = config.edition
        yield _plain(word(lang, "edition", n=edition) if edition.isdigit() else edition)
    if config.isbn:
        yield _plain(word(lang, "isbn_ebook", isbn=stdnum_isbn.format(config.isbn)))
    if config.page_source:
        yield _plain(word(lang, "isbn_print", isbn=stdnum_isbn.format(config.page_source)))
    for credit in _credits(config, PAGE_CREDITS):
        yield _plain(credit)
    others = ", ".join(p.name for p in config.contributors if not set(p.roles) & NAMED_ROLES)
    if others:
        yield _plain(word(lang, "contributions_by", names=others))
    if config.accessibility.summary:
        yield from _paragraphs(word(lang, "accessibility", summary=config.accessibility.summary))


def copyright_page(config: BookConfig) -> str | None:
    """The rights, edition, ISBN of each edition, credits and accessibility
    summary book.yaml gives, a paragraph each; None when it gives none."""
    lines = list(_copyright_lines(config))
    return "\n\n".join(lines) + "\n" if lines else None


def dedication(config: BookConfig) -> str | None:
    """A dedication's lines as written: a short poem or a name on each is usual."""
    if not config.dedication:
        return None
    return "\n\n".join(_paragraphs(config.dedication, lines=True)) + "\n"


def epigraph(config: BookConfig) -> str | None:
    if config.epigraph is None:
        return None
    quote = _paragraphs(config.epigraph.text, lines=True)
    source = _div("attribution", _plain(config.epigraph.source)) if config.epigraph.source else []
    return "\n\n".join(["::::: epigraph", *quote, *source, ":::::"]) + "\n"


def colophon(config: BookConfig) -> str | None:
    if not config.colophon:
        return None
    heading = f"# {_plain(word(config.language, 'colophon'))} {{.unnumbered}}"
    return "\n\n".join([heading, *_paragraphs(config.colophon)]) + "\n"


_WRITERS = {"titlepage": title_page, "copyright-page": copyright_page, "dedication": dedication,
            "epigraph": epigraph, "colophon": colophon}


def _page(config: BookConfig, kind: str) -> Chapter | None:
    text = _WRITERS[kind](config)
    if text is None:
        return None
    return Chapter(index=0, source=config.config_file, type=kind, title=word(config.language, kind),
                   text=text, written=FILE_NAMES[kind])


def with_matter(manuscript: Manuscript) -> Manuscript:
    """The manuscript with the pages bookbuild writes: each front page after the
    author's front pages that come before it in a book (a copyright page after
    the author's own title page), before everything else; the colophon last.
    The author's chapters keep their numbers, and so their file names."""
    config = manuscript.config
    own = {c.type for c in manuscript.chapters}
    order = [dataclasses.replace(c, number=c.index) for c in manuscript.chapters]
    for kind in WRITTEN_FRONT:
        page = None if kind in own else _page(config, kind)
        if page is None:
            continue
        earlier = FRONT[:FRONT.index(kind)]
        at = max((i + 1 for i, c in enumerate(order) if c.type in earlier), default=0)
        order.insert(at, page)
    if "colophon" not in own and (page := _page(config, "colophon")) is not None:
        order.append(page)
    return dataclasses.replace(manuscript, chapters=tuple(dataclasses.replace(c, index=i)
                                                          for i, c in enumerate(order, start=1)))
