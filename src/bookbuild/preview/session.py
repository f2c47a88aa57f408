"""``bookbuild preview``: the book in a real reading system, in the browser.

A book directory is built in this run, into a folder of preview's own in the
system temp directory (never served from the book's ``dist/``, which the book
could have filled with anything; the chapter cache keeps that quick), served
on 127.0.0.1 in foliate-js (or epub.js), and rebuilt on every save as
``watch`` does; the page reloads at the same place. An EPUB file is served as
it is, once it is seen to be one, and reloaded when it changes.
"""

from __future__ import annotations

import contextlib
import threading
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from ..build import BuildOptions, build_book
from ..config import load_config
from ..errors import BookbuildError, display_path
from ..output.names import file_name
from ..runs.outcome import BookOutcome
from ..runs.watch import watch
from ..safety import temporaries
from .server import ReaderServer, Shelf


@dataclass(frozen=True)
class PreviewOptions:
    engine: str = "foliate"
    port: int = 0  # 0: any free port
    open_browser: bool = True
    format: str = "epub"  # which EPUB of a book directory to show
    check: bool = False  # preview is for looking; `build` runs EPUBCheck
    theme: str | None = None  # another built-in theme than book.yaml's


@contextlib.contextmanager
def own_folder() -> Iterator[Path]:
    """The folder preview builds into, removed on exit."""
    with temporaries.in_system_temp("preview") as folder:
        yield Path(folder)


def book_file(target: Path, options: PreviewOptions, echo: Callable[[str], None],
              folder: Path) -> Path:
    """The EPUB to show: ``target`` itself, or the book directory's, built now into ``folder``."""
    if target.is_file():
        if target.suffix.lower() != ".epub":
            raise BookbuildError("preview shows an EPUB file or a book directory", target, code="file-not-found")
        return target
    if not target.is_dir():
        raise BookbuildError("no such book directory or EPUB file", target, code="file-not-found")
    config = load_config(target)
    build_book(target, _build_options(options, folder))  # bad input: the CLI's one line, exit 2
    echo(f"Built {display_path(target)}")
    return folder / file_name(config.slug, options.format)


def _build_options(options: PreviewOptions, folder: Path) -> BuildOptions:
    return BuildOptions(check=options.check, formats=(options.format,), theme=options.theme,
                        out_dir=folder)


def _open(url: str, echo: Callable[[str], None]) -> None:
    try:
        opened = webbrowser.get().open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        echo(f"No browser found here: open {url}")


def serve(target: Path, options: PreviewOptions, echo: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    """Serve until ``stop`` is set (or Ctrl-C), rebuilding and reloading on change."""
    with own_folder() as folder:
        path = book_file(target, options, echo, folder)
        shelf = Shelf({"book.epub": path})
        with ReaderServer(shelf, options.port, "book.epub", options.engine) as server:
            url = server.origin + "/"
            shown = display_path(target if target.is_dir() else path)
            echo(f"Previewing {shown} at {url} (Ctrl-C stops)")
            if options.open_browser:
                _open(url, echo)
            if target.is_dir():
                def built(outcome: BookOutcome) -> None:
                    if outcome.report is not None:
                        shelf.publish("book.epub", path)

                watch(target, _build_options(options, folder), echo, stop, built, first=False)
            else:  # its folder, since a rewritten file is often a new one renamed into place
                same = path.resolve()
                for _ in watchfiles.watch(path.parent, stop_event=stop, debounce=300,
                                          rust_timeout=500,
                                          watch_filter=lambda _c, p: Path(p).resolve() == same):
                    shelf.publish("book.epub", path)
                    echo(f"{path} changed: reloading")
