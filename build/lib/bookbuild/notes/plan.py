"""Where each chapter's notes go and how they are numbered.

Fixed from the note counts of every chapter before any note is placed, so
chapters convert independently (and in any order, or from the cache) yet agree
on numbers and links.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Notes per document when they are collected at the end of the book: long
#: documents make page turns slow on e-ink readers.
NOTES_PER_DOCUMENT = 250


@dataclass(frozen=True)
class NotePlan:
    chapter_file: str  # the chapter's own XHTML file name
    start: int  # number of the chapter's first note
    documents: tuple[str, ...]  # per note of the chapter: the notes file, "" = in the chapter

    def number(self, i: int) -> int:
        return self.start + i

    def note_id(self, i: int) -> str:
        prefix = f"{self.chapter_file.removesuffix('.xhtml')}-" if self.documents[i] else ""
        return f"{prefix}note-{self.number(i)}"

    def note_href(self, i: int) -> str:
        return f"{self.documents[i]}#{self.note_id(i)}"

    def back_href(self, i: int, ref_id: str) -> str:
        return f"{self.chapter_file if self.documents[i] else ''}#{ref_id}"


def notes_file(n: int) -> str:
    return f"notes-{n:02d}.xhtml"


def plan(chapter_files: list[str], counts: list[int], placement: str,
         numbering: str) -> tuple[NotePlan, ...]:
    """Per chapter: numbers restart (``chapter``) or run on (``continuous``);
    notes stay in their chapter or go to book-end files (``book``)."""
    plans = []
    number = 1
    placed = 0  # notes already assigned to book-end documents
    for file, count in zip(chapter_files, counts):
        if numbering == "chapter":
            number = 1
        if placement == "book":
            docs = tuple(notes_file((placed + i) // NOTES_PER_DOCUMENT + 1) for i in range(count))
            placed += count
        else:
            docs = ("",) * count
        plans.append(NotePlan(file, number, docs))
        number += count
    return tuple(plans)
