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
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from ..chapters.convert import ConvertedChapter, ImageRef, image_href
from ..config import BookConfig
from ..lang.words import word
from ..look.fonts import Face
from ..look.scriptfaces import print_faces
from ..look.theme import PRINT_FACE
from ..notes.markup import heading_text
from ..notes.plan import NotePlan
from ..source.matter import title_page_lines

#: Where Typst reads the settings from.
INPUT = "bookbuild"
#: What opens a page for a paragraph that must take its footnote along.
KEEP_WITH_NOTE = "#pagebreak(weak: true)"
#: The same for a list item, after its marker: a break before it would split the list.
KEEP_ITEM_WITH_NOTE = "#bb-keep-with-note()"
#: A list item's first line in Pandoc's Typst (a term list's, "/ ", is no paragraph of the flow).
_LIST_ITEM = re.compile(r"^ *(?:[-+] |\d+\. )")


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
    page = config.print
    return {
        "title": config.title, "authors": authors, "keywords": [s.name for s in config.subjects],
        "description": config.description, "date": parts[:3],
        "lang": lang.lower(), "region": region[:2].upper() if len(region) >= 2 else None,
        "page": {"width": page.width, "height": page.height, "inside": page.inside,
                 "outside": page.outside, "top": page.top, "bottom": page.bottom},
        "notes": config.notes,
        # The book's own families (fonts: in book.yaml), as the EPUB and the cover use them,
        # then the theme's Noto (Serif or Sans) and the Noto family of each script.
        "fonts": {role: next((f.family for f in faces if f.role == role), None)
                  for role in ("text", "headings")},
        "fallback-fonts": [face.name for face in print_faces(PRINT_FACE[config.theme],
                                                             config.language)],
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


def keep_with_notes(source: str, labels: Iterable[str]) -> str:
    """``source`` with a page break before each paragraph or list item holding
    a labelled note's reference, so that it opens a page and its footnote goes
    with it. Typst keeps a footnote on its reference's page where it can, but
    not always: a paragraph its widow and orphan rules moved whole to the next
    page after its note was placed leaves the note behind. Only a paragraph of
    the chapter itself, or an item of its lists (the design's paragraphs),
    takes a break: Typst refuses one inside a container, and the label is
    left as it is. Pandoc writes a container's opening
    (``#quote(block: true)[``) and its closing ``]`` on lines of their own, and
    code between fences."""
    lines = source.split("\n")
    depth, fenced = 0, False
    depths = []  # each line's depth of containers, the chapter's own (bb-chapter) being 1
    for line in lines:
        depths.append(-1 if fenced else depth)
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#") and line.endswith("["):
            depth += 1
        elif not fenced and line == "]":
            depth -= 1
    starts = set()
    for label in labels:
        at = next((k for k, line in enumerate(lines) if f"<{label}>" in line), None)
        if at is None:
            continue
        while at > 0 and lines[at - 1].strip() and depths[at - 1] == depths[at] \
                and not _LIST_ITEM.match(lines[at]):
            at -= 1
        if depths[at] == 1:
            starts.add(at)
    for at in sorted(starts, reverse=True):
        item = _LIST_ITEM.match(lines[at])
        if item:
            lines[at] = item.group() + KEEP_ITEM_WITH_NOTE + lines[at][item.end():]
        elif not lines[at].startswith((" ", "/ ")):  # not inside an item, nor a term list
            lines[at:at] = [KEEP_WITH_NOTE, ""]
    return "\n".join(lines)
