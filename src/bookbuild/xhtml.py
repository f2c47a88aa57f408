"""XHTML trees: namespaces, parsing Pandoc's HTML output, and writing documents.

Pandoc's own HTML is well-formed XML, so it is parsed as XML (fast). Raw HTML a
user typed into Markdown may not be (``<br>``, ``&nbsp;``); only then is the
chapter parsed with html5lib, which follows the HTML5 parsing rules exactly.
"""

from __future__ import annotations

import warnings

from lxml import etree

from .lang.direction import book_direction

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: XHTML, "epub": EPUB}
NS = {"h": XHTML, "epub": EPUB}

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def h(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def E(tag: str, attrib: dict[str, str] | None = None, text: str | None = None,
      *children: etree._Element) -> etree._Element:
    """Make an XHTML element; ``epub:type`` and ``xml:lang`` keys get their namespaces."""
    el = etree.Element(h(tag), nsmap=NSMAP)
    for key, value in (attrib or {}).items():
        if key.startswith("epub:"):
            key = f"{{{EPUB}}}{key[5:]}"
        elif key.startswith("xml:"):
            key = f"{{{XML}}}{key[4:]}"
        el.set(key, value)
    el.text = text
    el.extend(children)
    return el


def parse_fragment(html: str) -> etree._Element:
    """Parse an HTML body fragment into a ``<div>`` whose children are the fragment."""
    wrapped = f'<div xmlns="{XHTML}" xmlns:epub="{EPUB}">{html}</div>'
    try:
        container = etree.fromstring(wrapped.encode("utf-8"), _XML_PARSER)
    except etree.XMLSyntaxError:
        container = _parse_html5(html)
    return _as_xhtml(container)


#: Elements that HTML puts in another namespace, as the HTML5 parser does.
FOREIGN = {"math": "http://www.w3.org/1998/Math/MathML", "svg": "http://www.w3.org/2000/svg"}


def _as_xhtml(container: etree._Element) -> etree._Element:
    """What HTML allows and XHTML does not: raw ``<math>``/``<svg>`` typed without
    their namespace (HTML infers it), and ``data-`` attributes with capitals
    (Pandoc writes ``data-startFrom``; XML names are case-sensitive); and
    empty links that assistive technology should skip."""
    for el in list(container.iter(*(h(tag) for tag in FOREIGN))):
        namespace = FOREIGN[etree.QName(el).localname]
        for node in el.iter():
            qname = etree.QName(node)
            if qname.namespace == XHTML:
                node.tag = f"{{{namespace}}}{qname.localname}"
    for a in container.iterfind(f".//{{{XHTML}}}pre//{{{XHTML}}}a"):
        # Pandoc's anchor on each line of a numbered code block: an empty link
        # to its own line, hidden as Pandoc hides it in unnumbered blocks.
        if a.get("href") == f"#{a.getparent().get('id')}" and not len(a) and not a.text:
            a.set("aria-hidden", "true")
            a.set("tabindex", "-1")
    for el in container.iter():
        for name in [a for a in el.attrib if a.startswith("data-") and a != a.lower()]:
            value = el.attrib.pop(name)
            if el.get(name.lower()) is None:
                el.set(name.lower(), value)
    etree.cleanup_namespaces(container)
    return container


def _parse_html5(html: str) -> etree._Element:
    import html5lib  # loaded when a chapter holds raw HTML: 20 ms of every other build

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # html5lib warns when it coerces epub:type
        nodes = html5lib.parseFragment(html, treebuilder="lxml", namespaceHTMLElements=True)
    container = E("div")
    for node in nodes:
        if isinstance(node, str):
            if len(container):
                container[-1].tail = (container[-1].tail or "") + node
            else:
                container.text = (container.text or "") + node
        else:
            container.append(node)
    for el in container.iter():
        # Namespace declarations typed as attributes (xmlns, xmlns:foo) mean
        # nothing to HTML and clash with the real ones when written as XML.
        for name in [a for a in el.attrib if a in ("xmlns", "{http://www.w3.org/2000/xmlns/}xmlns")
                     or a.startswith("xmlnsU0003A")]:
            del el.attrib[name]
        for name in [a for a in el.attrib if "U0003A" in a]:
            value = el.attrib.pop(name)
            prefix, local = name.split("U0003A", 1)
            ns = {"epub": EPUB, "xml": XML}.get(prefix)
            if ns is not None:
                el.set(f"{{{ns}}}{local}", value)
    etree.cleanup_namespaces(container)
    # Re-parse so the tree uses our namespace prefixes rather than html5lib's.
    return etree.fromstring(etree.tostring(container), _XML_PARSER)


def text_of(el: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """Visible text of ``el`` with runs of white space folded, ignoring elements
    whose class is in ``skip`` (note references inside headings, say)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if skip.intersection((node.get("class") or "").split()):
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def document(title: str, language: str, body: etree._Element, css_href: str | None,
             body_type: str | None = None, body_class: str | None = None) -> etree._ElementTree:
    head = E("head", None, None, E("title", None, title))
    if css_href:
        head.append(E("link", {"rel": "stylesheet", "type": "text/css", "href": css_href}))
    attrib = {"epub:type": body_type, "class": body_class}
    body_el = E("body", {k: v for k, v in attrib.items() if v})
    body_el.append(body)
    attrib = {"lang": language, "xml:lang": language}
    if book_direction(language) == "rtl":
        attrib["dir"] = "rtl"  # Hebrew, Arabic, Persian, Urdu...: every document, nav included
    html = E("html", attrib, None, head, body_el)
    return etree.ElementTree(html)


def serialize(tree: etree._ElementTree) -> bytes:
    """XHTML bytes with the HTML5 doctype EPUB 3 expects."""
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>", pretty_print=False) + b"\n"



def remove(el: etree._Element) -> None:
    """Remove ``el`` from its parent, keeping the text that followed it."""
    parent, prev, tail = el.getparent(), el.getprevious(), el.tail or ""
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)
