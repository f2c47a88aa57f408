"""Read any EPUB's package: the container, the OPF's manifest and spine, the
nav and NCX, as a small frozen model.

The one reader of a written EPUB, for bookbuild's own (tests, profiles) and
others' books (note-link inspection), so each question about a package
(where is the OPF, which documents are in the spine) is answered one way.
Parsed with lxml, entities never expanded and nothing fetched.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

#: A written book may be anyone's: no entities expanded, no network, no DTD.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
#: The same, going on past markup errors (books bookbuild did not make).
LENIENT = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=True)
HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
NCX_TYPE = "application/x-dtbncx+xml"


@dataclass(frozen=True)
class ManifestItem:
    id: str
    href: str  # as the OPF writes it, relative to the OPF
    path: str  # in the zip
    media_type: str
    properties: frozenset[str]


@dataclass(frozen=True)
class EpubPackage:
    opf_path: str  # in the zip
    opf: etree._Element
    manifest: tuple[ManifestItem, ...]
    spine: tuple[ManifestItem, ...]  # in reading order; an idref the manifest lacks is left out

    def item(self, item_id: str) -> ManifestItem | None:
        return next((i for i in self.manifest if i.id == item_id), None)

    @property
    def nav(self) -> ManifestItem | None:
        return next((i for i in self.manifest if "nav" in i.properties), None)

    @property
    def ncx(self) -> ManifestItem | None:
        """The spine's ``toc``, else the first NCX in the manifest."""
        spine = self.opf.find("{*}spine")
        named = self.item(spine.get("toc", "")) if spine is not None else None
        return named or next((i for i in self.manifest if i.media_type == NCX_TYPE), None)

    @property
    def cover_image(self) -> ManifestItem | None:
        """EPUB 3's ``cover-image``, else EPUB 2's ``<meta name="cover">``."""
        cover = next((i for i in self.manifest if "cover-image" in i.properties), None)
        meta = self.opf.find("{*}metadata/{*}meta[@name='cover']")
        return cover or (self.item(meta.get("content", "")) if meta is not None else None)


def read_package(zf: zipfile.ZipFile, parser: etree.XMLParser = PARSER) -> EpubPackage:
    """The package of an open EPUB. A missing container, rootfile or OPF raises
    KeyError or AttributeError, a broken one XMLSyntaxError: the caller says
    whose book it is."""
    container = etree.fromstring(zf.read("META-INF/container.xml"), parser)
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(zf.read(opf_path), parser)
    base = posixpath.dirname(opf_path)
    manifest = tuple(
        ManifestItem(item.get("id", ""), item.get("href", ""),
                     posixpath.normpath(posixpath.join(base, unquote(item.get("href", "")))),
                     item.get("media-type", ""), frozenset(item.get("properties", "").split()))
        for item in opf.iterfind("{*}manifest/{*}item"))
    by_id = {i.id: i for i in manifest}
    spine = tuple(by_id[r.get("idref")] for r in opf.iterfind("{*}spine/{*}itemref")
                  if r.get("idref") in by_id)
    return EpubPackage(opf_path, opf, manifest, spine)
