"""Notes from Pandoc's AST to linked, numbered endnotes, and proof nothing moved.

In the AST each reference becomes an empty placeholder naming its note, and
each note's body goes after the text, so Pandoc's HTML writer renders both in
one run. The placeholders are then replaced, once the book's numbering is
known, by this markup (why each reader needs it: docs/notes.md):

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

from ..lang.words import word
from ..pandoc.ast import attr, div, sequences, span
from ..xhtml import E, h
from .plan import NotePlan
from .source import ChapterNotes, NoteMismatch

BACKLINK_GLYPH = "\u21a9\ufe0e"  # ↩ with VS15 so iOS does not draw an emoji
NOTE_ATTRIBUTE = "data-bb-note"
#: Between two note references at one place (in the EPUB and in print alike).
NOTE_SEPARATOR = ","
#: A placeholder's text to put after its reference: the separator, where another follows.
_THEN_ATTRIBUTE = "data-bb-then"
_REF_CLASS = "bb-noteref"
_BODY_CLASS = "bb-note"


@dataclass(frozen=True)
class Endnote:
    number: int
    ref_ids: tuple[str, ...]
    document: str  # "" when the note stays in its chapter


def mark(doc: dict, notes: ChapterNotes, references: list[dict]) -> None:
    """Turn each reference of ``doc`` (the Note elements the reading found, in
    order) into a placeholder, in place, and put the note bodies after the text.
    A reference inside a link moves just after it, in order (a link inside a
    link is invalid and cannot be tapped), before ``side_by_side`` reads the
    placing the EPUB shows."""
    if len(references) != len(notes.refs):
        raise NoteMismatch(f"{notes.file}: {len(references)} note references in this reading, "
                           f"{len(notes.refs)} in the first")
    bodies: dict[int, list] = {}
    for k, note in zip(notes.refs, references):
        bodies.setdefault(k, note["c"])
        note.clear()
        note.update(span([_REF_CLASS], {NOTE_ATTRIBUTE: str(k)}))
    if references:  # both walk the whole chapter: none without a note
        _out_of_links(doc["blocks"], {id(note) for note in references})
        followed = side_by_side(doc["blocks"], references)
        for note in references:
            if id(note) in followed:
                attr(note)[2].append([_THEN_ATTRIBUTE, NOTE_SEPARATOR])
    doc["blocks"].extend(div([_BODY_CLASS], {NOTE_ATTRIBUTE: str(k)}, bodies[k])
                         for k in range(notes.count))


def _out_of_links(blocks: list, ids: set[int]) -> None:
    """Move each reference (``ids``) inside a Link to just after it, in order."""
    for node in sequences(blocks):
        for i in range(len(node) - 1, -1, -1):
            el = node[i]
            if isinstance(el, dict) and el.get("t") == "Link":
                node[i + 1:i + 1] = _taken(el["c"][1], ids)


def _taken(node: object, ids: set[int]) -> list[dict]:
    """The references (``ids``) under ``node``, in order, taken out of it."""
    taken: list[dict] = []
    if isinstance(node, dict):
        taken += _taken(node.get("c"), ids)
    elif isinstance(node, list):
        kept = []
        for item in node:
            if isinstance(item, dict) and id(item) in ids:
                taken.append(item)
            else:
                taken += _taken(item, ids)
                kept.append(item)
        node[:] = kept
    return taken


def side_by_side(blocks: list, references: list[dict]) -> set[int]:
    """The ``id`` of each reference (of ``references``, Note elements of
    ``blocks``) that another follows with nothing between: it takes a raised
    comma after it, in the EPUB (``place``) and in print (``chapters.paper``)
    alike, as Chicago sets them: "¹²" would read as twelve. A reference may be
    the first or last thing of a Cite (a citation's note sits inside it), a
    Span or a Link (print keeps it there; the EPUB's are out of links by now)."""
    ids = {id(note) for note in references}
    found: set[int] = set()
    for node in sequences(blocks):
        for before, after in zip(node, node[1:]):
            last = _reference_at(before, ids, -1)
            if last is not None and _reference_at(after, ids, 0) is not None:
                found.add(id(last))
    return found


def _reference_at(el: object, ids: set[int], end: int) -> dict | None:
    """The reference ``el`` starts (``end`` 0) or ends (-1) with, if any."""
    while isinstance(el, dict):
        if id(el) in ids:
            return el
        if el.get("t") not in ("Cite", "Span", "Link") or not el["c"][1]:
            return None
        el = el["c"][1][end]
    return None


def collect(container: etree._Element, count: int) -> etree._Element | None:
    """Take the note bodies out of Pandoc's HTML into an ``<ol>`` of
    ``<li data-bb-note>``; every note must have kept a reference."""
    ol = E("ol", {"class": "notes-list"})
    for el in container.findall(h("div")):
        if el.get("class") == _BODY_CLASS:
            li = E("li", {NOTE_ATTRIBUTE: el.get(NOTE_ATTRIBUTE)})
            li.text = (el.text or "").strip() or None
            li.extend(list(el))
            if len(li) and not (li[-1].tail or "").strip():
                li[-1].tail = None
            el.tail = None  # Pandoc's line break between blocks
            _drop(el)
            ol.append(li)
    placed = {s.get(NOTE_ATTRIBUTE) for s in _placeholders(container)}
    expected = [str(k) for k in range(count)]
    if [li.get(NOTE_ATTRIBUTE) for li in ol] != expected or placed != set(expected):
        raise NoteMismatch(f"{count} notes, {len(ol)} bodies and references to "
                           f"{len(placed)} after Pandoc's HTML writer")
    return ol if count else None


def _placeholders(container: etree._Element) -> list[etree._Element]:
    return [s for s in container.iter(h("span")) if s.get("class") == _REF_CLASS]


def _drop(el: etree._Element, strip: bool = False) -> None:
    """Remove ``el`` but keep the text that followed it."""
    parent, prev, tail = el.getparent(), el.getprevious(), el.tail or ""
    if prev is not None:
        prev.tail = ((prev.tail or "").rstrip() if strip else (prev.tail or "")) + tail
    else:
        parent.text = ((parent.text or "").rstrip() if strip else (parent.text or "")) + tail
    parent.remove(el)


def _replace(span_el: etree._Element, new: etree._Element) -> None:
    """Put ``new`` where the placeholder is; a reference inside a link the AST
    did not hold (the book's raw HTML ``<a>``) moves just after the link, since a
    link inside a link is invalid and cannot be tapped."""
    outer = next(span_el.iterancestors(h("a")), None)
    if outer is None:
        new.tail = span_el.tail
        span_el.getparent().replace(span_el, new)
        return
    _drop(span_el)
    last = outer  # after the references this link gave up before, in order
    while not last.tail and (after := last.getnext()) is not None and after.tag == h("sup") \
            and len(after) and after[0].get("class") == "noteref":
        last = after
    new.tail, last.tail = last.tail, None
    last.addnext(new)


def place(body: etree._Element, notes_list: etree._Element | None, count: int,
          note_plan: NotePlan, language: str) -> tuple[tuple[Endnote, ...], etree._Element | None]:
    """Number the chapter's notes as the plan says: references become links,
    bodies become the chapter's ``<ol>`` of notes, for the package to place."""
    ref_ids: list[list[str]] = [[] for _ in range(count)]
    for ph in _placeholders(body):
        i = int(ph.get(NOTE_ATTRIBUTE))
        n = note_plan.number(i)
        ref_id = f"noteref-{n}" if not ref_ids[i] else f"noteref-{n}-{len(ref_ids[i]) + 1}"
        ref_ids[i].append(ref_id)
        link = E("a", {"href": note_plan.note_href(i), "id": ref_id, "class": "noteref",
                       "epub:type": "noteref", "role": "doc-noteref"}, str(n))
        link.tail = ph.get(_THEN_ATTRIBUTE)
        _replace(ph, E("sup", None, None, link))
    endnotes = tuple(Endnote(note_plan.number(i), tuple(ref_ids[i]), note_plan.documents[i])
                     for i in range(count))
    if notes_list is None:
        return endnotes, None
    ol = E("ol", {"class": "notes-list"})
    for i, (note, li) in enumerate(zip(endnotes, notes_list)):
        blocks = list(li)
        if (li.text or "").strip():
            blocks.insert(0, E("p", None, li.text.strip()))
        ol.append(_note_item(note_plan, i, note, blocks, language))
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
