"""Kobo (``.kepub.epub``, the file name that makes Kobo readers use their kepub
renderer, with pop-up notes).

* Kobo pops up a note only when the element the reference leads to is itself
  typed ``endnote`` (or ``footnote``): every note element is checked to carry
  ``epub:type="endnote"`` (bookbuild's standard markup already does).
* Back links use "↑" instead of "↩︎": U+21A9 and the variation selector are
  missing from the fonts Kobo devices ship and show as boxes, while the arrows
  of the WGL4 set (← ↑ → ↓) are in all of them.
"""

from __future__ import annotations

from lxml import etree

from ..notes.markup import BACKLINK_GLYPH
from ..notelinks import EPUB_TYPE
from ..package import Package
from ..xhtml import NS
from . import map_xhtml

KOBO_BACKLINK = "\u2191"


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


def transform(package: Package) -> Package:
    return map_xhtml(package, _kobo_notes)
