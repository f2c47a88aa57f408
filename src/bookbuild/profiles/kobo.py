"""Kobo (``.kepub.epub``, the file name that makes Kobo readers use their kepub
renderer, with pop-up notes).

* Kobo pops up a note only when the element the reference leads to is itself
  typed ``endnote`` (or ``footnote``): every note element is checked to carry
  ``epub:type="endnote"`` (bookbuild's standard markup already does).
* Back links use "↑" instead of "↩︎": U+21A9 and the variation selector are
  missing from the fonts Kobo devices ship and show as boxes, while the arrows
  of the WGL4 set (← ↑ → ↓) are in all of them.
* Every sentence of the text is wrapped in ``<span class="koboSpan"
  id="kobo.P.S">`` (P counts blocks, S the sentences in each), and each body
  in ``div#book-columns > div#book-inner``, as kepubify and Kobo's own
  conversion do: Kobo's reader anchors highlights, bookmarks, reading
  statistics and page turns to these spans, and lays pages out in those divs.
  The nav document is left alone; its lists are not read as text.
"""

from __future__ import annotations

import re

from lxml import etree

from ..checks.notelinks import EPUB_TYPE
from ..epub.package import Package
from ..notes.markup import BACKLINK_GLYPH
from ..xhtml import NS, E, h
from . import map_xhtml, replace_data

KOBO_BACKLINK = "\u2191"
#: Elements whose text Kobo counts as a new block ("paragraph") of spans.
BLOCKS = frozenset(h(t) for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd",
                                  "td", "th", "caption", "figcaption", "blockquote", "div",
                                  "pre", "section", "aside", "header", "footer", "figure"))
#: Elements whose text is not reading text: left as they are, as kepubify does.
SKIP = frozenset({h("script"), h("style"), h("pre"), h("code"),
                  "{http://www.w3.org/2000/svg}svg", "{http://www.w3.org/1998/Math/MathML}math"})
#: Kepubify's own rule for the wrappers, and the cover page's full height kept
#: through them (its image is limited to 100% of the section's height).
KOBO_CSS = b"""
/* Kobo profile: the page wrappers Kobo's reader lays out (as kepubify adds them). */
div#book-inner { margin-top: 0; margin-bottom: 0; }
body.cover-page div#book-columns, body.cover-page div#book-inner { height: 100%; }
"""


def _kobo_notes(_item, root: etree._Element) -> bool:
    changed = False
    for li in root.iterfind(".//h:li[@class='note']", NS):
        if li.get(EPUB_TYPE) != "endnote":
            li.set(EPUB_TYPE, "endnote")
            changed = True
    for a in root.iterfind(".//h:a[@class='note-backlink']", NS):
        a.text = a.text.replace(BACKLINK_GLYPH, KOBO_BACKLINK)
        changed = True
    return changed


def _sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end; the pieces join back to ``text``."""
    pieces, start = [], 0
    for m in re.finditer(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+", text):
        pieces.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


class _Spanner:
    """Numbers blocks and sentences through one document, as kepubify does."""

    def __init__(self) -> None:
        self.block = 0
        self.sentence = 0

    def span(self, text: str) -> etree._Element:
        self.sentence += 1
        return E("span", {"class": "koboSpan", "id": f"kobo.{self.block}.{self.sentence}"}, text)

    def spans(self, text: str) -> list[etree._Element]:
        return [self.span(piece) for piece in _sentences(text)]

    def walk(self, el: etree._Element) -> None:
        if el.tag in BLOCKS:
            self.block += 1
            self.sentence = 0
        children = list(el)  # before the text's own spans join them
        if el.text and el.text.strip():
            for k, s in enumerate(self.spans(el.text)):
                el.insert(k, s)
            el.text = None
        for child in children:
            if not isinstance(child.tag, str):
                continue
            tail, child.tail = child.tail, None
            if child.tag == h("img"):
                self.block += 1
                self.sentence = 0
                wrapper = self.span("")
                child.addprevious(wrapper)
                wrapper.append(child)
                child = wrapper
            elif child.tag not in SKIP:
                self.walk(child)
            if tail and tail.strip():
                for s in reversed(self.spans(tail)):
                    child.addnext(s)
            else:
                child.tail = tail


def _kobo_spans(item, root: etree._Element) -> bool:
    if item.properties == "nav":
        return False
    body = root.find("h:body", NS)
    _Spanner().walk(body)
    inner = E("div", {"id": "book-inner"})
    inner.text, body.text = body.text, None
    inner.extend(list(body))
    body.append(E("div", {"id": "book-columns"}, None, inner))
    return True


def transform(package: Package) -> Package:
    package = map_xhtml(package, lambda item, root: _kobo_notes(item, root)
                        | _kobo_spans(item, root))
    return replace_data(package, "css", lambda css: css + KOBO_CSS)
