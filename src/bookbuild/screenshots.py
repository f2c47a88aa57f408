"""PNGs of a book as a reader sees it, for review in pull requests and release
notes: the cover, the title page, the contents, each chapter's first page, a
page with note references and an open note, taken in foliate-js (bookbuild's
reader page) in headless Chromium.

What to show comes from the EPUB itself (its spine and semantics), so any EPUB
can be photographed, not only bookbuild's. Images are palette PNGs, small
enough to commit.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image

from .artifacts import write_atomic
from .browser import chromium
from .errors import BookbuildError
from .notelinks import EPUB_TYPE, is_reference, spine_and_documents
from .reader import ReaderServer, Shelf
from .readerpage import ReaderPage

#: A phone-sized page: one column, as most people read.
VIEWPORT = {"width": 600, "height": 800}
COLOURS = 64  # palette size: text and a cover stay clean, files stay small


@dataclass(frozen=True)
class Shot:
    name: str  # file name without .png
    doc: str  # zip path of the document to show ("" for the reader's first page)
    id: str = ""
    open_note: bool = False


def _types(root: etree._Element) -> set[str]:
    return {t for el in root.iter() if isinstance(el.tag, str)
            for t in (el.get(EPUB_TYPE) or el.get("type") or "").split()}


def plan(epub: Path) -> list[Shot]:
    """The pictures to take of ``epub``, in reading order."""
    try:
        with zipfile.ZipFile(epub) as zf:
            spine, docs = spine_and_documents(zf)
    except (OSError, zipfile.BadZipFile, KeyError, AttributeError, etree.XMLSyntaxError) as exc:
        raise BookbuildError(f"not a readable EPUB ({exc})", epub) from None
    if not spine:
        raise BookbuildError("the EPUB has no documents in its spine", epub)
    shots = [Shot("cover", "")]
    chapter = 0
    for doc in spine[1:]:
        types = _types(docs[doc])
        if "toc" in types:  # first: the nav's landmarks name the title page's type too
            shots.append(Shot("contents", doc))
        elif "titlepage" in types:
            shots.append(Shot("title-page", doc))
        elif docs[doc].find(".//{*}body//{*}h1") is not None or "chapter" in types:
            chapter += 1
            shots.append(Shot(f"chapter-{chapter:02d}", doc))
    ref = next(((doc, a.get("id")) for doc in spine for a in docs[doc].iter("{*}a")
                if is_reference(a) and a.get("id")), None)
    if ref:
        shots.append(Shot("note-references", *ref))
        shots.append(Shot("note-open", *ref, open_note=True))
    return shots


def _png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, "PNG", optimize=True)
        return out.getvalue()


def take(epub: Path, out_dir: Path) -> list[Path]:
    """Write the pictures of ``epub`` into ``out_dir`` as NN-name.png; their paths."""
    shots = plan(epub)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with ReaderServer(Shelf({"book.epub": epub})) as server, chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        for k, shot in enumerate(shots, start=1):
            reader = ReaderPage(page, server.url("book.epub", "foliate", popups=True))
            if shot.doc:
                m = reader.go(shot.doc, shot.id)
                if shot.open_note:
                    reader.click(m)
                    reader.popup()
            page.wait_for_timeout(150)  # let fonts and images settle before the picture
            path = out_dir / f"{k:02d}-{shot.name}.png"
            data = _png(page.screenshot())
            write_atomic(path, lambda tmp: tmp.write_bytes(data))
            written.append(path)
    return written
