"""Rule "a page's notes before its chapter start": a note printed at the
foot of a page on which a chapter starts belongs to the chapter that holds
its reference, which may be the one ending above the new chapter's heading.

Articles and papers start their sections (the book's chapters) mid-page, so
a page's notes, read after all of its text, follow the new section's
heading; in two columns the notes of the left column's references follow
the right column's new section. A chapter binds notes to its own
references only, so such a note is moved back to the end of the chapter
before, on the same page, where a reference with its label waits for it.
"""

from __future__ import annotations

from .inline import refs
from .source import Line, page_of


def _referred(lines: list[Line], label: str) -> bool:
    """Whether a line of text among ``lines`` refers to a note labelled ``label``."""
    return any(label in refs(line.text) for line in lines if line.kind != "note")


def notes_to_their_chapters(body: list[Line], starts: list[int]) -> tuple[list[Line], list[int]]:
    """``body`` with each note on a chapter's first page that the chapter
    does not refer to on that page moved to the end of the latest chapter
    before it that does, on that page (two columns may start two chapters on
    one page); and the starts where the chapters now stand."""
    body, starts = list(body), list(starts)
    for k in range(1, len(starts)):
        page = page_of(body[starts[k]].number)
        first = starts[k]  # the page's first line
        while first > 0 and page_of(body[first - 1].number) == page:
            first -= 1
        i = starts[k] + 1
        while i < (starts[k + 1] if k + 1 < len(starts) else len(body)) \
                and page_of(body[i].number) == page:
            note = body[i]
            if note.kind == "note" and note.label \
                    and not _referred(body[starts[k]:i], note.label):
                home = next((j for j in range(k - 1, -1, -1)
                             if _referred(body[max(first, starts[j]):starts[j + 1]], note.label)),
                            None)
                if home is not None:
                    del body[i]
                    body.insert(starts[home + 1], note)
                    for j in range(home + 1, k + 1):
                        starts[j] += 1
            i += 1
    return body, starts
