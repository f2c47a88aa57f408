"""The active-content and remote-resource policy: what a book's markup (XHTML,
SVG) and styles (CSS) may make a reading system run or fetch.

A book is hostile input, and EPUBCheck passes much of what is refused here.
Markup is read as parsed trees (lxml), never as text, and CSS through a
tokenizer (tinycss2), so escapes (``u\\72l(``) and odd spellings are resolved
before anything is judged. Two kinds of finding:

- **Active content** runs code or submits data: scripts, iframes, forms,
  embedded objects, event handlers, ``javascript:`` URLs, SMIL animations
  (``<animate>``, ``<set>``...) that change a link or a handler. The person
  who builds may grant it (``--trust scripts``); the book never can.
- **A resource the book may not load**: a URL with a scheme or a host (not
  inside the package) where a reading system fetches it by itself (``src``,
  ``srcset``, ``href`` on anything but a link, CSS ``url()``, ``image-set()``,
  ``@import``), and every ``data:`` URL (it would carry an image past the
  image checks: no metadata stripping, no pixel limit, no SVG policy). No grant
  lets these in: the book has to work offline, and EPUB wants its resources in
  the container. CSS loads no file at all: images go into chapters as images,
  fonts through ``fonts:``. A link to a web page (``<a href="https://...">``)
  is navigation, not a resource, and stays. One exception: an ``<img>`` that
  the policy refuses only for its web address (a badge in an author's page)
  is replaced by its alt text with a warning (``remote_image``), so the book
  still loads nothing.

The print edition's Typst is held to the same line: Typst code from the book
(raw Typst, ``typst:`` attributes) reaches the typesetter only when the
builder grants it (``--trust typst``), and even then imports only a file by
a plain string, never a package.

HTML comments never reach the book: they are the author's, not the reader's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import tinycss2
from lxml import etree

from ..xhtml import remove

#: Elements that run code, load other documents or submit data.
ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                      "form", "base", "portal"})
#: SVG's SMIL animations: each can set an attribute of another element.
ANIMATIONS = frozenset({"animate", "set", "animatetransform", "animatemotion", "animatecolor"})
#: Attributes holding one URL (the local name, any namespace: ``xlink:href`` is ``href``).
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "background",
                            "ping", "longdesc", "lowsrc", "dynsrc", "cite", "manifest",
                            "codebase", "archive", "icon"})
#: Attributes holding a list of image candidates.
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
#: (element, attribute) pairs whose URL is followed only when the reader asks:
#: navigation or a citation, never fetched by itself.
NAVIGATION = frozenset({("a", "href"), ("area", "href"), ("*", "cite"), ("form", "action"),
                        ("*", "formaction")})
#: A Typst package spec in a string (``"@preview/cetz:0.2.0"``, ``@`` perhaps escaped).
#: Typst's words that load a file or a package, and ``eval`` (which runs code
#: built from strings, an import among it), as words (Typst's have hyphens).
_TYPST_LOAD = re.compile(r"(?<![\w-])(import|include|eval)(?![\w-])")
#: All an ``import`` or ``include`` may take: one plain string, no escape, no
#: ``@`` (a package), ending the expression (``as``, ``:`` or its end follows).
_LOCAL_FILE = re.compile(r'[ \t]*"[^"\\@\n]*"[ \t]*(?:[:;\])}\n]|as(?![\w-])|$)')
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST = re.compile(r"[/\\]{2}")
_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # browsers drop them from a URL before reading it


@dataclass(frozen=True)
class Finding:
    """One thing the policy refuses: what it is, text to find its line by, and
    whether it is active content (which a builder may trust) or a resource
    the book may never load."""

    what: str
    needle: str  # as it would be typed, matched without regard to case
    active: bool
    line: int | None = None  # its line in a stylesheet, when read from one


def needle_of(value: str, otherwise: str) -> str:
    """Text to find an attribute's line by: its value up to the first character
    the Markdown may have written as an entity (``&quot;``)."""
    return re.split(r"[\"'&<>]", value.strip())[0][:60] or otherwise


def _url(value: str) -> str:
    return _IGNORED.sub("", value)


def _scheme(url: str) -> str | None:
    """The URL's scheme in lower case, "//" for a host without one, None when
    it is a path inside the package."""
    if _HOST.match(url):
        return "//"
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def judge_url(value: str, where: str, navigation: bool = False) -> Finding | None:
    """The policy for one URL found ``where`` (``<img src=>``, ``url()``): a
    script URL is active, a ``data:`` URL and (unless ``navigation``) any URL
    with a scheme or host are resources the book may not load."""
    url = _url(value)
    scheme = _scheme(url)
    needle = needle_of(value, where)
    if scheme in _SCRIPT_SCHEMES:
        return Finding(f"{scheme}: URL in {where}", f"{scheme}:", True)
    if scheme == "data":
        return Finding(f"a data: URL in {where} (put the file in the book instead)", "data:",
                       False)
    if scheme is not None and not navigation:
        return Finding(f"a remote resource in {where}: {url[:80]} is not a local file (the "
                       "book has to work offline: put the file in the book)", needle, False)
    return None


def remote_image(el: etree._Element) -> str | None:
    """The web address of an ``<img>`` that the policy refuses for that address
    alone (no handler, no ``srcset``, no other URL): the one refusal a book can
    do without, by showing the image's alt text in its place, and so load
    nothing. Any other finding on it stays the policy's to refuse."""
    if not isinstance(el.tag, str) or etree.QName(el).localname.lower() != "img":
        return None
    src = el.get("src") or ""
    if _scheme(_url(src)) not in ("http", "https", "//"):
        return None
    others = (_attribute("img", _local(name), value) for name, value in el.attrib.items()
              if _local(name) != "src")
    return None if any(next(found, None) for found in others) else src


def _local(name: str) -> str:
    """An attribute's local name in lower case: ``xlink:href`` is ``href``."""
    return etree.QName(name).localname.lower()


def find(root: etree._Element) -> list[Finding]:
    """Everything the policy refuses in an XHTML or SVG tree, in document order."""
    found: list[Finding] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname.lower()
        if tag in ELEMENTS:
            found.append(Finding(f"<{tag}> element", f"<{tag}", True))
        elif tag == "meta" and el.get("http-equiv"):
            found.append(Finding("<meta http-equiv> element", "http-equiv", True))
        elif tag == "style":
            found += css(el.text or "", "a <style> element")
        if tag in ANIMATIONS:
            found += _animation(el, tag)
        for name, value in el.attrib.items():
            found += _attribute(tag, _local(name), value)
    return found


def _attribute(tag: str, local: str, value: str) -> Iterator[Finding]:
    where = f"<{tag} {local}=>"
    if local.startswith("on"):
        yield Finding(f"event handler {local}=", local, True)
    elif local == "style":  # found by the attribute as typed: escapes hide url(
        for finding in css(value, f"the style= of <{tag}>", declarations=True):
            yield replace(finding, needle=needle_of(value, "style"))
    elif local in SRCSET_ATTRIBUTES:
        for candidate in value.split(","):
            url = candidate.split()[0] if candidate.split() else ""
            finding = judge_url(url, where)
            if finding:
                yield finding
    elif local in URL_ATTRIBUTES:
        navigation = (tag, local) in NAVIGATION or ("*", local) in NAVIGATION
        finding = judge_url(value, where, navigation)
        if finding:
            yield finding
    elif "(" in value:  # SVG presentation attributes are CSS values: fill=, mask=, cursor=...
        for finding in _css_tokens(tinycss2.parse_component_value_list(value), where):
            yield replace(finding, needle=needle_of(value, local))


def _animation(el: etree._Element, tag: str) -> Iterator[Finding]:
    """A SMIL animation that sets a link (``href``, ``src``...) or an event
    handler of its target is active content: one click on the link runs what
    it set. So is any script URL among the values it animates through."""
    target = (el.get("attributeName") or "").rpartition(":")[2].strip().lower()
    if target.startswith("on") or target in URL_ATTRIBUTES or target in SRCSET_ATTRIBUTES:
        yield Finding(f"<{tag}> setting {target}=", f"<{tag}", True)
    for name in ("values", "from", "to", "by"):
        for value in (el.get(name) or "").split(";"):
            if _scheme(_url(value)) in _SCRIPT_SCHEMES:
                yield Finding(f"<{tag}> animating to a script URL ({name}=)", f"<{tag}", True)


def css(text: str, where: str, declarations: bool = False) -> list[Finding]:
    """Everything the policy refuses in CSS: a whole stylesheet, or the
    ``declarations`` of a ``style`` attribute. Every ``@import``, ``url()``
    (any spelling, escapes resolved by the tokenizer), ``src()`` and
    ``image-set()`` is refused: CSS in a book loads no file."""
    tokens = (tinycss2.parse_blocks_contents(text) if declarations
              else tinycss2.parse_stylesheet(text))
    return list(_css_tokens(tokens, where))


def _css_tokens(nodes: list, where: str) -> Iterator[Finding]:
    for node in nodes:
        kind = node.type
        if kind == "at-rule" and node.lower_at_keyword == "import":
            target = next((n for n in node.prelude if n.type in ("string", "url", "function")),
                          None)
            value = "" if target is None else _css_target(target)
            yield from _css_url(value, "@import", where, node.source_line)
            continue
        if kind == "url":
            yield from _css_url(node.value, "url()", where, node.source_line)
        elif kind == "function" and node.lower_name in ("url", "src"):
            yield from _css_url(_css_target(node), f"{node.lower_name}()", where,
                                node.source_line)
        elif kind == "function" and node.lower_name.endswith("image-set"):
            for n in node.arguments:
                if n.type == "string":
                    yield from _css_url(n.value, "image-set()", where, n.source_line)
        elif kind == "function" and node.lower_name == "expression":
            yield Finding(f"expression() in {where}", "expression", True, node.source_line)
        if kind == "declaration":
            yield from _css_tokens(node.value, where)
        for attribute in ("prelude", "content", "arguments"):
            yield from _css_tokens(getattr(node, attribute, None) or [], where)


def _css_target(node) -> str:
    """The URL a ``url(...)`` token, a ``url("...")`` or ``src("...")`` function or a
    string names."""
    if node.type in ("url", "string"):
        return node.value
    strings = [n.value for n in node.arguments if n.type == "string"]
    return strings[0] if strings else ""


def _css_url(value: str, how: str, where: str, line: int) -> Iterator[Finding]:
    """A URL in CSS: a reference inside the same document (``url(#gradient)``, as
    SVG's fills, masks and markers use) loads nothing; any other is refused."""
    needle = how.rstrip(")")
    judged = judge_url(value, f"{how} in {where}")
    if judged is not None:
        yield Finding(judged.what, needle, judged.active, line)
    elif not _url(value).startswith("#") or how == "@import":
        yield Finding(f"{how} in {where} loads a file ({value[:60]!r}): CSS in a book loads "
                      "none (images go in the chapters, fonts under fonts: in book.yaml)",
                      needle, False, line)


def typst_loads_beyond_files(code: str) -> bool:
    """Whether Typst ``code`` could load a package, which Typst would download:
    an ``import`` or ``include`` of anything but a plain string naming a file
    (a spec, an escape, an expression), or an ``eval``. Judged by words, not
    by parsing Typst, so the word in Typst prose is refused too; and Typst can
    reach ``eval`` without naming it, so the typesetter's dead proxy remains
    what stops a download (print/engine.py)."""
    return any(m[1] == "eval" or not _LOCAL_FILE.match(code, m.end())
               for m in _TYPST_LOAD.finditer(code))


def drop_comments(root: etree._Element) -> None:
    """Remove every comment, keeping the text that followed it."""
    for comment in list(root.iter(etree.Comment)):
        remove(comment)


def first_line(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle`` (any case)."""
    at = text.lower().find(needle.lower())
    return text.count("\n", 0, at) + 1 if at >= 0 else None
