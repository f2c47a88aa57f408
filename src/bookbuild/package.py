"""Assemble converted chapters into an EPUB 3 package: OPF, nav, NCX, cover page, zip.

Package data is kept as small typed records (Sphinx's manifest/spine items) and
every XML file is built as an lxml tree, never from strings. The zip is written
the reproducible way: ``mimetype`` first and stored, entries in a fixed order,
one timestamp taken from the sources.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from . import accessibility
from .notes import markup as endnotes
from .accessibility import PageBreak, page_list_nav
from .config import BookConfig
from .cover import Cover
from .convert import IMAGE_DIR, ConvertedChapter, Heading, image_href
from .images import safe_image
from .words import word
from .xhtml import E, document, serialize

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
ROOT = "EPUB"
CSS_HREF = "styles/book.css"
TEXT_DIR = "text"
COVER_PAGE = f"{TEXT_DIR}/cover.xhtml"
#: The nav sits beside the OPF, as in Standard Ebooks' books: epub.js (and the
#: apps built on it) resolves the nav's links against the OPF, not the nav
#: (epub.js issues #1107 and #1084), so a nav in text/ gave "No Section Found"
#: for every entry of its contents panel. Beside the OPF both readings agree.
NAV = "nav.xhtml"
#: Nav depth below the chapter entry; Kindle shows two levels, most readers three.
TOC_DEPTH = 2


@dataclass(frozen=True)
class Item:
    """One manifest entry and the bytes it stands for."""

    id: str
    href: str  # relative to the OPF
    media_type: str
    data: bytes
    properties: str | None = None
    source: Path | None = None  # the Markdown file it was made from, for messages


@dataclass(frozen=True)
class SpineRef:
    idref: str
    linear: bool = True


@dataclass(frozen=True)
class Package:
    slug: str
    items: tuple[Item, ...]
    spine: tuple[SpineRef, ...]
    opf: bytes


@dataclass(frozen=True)
class NavPoint:
    label: str
    href: str
    children: tuple[NavPoint, ...] = ()


def _nav_points(chapters: tuple[ConvertedChapter, ...]) -> tuple[NavPoint, ...]:
    """One entry per chapter with its sub-headings nested below it, to TOC_DEPTH."""
    points = []
    for conv in chapters:
        href = conv.file
        subs = list(conv.headings)
        if subs and subs[0].level == min(hd.level for hd in subs):
            subs = subs[1:]  # the chapter's own heading: the chapter entry stands for it
        points.append(NavPoint(conv.title, href, _nest(subs, href, 1)))
    return tuple(points)


def _nest(headings: list[Heading], href: str, depth: int) -> tuple[NavPoint, ...]:
    if not headings or depth > TOC_DEPTH:
        return ()
    top = min(hd.level for hd in headings)
    result = []
    i = 0
    while i < len(headings):
        j = i + 1
        while j < len(headings) and headings[j].level > top:
            j += 1
        hd = headings[i]
        result.append(NavPoint(hd.text, f"{href}#{hd.id}", _nest(headings[i + 1:j], href, depth + 1)))
        i = j
    return tuple(result)


def _nav_list(points: tuple[NavPoint, ...]) -> etree._Element:
    ol = E("ol")
    for p in points:
        li = E("li", None, None, E("a", {"href": f"{TEXT_DIR}/{p.href}"}, p.label))
        if p.children:
            li.append(_nav_list(p.children))
        ol.append(li)
    return ol


def _nav_document(config: BookConfig, points: tuple[NavPoint, ...],
                  landmarks: list[tuple[str, str, str]],
                  pages: list[tuple[str, PageBreak]]) -> bytes:
    lang = config.language
    toc = E("nav", {"epub:type": "toc", "id": "toc", "role": "doc-toc"}, None,
            E("h1", None, word(lang, "contents")), _nav_list(points))
    marks = E("ol")
    for kind, href, label in landmarks:
        marks.append(E("li", None, None, E("a", {"epub:type": kind, "href": href}, label)))
    land = E("nav", {"epub:type": "landmarks", "id": "landmarks", "hidden": "hidden"}, None,
             E("h2", None, word(lang, "landmarks")), marks)
    body = E("section", None, None, toc, land)
    if pages:
        body.append(page_list_nav(pages, word(lang, "pages")))
    return serialize(document(word(lang, "contents"), lang, body, CSS_HREF))


def _ncx(config: BookConfig, points: tuple[NavPoint, ...]) -> bytes:
    """EPUB 2 table of contents, still read by older Kindles and some Android readers."""
    def el(tag: str, attrib: dict[str, str] | None = None, text: str | None = None):
        e = etree.Element(f"{{{NCX}}}{tag}", attrib or {}, nsmap={None: NCX})
        e.text = text
        return e

    root = el("ncx", {"version": "2005-1", XML_LANG: config.language})
    head = el("head")
    depth = 1
    counter = [0]

    def nav_map(parent: etree._Element, pts: tuple[NavPoint, ...], level: int) -> None:
        nonlocal depth
        depth = max(depth, level)
        for p in pts:
            counter[0] += 1
            point = el("navPoint", {"id": f"navpoint-{counter[0]}", "playOrder": str(counter[0])})
            label = el("navLabel")
            label.append(el("text", None, p.label))
            point.append(label)
            point.append(el("content", {"src": f"{TEXT_DIR}/{p.href}"}))
            parent.append(point)
            nav_map(point, p.children, level + 1)

    navmap = el("navMap")
    nav_map(navmap, points, 1)
    for name, content in (("dtb:uid", config.identifier), ("dtb:depth", str(depth)),
                          ("dtb:totalPageCount", "0"), ("dtb:maxPageNumber", "0")):
        head.append(el("meta", {"name": name, "content": content}))
    title = el("docTitle")
    title.append(el("text", None, config.title))
    root.extend([head, title, navmap])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def _cover_page(config: BookConfig, href: str) -> bytes:
    alt = word(config.language, "cover_of", title=config.title)
    body = E("section", {"epub:type": "cover", "class": "cover"}, None,
             E("img", {"src": "../" + href, "alt": alt, "role": "doc-cover"}))
    return serialize(document(word(config.language, "cover"), config.language, body,
                              "../" + CSS_HREF, body_class="cover-page"))


def _with_bodies(notes_list: etree._Element) -> etree._Element:
    """Each note's content in a ``div.note-body`` inside its ``li``. Readers that
    pop a note up (foliate-js, Apple Books, Kobo) show the *contents* of the
    ``li``, so a style keyed to ``.note`` stops matching there; the wrapper
    travels into the pop-up and keeps the note styled as a note."""
    for li in notes_list:
        body = E("div", {"class": "note-body"})
        body.extend(list(li))
        li.append(body)
    return notes_list


def _chapter_document(config: BookConfig, conv: ConvertedChapter, heading: str) -> bytes:
    tree = conv.tree()
    notes_list = conv.notes_tree()
    if notes_list is not None and config.notes == "chapter":
        tree.append(endnotes.chapter_section(_with_bodies(notes_list), heading))
    return serialize(document(conv.title, config.language, tree, "../" + CSS_HREF,
                              conv.chapter.matter))


@dataclass(frozen=True)
class NotesDocument:
    file: str
    data: bytes
    chapters: tuple[NavPoint, ...]  # the chapters whose notes start in this file


def _notes_documents(config: BookConfig, chapters: tuple[ConvertedChapter, ...],
                     heading: str) -> tuple[NotesDocument, ...]:
    """Book-end notes: one section per chapter under one heading, split into
    files as the note plan says."""
    by_file: dict[str, list[tuple[ConvertedChapter, etree._Element]]] = {}
    if config.notes != "book":
        return ()
    for conv in chapters:
        notes_list = conv.notes_tree()
        for note, li in zip(conv.notes, notes_list if notes_list is not None else ()):
            by_file.setdefault(note.document, []).append((conv, li))
    docs = []
    started: set[int] = set()
    for k, file in enumerate(sorted(by_file)):
        outer = E("section", {"class": "endnotes book-endnotes", "epub:type": "endnotes",
                              "role": "doc-endnotes"})
        if k == 0:
            outer.append(E("h1", {"class": "notes-heading"}, heading))
        points = []
        for index, group in itertools.groupby(by_file[file], key=lambda e: e[0].chapter.index):
            entries = list(group)
            conv = entries[0][0]
            section_id = f"notes-{conv.chapter.name}"
            outer.append(E("section", {"id": section_id, "class": "chapter-notes"}, None,
                           E("h2", None, conv.title),
                           _with_bodies(E("ol", {"class": "notes-list"}, None,
                                          *(li for _, li in entries)))))
            if index not in started:
                started.add(index)
                points.append(NavPoint(conv.title, f"{file}#{section_id}"))
        data = serialize(document(heading, config.language, outer, "../" + CSS_HREF, "backmatter"))
        docs.append(NotesDocument(file, data, tuple(points)))
    return tuple(docs)


def _opf(config: BookConfig, items: list[Item], spine: list[SpineRef], modified: dt.datetime,
         a11y: list[tuple[str, str]], has_pages: bool) -> bytes:
    package = etree.Element(f"{{{OPF}}}package", {"version": "3.0", "unique-identifier": "pub-id",
                                                  XML_LANG: config.language},
                            nsmap={None: OPF})
    meta = etree.SubElement(package, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(tag: str, text: str, **attrib: str) -> etree._Element:
        e = etree.SubElement(meta, f"{{{DC}}}{tag}", attrib)
        e.text = text
        return e

    def refine(target: str, prop: str, text: str, **attrib: str) -> None:
        e = etree.SubElement(meta, f"{{{OPF}}}meta", {"refines": f"#{target}", "property": prop,
                                                      **attrib})
        e.text = text

    dc("identifier", config.identifier, id="pub-id")
    dc("title", config.title, id="title")
    refine("title", "title-type", "main")
    if config.subtitle:
        dc("title", config.subtitle, id="subtitle")
        refine("subtitle", "title-type", "subtitle")
    dc("language", config.language)
    # Authors are dc:creator, everyone else dc:contributor; a book with no author
    # (a translated collection, say) has its first-named person as creator, so
    # readers do not show "Unknown author".
    creators = [p for p in config.contributors if "aut" in p.roles] or config.contributors[:1]
    for i, person in enumerate(config.contributors, start=1):
        kind = "creator" if person in creators else "contributor"
        pid = f"{kind}-{i}"
        dc(kind, person.name, id=pid)
        for role in person.roles:
            refine(pid, "role", role, scheme="marc:relators")
        if person.file_as:
            refine(pid, "file-as", person.file_as)
        refine(pid, "display-seq", str(i))
    for tag, value in (("publisher", config.publisher), ("date", config.date),
                       ("rights", config.rights), ("description", config.description)):
        if value:
            dc(tag, value)
    for subject in config.subjects:
        dc("subject", subject)
    if config.source_isbn:
        dc("source", f"urn:isbn:{config.source_isbn}")
        if has_pages:  # the print edition whose page numbers the page list gives
            page_source = etree.SubElement(meta, f"{{{OPF}}}meta", {"property": "pageBreakSource"})
            page_source.text = f"urn:isbn:{config.source_isbn}"
    for prop, value in a11y:
        etree.SubElement(meta, f"{{{OPF}}}meta", {"property": prop}).text = value
    mod = etree.SubElement(meta, f"{{{OPF}}}meta", {"property": "dcterms:modified"})
    mod.text = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    # EPUB 2 cover metadata: Kindle and older readers find the cover only this way.
    etree.SubElement(meta, f"{{{OPF}}}meta", {"name": "cover", "content": "cover-image"})

    manifest = etree.SubElement(package, f"{{{OPF}}}manifest")
    for item in items:
        attrib = {"id": item.id, "href": item.href, "media-type": item.media_type}
        if item.properties:
            attrib["properties"] = item.properties
        etree.SubElement(manifest, f"{{{OPF}}}item", attrib)
    spine_el = etree.SubElement(package, f"{{{OPF}}}spine", {"toc": "ncx"})
    for ref in spine:
        attrib = {"idref": ref.idref}
        if not ref.linear:
            attrib["linear"] = "no"
        etree.SubElement(spine_el, f"{{{OPF}}}itemref", attrib)
    return etree.tostring(package, xml_declaration=True, encoding="utf-8", pretty_print=True)


def stylesheet() -> bytes:
    return (resources.files("bookbuild") / "data" / "book.css").read_bytes()


def build_package(config: BookConfig, chapters: tuple[ConvertedChapter, ...], cover: Cover,
                  modified: dt.datetime) -> Package:
    lang = config.language
    heading = endnotes.heading_text(lang, config.notes_heading)
    items: list[Item] = [Item("css", CSS_HREF, "text/css", stylesheet())]
    spine: list[SpineRef] = []
    landmarks: list[tuple[str, str, str]] = []
    cover_href = f"{IMAGE_DIR}/cover.jpg"
    items.append(Item("cover-image", cover_href, "image/jpeg", cover.jpeg, "cover-image"))
    items.append(Item("cover", COVER_PAGE, "application/xhtml+xml", _cover_page(config, cover_href)))
    spine.append(SpineRef("cover"))
    landmarks.append(("cover", COVER_PAGE, word(lang, "cover")))

    notes_docs = _notes_documents(config, chapters, heading)
    pages = [(f"{TEXT_DIR}/{conv.file}", page) for conv in chapters for page in conv.pages]
    a11y = accessibility.metadata(config, sum(c.informative_images for c in chapters),
                                  any("mathml" in c.properties for c in chapters), bool(pages))
    points = _nav_points(chapters)
    landmarks.append(("toc", f"{NAV}#toc", word(lang, "contents")))
    body_start = next((c for c in chapters if c.chapter.matter == "bodymatter"), chapters[0])
    landmarks.append(("bodymatter", f"{TEXT_DIR}/{body_start.file}", word(lang, "start")))
    if notes_docs:
        # Book-end notes sit after the body matter, before any back matter,
        # in the spine and so in the nav, which must follow the spine.
        at = next((i for i, c in enumerate(chapters) if c.chapter.matter == "backmatter"),
                  len(chapters))
        notes_point = NavPoint(heading, notes_docs[0].file,
                               tuple(p for d in notes_docs for p in d.chapters))
        points = points[:at] + (notes_point,) + points[at:]
        landmarks.append(("endnotes", f"{TEXT_DIR}/{notes_docs[0].file}", heading))
    bibliography = next((c for c in chapters if c.chapter.type == "bibliography"), None)
    if bibliography is not None:
        landmarks.append(("bibliography", f"{TEXT_DIR}/{bibliography.file}", bibliography.title))

    images: dict[str, Path] = {}
    for conv in chapters:
        if conv.chapter.matter != "frontmatter" and SpineRef("nav") not in spine:
            spine.append(SpineRef("nav"))
        if conv.chapter.matter == "backmatter":
            _add_notes(notes_docs, items, spine)
        props = " ".join(sorted(conv.properties)) or None
        items.append(Item(conv.chapter.name, f"{TEXT_DIR}/{conv.file}", "application/xhtml+xml",
                          _chapter_document(config, conv, heading), props, conv.chapter.source))
        spine.append(SpineRef(conv.chapter.name))
        for ref in conv.images:
            images[image_href(ref, config.root)] = ref.source
    if SpineRef("nav") not in spine:
        spine.append(SpineRef("nav"))
    _add_notes(notes_docs, items, spine)
    items.append(Item("nav", NAV, "application/xhtml+xml",
                      _nav_document(config, points, landmarks, pages), "nav"))
    items.append(Item("ncx", "toc.ncx", "application/x-dtbncx+xml", _ncx(config, points)))
    for n, (href, source) in enumerate(sorted(images.items()), start=1):
        items.append(Item(f"image-{n}", href, *safe_image(source, config.root)))
    return Package(config.slug, tuple(items), tuple(spine),
                   _opf(config, items, spine, modified, a11y, bool(pages)))


def _add_notes(notes_docs: tuple[NotesDocument, ...], items: list[Item],
               spine: list[SpineRef]) -> None:
    """Book-end notes go after the body matter, before any back matter, once."""
    for doc in notes_docs:
        item_id = doc.file.removesuffix(".xhtml")
        if SpineRef(item_id) not in spine:
            items.append(Item(item_id, f"{TEXT_DIR}/{doc.file}", "application/xhtml+xml", doc.data))
            spine.append(SpineRef(item_id))


def _container_xml() -> bytes:
    root = etree.Element(f"{{{CONTAINER}}}container", {"version": "1.0"}, nsmap={None: CONTAINER})
    rootfiles = etree.SubElement(root, f"{{{CONTAINER}}}rootfiles")
    etree.SubElement(rootfiles, f"{{{CONTAINER}}}rootfile",
                     {"full-path": f"{ROOT}/content.opf", "media-type": "application/oebps-package+xml"})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def sources(package: Package) -> dict[str, Path]:
    """Each chapter document's path in the zip and the Markdown file it came from."""
    return {f"{ROOT}/{item.href}": item.source for item in package.items if item.source}


def write_epub(package: Package, path: Path, modified: dt.datetime) -> None:
    """Write the zip deterministically: same package and date, same bytes."""
    stamp = max(modified, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    entries = [("META-INF/container.xml", _container_xml()), (f"{ROOT}/content.opf", package.opf)]
    entries += sorted((f"{ROOT}/{item.href}", item.data) for item in package.items)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data, method in [("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)] + \
                [(n, d, zipfile.ZIP_DEFLATED) for n, d in entries]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compresslevel=6 if method == zipfile.ZIP_DEFLATED else None)
