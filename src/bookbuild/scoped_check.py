"""Checks scoped to what changed: an author's rebuild after editing one
chapter checks the package and that chapter with EPUBCheck's full rules, not
the whole book again.

After a whole-book check passes, the digest of every file in the EPUB is
recorded. At the next build of the same book and format, if only XHTML
documents (and the package files: OPF, nav, NCX) changed, EPUBCheck checks a
probe EPUB: the real package, the changed documents whole, every other
resource whole (styles, images, fonts), and each unchanged document as a stub
that keeps what other files can see of it: its identifiers in order (link and
nav targets), its links and image references, whether it holds MathML or SVG
(manifest properties). So every cross-document rule (fragments, reading order,
manifest properties, spine) is checked as in the whole book, and everything
inside an unchanged document was already checked in the same bytes.

Only a pass is ever taken from the probe. A probe that reports anything, or
a document the stubs cannot stand for (scripts, media, forms, embedded
objects), leads to the whole-book check, and so does every 25th scoped check.
``tests/test_scoped_check.py`` compares the two on many edits.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from .cache import tools_fingerprint, user_cache_dir
from .check import CheckResult, Checker, jar_path
from .package import NAV, ROOT
from .xhtml import h

#: After this many scoped checks in a row, the whole book is checked again.
SCOPED_IN_A_ROW = 25
_PACKAGE_FILES = ("META-INF/container.xml", f"{ROOT}/content.opf", f"{ROOT}/{NAV}",
                  f"{ROOT}/toc.ncx", "mimetype")
#: Elements whose rules reach beyond what a stub keeps: such a document is
#: never stood in for.
_UNSTUBBABLE = frozenset(h(t) for t in ("script", "audio", "video", "iframe", "object",
                                          "embed", "form", "source", "track", "area"))
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _digests(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: hashlib.sha256(zf.read(name)).hexdigest() for name in zf.namelist()}


def _fingerprint() -> str:
    jar = jar_path().stat()
    return hashlib.sha256(f"{tools_fingerprint()}|{jar.st_size}|{int(jar.st_mtime)}"
                          .encode()).hexdigest()


def _record_file(key: str) -> Path:
    return user_cache_dir() / "checks" / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def _load(key: str) -> dict | None:
    try:
        record = json.loads(_record_file(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("fingerprint") == _fingerprint() else None


def _save(key: str, digests: dict[str, str], in_a_row: int) -> None:
    path = _record_file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".record.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"fingerprint": _fingerprint(), "digests": digests, "in_a_row": in_a_row}, f)
    os.replace(tmp, path)


def check(path: Path, checker: Checker, key: str) -> CheckResult:
    """EPUBCheck's verdict on the EPUB at ``path``, the build of ``key`` (a book
    and format): scoped to what changed since its last passing check when that
    is sound, else the whole book."""
    digests = _digests(path)
    record = _load(key)
    changed = _changed(record, digests)
    if changed is not None and record["in_a_row"] < SCOPED_IN_A_ROW:
        if not changed:
            _save(key, digests, record["in_a_row"])
            return CheckResult(0, 0, 0, scope="unchanged since it passed")
        probe = _probe_result(path, changed, checker)
        if probe is not None and probe.passed:
            _save(key, digests, record["in_a_row"] + 1)
            documents = len([n for n in changed if n not in _PACKAGE_FILES])
            return replace(probe, scope=f"{documents} changed document"
                                        f"{'s' if documents != 1 else ''} and the package")
    result = checker.check(path)
    if result.passed:
        _save(key, digests, 0)
    else:
        _record_file(key).unlink(missing_ok=True)
    return result


def _changed(record: dict | None, digests: dict[str, str]) -> set[str] | None:
    """The files that changed, if only documents and package files did."""
    if record is None or set(record["digests"]) != set(digests):
        return None
    changed = {n for n, d in digests.items() if record["digests"][n] != d}
    if any(not (n.endswith(".xhtml") or n in _PACKAGE_FILES) for n in changed):
        return None
    return changed


def _probe_result(path: Path, changed: set[str], checker: Checker) -> CheckResult | None:
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix="bookbuild-probe-") as tmp:
        probe = Path(tmp) / "probe.epub"
        with zipfile.ZipFile(probe, "w") as out:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename.endswith(".xhtml") and info.filename not in changed \
                        and info.filename not in _PACKAGE_FILES:
                    data = _stub(data)
                    if data is None:
                        return None
                out.writestr(info, data)
        return checker.check(probe)


def _stub(data: bytes) -> bytes | None:
    """A valid document with what other files can see of ``data``: identifiers
    in order, links, image references, MathML and SVG; None if more is visible."""
    root = etree.fromstring(data, _XML_PARSER)
    if any(el.tag in _UNSTUBBABLE for el in root.iter()):
        return None
    head, body = root.find(h("head")), root.find(h("body"))
    keep = etree.Element(h("div"))
    found = set()
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        namespace = etree.QName(el).namespace
        if namespace in (_MATHML, _SVG):
            found.add(namespace)
        if el.get("id") or (el.tag == h("a") and el.get("href")) or el.tag == h("img"):
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
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>") if head is not None else None


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

