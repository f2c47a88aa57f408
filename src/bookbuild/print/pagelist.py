"""The EPUB's page list from the printed book: a marker in the chapter's XHTML
before the first word that starts on each printed page.

The PDF's body words (``layout``) and the XHTML's words come from the same
Pandoc AST, so they agree but for what each medium adds or drops (a word
hyphenated over a line, a superscript); difflib aligns the two per chapter and
each page's first word finds its place. A page that holds no word of a chapter
(a blank verso, the contents, the book-end notes) is marked where the chapter
before it ends, or before the first chapter. Hand-written ``[]{page=N}``
markers belong to another print edition and give way.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from difflib import Match, SequenceMatcher

from lxml import etree

from ..chapters.accessibility import PAGEBREAK_TYPE, PageBreak, page_break
from ..chapters.convert import ConvertedChapter
from ..xhtml import E, h, remove
from .layout import Layout, normal

_HEADINGS = frozenset(h(f"h{n}") for n in range(1, 7))
_NOT_WORDS = frozenset({h("sup"), h("sub")})  # printed as superscripts, which are not words
START, END = -1, -2  # before a chapter's first word, after its last


def paginate(chapters: tuple[ConvertedChapter, ...], owner: list[int | None],
             layout: Layout) -> tuple[ConvertedChapter, ...]:
    """The chapters with a marker for every printed page; ``owner`` says
    whose each page is (``owners``)."""
    starts = [w.page for w in layout.words]
    first_word = [bisect_left(starts, p) for p in range(len(layout.pages) + 1)]
    places: dict[int, list[tuple[int, str]]] = {i: [] for i in range(len(chapters))}
    previous = None
    for p, page in enumerate(layout.pages):
        chapter = owner[p]
        if chapter is None:
            if previous is None:
                places.setdefault(0, []).append((START, page.label))
            else:
                places[previous].append((END, page.label))
            continue
        previous = chapter
        places[chapter].append((first_word[p], page.label))
    result = []
    for index, conv in enumerate(chapters):
        pages = [p for p in range(len(layout.pages)) if owner[p] == index]
        words = layout.words[first_word[pages[0]]:first_word[pages[-1] + 1]] if pages else ()
        offset = first_word[pages[0]] if pages else 0
        result.append(_marked(conv, [w.text for w in words], offset, places[index]))
    return tuple(result)


def owners(count: int, parts: list[dict]) -> list[int | None]:
    """The chapter each of ``count`` pages belongs to (None: the contents, the
    notes, or before any part), from Typst's (index, kind, 1-based page) of
    each part's opening; the print stage asks once, for the page list and the checks."""
    owner: list[int | None] = [None] * count
    for part, following in zip(parts, parts[1:] + [{"page": count + 1}]):
        for p in range(part["page"] - 1, following["page"] - 1):
            owner[p] = part["index"] if part["kind"] == "chapter" else None
    return owner


def _tokens(body: etree._Element) -> list[tuple[etree._Element, str, int, str]]:
    """Each word of the body: (element, "text" or "tail", offset, normal form)."""
    found = []

    def words(el: etree._Element, where: str, value: str | None) -> None:
        if not value:
            return
        at = 0
        for part in value.split():
            at = value.index(part, at)
            if normal(part):
                found.append((el, where, at, normal(part)))
            at += len(part)

    def walk(el: etree._Element) -> None:
        if el.tag not in _NOT_WORDS:
            words(el, "text", el.text)
            for child in el:
                walk(child)
                words(child, "tail", child.tail)

    walk(body)
    return found


def _marked(conv: ConvertedChapter, printed: list[str], offset: int,
            places: list[tuple[int, str]]) -> ConvertedChapter:
    body = conv.tree()
    for old in _markers(body):
        parent = old.getparent()
        remove(old)
        if parent.tag == h("p") and not len(parent) and not (parent.text or "").strip():
            remove(parent)  # the marker stood alone in its paragraph
    tokens = _tokens(body)
    to_epub = _alignment([normal(w) for w in printed], [t[3] for t in tokens])
    at = [(START if where == START else len(tokens) if where == END else to_epub(where - offset),
           label) for where, label in places]
    for k, label in at:  # after the last word: in page order
        if k >= len(tokens) and k != START:
            page_break(_appended(body), label)
    # The rest backwards, so that each word's place is still where it was
    # found, and markers at one place end in page order.
    for k, label in reversed(at):
        if k >= len(tokens) and k != START:
            continue
        span = E("span")
        page_break(span, label)
        if k == START:
            _before(body[0] if len(body) else None, span, body)
        else:
            _insert(tokens[k], span)
    pages = tuple(PageBreak(s.get("id"), s.get("aria-label")) for s in _markers(body))
    return dataclasses.replace(conv, body=etree.tostring(body, encoding="utf-8"), pages=pages)


def _markers(body: etree._Element) -> list[etree._Element]:
    return [s for s in body.iter(h("span")) if s.get(PAGEBREAK_TYPE) == "pagebreak"]


def _appended(body: etree._Element) -> etree._Element:
    span = E("span")
    body.append(span)
    return span


def _alignment(printed: list[str], epub: list[str]):
    """A function from the index of a printed word to the index of the same
    word in the EPUB (the next matched one when it has no match)."""
    # Most of a chapter prints as its EPUB reads: its common start and end match
    # as they stand, and only what lies between is matched word by word.
    head = 0
    while head < min(len(printed), len(epub)) and printed[head] == epub[head]:
        head += 1
    tail = 0
    while tail < min(len(printed), len(epub)) - head and printed[-1 - tail] == epub[-1 - tail]:
        tail += 1
    matcher = SequenceMatcher(None, printed[head:len(printed) - tail],
                              epub[head:len(epub) - tail], autojunk=False)
    blocks = [Match(0, 0, head)] if head else []
    blocks += [Match(b.a + head, b.b + head, b.size)
               for b in matcher.get_matching_blocks() if b.size]
    if tail:
        blocks.append(Match(len(printed) - tail, len(epub) - tail, tail))

    def to_epub(i: int) -> int:
        for block in blocks:
            if i < block.a + block.size:
                return block.b + max(0, i - block.a)
        return len(epub)

    return to_epub


def _insert(token: tuple[etree._Element, str, int, str], span: etree._Element) -> None:
    el, where, at, _ = token
    figure = next(el.iterancestors(h("figure")), None) if el.tag != h("figure") else el
    if figure is not None:  # a caption's words: the marker goes before the figure
        _before(figure, span, figure.getparent())
        return
    if where == "text":
        if el.tag in _HEADINGS and not el.text[:at].strip():
            _before(el, span, el.getparent())  # a heading's marker goes before the heading
            return
        value = el.text
        el.text, span.tail = value[:at], value[at:]
        el.insert(0, span)
    else:
        value = el.tail
        el.tail, span.tail = value[:at], value[at:]
        el.addnext(span)


def _before(el: etree._Element | None, span: etree._Element, parent: etree._Element) -> None:
    """Put ``span`` before ``el`` and before the markers just in front of it."""
    if el is None:
        parent.append(span)
        return
    while (prev := el.getprevious()) is not None and prev.get(PAGEBREAK_TYPE) == "pagebreak" \
            and not (prev.tail or "").strip():
        el = prev
    el.addprevious(span)
