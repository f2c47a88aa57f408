"""Rebuild Pandoc's notes into linked, numbered endnotes, and prove nothing moved.

Markup, and why each reader needs it (more in docs/notes.md):

* reference: ``<sup><a epub:type="noteref" role="doc-noteref" href="…">N</a></sup>``.
  ``epub:type="noteref"`` is what Apple Books and Kobo pop up from; ``<sup>`` sits
  outside the link because Kindle and Apple Books draw a superscript inside a link
  with the link's underline and a too-small tap target.
* note: ``<li id="…" epub:type="endnote">`` holding the whole note, so a reader
  that pops notes up shows exactly that element; nothing is hidden, so readers
  that do not pop up show the list where it stands.
* the note's visible number is its back link (``role="doc-backlink"``): Amazon
  requires links both ways, and a number that is text (not a list marker) is
  shown once on every reader instead of twice on Apple Books.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .notes import REF_ATTRIBUTE, SourceNotes
from .words import word
from .xhtml import E, NS, h

BACKLINK_GLYPH = "\u21a9\ufe0e"  # ↩ with VS15 so iOS does not draw an emoji
#: Notes per document when they are collected at the end of the book: long
#: documents make page turns slow on e-ink readers.
NOTES_PER_DOCUMENT = 250


@dataclass(frozen=True)
class NotePlan:
    """Where one chapter's notes go and how they are numbered.

    Fixed from the source scan before any chapter is converted, so chapters
    convert independently (and in any order) yet agree on numbers and files.
    """

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


def plan(chapter_files: list[str], sources: list[SourceNotes], placement: str,
         numbering: str) -> tuple[NotePlan, ...]:
    plans = []
    number = 1
    placed = 0  # notes already assigned to book-end documents
    for file, source in zip(chapter_files, sources):
        count = len(source.labels())
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


@dataclass(frozen=True)
class Endnote:
    number: int
    label: str
    ref_ids: tuple[str, ...]
    document: str  # "" when the note stays in its chapter


class NoteMismatch(RuntimeError):
    """Pandoc's notes do not match the source: a bug, never silently ignored."""


def _drop(el: etree._Element, strip: bool = False) -> None:
    """Remove ``el`` but keep the text that followed it."""
    parent, prev, tail = el.getparent(), el.getprevious(), el.tail or ""
    if prev is not None:
        prev.tail = ((prev.tail or "").rstrip() if strip else (prev.tail or "")) + tail
    else:
        parent.text = ((parent.text or "").rstrip() if strip else (parent.text or "")) + tail
    parent.remove(el)


def _replace(span: etree._Element, new: etree._Element) -> None:
    """Put ``new`` where ``span`` is; a reference inside a link moves just after
    the link, since a link inside a link is invalid and cannot be tapped."""
    outer = next(span.iterancestors(h("a")), None)
    if outer is None:
        new.tail = span.tail
        span.getparent().replace(span, new)
        return
    _drop(span)
    new.tail, outer.tail = outer.tail, None
    outer.addnext(new)


def _note_body(li: etree._Element) -> list[etree._Element]:
    """The note's blocks from Pandoc's ``<li>``, without Pandoc's back link."""
    for back in li.findall(".//h:a[@class='footnote-back']", NS):
        _drop(back, strip=True)
    blocks = list(li)
    if (li.text or "").strip():
        blocks.insert(0, E("p", None, li.text.strip()))
    return blocks


def rebuild(container: etree._Element, notes: SourceNotes, note_plan: NotePlan,
            language: str) -> tuple[tuple[Endnote, ...], etree._Element | None]:
    """Turn Pandoc's footnotes in ``container`` into bookbuild endnotes.

    Each reference span (see :func:`bookbuild.notes.tag_references`) names the
    source reference it came from, so every note is matched by label rather than
    by position, and a reference Pandoc dropped or invented stops the build.
    Returns the notes and their ``<ol>``, for the package to place.
    """
    section = container.find(".//h:section[@id='footnotes']", NS)
    items = {} if section is None else {li.get("id"): li for li in section.iterfind("h:ol/h:li", NS)}
    spans = [s for s in container.iter(h("span")) if s.get(REF_ATTRIBUTE) is not None]
    seen = sorted(int(s.get(REF_ATTRIBUTE)) for s in spans)
    if seen != list(range(len(notes.refs))):
        raise NoteMismatch(f"{notes.file}: found note references {seen}, "
                           f"expected 0..{len(notes.refs) - 1}")
    if any(a.getparent().get(REF_ATTRIBUTE) is None
           for a in container.iterfind(".//h:a[@class='footnote-ref']", NS)):
        raise NoteMismatch(f"{notes.file}: a note reference was not seen in the source")

    index: dict[str, int] = {}  # label -> 0-based note index in this chapter
    bodies: list[list[etree._Element]] = []
    ref_ids: list[list[str]] = []
    for span in spans:
        label = notes.refs[int(span.get(REF_ATTRIBUTE))].label
        li = items[span.find("h:a", NS).get("href").lstrip("#")]
        if label not in index:
            index[label] = len(bodies)
            bodies.append(_note_body(li))
            ref_ids.append([])
        i = index[label]
        n = note_plan.number(i)
        ref_id = f"noteref-{n}" if not ref_ids[i] else f"noteref-{n}-{len(ref_ids[i]) + 1}"
        ref_ids[i].append(ref_id)
        link = E("a", {"href": note_plan.note_href(i), "id": ref_id, "class": "noteref",
                       "epub:type": "noteref", "role": "doc-noteref"}, str(n))
        _replace(span, E("sup", None, None, link))
    if section is not None:
        section.getparent().remove(section)

    labels = sorted(index, key=index.get)
    endnotes = tuple(Endnote(note_plan.number(i), label, tuple(ref_ids[i]), note_plan.documents[i])
                     for i, label in enumerate(labels))
    if not endnotes:
        return (), None
    ol = E("ol", {"class": "notes-list"})
    for i, note in enumerate(endnotes):
        ol.append(_note_item(note_plan, i, note, bodies[i], language))
    return endnotes, ol


def _note_item(note_plan: NotePlan, i: int, note: Endnote, blocks: list[etree._Element],
               language: str) -> etree._Element:
    li = E("li", {"id": note_plan.note_id(i), "class": "note", "epub:type": "endnote"})
    back = E("a", {"href": note_plan.back_href(i, note.ref_ids[0]), "class": "note-number",
                   "role": "doc-backlink"}, f"{note.number}.")
    first = blocks[0] if blocks and blocks[0].tag == h("p") else None
    if first is None:
        first = E("p")
        blocks.insert(0, first)
    back.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, back)
    last = blocks[-1] if blocks[-1].tag == h("p") else None
    if last is None:
        last = E("p")
        blocks.append(last)
    for k, extra in enumerate(note.ref_ids[1:], start=2):
        a = E("a", {"href": note_plan.back_href(i, extra), "class": "note-backlink",
                    "role": "doc-backlink", "aria-label": word(language, "back", n=str(k))},
              BACKLINK_GLYPH)
        if len(last):
            last[-1].tail = (last[-1].tail or "") + " "
        else:
            last.text = (last.text or "") + " "
        last.append(a)
    li.extend(blocks)
    return li


def heading_text(language: str, configured: str | None) -> str:
    return configured or word(language, "notes")


def chapter_section(notes_list: etree._Element, heading: str) -> etree._Element:
    """The Notes section closing a chapter."""
    return E("section", {"class": "endnotes", "epub:type": "endnotes", "role": "doc-endnotes"},
             None, E("h2", {"class": "notes-heading"}, heading), notes_list)
