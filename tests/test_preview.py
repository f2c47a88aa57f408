"""`bookbuild preview`: served on 127.0.0.1, rebuilt and reloaded on save, and
its screenshots."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from bookbuild.cli import main
from bookbuild.config.vocabulary import THEMES
from bookbuild.preview import PreviewOptions, serve
from bookbuild.screenshots import plan
from conftest import PROJECT, write_book
from test_readers import pytestmark  # noqa: F401  (needs the reader and Chromium too)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _wait(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@contextlib.contextmanager
def _serving(target: Path):
    """``serve`` in a thread: its origin and its lines; stopped on exit."""
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(target, PreviewOptions(open_browser=False),
                                                  lines.append, stop), daemon=True)
    thread.start()
    try:
        line = _wait(lambda: next((x for x in lines if x.startswith("Previewing")), None))
        yield line.split(" at ")[1].split("/ ")[0], lines
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_preview_serves_the_book_and_reloads_it_when_a_chapter_is_saved(tmp_path):
    book = write_book(tmp_path / "book", {"01-one.md": "# One\n\nFirst words.[^1]\n\n[^1]: A note.\n"})
    with _serving(book) as (origin, lines):
        assert origin.startswith("http://127.0.0.1:")
        page = _get(origin + "/")  # the redirect to the reader page
        assert b"main.js" in page  # the reader page
        epub = book / "dist" / "test-book.epub"
        assert _get(origin + "/book/book.epub") == epub.read_bytes()
        before = _get(origin + "/version")
        time.sleep(1.1)  # a modification time the filesystem can tell apart
        (book / "manuscript" / "01-one.md").write_text(
            "# One\n\nChanged words.[^1]\n\n[^1]: A note.\n", encoding="utf-8")
        _wait(lambda: _get(origin + "/version") != before)
        with zipfile.ZipFile(epub) as zf:
            assert b"Changed words" in zf.read("EPUB/text/c01-01-one.xhtml")
        assert any(" ok " in x for x in lines), lines  # the watch line of the rebuild


def test_preview_refuses_what_it_cannot_show(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for target in (tmp_path / "missing", tmp_path / "notes.txt"):
        result = CliRunner().invoke(main, ["preview", "--no-browser", str(target)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_screenshot_plan_follows_the_book(sample_build):
    _, epub = sample_build
    names = [s.name for s in plan(epub.path)]
    assert names == ["cover", "title-page", "contents", "chapter-01", "chapter-02",
                     "chapter-03", "chapter-04", "chapter-05", "note-references", "note-open",
                     "notes-list", "scene-break", "verse", "table", "code",
                     "chapter-01-night", "code-night"]


def test_screenshots_are_small_pngs_of_each_page(sample_build, tmp_path):
    _, epub = sample_build
    result = CliRunner().invoke(main, ["preview", str(epub.path), "--screenshots",
                                       str(tmp_path / "shots")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "shots").glob("*.png"))
    assert [f.name for f in files] == [f"{k:02d}-{s.name}.png"
                                       for k, s in enumerate(plan(epub.path), start=1)]
    for f in files:
        with Image.open(f) as image:
            assert image.size == (600, 800)
            # Not blank: a page shows text or a picture.
            assert len(image.convert("L").getcolors(256) or []) > 4, f.name
        assert f.stat().st_size < 80_000, f.name


def test_committed_screenshots_are_the_sample_books_current_set(sample_build):
    """docs/screenshots/THEME/ holds the sample's pictures in each theme (`make
    screenshots` takes them; tests/test_screenshots.py compares their pixels)."""
    _, epub = sample_build
    for theme in THEMES:
        shots = sorted((PROJECT / "docs" / "screenshots" / theme).glob("*.png"))
        assert [p.name for p in shots] == [f"{k:02d}-{s.name}.png"
                                           for k, s in enumerate(plan(epub.path), start=1)], theme


def test_preview_of_an_epub_file_reloads_when_the_file_is_replaced(sample_build, tmp_path):
    _, epub = sample_build
    shown = tmp_path / "book.epub"
    shown.write_bytes(epub.path.read_bytes())
    with _serving(shown) as (origin, _):
        before = _get(origin + "/version")
        time.sleep(0.5)
        replacement = tmp_path / "new.epub"
        replacement.write_bytes(epub.path.read_bytes() + b"")
        replacement.replace(shown)  # as a build writes it: a new file renamed into place
        _wait(lambda: _get(origin + "/version") != before)


def test_preview_builds_only_when_the_epub_is_older_than_a_source(tmp_path):
    from bookbuild.preview import book_file

    book = write_book(tmp_path / "book", {"01-one.md": "# One\n\nWords.\n"})
    lines: list[str] = []
    path = book_file(book, PreviewOptions(), lines.append)
    assert len(lines) == 1 and lines[0].startswith("Built ")
    assert path.is_file()
    assert book_file(book, PreviewOptions(), lines.append) == path and len(lines) == 1
    time.sleep(1.1)
    (book / "manuscript" / "01-one.md").write_text("# One\n\nOther words.\n", encoding="utf-8")
    book_file(book, PreviewOptions(), lines.append)
    assert len(lines) == 2  # built again
