"""The print stage in one function: the chapters as one Typst document,
typeset within the limits, read back, preflighted, and its pages handed to
the EPUB's chapters as page markers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..chapters.convert import ConvertedChapter, image_href
from ..chapters.images import safe_image
from ..checks.epubcheck import CheckResult
from ..config import BookConfig
from ..errors import Problem
from ..look.fonts import Face
from ..notes.plan import NotePlan
from .document import typst_document
from .boxes import with_boxes
from .engine import typeset
from .layout import Layout, read_layout
from .pagelist import owners, paginate
from .preflight import (Placed, kept_apart_for_notes, lone_lines, preflight, print_warnings,
                        spine_width)


#: How many times a book is set at most. Each setting after the first opens a
#: page before every paragraph whose footnote an earlier one set off its
#: reference's page, or left a line of alone to keep it there; a page opened so
#: can move another paragraph's page end, hence more than one. A setting that
#: would open no other page is not made. The check judges the last setting, so
#: a book that needs more fails it, naming the page.
SETTINGS = 4


@dataclass(frozen=True)
class PrintEdition:
    pdf: bytes
    layout: Layout
    chapters: tuple[ConvertedChapter, ...]  # with a page marker for every printed page
    check: CheckResult
    warnings: tuple[Problem, ...]
    spine: float  # the spine's width in millimetres, from the pages and the paper


def print_edition(config: BookConfig, chapters: tuple[ConvertedChapter, ...],
                  plans: tuple[NotePlan, ...], modified: dt.datetime,
                  faces: tuple[Face, ...] = ()) -> PrintEdition:
    """Typeset on the sheet (the trim and its bleed), measured on it, and
    checked against the trim the printer cuts it to."""
    sheet = config.print.sheet()
    document = typst_document(config, chapters, plans, modified, faces)
    placed = {image_href(ref, config.root): Placed(conv, ref.source)
              for conv in chapters for ref in conv.images}
    images = {href: safe_image(place.source, config.root)[1] for href, place in placed.items()}
    fonts = {f"{n:02d}.{face.suffix}": face.data for n, face in enumerate(faces, start=1)}

    def setting(keep: tuple[str, ...]):
        result = typeset(document, images, int(modified.timestamp()), config.config_file, fonts,
                         keep)
        pdf = with_boxes(result.pdf, config.print)
        layout = read_layout(pdf, sheet, result.layout)
        owner = owners(len(layout.pages), result.layout["parts"])
        return result, pdf, layout, owner, tuple(lone_lines(layout, result.layout, owner))

    # the marks the chapters' conversions placed, never read back from the document's text
    marks = {mark for conv in chapters for mark in conv.keep_marks}

    def opening(labels: tuple[str, ...]) -> set[frozenset[str]]:
        """The keep marks that open a page when ``labels`` are named: all a setting changes."""
        return {mark for mark in marks if not mark.isdisjoint(labels)}

    keep: tuple[str, ...] = ()
    for _ in range(SETTINGS):
        result, pdf, layout, owner, alone = setting(keep)
        more = tuple(sorted({*keep, *_off_their_page(result.layout),
                             *kept_apart_for_notes(alone)}))
        if opening(more) == opening(keep):
            break  # the same document again: the new notes' paragraphs have no mark, or an open one
        keep = more
    return PrintEdition(
        pdf=pdf, layout=layout,
        chapters=paginate(chapters, owner, layout),
        check=preflight(pdf, layout, result.layout, owner, alone, chapters, config.print,
                        footnotes=config.notes != "book"),
        warnings=print_warnings(layout, result.layout, placed, config.print),
        spine=spine_width(len(layout.pages), config.print))


def _off_their_page(facts: dict) -> set[str]:
    """The labels of the footnotes Typst set on another page than their reference."""
    return {entry["ref"]["label"] for entry in facts["notes"]
            if entry["page"] != entry["ref"]["page"] and entry["ref"]["label"]}
