"""Rebuild Pandoc's notes into linked, numbered endnotes, and prove nothing moved.

Markup, and why each reader needs it:

* reference: ``<sup><a epub:type="noteref" role="doc-noteref" href="#note-N">N</a></sup>``.
  ``epub:type="noteref"`` is what Apple Books and Kobo pop up from; ``<sup>`` sits
  outside the link because Kindle and Apple Books draw a superscript inside a link
  with the link's underline and a too-small tap target.
* note: ``<li id="note-N" epub:type="endnote">`` holding the whole note, so a reader
  that pops notes up shows exactly that element; nothing is hidden, so readers
  that do not pop up show the note list at the end of the chapter.
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


@dataclass(frozen=True)
class NoteLink:
    number: int
    label: str
    ref_ids: tuple[str, ...]


class NoteMismatch(RuntimeError):
    """Pandoc's notes do not match the source: a bug, never silently ignored."""


def _footnote_items(container: etree._Element) -> tuple[etree._Element | None, dict[str, etree._Element]]:
    section = container.find(".//h:section[@id='footnotes']", NS)
    if section is None:
        return None, {}
    return section, {li.get("id"): li for li in section.iterfind("h:ol/h:li", NS)}


def _note_body(li: etree._Element) -> list[etree._Element]:
    """The note's blocks from Pandoc's ``<li>``, without Pandoc's back link."""
    for back in li.findall(".//h:a[@class='footnote-back']", NS):
        _drop(back, strip=True)
    blocks = list(li)
    if (li.text or "").strip():
        blocks.insert(0, E("p", None, li.text.strip()))
    return blocks


def rebuild(container: etree._Element, notes: SourceNotes, language: str) -> tuple[NoteLink, ...]:
    """Turn Pandoc's numbered footnotes in ``container`` into bookbuild endnotes.

    Each reference span (see :func:`bookbuild.notes.tag_references`) names the
    source reference it came from, so every note is matched by label rather than
    by position, and a reference Pandoc dropped or invented stops the build.
    """
    section, items = _footnote_items(container)
    spans = [s for s in container.iter(h("span")) if s.get(REF_ATTRIBUTE) is not None]
    seen = sorted(int(s.get(REF_ATTRIBUTE)) for s in spans)
    if seen != list(range(len(notes.refs))):
        raise NoteMismatch(f"{notes.file}: found note references {seen}, "
                           f"expected 0..{len(notes.refs) - 1}")
    stray = [a for a in container.iterfind(".//h:a[@class='footnote-ref']", NS)
             if a.getparent().get(REF_ATTRIBUTE) is None]
    if stray:
        raise NoteMismatch(f"{notes.file}: a note reference was not seen in the source")

    numbers: dict[str, int] = {}
    bodies: dict[str, list[etree._Element]] = {}
    ref_ids: dict[str, list[str]] = {}
    for span in spans:
        ref = notes.refs[int(span.get(REF_ATTRIBUTE))]
        pandoc_ref = span.find("h:a", NS)
        li = items[pandoc_ref.get("href").lstrip("#")]
        if ref.label not in numbers:
            numbers[ref.label] = len(numbers) + 1
            bodies[ref.label] = _note_body(li)
            ref_ids[ref.label] = []
        n = numbers[ref.label]
        ref_id = f"noteref-{n}" if not ref_ids[ref.label] else f"noteref-{n}-{len(ref_ids[ref.label]) + 1}"
        ref_ids[ref.label].append(ref_id)
        link = E("a", {"href": f"#note-{n}", "id": ref_id, "class": "noteref",
                       "epub:type": "noteref", "role": "doc-noteref"}, str(n))
        _replace(span, E("sup", None, None, link))

    if section is not None:
        section.getparent().remove(section)
    links = tuple(NoteLink(numbers[label], label, tuple(ref_ids[label])) for label in numbers)
    if links:
        container.append(_notes_section(links, bodies, language))
    return links


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


def _notes_section(links: tuple[NoteLink, ...], bodies: dict[str, list[etree._Element]],
                   language: str) -> etree._Element:
    ol = E("ol", {"class": "notes-list"})
    for link in links:
        li = E("li", {"id": f"note-{link.number}", "class": "note", "epub:type": "endnote"})
        blocks = bodies[link.label]
        back = E("a", {"href": f"#{link.ref_ids[0]}", "class": "note-number",
                       "role": "doc-backlink"}, f"{link.number}.")
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
        for i, extra in enumerate(link.ref_ids[1:], start=2):
            a = E("a", {"href": f"#{extra}", "class": "note-backlink", "role": "doc-backlink",
                        "aria-label": f"Back to reference {i}"}, BACKLINK_GLYPH)
            if len(last):
                last[-1].tail = (last[-1].tail or "") + " "
            else:
                last.text = (last.text or "") + " "
            last.append(a)
        li.extend(blocks)
        ol.append(li)
    return E("section", {"class": "endnotes", "epub:type": "endnotes", "role": "doc-endnotes"},
             None, E("h2", {"class": "notes-heading"}, word(language, "notes")), ol)
