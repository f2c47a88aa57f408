"""The style Pandoc's citeproc is given, resolved so that it fetches nothing.

A dependent style names its parent by a link (``independent-parent``) that
citeproc would follow anywhere: ``file:///proc/self/environ`` or a web address,
and the error would quote what it read. So citeproc is never given a dependent
style: bookbuild resolves the parent itself, only to a ``.csl`` file beside the
style inside the book or to a style it ships (:mod:`bookbuild.config.styles`),
and hands citeproc the parent with the dependent's locale, inline (a ``data:``
URI), so it fetches nothing.
"""

from __future__ import annotations

import base64
from pathlib import Path

from lxml import etree

from ..config.styles import NAME, STYLES, style_file
from ..errors import ConfigError
from ..safety import files as bookfiles

_CSL = "http://purl.org/net/xbiblio/csl"
_PARENT = f"{{{_CSL}}}info/{{{_CSL}}}link[@rel='independent-parent']"


def for_citeproc(csl: Path | None, root: Path) -> str:
    """The style as citeproc is given it: an independent style's path, or a
    dependent style's parent (resolved here) inline, with the dependent's locale."""
    path = style_file(csl)
    style = _parse(path, root)
    link = style.find(_PARENT)
    if link is None:
        return str(path)
    href = link.get("href", "")
    parent_path = _parent(href, path, root)
    if parent_path is None:
        raise ConfigError(f"citation style's parent {href!r} is neither a .csl file beside it in "
                          "the book nor a style bookbuild ships; bookbuild never fetches a style",
                          path, link.sourceline, code="csl-invalid")
    parent = _parse(parent_path, root)
    if parent.find(_PARENT) is not None:
        raise ConfigError("citation style's parent is itself a dependent style", parent_path, code="csl-invalid")
    if locale := style.get("default-locale"):
        parent.set("default-locale", locale)
    data = etree.tostring(parent, xml_declaration=True, encoding="utf-8")
    return "data:application/xml;base64," + base64.b64encode(data).decode("ascii")


def _parent(href: str, style: Path, root: Path) -> Path | None:
    """A parent named by its style id (``http://www.zotero.org/styles/apa``): the
    file of that name beside the style, else the shipped independent style."""
    name = href.rstrip("/").rpartition("/")[2].removesuffix(".csl")
    if not NAME.match(name):
        return None
    beside = style.parent / f"{name}.csl"
    if not style.is_relative_to(STYLES) and bookfiles.is_regular(beside):
        return bookfiles.inside(beside, root, "citation style's parent")
    shipped = STYLES / f"{name}.csl"
    return shipped if shipped.is_file() else None


def _parse(path: Path, root: Path) -> etree._Element:
    """A style read as XML that loads nothing: no entities, no DTD, no network."""
    data = (path.read_bytes() if path.is_relative_to(STYLES)
            else bookfiles.read_bytes(path, root, "citation style"))
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        style = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"citation style is not well-formed XML: {exc.msg}", path,
                          exc.lineno, code="csl-invalid") from None
    if style.tag != f"{{{_CSL}}}style":
        raise ConfigError("citation style is not a CSL style (its root is not <style> "
                          f"in the {_CSL} namespace)", path, style.sourceline, code="csl-invalid")
    return style
