"""`bookbuild preview`: served on 127.0.0.1, rebuilt and reloaded on save, and
its screenshots."""

from __future__ import annotations

import contextlib
import http.client
import io
import os
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.preview import browser
from bookbuild.preview.browser import chromium
from bookbuild.cli import main
from bookbuild.config.vocabulary import THEMES
from bookbuild.errors import BookbuildError
from bookbuild.preview.session import PreviewOptions, serve
from bookbuild.preview.server import ReaderServer, Shelf
from bookbuild.preview.page import ReaderPage
from bookbuild.preview.screenshots import pdf_plan, plan
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
        assert b"First words" in _chapter(_get(origin + "/book/book.epub"))
        before = _get(origin + "/version")
        time.sleep(1.1)  # a modification time the filesystem can tell apart
        (book / "manuscript" / "01-one.md").write_text(
            "# One\n\nChanged words.[^1]\n\n[^1]: A note.\n", encoding="utf-8")
        _wait(lambda: _get(origin + "/version") != before)
        assert b"Changed words" in _chapter(_get(origin + "/book/book.epub"))
        assert any(" ok " in x for x in lines), lines  # the watch line of the rebuild
    assert not (book / "dist").exists()  # built in a folder of preview's own


def _chapter(epub: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(epub)) as zf:
        return zf.read("EPUB/text/c01-01-one.xhtml")


def test_preview_refuses_what_it_cannot_show(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for target in (tmp_path / "missing", tmp_path / "notes.txt"):
        result = CliRunner().invoke(main, ["preview", "--no-browser", str(target)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_screenshot_plan_follows_the_book(sample_build):
    _, epub = sample_build
    names = [s.name for s in plan(epub.path)]
    assert names == ["cover", "title-page", "copyright-page", "contents", "chapter-01",
                     "chapter-02", "chapter-03", "chapter-04", "bibliography", "chapter-05",
                     "note-references",
                     "note-open",
                     "notes-list", "scene-break", "verse", "table", "code",
                     "chapter-01-night", "code-night"]


def test_committed_screenshots_are_the_sample_books_current_set(sample_build):
    """docs/screenshots/THEME/ holds the sample's pictures in each theme, the
    e-book's and the print edition's (`make screenshots` takes them;
    tests/test_screenshots.py compares their pixels)."""
    report, epub = sample_build
    pages = pdf_plan(epub.path, report.artifact("pdf").path)
    wanted = sorted([f"{k:02d}-{s.name}.png" for k, s in enumerate(plan(epub.path), start=1)]
                    + [f"pdf-{k:02d}-{name}.png" for k, (name, _) in enumerate(pages, start=1)])
    for theme in THEMES:
        shots = sorted((PROJECT / "docs" / "screenshots" / theme).glob("*.png"))
        assert [p.name for p in shots] == wanted, theme


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


def test_preview_serves_what_it_built_in_this_run_never_what_the_book_planted(tmp_path):
    book = write_book(tmp_path / "book", {"01-one.md": "# One\n\nFirst words.\n"})
    (book / "dist").mkdir()
    planted = {"test-book.epub": "/proc/self/environ", "test-book.kobo.epub": "/etc/passwd"}
    for name, target in planted.items():
        (book / "dist" / name).symlink_to(target)
    time.sleep(0.05)
    os.utime(book / "dist", (time.time() + 3600,) * 2)  # newer than any source
    with _serving(book) as (origin, lines):
        served = _get(origin + "/book/book.epub")
        assert b"First words" in _chapter(served) and b"PATH=" not in served
        assert any(x.startswith("Built ") for x in lines)
    assert sorted(p.name for p in (book / "dist").iterdir()) == sorted(planted)


@pytest.mark.parametrize("kind", ["link out of its folder", "not an EPUB"])
def test_preview_of_an_epub_file_refuses_what_is_not_one_in_its_folder(tmp_path, kind):
    shown = tmp_path / "book.epub"
    if kind == "not an EPUB":
        shown.write_text("SECRET=1\n")
    else:
        shown.symlink_to("/proc/self/environ")
    result = CliRunner().invoke(main, ["preview", "--no-browser", str(shown)])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and "book.epub" in result.stderr
    assert "SECRET" not in result.output and "PATH=" not in result.output


def _ask(origin: str, path: str, host: str | None = None) -> http.client.HTTPResponse:
    """A GET with the Host header an attacker's page would send (DNS rebinding)."""
    hostport = origin.removeprefix("http://")
    connection = http.client.HTTPConnection(hostport, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or hostport)
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_the_server_answers_only_to_localhost_with_its_port_and_always_sends_its_policy(
        sample_build):
    _, epub = sample_build
    with ReaderServer(Shelf({"book.epub": epub.path})) as server:
        port = server.origin.rsplit(":", 1)[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert _ask(server.origin, "/book/book.epub", host).status == 200, host
        for host in (f"rebound.example:{port}", "127.0.0.1:1", "localhost", f"127.0.0.2:{port}"):
            assert _ask(server.origin, "/book/book.epub", host).status == 403, host
        for path, status in (("/", 302), ("/version", 200), ("/book/book.epub", 200),
                             ("/reader/reader.html", 200), ("/reader/../../x", 404),
                             ("/nowhere", 404)):
            response = _ask(server.origin, path)
            assert response.status == status, path
            policy = response.getheader("Content-Security-Policy")
            scripts = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
            assert scripts.split() == ["script-src", "'self'"], path
            assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert _ask(server.origin, "/", "evil.example").getheader("Content-Security-Policy")


HOSTILE = """# One

Words to read.

<script>top.taken = "script"</script>

<details open ontoggle="top.taken = 'handler'"><summary>More</summary>Hidden.</details>
"""


def test_a_books_scripts_never_run_in_the_reader_page(tmp_path):
    book = write_book(tmp_path / "book", {"01-one.md": HOSTILE},
                      "title: T\nlanguage: en\nauthor: A\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False,
                                           formats=("epub",), trust=frozenset({"scripts"})))
    with ReaderServer(Shelf({"book.epub": report.artifact("epub").path})) as server, \
            chromium() as b:
        page = b.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text)
                if "Content Security Policy" in m.text else None)
        reader = ReaderPage(page, server.url("book.epub"))
        reader.go("EPUB/text/c01-01-one.xhtml")
        page.wait_for_timeout(300)
        assert reader.js("() => window.taken") is None
        assert blocked  # the policy stopped them, they did not merely fail


def test_chromium_keeps_its_sandbox_unless_it_runs_as_root(monkeypatch):
    if os.geteuid() == 0:  # asked for the sandbox as root, Chromium refuses: said in one line
        monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
        with pytest.raises(BookbuildError, match="did not start, with its sandbox"):
            with chromium():
                pass
    else:
        warnings: list[str] = []
        with chromium(warnings.append) as b:
            assert b.version and not warnings
