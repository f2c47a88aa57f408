"""Checks scoped to what changed: an author's rebuild after editing one
chapter checks the package and that chapter with EPUBCheck's full rules, not
the whole book again.

After a check passes, the digest of every file in the EPUB and of the zip's
layout is recorded, with the files each document refers to and two digests of
the OPF: its structure (manifest, spine, guide) and the rest but the
modification date. At the next build of the same book and format, if only
XHTML documents and package files (OPF, nav, NCX) changed, and in the OPF at
most its structure and date, EPUBCheck checks a probe EPUB instead of the
book. (Other metadata can set rules for every document, as fixed layout does:
a change there checks the whole book.) An unchanged document's bytes were
checked before, so only the rules that reach across files need it again, and
only as far as the changed documents reach:

- The neighbourhood probe, when the structure, nav and NCX are as they were:
  the real package with the changed documents whole, every resource whole
  (styles, images, fonts), and as stubs only the documents a changed one
  refers to, those that refer to a changed one (from the record), the
  non-linear ones with every document that refers to them, and each
  navigation list's first target. The OPF, nav and NCX keep their entries
  into those documents, in order. Every cross-document rule that can see a
  changed document (fragments, reading order, reachability, manifest
  properties) sees it as in the whole book.
- Otherwise the full probe: every unchanged document as a stub.

A stub keeps what other files can see of a document: its identifiers in order
(link and nav targets), its links and image references, whether it holds
MathML or SVG (manifest properties). Only a pass is ever taken from a probe. A
probe that reports anything, or a document a stub cannot stand for (scripts,
media, forms, embedded objects, references other than a link's or an image's,
identifiers outside XHTML such as SVG gradients), leads to the whole-book
check, and so does every 25th scoped check. ``tests/test_scoped_check.py``
compares the two on many edits, on a book with decoys for each of these.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import etree

from ..cache.files import store, tools_fingerprint
from ..epub.package import NAV, ROOT
from ..epub.reader import read_package
from ..xhtml import XHTML, h
from .epubcheck import Checker, CheckResult, jar_path

#: After this many scoped checks in a row, the whole book is checked again.
SCOPED_IN_A_ROW = 25
_OPF, _NAV, _NCX = f"{ROOT}/content.opf", f"{ROOT}/{NAV}", f"{ROOT}/toc.ncx"
_PACKAGE_FILES = ("META-INF/container.xml", _OPF, _NAV, _NCX, "mimetype")
#: Elements whose rules reach beyond what a stub keeps: such a document is
#: never stood in for.
_UNSTUBBABLE = frozenset(h(t) for t in ("script", "audio", "video", "iframe", "object",
                                          "embed", "form", "source", "track", "area"))
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
#: Attributes that refer to other files; a stub keeps a's href and img's src
#: only, so a document with any other is never stood in for.
_REFERENCES = frozenset({"href", "src", "cite", "data", "poster", "srcset", "usemap",
                         "longdesc", "action", "formaction", "background", "manifest",
                         "codebase", "archive", "classid", "profile", _XLINK_HREF})
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
_OPF_NS = "{http://www.idpf.org/2007/opf}"
_NCX_NS = "{http://www.daisy.org/z3986/2005/ncx/}"
_XHTML_TYPE = "application/xhtml+xml"
_LAYOUT = "\0zip layout"  # not a name a file in a zip can have
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_ATTRIBUTES = etree.XPath("//@*")


@dataclass(frozen=True)
class Scope:
    """A book and format (``key``) whose passes are recorded in ``records``,
    a folder of the run's cache: without a cache, every check is whole."""
    key: str
    records: Path


@dataclass(frozen=True)
class _Package:
    """What the OPF says of the documents: their zip paths, the non-linear
    ones, a digest of its structure (manifest, spine, guide) and one of the
    rest but the modification date (metadata that may set rules for every
    document, as fixed layout does)."""
    documents: frozenset[str]
    nonlinear: frozenset[str]
    structure: str
    rest: str


def _digests(path: Path) -> dict[str, str]:
    """Each file's digest, and the container's own (entry order, duplicates,
    compression, extra fields: EPUBCheck's rules on mimetype's place and form)
    under a name no file has."""
    with zipfile.ZipFile(path) as zf:
        digests = {name: hashlib.sha256(zf.read(name)).hexdigest() for name in zf.namelist()}
        layout = [[i.filename, i.compress_type, i.flag_bits, len(i.extra)]
                  for i in zf.infolist()]
    digests[_LAYOUT] = hashlib.sha256(json.dumps(layout).encode()).hexdigest()
    return digests


def _fingerprint() -> str:
    jar = jar_path().stat()
    return hashlib.sha256(f"{tools_fingerprint()}|{jar.st_size}|{int(jar.st_mtime)}"
                          .encode()).hexdigest()


def _record_file(scope: Scope) -> Path:
    return scope.records / f"{hashlib.sha256(scope.key.encode()).hexdigest()}.json"


def _load(scope: Scope) -> dict | None:
    try:
        record = json.loads(_record_file(scope).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("fingerprint") == _fingerprint() else None


def _save(scope: Scope, record: dict) -> None:
    """Record a pass: ``digests``, ``in_a_row``, ``links`` (each document's
    references, or None) and the OPF's ``structure`` and ``rest``."""
    store(_record_file(scope),
          json.dumps({**record, "fingerprint": _fingerprint()}).encode("utf-8"))


def _shape(package: _Package) -> dict[str, str]:
    return {"structure": package.structure, "rest": package.rest}


def check(path: Path, checker: Checker, scope: Scope) -> CheckResult:
    """EPUBCheck's verdict on the EPUB at ``path``, the build of ``scope``'s book
    and format: scoped to what changed since its last passing check when that
    is sound, else the whole book."""
    digests = _digests(path)
    record = _load(scope)
    changed = _changed(record, digests)
    if changed is not None and record["in_a_row"] < SCOPED_IN_A_ROW:
        if not changed:
            _save(scope, {**record, "digests": digests})
            return CheckResult(0, 0, 0, scope="unchanged since it passed")
        try:
            with zipfile.ZipFile(path) as zf:
                package = _package(zf)
                links = _updated_links(zf, record.get("links"), changed)
                probe = _probe_result(zf, changed, checker, record, package, links)
        except etree.XMLSyntaxError:
            probe = None  # the whole book's check says where
        if probe is not None and probe.passed:
            _save(scope, {"digests": digests, "in_a_row": record["in_a_row"] + 1, "links": links,
                        **_shape(package)})
            documents = len([n for n in changed if n not in _PACKAGE_FILES])
            return replace(probe, scope=f"{documents} changed document"
                                        f"{'s' if documents != 1 else ''} and the package")
    with ThreadPoolExecutor(1) as pool:  # the links are read while EPUBCheck works
        mapped = pool.submit(_whole_book_links, path)
        result = checker.check(path)
        links, shape = mapped.result()
    if result.passed:
        _save(scope, {"digests": digests, "in_a_row": 0, "links": links, **shape})
    else:
        _record_file(scope).unlink(missing_ok=True)
    return result


def _changed(record: dict | None, digests: dict[str, str]) -> set[str] | None:
    """The files that changed, if only documents and package files did."""
    if record is None or set(record["digests"]) != set(digests):
        return None
    changed = {n for n, d in digests.items() if record["digests"][n] != d}
    if any(not (n.endswith(".xhtml") or n in _PACKAGE_FILES) for n in changed):
        return None
    return changed


def _package(zf: zipfile.ZipFile) -> _Package:
    package = read_package(zf, _XML_PARSER)
    opf = package.opf
    documents = {i.id: i.path for i in package.manifest if i.media_type == _XHTML_TYPE}
    nonlinear = frozenset(documents[r.get("idref")]
                          for r in opf.iterfind(f"{_OPF_NS}spine/{_OPF_NS}itemref")
                          if r.get("linear") == "no" and r.get("idref") in documents)
    parts = [f"{_OPF_NS}manifest", f"{_OPF_NS}spine", f"{_OPF_NS}guide"]
    structure = hashlib.sha256(b"".join(etree.tostring(el, method="c14n") for el in opf
                                        if el.tag in parts)).hexdigest()
    for el in [el for el in opf if el.tag in parts]:
        opf.remove(el)
    for meta in opf.iterfind(f"{_OPF_NS}metadata/{_OPF_NS}meta[@property='dcterms:modified']"):
        meta.text = None
    return _Package(frozenset(documents.values()), nonlinear, structure,
                    hashlib.sha256(etree.tostring(opf, method="c14n")).hexdigest())


def _resolve(base: str, href: str) -> str | None:
    """The zip path an href in ``base`` leads to; None for other schemes."""
    try:
        if urlsplit(href).scheme:
            return None
    except ValueError:  # not a URL at all: EPUBCheck says so where it matters
        return None
    target = urldefrag(href)[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(target))) \
        if target else base


def _targets(name: str, data: bytes, names: set[str]) -> list[str]:
    """The other files a document refers to: any attribute whose value, read
    as a URL, names one (href, src, cite, data, ... and a few false friends,
    which only make a probe larger)."""
    found = {_resolve(name, value) for value in _ATTRIBUTES(etree.fromstring(data, _XML_PARSER))}
    return sorted(t for t in found if t in names and t != name)


def _whole_book_links(path: Path) -> tuple[dict[str, list[str]] | None, dict[str, str]]:
    """Every document's references and the package's digests, for the record;
    nothing if the book cannot be read (EPUBCheck then says why)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            links = {n: _targets(n, zf.read(n), names) for n in names if n.endswith(".xhtml")}
            return links, _shape(_package(zf))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None, {}


def _updated_links(zf: zipfile.ZipFile, links: dict[str, list[str]] | None,
                   changed: set[str]) -> dict[str, list[str]] | None:
    if links is None:
        return None
    names = set(zf.namelist())
    return {n: _targets(n, zf.read(n), names) if n in changed else t for n, t in links.items()}


def _left_out(zf: zipfile.ZipFile, changed: set[str], record: dict, package: _Package,
              links: dict[str, list[str]] | None) -> set[str]:
    """The documents a neighbourhood probe leaves out; none (the full probe)
    where that would not be sound: the manifest, spine, nav or NCX changed, or
    the references are unknown."""
    if links is None or record.get("structure") != package.structure or {_NAV, _NCX} & changed:
        return set()
    centre = {n for n in changed if n in package.documents} | package.nonlinear
    kept = centre | {_NAV} | _first_targets(zf, package.documents)
    for name, targets in links.items():
        if centre.intersection(targets):
            kept.add(name)  # refers to a changed or a non-linear document
    for name in changed:
        kept.update(links.get(name, ()))
    return package.documents - kept


def _probe_result(zf: zipfile.ZipFile, changed: set[str], checker: Checker, record: dict,
                  package: _Package, links: dict[str, list[str]] | None) -> CheckResult | None:
    if record.get("rest") != package.rest:
        return None  # metadata that may set rules for every document changed
    left_out = _left_out(zf, changed, record, package, links)
    reduced = {_OPF: _reduced_package, _NAV: _reduced_nav, _NCX: _reduced_ncx} if left_out else {}
    with tempfile.TemporaryDirectory(prefix="bookbuild-probe-") as tmp:
        probe = Path(tmp) / "probe.epub"
        with zipfile.ZipFile(probe, "w") as out:
            for info in zf.infolist():
                name = info.filename
                if name in left_out:
                    continue
                data = zf.read(info)
                if name in reduced:
                    data = reduced[name](data, left_out)
                elif name.endswith(".xhtml") and name not in changed \
                        and name not in _PACKAGE_FILES:
                    data = _stub(name, data, left_out)
                if data is None:
                    return None
                out.writestr(info, data)
        return checker.check(probe)


def _first_targets(zf: zipfile.ZipFile, documents: frozenset[str]) -> set[str]:
    """The document each navigation list starts with, so that none is left empty."""
    nav = etree.fromstring(zf.read(_NAV), _XML_PARSER)
    firsts = [(_NAV, a.get("href")) for n in nav.iter(h("nav"))
              for a in [next(n.iter(h("a")), None)] if a is not None]
    if _NCX in zf.namelist():
        ncx = etree.fromstring(zf.read(_NCX), _XML_PARSER)
        content = next(ncx.iter(f"{_NCX_NS}content"), None)
        if content is not None:
            firsts.append((_NCX, content.get("src")))
    return {target for base, href in firsts if href
            for target in [_resolve(base, href)] if target in documents}


def _serialized(root: etree._Element, doctype: str | None = None) -> bytes:
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8",
                          doctype=doctype)


def _reduced_package(data: bytes, left_out: set[str]) -> bytes:
    """The OPF without the documents left out of the probe."""
    opf = etree.fromstring(data, _XML_PARSER)
    gone = set()
    for item in opf.iterfind(f"{_OPF_NS}manifest/{_OPF_NS}item"):
        if _resolve(_OPF, item.get("href", "")) in left_out:
            gone.add(item.get("id"))
            item.getparent().remove(item)
    for ref in opf.iterfind(f"{_OPF_NS}spine/{_OPF_NS}itemref"):
        if ref.get("idref") in gone:
            ref.getparent().remove(ref)
    for guide in opf.iterfind(f"{_OPF_NS}guide"):
        for ref in guide.iterfind(f"{_OPF_NS}reference"):
            if _resolve(_OPF, ref.get("href", "")) in left_out:
                guide.remove(ref)
        if len(guide) == 0:
            opf.remove(guide)
    return _serialized(opf)


def _reduced_nav(data: bytes, left_out: set[str]) -> bytes | None:
    """The nav with only its entries into the probe's documents, in order; an
    entry left out keeps its place as a heading when entries below it stay."""
    nav = etree.fromstring(data, _XML_PARSER)

    def reduce(ol: etree._Element) -> None:
        for li in list(ol):
            sub = li.find(h("ol"))
            if sub is not None:
                reduce(sub)
                if len(sub) == 0:
                    li.remove(sub)
                    sub = None
            a = li.find(h("a"))
            if a is None or _resolve(_NAV, a.get("href", "")) not in left_out:
                continue
            if sub is None:
                ol.remove(li)
            else:
                a.tag = h("span")
                a.attrib.pop("href")

    for list_ in nav.iter(h("nav")):
        for ol in list_.findall(h("ol")):
            reduce(ol)
            if len(ol) == 0:
                return None
    return _serialized(nav, "<!DOCTYPE html>")


def _reduced_ncx(data: bytes, left_out: set[str]) -> bytes | None:
    """The NCX with only its entries into the probe's documents, in order (play
    order renumbered without gaps); the entries below one left out take its place."""
    ncx = etree.fromstring(data, _XML_PARSER)

    def out(el: etree._Element) -> bool:
        content = el.find(f"{_NCX_NS}content")
        return content is not None and _resolve(_NCX, content.get("src", "")) in left_out

    for point in reversed(list(ncx.iter(f"{_NCX_NS}navPoint", f"{_NCX_NS}pageTarget",
                                        f"{_NCX_NS}navTarget"))):
        if out(point):
            parent = point.getparent()
            for child in point.findall(f"{_NCX_NS}navPoint"):
                point.addprevious(child)
            parent.remove(point)
    if any(len(m.findall(f"{_NCX_NS}navPoint")) == 0 for m in ncx.iter(f"{_NCX_NS}navMap")):
        return None
    ordered = [el for el in ncx.iter() if el.get("playOrder") is not None]
    rank = {v: str(n) for n, v in enumerate(sorted({int(el.get("playOrder")) for el in ordered}),
                                             start=1)}
    for el in ordered:  # the sequence without gaps, in the same order
        el.set("playOrder", rank[int(el.get("playOrder"))])
    return _serialized(ncx)


def _stub(name: str, data: bytes, left_out: set[str]) -> bytes | None:
    """A valid document with what other files can see of ``data``: identifiers
    in order, links (but those into documents left out of the probe), image
    references, MathML and SVG; None if more is visible."""
    root = etree.fromstring(data, _XML_PARSER)
    head, body = root.find(h("head")), root.find(h("body"))
    if head is None or body is None or not _standable(root, body):
        return None
    keep = etree.Element(h("div"))
    found = set()
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        namespace = etree.QName(el).namespace
        if namespace in (_MATHML, _SVG):
            found.add(namespace)
        if el.tag == h("a") and el.get("href") and _resolve(name, el.get("href")) in left_out:
            if el.get("id"):
                keep.append(etree.Element(h("span"), {"id": el.get("id")}))
        elif el.get("id") or (el.tag == h("a") and el.get("href")) or el.tag == h("img"):
            keep.append(_kept(el))
    if _MATHML in found:
        math = etree.SubElement(keep, f"{{{_MATHML}}}math")
        etree.SubElement(math, f"{{{_MATHML}}}mi").text = "x"
    if _SVG in found:
        svg = etree.SubElement(keep, f"{{{_SVG}}}svg", {"viewBox": "0 0 1 1"})
        etree.SubElement(svg, f"{{{_SVG}}}rect", {"width": "1", "height": "1"})
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(keep)
    return _serialized(root, "<!DOCTYPE html>")


def _standable(root: etree._Element, body: etree._Element) -> bool:
    """Whether a stub keeps all other files can see: no scripts, media or
    forms, no references but a's href and img's src, no identifier on an
    element whose kind matters to a link (SVG's gradients, symbols, views)."""
    if any(el.tag in _UNSTUBBABLE for el in root.iter()):
        return False
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id") is not None and etree.QName(el).namespace != XHTML:
            return False
        kept = "href" if el.tag == h("a") else "src" if el.tag == h("img") else None
        if any(name in _REFERENCES and name != kept for name in el.attrib):
            return False
    return True


def _kept(el: etree._Element) -> etree._Element:
    """An element's identifier, link or image, as an element valid in a div."""
    if el.tag == h("img"):
        return etree.Element(h("img"), {k: v for k, v in (("id", el.get("id")),
                                                          ("src", el.get("src")), ("alt", ""))
                                        if v is not None})
    if el.tag == h("a") and el.get("href"):
        a = etree.Element(h("a"), {"href": el.get("href")})
        if el.get("id"):
            a.set("id", el.get("id"))
        a.text = "x"
        return a
    return etree.Element(h("span"), {"id": el.get("id")})
