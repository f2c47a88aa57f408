"""The print edition as one Typst document: the design (``data/print.typ``),
then each chapter's Typst in reading order, with the contents after the front
matter and the book-end notes (``notes: book``) before the back matter.

The book's own values (title, trim, margins, chapter titles, first note
numbers) travel as JSON in Typst's ``sys.inputs``, never as Typst code, so no
title can break out of a string.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources

from ..chapters.convert import ConvertedChapter, ImageRef, image_href
from ..config import BookConfig
from ..lang.words import word
from ..look.fonts import Face
from ..look import scriptfaces
from ..look.theme import PRINT_FACE
from ..notes.markup import heading_text
from ..notes.plan import NotePlan
from ..source.matter import title_page_lines

#: Where Typst reads the settings from.
INPUT = "bookbuild"
#: Where Typst reads the labels of the footnotes an earlier setting left off
#: their reference's page, or left a line alone for (JSON): their paragraphs open a page.
MOVED = "bookbuild-moved"


@dataclass(frozen=True)
class TypstDocument:
    source: str  # main.typ
    settings: str  # JSON for sys.inputs[INPUT]


def design() -> str:
    return (resources.files("bookbuild") / "data" / "print.typ").read_text(encoding="utf-8")


def settings(config: BookConfig, chapters: tuple[ConvertedChapter, ...],
             plans: tuple[NotePlan, ...], modified: dt.datetime,
             faces: tuple[Face, ...] = ()) -> dict:
    lang, _, region = config.language.partition("-")
    authors = [p.name for p in config.contributors if "aut" in p.roles] \
        or [p.name for p in config.contributors[:1]]
    date = config.date or modified.date().isoformat()
    parts = [int(p) for p in date.split("-")] + [1, 1]
    trim = config.print
    page = trim.sheet()  # the page Typst sets: the trim and its bleed
    return {
        "title": config.title, "authors": authors, "keywords": [s.name for s in config.subjects],
        "description": config.description, "date": parts[:3],
        "lang": lang.lower(), "region": region[:2].upper() if len(region) >= 2 else None,
        "page": {"width": page.width, "height": page.height, "inside": page.inside,
                 "outside": page.outside, "top": page.top, "bottom": page.bottom,
                 "bleed": trim.bleed},
        "notes": config.notes,
        # The book's own families (fonts: in book.yaml), as the EPUB and the cover use them,
        # then the theme's Noto (Serif or Sans) and the Noto family of each script.
        "fonts": {role: next((f.family for f in faces if f.role == role), None)
                  for role in ("text", "headings")},
        "fallback-fonts": [face.name for face in scriptfaces.faces(config.language,
                                                                   PRINT_FACE[config.theme])],
        "theme": config.theme,
        "contents-title": word(config.language, "contents"), "toc-depth": config.toc_depth,
        "notes-title": heading_text(config.language, config.notes_heading),
        "title-page": _title_page(config),
        "chapters": [{"title": c.title, "type": c.chapter.type, "matter": c.chapter.matter,
                      "first-note": p.start} for c, p in zip(chapters, plans)],
    }


def _title_page(config: BookConfig) -> dict:
    """The title page's lines; its logo where the title page's EPUB copy put it in the root."""
    page = dataclasses.asdict(title_page_lines(config))
    if config.publisher_logo:
        page["logo"] = "/" + image_href(ImageRef(config.publisher_logo), config.root)
    return page


def typst_document(config: BookConfig, chapters: tuple[ConvertedChapter, ...],
                   plans: tuple[NotePlan, ...], modified: dt.datetime,
                   faces: tuple[Face, ...] = ()) -> TypstDocument:
    """Front matter numbered in roman, opening on a half title unless the author
    wrote one, the body from arabic 1 on a recto."""
    lines = [design(), "#show: bb-book", '#set page(numbering: "i")']
    if not any(conv.chapter.type == "halftitlepage" for conv in chapters):
        lines.append("#bb-half-title()")
    body_started = notes_placed = False
    for index, conv in enumerate(chapters):
        matter = conv.chapter.matter
        if matter != "frontmatter" and not body_started:
            body_started = True
            lines += ["#bb-contents()", '#pagebreak(to: "odd", weak: true)',
                      '#set page(numbering: "1")', "#counter(page).update(1)"]
        if matter == "backmatter" and config.notes == "book" and not notes_placed:
            notes_placed = True
            lines.append("#bb-endnotes()")
        # The title page bookbuild wrote is set in the design's own layout, from the settings.
        typst = "#bb-title-page()" if conv.chapter.written == "titlepage" else conv.typst or ""
        lines += [f"#bb-chapter({index})[", typst, "]"]
    if not body_started:
        lines.append("#bb-contents()")
    if config.notes == "book" and not notes_placed:
        lines.append("#bb-endnotes()")
    lines.append("#bb-layout()")
    return TypstDocument("\n".join(lines) + "\n",
                         json.dumps(settings(config, chapters, plans, modified, faces), ensure_ascii=False))

