"""The built books read in real reading systems: foliate-js and epub.js (pinned in
src/bookbuild/data/reader/package-lock.json) in headless Chromium, driven with
real mouse clicks and key presses, in paginated mode.

For every file a reader gets (the EPUB, the Kindle EPUB, the Kobo kepub, and
the AZW3 converted back to EPUB by Calibre): the cover shows first, every entry
of the reader's own contents panel lands on its heading, the page list is
reachable, and each note reference, by mouse and by keyboard, shows its note
(on screen, of non-zero size, with its own number and text) whose back link
returns to the reference. In foliate, each note also opens in a pop-up with
its text, styled as a note.

`make test` reads every note and contents entry of the sample book; CI also
reads a generated 30-chapter book with several hundred notes
(BOOKBUILD_READER_BIG=1, see .ci/run): of that one, a note reference of each
structural kind (Book.note_refs_by_kind) and a contents entry of each kind
(_entries), in every format and engine, notes by mouse and by keyboard.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.output import calibre
from bookbuild.preview.browser import chromium, chromium_path
from bookbuild.errors import ToolMissingError
from bookbuild.preview.server import ENGINES, ReaderServer, Shelf, require_reader
from conftest import PROJECT
from readerkit import Book, NoteRef, Reader, write_big_book


def _missing() -> str | None:
    try:
        require_reader()
        chromium_path()
        import playwright  # noqa: F401
    except (ToolMissingError, ImportError) as exc:
        return str(exc)
    return None


# Locally without Chromium or the npm packages these are skipped with the
# reason; in CI they must run (.ci/run installs both, as `make test` does).
pytestmark = pytest.mark.skipif(_missing() is not None and not os.environ.get("CI"),
                                reason=f"reader tests: {_missing()}")

FORMATS = ("epub", "kindle-epub", "kobo", "azw3")
BOOKS = ("sample", "big") if os.environ.get("BOOKBUILD_READER_BIG") else ("sample",)
VIEWPORT = {"width": 1000, "height": 720}
#: The kinds of note reference the big book has in every format (readerkit.write_big_book).
BIG_KINDS = {"first in its document", "last in its document", "middle of its document",
             "in a list", "in a block quote", "in a table", "a note referenced again",
             "a note of several paragraphs", "last"}


@pytest.fixture(scope="session")
def shelf(tmp_path_factory) -> dict[tuple[str, str], Book]:
    """Every book in every format, built once; the AZW3 converted back by Calibre."""
    books = {}
    for name in BOOKS:
        root = PROJECT if name == "sample" else tmp_path_factory.mktemp("big")
        if name == "big":
            write_big_book(root)
        out = tmp_path_factory.mktemp(f"{name}-dist")
        formats = FORMATS if calibre.available() or os.environ.get("CI") else FORMATS[:3]
        report = build_book(root, BuildOptions(out_dir=out, check=False, formats=formats,
                                               source_date_epoch=1700000000))
        for fmt in formats:
            path = report.artifact(fmt).path
            if fmt == "azw3":
                back = out / f"{name}-azw3.epub"
                subprocess.run(["ebook-convert", str(path), str(back)], check=True,
                               capture_output=True)
                path = back
            books[(name, fmt)] = Book.open(path)
    return books


@pytest.fixture(scope="session")
def server(shelf):
    with ReaderServer(Shelf({f"{n}-{f}.epub": b.path for (n, f), b in shelf.items()})) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    with chromium() as b:
        yield b


def _cases():
    for name in BOOKS:
        for fmt in FORMATS:
            for engine in ENGINES:
                yield pytest.param((name, fmt, engine), id=f"{name}-{fmt}-{engine}")


@pytest.fixture(params=list(_cases()))
def case(request, shelf, server, browser):
    name, fmt, engine = request.param
    if (name, fmt) not in shelf:
        pytest.skip("no Calibre: no AZW3 to read back")
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = server.url(f"{name}-{fmt}.epub", engine, popups=False)
    yield shelf[(name, fmt)], lambda: Reader(page, url), fmt, _refs(shelf, name, fmt)
    page.close()
    assert not errors, errors  # an uncaught error in the reading system


def _refs(shelf, name: str, fmt: str) -> list[NoteRef]:
    """Every note reference of the sample book; of the big book, one of each
    structural kind, in reading order: the hundreds of others only repeat them."""
    book = shelf[(name, fmt)]
    if name == "sample":
        return book.note_refs()
    kinds = book.note_refs_by_kind()
    assert set(kinds) == BIG_KINDS, (fmt, set(kinds) ^ BIG_KINDS)
    order = {ref: k for k, ref in enumerate(book.note_refs())}
    return sorted(set(kinds.values()), key=order.__getitem__)


def test_cover_shows_first(case):
    book, open_reader, _, _ = case
    reader = open_reader()
    assert reader.js("() => bb.shown()")[0] == book.spine[0]
    # The image shown is the cover: the readers load it as a blob, so it is
    # known by its shape (Calibre's cover page scales it into an SVG).
    m = reader.js("""([p]) => { const r = bb.find(p, '', 'img, svg')
        if (!r) return null
        const image = r.el.querySelector('image')
        const ratio = image ? image.getAttribute('width') / image.getAttribute('height')
            : r.el.naturalWidth / r.el.naturalHeight
        return { ratio, ...bb.measure(p, '', 'img, svg') } }""", book.spine[0])
    width, height = book.cover_size()
    assert m and m["ratio"] == pytest.approx(width / height, rel=0.01)
    assert m["inView"] and m["visible"] and m["rect"]["height"] > VIEWPORT["height"] / 3


def _entries(book: Book) -> list[int]:
    """The contents entries to follow: all of a short contents; of a long one,
    the first, middle and last, and the first and last of a whole document and
    of a heading inside one."""
    entries = book.nav("toc")
    if len(entries) <= 30:
        return list(range(len(entries)))
    whole = [k for k, e in enumerate(entries) if not e.id]
    inside = [k for k, e in enumerate(entries) if e.id]
    return sorted({0, len(entries) // 2, len(entries) - 1, *whole[:1], *whole[-1:],
                   *inside[:1], *inside[-1:]})


def test_contents_entries_land_on_their_headings(case):
    book, open_reader, _, _ = case
    entries = book.nav("toc")
    reader = open_reader()
    assert [e["label"] for e in reader.js("() => bb.toc()")] == [e.label for e in entries]
    for k in _entries(book):
        entry = entries[k]
        reader.page.click("#toc-button")
        reader.page.locator("#toc-list a").nth(k).click()
        if entry.id:
            m = reader.shown(entry.doc, entry.id)
        else:  # a whole document: its first heading, or its top when it has none
            reader.shown(entry.doc)
            m = reader.js("([p]) => bb.firstHeading(p)", entry.doc)
            if m["found"]:
                assert m["inView"] and m["visible"], (entry, m)
        title = reader.js("([p]) => bb.title(p)", entry.doc)
        if m["found"]:
            assert entry.label in (m["text"], title), (entry, m["text"], title)


def test_page_list_is_reachable(case):
    book, open_reader, fmt, _ = case
    pages = book.nav("page-list")
    if fmt == "azw3":
        # Calibre's EPUB from an AZW3 carries no page list: a Kindle's page
        # numbers come from a separate APNX file, not from the book.
        assert pages == []
        return
    assert pages, "the book has print page markers, so a page list"
    reader = open_reader()
    assert [p["label"] for p in reader.js("() => bb.pages()")] == [p.label for p in pages]
    for k in sorted({0, len(pages) // 2, len(pages) - 1}):
        reader.page.click("#pages-button")
        reader.page.locator("#page-list a").nth(k).click()
        reader.shown(pages[k].doc, pages[k].id, sized=False)


def _check_note(reader: Reader, ref) -> None:
    m = reader.shown(ref.note_doc, ref.note_id)
    assert m["rect"]["width"] > 0 and m["rect"]["height"] > 0
    assert m["text"].startswith(f"{ref.number}."), (ref, m["text"])
    assert m["text"] == ref.note_text, (ref, m["text"])


def _back_link(ref) -> str:
    return f'a[href$="#{ref.id}"]'


def test_notes_open_and_return_by_mouse(case):
    _, open_reader, _, refs = case
    reader = open_reader()
    for ref in refs:
        reader.click(reader.go(ref.doc, ref.id))
        _check_note(reader, ref)
        reader.click(reader.shown(ref.note_doc, ref.note_id, _back_link(ref)))
        reader.shown(ref.doc, ref.id)
        reader.wait_focus(ref.id)  # the reader has settled back at the reference


def test_notes_open_and_return_by_keyboard(case):
    _, open_reader, _, refs = case
    reader = open_reader()
    for ref in refs:
        reader.go(ref.doc, ref.id)
        reader.page.keyboard.press(reader.js("([p, i]) => bb.focusNextTo(p, i)", ref.doc, ref.id))
        assert (reader.focused() or {}).get("id") == ref.id, (ref, reader.focused())
        reader.page.keyboard.press("Enter")
        _check_note(reader, ref)
        # The focus moves to the note, as a browser moves it to a link's
        # target, so Tab goes on from there and reaches its back links.
        reader.wait_focus(ref.note_id)
        for _ in range(4):
            reader.page.keyboard.press("Tab")
            if ((reader.focused() or {}).get("href") or "").endswith(f"#{ref.id}"):
                break
        assert ((reader.focused() or {}).get("href") or "").endswith(f"#{ref.id}"), (ref, reader.focused())
        reader.page.keyboard.press("Enter")
        reader.shown(ref.doc, ref.id)
        reader.wait_focus(ref.id)


@pytest.mark.parametrize("name", BOOKS)
@pytest.mark.parametrize("fmt", ["epub", "kobo", "kindle-epub"])
def test_foliate_pops_notes_up_styled_as_notes(name, fmt, shelf, server, browser):
    page = browser.new_page(viewport=VIEWPORT)
    reader = Reader(page, server.url(f"{name}-{fmt}.epub", "foliate", popups=True))
    for ref in _refs(shelf, name, fmt):
        reader.click(reader.go(ref.doc, ref.id))
        popup = reader.popup()
        assert popup["inView"] and popup["rect"]["height"] > 20
        first = popup["firstLine"]  # painted in the pop-up, not only in its document
        assert first["inView"] and first["onTop"] and first["visible"], (ref, first)
        assert popup["text"] == ref.note_text, (ref, popup["text"])
        for p in popup["style"]["paragraphs"]:
            # Styled as a note: flush left, never indented as a paragraph of the
            # text is (a note hangs from its number: a negative indent at most).
            assert p["textAlign"] in ("left", "start") and p["textIndent"] <= 0, (ref, p)
            assert p["fontSize"] < popup["style"]["bodyFontSize"], (ref, p)
        page.click("#popup-close")
    page.close()


def test_line_spacing_holds_with_note_references(shelf, server, browser, tmp_path):
    """A line with a note reference stands no taller than its neighbours, in
    every EPUB and in the AZW3 as a Kindle reads it (its KF8 part unpacked by
    KindleUnpack: Calibre's conversion back to EPUB would restyle it)."""
    files = {fmt: shelf[("sample", fmt)].path for fmt in ("epub", "kindle-epub", "kobo")}
    if ("sample", "azw3") in shelf:
        import mobi

        azw3 = shelf[("sample", "azw3")].path.parent / "notes-from-the-margin.azw3"
        tempdir, unpacked = mobi.extract(str(azw3))
        files["azw3"] = tmp_path / "kf8.epub"
        shutil.copy(unpacked, files["azw3"])
        shutil.rmtree(tempdir, ignore_errors=True)
    for fmt, path in files.items():
        server.shelf.publish(f"lines-{fmt}.epub", path)
    for fmt, path in files.items():
        book = Book.open(path)
        reader = Reader(browser.new_page(viewport=VIEWPORT), server.url(f"lines-{fmt}.epub"))
        measured = 0
        for doc in sorted({ref.doc for ref in book.note_refs()}):
            reader.go(doc)
            for p in reader.js("([p]) => bb.lineHeights(p)", doc):
                assert p["with"] == pytest.approx(p["without"], abs=0.5), (fmt, doc, p)
                measured += 1
        assert measured >= 5, fmt
        reader.page.close()


def test_contents_page_and_title_page_as_readers_show_them(shelf, server, browser):
    book = shelf[("sample", "epub")]
    reader = Reader(browser.new_page(viewport=VIEWPORT), server.url("sample-epub.epub"))
    nav = next(d for d in book.spine if d.endswith("nav.xhtml"))
    reader.go(nav)
    lists = reader.js("([p]) => bb.styles(p, 'nav#toc ol')", nav)
    assert lists and all(ol["listStyleType"] == "none" for ol in lists)  # no "4. 1. ..."
    title = next(d for d in book.spine if "title" in d)
    reader.go(title)
    lines = reader.js("([p]) => bb.styles(p, 'section.titlepage h1, section.titlepage p')", title)
    assert [(l["tag"], l["text"]) for l in lines] == [
        ("h1", "Notes from the Margin"), ("p", "A Short History of the Footnote"),
        ("p", "Ada Quill"), ("p", "Translated by Lev Perov"),
        ("p", "Bookbuild Sample Press")]
    assert {l["textAlign"] for l in lines} == {"center"}
    reader.page.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_hebrew_book_reads_right_to_left(engine, server, browser, tmp_path):
    """The Hebrew sample in each engine: a short last line of the second
    chapter starts at the right, so its note reference (at the line's end)
    sits right of the middle of the screen; an English line's would sit left.
    In the modern theme, whose headings are flush left in a left-to-right
    book, the heading stands flush right (the classic theme centres it)."""
    report = build_book(PROJECT / "tests" / "data" / "hebrew-book",
                        BuildOptions(out_dir=tmp_path, check=False, formats=("epub",),
                                     source_date_epoch=1700000000, theme="modern"))
    path = report.artifact("epub").path
    server.shelf.publish(f"hebrew-{engine}.epub", path)
    book = Book.open(path)
    ref = next(r for r in book.note_refs() if r.doc.endswith("c02-02-sof.xhtml"))
    reader = Reader(browser.new_page(viewport=VIEWPORT), server.url(f"hebrew-{engine}.epub",
                                                                   engine))
    m = reader.go(ref.doc, ref.id)
    assert m["click"]["x"] > VIEWPORT["width"] / 2, m
    headings = reader.js("([p]) => bb.styles(p, 'h1')", ref.doc)
    assert [(h["text"], h["textAlign"]) for h in headings] == [("סוף", "right")]
    reader.page.close()
