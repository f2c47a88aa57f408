"""PNGs of a book as a reader sees it, for review in pull requests and release
notes: the cover, the title and copyright pages, the contents, each chapter's
first page, a page with note references and an open note, the notes list, and
the first scene break, verse, table and code block, taken in foliate-js
(bookbuild's reader page) in headless Chromium. ``compare`` measures how far two sets
differ, so a change in the look shows in review.

What to show comes from the EPUB itself (its spine and semantics), so any EPUB
can be photographed, not only bookbuild's. Images are palette PNGs, small
enough to commit.

The print edition's pages are pictured too (``take_pdf``): the title and
copyright pages, the contents, the first chapter's opening, and the first
verse, table, note and bibliography, each found in the PDF by its words as
the EPUB holds them (its semantics say which words are the verse), never by
a page number, and drawn by PDFium.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from lxml import etree
from PIL import Image, ImageChops

from ..checks.notelinks import EPUB_TYPE, is_note, is_reference, spine_and_documents
from ..errors import BookbuildError
from ..output.artifacts import write_atomic
from ..print.layout import normal
from .browser import chromium
from .page import ReaderPage
from .server import ReaderServer, Shelf

#: A phone-sized page: one column, as most people read.
VIEWPORT = {"width": 600, "height": 800}
COLOURS = 128  # palette size: the code's colours survive, files stay small


@dataclass(frozen=True)
class Shot:
    name: str  # file name without .png
    doc: str  # zip path of the document to show ("" for the reader's first page)
    id: str = ""
    open_note: bool = False
    selector: str = ""  # an element with no id: pages are turned until it shows
    night: bool = False  # in a reading system's night mode


#: What the theme styles, each shown once where it first occurs: (name, XPath
#: finding it in a document, the CSS selector the reader page finds it by).
FEATURES = (
    ("notes-list", ".//*[@class='notes-list']", ".notes-list"),
    ("scene-break", ".//*[@role='separator']", "[role=separator]"),
    ("verse", ".//*[@class='line-block']", "div.line-block"),
    ("table", ".//{*}table", "table"),
    ("code", ".//{*}pre", "pre"),
)


def _types(root: etree._Element) -> set[str]:
    return {t for el in root.iter() if isinstance(el.tag, str)
            for t in (el.get(EPUB_TYPE) or el.get("type") or "").split()}


def plan(epub: Path) -> list[Shot]:
    """The pictures to take of ``epub``, in reading order."""
    try:
        with zipfile.ZipFile(epub) as zf:
            spine, docs = spine_and_documents(zf)
    except (OSError, zipfile.BadZipFile, KeyError, AttributeError, etree.XMLSyntaxError) as exc:
        raise BookbuildError(f"not a readable EPUB ({exc})", epub, code="epub-unreadable") from None
    if not spine:
        raise BookbuildError("the EPUB has no documents in its spine", epub, code="epub-unreadable")
    shots = [Shot("cover", "")]
    chapter = 0
    for doc in spine[1:]:
        types = _types(docs[doc])
        if "toc" in types:  # first: the nav's landmarks name the title page's type too
            shots.append(Shot("contents", doc))
        elif "titlepage" in types:
            shots.append(Shot("title-page", doc))
        elif "copyright-page" in types:
            shots.append(Shot("copyright-page", doc))
        elif "bibliography" in types:
            shots.append(Shot("bibliography", doc))
        elif docs[doc].find(".//{*}body//{*}h1") is not None or "chapter" in types:
            chapter += 1
            shots.append(Shot(f"chapter-{chapter:02d}", doc))
    ref = next(((doc, a.get("id")) for doc in spine for a in docs[doc].iter("{*}a")
                if is_reference(a) and a.get("id")), None)
    if ref:
        shots.append(Shot("note-references", *ref))
        shots.append(Shot("note-open", *ref, open_note=True))
    for name, xpath, selector in FEATURES:
        doc = next((doc for doc in spine[1:] if docs[doc].find(xpath) is not None), None)
        if doc:
            shots.append(Shot(name, doc, selector=selector))
    # Night mode, where colours could clash: the first chapter and the code.
    shots += [dataclasses.replace(shot, name=f"{shot.name}-night", night=True) for shot in shots
              if shot.name in ("chapter-01", "code")]
    return shots


#: What a reading system's night mode does to a book that forces no colour
#: (Apple Books, Kobo, Kindle apps alike): light text on a dark page, set on
#: the root, so only what the book colours itself (its code) keeps its colour.
NIGHT = """([p]) => {
    const doc = bb.find(p, '', null).el.ownerDocument
    const style = doc.createElement('style')
    style.textContent = 'html, body { background: #121212 !important; color: #e0e0e0 !important }'
        + ' a:link, a:visited { color: #9ecbff !important }'
    doc.head.append(style)
    document.documentElement.style.background = '#121212'
    for (const el of document.querySelectorAll('body, #reader, foliate-view'))
        el.style.background = '#121212'
}"""


#: Turns of the page allowed to reach an element with no id.
MAX_TURNS = 40


def _turn_to(reader: ReaderPage, shot: Shot) -> None:
    """Open the document, then turn pages until ``shot.selector`` is on screen."""
    reader.go(shot.doc)
    for _ in range(MAX_TURNS):
        m = reader.js("([p, s]) => bb.measure(p, '', s)", shot.doc, shot.selector)
        if m.get("found") and m.get("inView"):
            return
        reader.js("() => bb.next()")
        reader.page.wait_for_timeout(100)
    raise BookbuildError(f"could not turn to the {shot.name} ({shot.selector}) in {shot.doc}", code="preview-failed")


def _png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, "PNG", optimize=True)
        return out.getvalue()


def take(epub: Path, out_dir: Path, warn: Callable[[str], None] | None = None) -> list[Path]:
    """Write the pictures of ``epub`` into ``out_dir`` as NN-name.png; their
    paths. ``warn`` hears why Chromium runs unsandboxed, if it must."""
    shots = plan(epub)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with ReaderServer(Shelf({"book.epub": epub})) as server, chromium(warn) as browser:
        page = browser.new_page(viewport=VIEWPORT)
        for k, shot in enumerate(shots, start=1):
            reader = ReaderPage(page, server.url("book.epub", "foliate", popups=True))
            if shot.selector:
                _turn_to(reader, shot)
                if shot.night:
                    reader.js(NIGHT, shot.doc)
            elif shot.doc:
                m = reader.go(shot.doc, shot.id)
                if shot.night:
                    reader.js(NIGHT, shot.doc)
                if shot.open_note:
                    reader.click(m)
                    reader.popup()
            page.wait_for_timeout(150)  # let fonts and images settle before the picture
            path = out_dir / f"{k:02d}-{shot.name}.png"
            data = _png(page.screenshot())
            write_atomic(path, lambda tmp: tmp.write_bytes(data))
            written.append(path)
    return written


#: How wide a print page's picture is, in pixels: as wide as the e-book's.
PDF_WIDTH = VIEWPORT["width"]
#: How many of an element's letters find its page: enough to be its own.
PDF_LETTERS = 48
#: What the print edition's pictures show, after the title, copyright and
#: contents pages and the first chapter's opening: (name, XPath in the EPUB).
PDF_FEATURES = (
    ("verse", ".//*[@class='line-block']"),
    ("table", ".//{*}table"),
    ("bibliography", ".//*[@id='refs']"),  # citeproc's list of works, wherever it stands
)


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def pdf_plan(epub: Path, pdf: Path) -> list[tuple[str, int]]:
    """(name, 0-based page) of each picture of the print edition ``pdf`` of
    ``epub``, in the order of the book: each the first page whose text holds
    the opening letters of what the EPUB shows there."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return _plan(epub, pdf, document)
    finally:
        document.close()


def _plan(epub: Path, pdf: Path, document: pdfium.PdfDocument) -> list[tuple[str, int]]:
    try:
        with zipfile.ZipFile(epub) as zf:
            spine, docs = spine_and_documents(zf)
    except (OSError, zipfile.BadZipFile, KeyError, AttributeError, etree.XMLSyntaxError) as exc:
        raise BookbuildError(f"not a readable EPUB ({exc})", epub, code="epub-unreadable") from None
    wanted: list[tuple[str, str]] = []  # (name, the text that finds its page)
    bodies = {doc: docs[doc].find(".//{*}body") for doc in spine}
    for doc in spine:
        types = _types(docs[doc])
        if "toc" in types:
            continue
        if "titlepage" in types or "copyright-page" in types:
            wanted.append(("title-page" if "titlepage" in types else "copyright-page",
                           _text(bodies[doc])))
    toc = next((nav for d in docs.values() for nav in d.iterfind(".//{*}nav")
                if "toc" in _types(nav)), None)
    title = None if toc is None else next(toc.iterfind(".//{*}h1"),
                                          next(toc.iterfind(".//{*}h2"), None))
    if title is not None:
        wanted.append(("contents", _text(title)))
    opening = next((bodies[doc].find(".//{*}h1") for doc in spine[1:]
                    if "chapter" in _types(docs[doc]) and bodies[doc].find(".//{*}h1") is not None),
                   None)
    if opening is not None:  # its title and the words after it: the contents holds the title too
        after = opening.getnext()
        wanted.append(("chapter-opening", _text(opening) + ("" if after is None else _text(after))))
    note = next((el for doc in spine for el in bodies[doc].iter() if isinstance(el.tag, str)
                 and is_note(el) and normal(_text(el))), None)
    if note is not None:
        wanted.append(("note", _text(note)))
    for name, xpath in PDF_FEATURES:
        found = next((el for doc in spine[1:] for el in bodies[doc].iterfind(xpath)), None)
        if found is not None:
            wanted.append((name, _text(found)))
    pages = [normal(document[k].get_textpage().get_text_range()) for k in range(len(document))]
    shots: dict[int, str] = {}  # a page pictured once, under the first name that finds it
    for name, text in wanted:
        letters = normal(text)[:PDF_LETTERS]
        page = next((k for k, held in enumerate(pages) if letters and letters in held), None)
        if page is None:
            raise BookbuildError(f"the print edition shows nowhere the {name} of the EPUB "
                                 f"({text.strip()[:40]!r})", pdf, code="preview-failed")
        shots.setdefault(page, name)
    return [(name, page) for page, name in sorted(shots.items())]


def take_pdf(epub: Path, pdf: Path, out_dir: Path) -> list[Path]:
    """Write the pictures of the print edition ``pdf`` of ``epub`` into
    ``out_dir`` as pdf-NN-name.png, each page drawn as wide as the e-book's
    pictures; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for k, (name, page) in enumerate(_plan(epub, pdf, document), start=1):
            scale = PDF_WIDTH / document[page].get_width()
            out = io.BytesIO()
            document[page].render(scale=scale).to_pil().save(out, "PNG")
            data = _png(out.getvalue())
            path = out_dir / f"pdf-{k:02d}-{name}.png"
            write_atomic(path, lambda tmp: tmp.write_bytes(data))
            written.append(path)
    finally:
        document.close()
    return written


def difference(a: Path, b: Path) -> float:
    """The share of pixels that differ visibly (by more than 24 of 255 in a
    channel) between two pictures; 1.0 when their sizes differ."""
    with Image.open(a) as one, Image.open(b) as two:
        if one.size != two.size:
            return 1.0
        diff = ImageChops.difference(one.convert("RGB"), two.convert("RGB")).convert("L")
        changed = diff.point(lambda v: 255 if v > 24 else 0).histogram()[255]
        return changed / (one.size[0] * one.size[1])


def compare(expected: Path, actual: Path) -> dict[str, float]:
    """Each picture's difference from the committed one of the same name; a
    picture on one side only counts as wholly different."""
    names = sorted({p.name for p in expected.glob("*.png")} | {p.name for p in actual.glob("*.png")})
    return {name: difference(expected / name, actual / name)
            if (expected / name).is_file() and (actual / name).is_file() else 1.0
            for name in names}
