"""Kindle (KDP upload, Send to Kindle, and the source of the AZW3).

Each rewrite and why:

* Notes become one ``<div>`` block each (id on the block, the number-link back
  first, as "N."), not list items: Kindle decides whether to pop a note up from
  the bidirectional link and the shape of the block it lands on, because the
  ``epub:`` semantics do not survive conversion (Calibre drops the prefix).
  This is the layout Standard Ebooks uses for its Kindle builds.
* The note's ``div.note-body`` wrapper is taken out again: the block Kindle
  lands on keeps its number-link as its first child, and ``.note p`` styles it.
* No soft hyphens inside notes: Kindle's pop-up shows them as visible hyphens.
* Table of contents cut to two levels: Kindle devices and apps show only two
  (Amazon's Kindle Publishing Guidelines, NCX guidelines).
* ``object-fit`` is dropped from the stylesheet: it is not in the CSS that
  Kindle Format 8 supports, and Kindle draws the cover page on its own.
"""

from __future__ import annotations

import re

from lxml import etree

from ..epub.package import NCX, Package
from ..xhtml import NS, h
from . import map_xhtml, replace_data

SOFT_HYPHEN = "\u00ad"
TOC_LEVELS = 2


def _notes_as_blocks(_item, root: etree._Element) -> bool:
    changed = False
    for ol in root.iterfind(".//h:ol[@class='notes-list']", NS):
        ol.tag = h("div")
        for li in ol.iterfind("h:li", NS):
            li.tag = h("div")
            for body in li.findall("h:div[@class='note-body']", NS):
                _unwrap(body)
            for el in li.iter():
                el.text = el.text.replace(SOFT_HYPHEN, "") if el.text else el.text
                el.tail = el.tail.replace(SOFT_HYPHEN, "") if el.tail and el is not li else el.tail
        changed = True
    return changed


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    at = parent.index(el)
    parent.remove(el)
    for k, child in enumerate(list(el)):
        parent.insert(at + k, child)


def _flatten_nav(item, root: etree._Element) -> bool:
    if item.id != "nav":
        return False
    toc = root.find(".//h:nav[@id='toc']", NS)
    for ol in toc.xpath("h:ol" + "/h:li/h:ol" * TOC_LEVELS, namespaces=NS):
        ol.getparent().remove(ol)
    return True


def _flatten_ncx(data: bytes) -> bytes:
    root = etree.fromstring(data)
    deep = f"{{{NCX}}}navMap" + f"/{{{NCX}}}navPoint" * (TOC_LEVELS + 1)
    for point in root.findall(deep):
        point.getparent().remove(point)
    for n, point in enumerate(root.iter(f"{{{NCX}}}navPoint"), start=1):
        point.set("playOrder", str(n))  # EPUBCheck requires a sequence without gaps
    root.find(f".//{{{NCX}}}meta[@name='dtb:depth']").set("content", str(TOC_LEVELS))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def _kindle_css(data: bytes) -> bytes:
    return re.sub(rb"\s*object-fit:[^;}]*;?", b"", data)


def transform(package: Package) -> Package:
    package = map_xhtml(package, lambda item, root: _notes_as_blocks(item, root)
                        | _flatten_nav(item, root))
    package = replace_data(package, "ncx", _flatten_ncx)
    return replace_data(package, "css", _kindle_css)
