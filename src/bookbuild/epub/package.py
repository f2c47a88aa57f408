"""Assemble converted chapters into an EPUB 3 package: OPF, nav, NCX, cover page, zip.

Package data is kept as small typed records (Sphinx's manifest/spine items) and
every XML file is built as an lxml tree, never from strings. The zip is written
the reproducible way: ``mimetype`` first and stored, entries in a fixed order,
one timestamp taken from the sources.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from slugify import slugify

from ..chapters import accessibility
from ..chapters.accessibility import PageBreak, page_list_nav
from ..chapters.convert import IMAGE_DIR, ConvertedChapter, Heading, image_href
from ..chapters.images import safe_image
from ..config import LANDMARK_TYPES, BookConfig
from ..lang.direction import book_direction
from ..lang.words import word
from ..look.cover import Cover
from ..look.fonts import IDPF_ALGORITHM, obfuscate, subset
from ..look.theme import Look, stylesheet
from ..notes import markup as endnotes
from ..source.manuscript import Chapter
from ..xhtml import E, document, serialize
from .ocf import Deflater, write_zip

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
ROOT = "EPUB"
CSS_HREF = "styles/book.css"
FONT_DIR = "fonts"
ENC = "http://www.w3.org/2001/04/xmlenc#"
TEXT_DIR = "text"
COVER_PAGE = f"{TEXT_DIR}/cover.xhtml"
#: The nav sits beside the OPF, as in Standard Ebooks' books: epub.js (and the
#: apps built on it) resolves the nav's links against the OPF, not the nav
#: (epub.js issues #1107 and #1084), so a nav in text/ gave "No Section Found"
#: for every entry of its contents panel. Beside the OPF both readings agree.
NAV = "nav.xhtml"



@dataclass(frozen=True)
class Item:
    """One manifest entry and the bytes it stands for."""

    id: str
    href: str  # relative to the OPF
    media_type: str
    data: bytes
    properties: str | None = None
    source: Path | None = None  # the Markdown file it was made from, for messages
    obfuscated: bool = False  # a font the zip holds obfuscated (IDPF), listed in encryption.xml


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
    identifier: str = ""  # the unique identifier, the key of font obfuscation


@dataclass(frozen=True)
class NavPoint:
    label: str
    href: str
    children: tuple[NavPoint, ...] = ()


def _chapter_point(conv: ConvertedChapter, toc_depth: int) -> NavPoint:
    """A chapter's entry with its sub-headings nested below it, down to level
    ``toc_depth`` of the contents (the chapter's entry being level 1)."""
    subs = list(conv.headings)
    if subs and subs[0].level == min(hd.level for hd in subs):
        subs = subs[1:]  # the chapter's own heading: the chapter entry stands for it
    return NavPoint(conv.title, conv.file, _nest(subs, conv.file, 2, toc_depth))


def _nest(headings: list[Heading], href: str, level: int, toc_depth: int) -> tuple[NavPoint, ...]:
    if not headings or level > toc_depth:
        return ()
    top = min(hd.level for hd in headings)
    result = []
    i = 0
    while i < len(headings):
        j = i + 1
        while j < len(headings) and headings[j].level > top:
            j += 1
        hd = headings[i]
        result.append(NavPoint(hd.text, f"{href}#{hd.id}",
                               _nest(headings[i + 1:j], href, level + 1, toc_depth)))
        i = j
    return tuple(result)


def _in_parts(entries: list[tuple[Chapter | None, NavPoint]]) -> tuple[NavPoint, ...]:
    """A part's entry holds the body-matter chapters after it, up to the next
    part, the book-end notes (``None``) or the back matter, as readers show
    parts: a level above their chapters. The part's depth does not count
    against ``toc-depth``, which is about a chapter's sections."""
    result: list[NavPoint] = []
    open_part: int | None = None
    for chapter, point in entries:
        if chapter is not None and chapter.type == "part":
            open_part = len(result)
            result.append(point)
        elif open_part is not None and chapter is not None and chapter.matter == "bodymatter":
            part = result[open_part]
            result[open_part] = replace(part, children=part.children + (point,))
        else:
            open_part = None
            result.append(point)
    return tuple(result)


def _landmarks(chapters: tuple[ConvertedChapter, ...],
               where: Callable[[int], bool]) -> list[tuple[str, str, str]]:
    """A landmark for the first chapter of each structural type that has one
    (dedication, foreword, colophon...) whose place in the reading order is
    ``where``, in reading order, labelled with its title."""
    found: dict[str, ConvertedChapter] = {}
    for conv in chapters:
        if conv.chapter.type in LANDMARK_TYPES:
            found.setdefault(conv.chapter.type, conv)
    return [(kind, f"{TEXT_DIR}/{conv.file}", conv.title) for kind, conv in found.items()
            if where(conv.chapter.index)]


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
        depth = max(depth, level) if pts else depth  # the deepest level that has entries
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
    for kind, title in (("main", config.title), ("subtitle", config.subtitle),
                        ("short", config.short_title), ("expanded", config.expanded_title)):
        if title:
            tid = {"main": "title", "subtitle": "subtitle"}.get(kind, f"{kind}-title")
            dc("title", title, id=tid)
            refine(tid, "title-type", kind)
    for language in (config.language, *config.languages):
        dc("language", language)
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
    for n, subject in enumerate(config.subjects, start=1):
        sid = f"subject-{n}"
        if not subject.scheme:
            dc("subject", subject.name)
            continue
        dc("subject", subject.name, id=sid)
        refine(sid, "authority", subject.scheme)
        refine(sid, "term", subject.code)
    if config.series:
        # EPUB 3's series: Apple Books, Kobo and Calibre read belongs-to-collection.
        series = etree.SubElement(meta, f"{{{OPF}}}meta", {"property": "belongs-to-collection",
                                                          "id": "series"})
        series.text = config.series.name
        refine("series", "collection-type", "series")
        if config.series.position:
            refine("series", "group-position", config.series.position)
    # schema.org is a reserved prefix in EPUB 3: no declaration needed.
    for prop, value in (("schema:bookEdition", config.edition), ("schema:version", config.version)):
        if value:
            etree.SubElement(meta, f"{{{OPF}}}meta", {"property": prop}).text = value
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
    spine_attrib = {"toc": "ncx"}
    if book_direction(config.language) == "rtl":
        spine_attrib["page-progression-direction"] = "rtl"
    spine_el = etree.SubElement(package, f"{{{OPF}}}spine", spine_attrib)
    for ref in spine:
        attrib = {"idref": ref.idref}
        if not ref.linear:
            attrib["linear"] = "no"
        etree.SubElement(spine_el, f"{{{OPF}}}itemref", attrib)
    return etree.tostring(package, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _font_items(config: BookConfig, look: Look, items: list[Item]) -> list[Item]:
    """The book's faces, each cut to the characters its documents hold."""
    text = "".join(etree.fromstring(item.data).xpath("string(/)") for item in items
                   if item.media_type == "application/xhtml+xml")
    return [Item(f"font-{n}", f"{FONT_DIR}/{n:02d}-{slugify(face.source.stem) or 'font'}.{face.suffix}",
                 face.media_type, subset(face, text), obfuscated=config.fonts.obfuscate)
            for n, face in enumerate(look.faces, start=1)]


def build_package(config: BookConfig, chapters: tuple[ConvertedChapter, ...], cover: Cover,
                  modified: dt.datetime, look: Look) -> Package:
    lang = config.language
    heading = endnotes.heading_text(lang, config.notes_heading)
    items: list[Item] = []
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
                                  any("mathml" in c.properties for c in chapters), bool(pages),
                                  sum(len(c.undescribed_images) for c in chapters))
    # The contents list the author's text; the pages written from book.yaml (title,
    # copyright...) are found by their landmarks, as a printed contents lists none of them.
    entries: list[tuple[Chapter | None, NavPoint]] = [
        (conv.chapter, _chapter_point(conv, config.toc_depth)) for conv in chapters
        if not conv.chapter.written]
    landmarks.append(("toc", f"{NAV}#toc", word(lang, "contents")))
    body_start = next((c for c in chapters if c.chapter.matter == "bodymatter"), chapters[0])
    landmarks += _landmarks(chapters, lambda index: index < body_start.chapter.index)
    landmarks.append(("bodymatter", f"{TEXT_DIR}/{body_start.file}", word(lang, "start")))
    if notes_docs:
        # Book-end notes sit after the body matter, before any back matter,
        # in the spine and so in the nav, which must follow the spine.
        at = next((i for i, (c, _) in enumerate(entries) if c.matter == "backmatter"),
                  len(entries))
        notes_point = NavPoint(heading, notes_docs[0].file,
                               tuple(p for d in notes_docs for p in d.chapters))
        entries.insert(at, (None, notes_point))
        landmarks.append(("endnotes", f"{TEXT_DIR}/{notes_docs[0].file}", heading))
    landmarks += _landmarks(chapters, lambda index: index > body_start.chapter.index)
    points = _in_parts(entries)

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
    fonts = _font_items(config, look, items)
    css = stylesheet(look, tuple(f"../{font.href}" for font in fonts))
    items = [Item("css", CSS_HREF, "text/css", css), *items, *fonts]
    return Package(config.slug, tuple(items), tuple(spine),
                   _opf(config, items, spine, modified, a11y, bool(pages)), config.identifier)


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


def _encryption_xml(package: Package) -> bytes | None:
    """META-INF/encryption.xml naming each obfuscated font (EPUB OCF 3), or None."""
    fonts = [item for item in package.items if item.obfuscated]
    if not fonts:
        return None
    root = etree.Element(f"{{{CONTAINER}}}encryption", nsmap={None: CONTAINER, "enc": ENC})
    for item in fonts:
        data = etree.SubElement(root, f"{{{ENC}}}EncryptedData")
        etree.SubElement(data, f"{{{ENC}}}EncryptionMethod", {"Algorithm": IDPF_ALGORITHM})
        cipher = etree.SubElement(data, f"{{{ENC}}}CipherData")
        etree.SubElement(cipher, f"{{{ENC}}}CipherReference", {"URI": f"{ROOT}/{item.href}"})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def sources(package: Package) -> dict[str, Path]:
    """Each chapter document's path in the zip and the Markdown file it came from."""
    return {f"{ROOT}/{item.href}": item.source for item in package.items if item.source}


def write_epub(package: Package, path: Path, modified: dt.datetime,
               deflate: Deflater | None = None) -> None:
    """Write the zip deterministically: same package and date, same bytes.
    ``mimetype`` comes first and stored, as OCF requires."""
    stamp = max(modified, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    entries = [("META-INF/container.xml", _container_xml()), (f"{ROOT}/content.opf", package.opf)]
    encryption = _encryption_xml(package)
    if encryption:
        entries.insert(1, ("META-INF/encryption.xml", encryption))
    # Obfuscation comes before compression, as OCF says.
    entries += sorted((f"{ROOT}/{item.href}",
                       obfuscate(item.data, package.identifier) if item.obfuscated else item.data)
                      for item in package.items)
    write_zip(path, [("mimetype", b"application/epub+zip", False)] +
              [(name, data, True) for name, data in entries], stamp, deflate or Deflater())
