"""The active-content policy: what raw HTML in a chapter may bring into a book.

Pandoc passes raw HTML through as written, so a manuscript could carry
scripts, event handlers, ``javascript:`` links, iframes, forms and embedded
objects into every reader's device. By default each is an error with its file
and line (exit 2); ``raw-html: allow`` in book.yaml lets a trusted book keep
them as EPUB 3 scripted content (its documents get the OPF ``scripted``
property). HTML comments never reach the book either way: they are the
author's, not the reader's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .xhtml import remove

#: Elements that run code, load other documents or submit data.
ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                      "form", "base", "portal"})
#: Attributes that hold a URL a ``javascript:`` scheme could hide in.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href"})
_SCRIPT_URL = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20]")
ALLOW = "allow"
REFUSE = "refuse"


@dataclass(frozen=True)
class Active:
    """One piece of active content: what it is, and text to find its line by."""

    what: str
    needle: str  # as it would be typed, matched without regard to case


def _local(name: str) -> str:
    qname = etree.QName(name)
    return f"xlink:{qname.localname}" if qname.namespace == "http://www.w3.org/1999/xlink" \
        else qname.localname


def find(root: etree._Element) -> list[Active]:
    """Active content in an XHTML or SVG tree, in document order."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname.lower()
        if tag in ELEMENTS:
            found.append(Active(f"<{tag}> element", f"<{tag}"))
        elif tag == "meta" and el.get("http-equiv"):
            found.append(Active("<meta http-equiv> element", "http-equiv"))
        for name, value in el.attrib.items():
            local = _local(name)
            if local.lower().startswith("on"):
                found.append(Active(f"event handler {local}=", local))
            elif local in URL_ATTRIBUTES and _SCRIPT_URL.match(_INVISIBLE.sub("", value)):
                scheme = _INVISIBLE.sub("", value).split(":", 1)[0].lower()
                found.append(Active(f"{scheme}: URL in {local}=", f"{scheme}:"))
    return found


def drop_comments(root: etree._Element) -> None:
    """Remove every comment, keeping the text that followed it."""
    for comment in list(root.iter(etree.Comment)):
        remove(comment)


def first_line(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle`` (any case)."""
    at = text.lower().find(needle.lower())
    return text.count("\n", 0, at) + 1 if at >= 0 else None
