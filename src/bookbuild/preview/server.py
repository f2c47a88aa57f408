"""The reading systems a book is previewed and tested in, served on 127.0.0.1.

bookbuild's reader page (``data/reader/``) runs a real reading system in the
browser: foliate-js (the engine of Foliate and Readest) or epub.js (inside
react-reader, calibre-web and many apps), both from npm at the versions pinned
in ``data/reader/package-lock.json``. Nothing of them is vendored: ``make``
installs them with ``npm ci`` (see :data:`INSTALL`). A small threaded HTTP
server on the loopback address serves that page and the book files; the page
polls ``/version`` and reloads when a rebuilt book is published.

A book is hostile content in a page of ours, so the server answers only to a
Host of the loopback with its own port (a rebinding DNS name gets nothing),
sends a strict Content-Security-Policy on every response (scripts only from
the reader page itself: foliate-js renders a book's documents as same-origin
``blob:`` frames, and needs the policy to keep their scripts from running),
and serves books as bytes read when published, never a file followed later.
"""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..errors import BookbuildError, ToolMissingError
from ..safety.files import read_bytes

ENGINES = ("foliate", "epubjs")
#: Where the reader page and its node_modules live.
READER_DIR = Path(str(resources.files("bookbuild") / "data" / "reader"))
INSTALL = (f"the reading system is not installed: run `npm ci --ignore-scripts --prefix {READER_DIR}`"
           " (Debian/Ubuntu: apt-get install --no-install-recommends nodejs npm)")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".map": "application/json",
          ".epub": "application/epub+zip"}


def require_reader() -> Path:
    """The reader directory, or one clear line on what to install."""
    for package in ("foliate-js", "epubjs", "jszip"):
        if not (READER_DIR / "node_modules" / package / "package.json").is_file():
            raise ToolMissingError(INSTALL)
    return READER_DIR


#: Scripts from the reader page only; a book's styles, images, fonts and
#: frames come as blob: (foliate-js) or data: URLs; nothing leaves the server.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline' blob:; "
          "img-src 'self' blob: data:; font-src 'self' blob: data:; media-src 'self' blob: data:; "
          "connect-src 'self' blob: data:; frame-src 'self' blob:; base-uri 'none'; "
          "form-action 'none'; object-src 'none'")
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def epub_bytes(path: Path) -> bytes:
    """The bytes of the EPUB at ``path``: a regular file in its folder (a link
    leading out of it is refused, so is ``/proc/self/environ``), and a zip
    whose mimetype is an EPUB's."""
    data = read_bytes(path, path.parent, "EPUB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            mimetype = zf.read("mimetype").strip()
    except (zipfile.BadZipFile, KeyError):
        mimetype = None
    if mimetype != b"application/epub+zip":
        raise BookbuildError("not an EPUB (a zip whose mimetype is application/epub+zip)", path, code="epub-unreadable")
    return data


class Shelf:
    """The books being served, by name: the bytes each file held when it was
    put on the shelf, and a version that changes on publish."""

    def __init__(self, books: dict[str, Path]):
        self.books = {name: epub_bytes(path) for name, path in books.items()}
        self.version = 0

    def publish(self, name: str, path: Path) -> None:
        self.books[name] = epub_bytes(path)
        self.version += 1


class _Handler(http.server.BaseHTTPRequestHandler):
    shelf: Shelf
    home: str

    def log_message(self, format: str, *args) -> None:  # quiet: preview prints its own lines
        pass

    def end_headers(self) -> None:
        """Every response, errors and redirects too, carries the policy."""
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        port = self.server.server_address[1]
        if self.headers.get("Host") not in {f"{host}:{port}" for host in LOOPBACK}:
            self.send_error(403, "this preview answers only to localhost")
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            self.send_response(302)
            self.send_header("Location", self.home)
            self.end_headers()
        elif path == "/version":
            self._send(str(self.shelf.version).encode(), "text/plain")
        elif path.startswith("/book/") and path[6:] in self.shelf.books:
            self._send(self.shelf.books[path[6:]], _TYPES[".epub"])
        elif path.startswith("/reader/"):
            file = (READER_DIR / path[8:]).resolve()
            if READER_DIR.resolve() in file.parents and file.is_file():
                self._send(file.read_bytes(), _TYPES.get(file.suffix, "application/octet-stream"),
                           cache=True)
            else:
                self.send_error(404)
        else:
            self.send_error(404)

    def _send(self, data: bytes, content_type: str, cache: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=60" if cache else "no-store")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page reloaded while the book was on its way


class ReaderServer:
    """Serve the reader page and a shelf of books on 127.0.0.1 (port 0: any free one)."""

    def __init__(self, shelf: Shelf, port: int = 0, home_book: str | None = None,
                 engine: str = "foliate"):
        require_reader()
        self.shelf = shelf
        handler = type("Handler", (_Handler,), {"shelf": shelf, "home": ""})
        try:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:  # the port is taken (a second preview) or not ours to use
            raise BookbuildError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; choose "
                                 "another --port, or leave it out for any free one",
                                 code="option-invalid") from None
        self.httpd.daemon_threads = True
        handler.home = self.url(home_book or next(iter(shelf.books), ""), engine, watch=True,
                                absolute=False)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, book: str, engine: str = "foliate", popups: bool = True, watch: bool = False,
            absolute: bool = True) -> str:
        """The reader page showing ``book`` from the shelf in ``engine``."""
        query = (f"engine={engine}&book=/book/{quote(book)}&popups={int(popups)}"
                 + ("&watch=/version" if watch else ""))
        return (self.origin if absolute else "") + f"/reader/reader.html?{query}"

    def __enter__(self) -> ReaderServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
