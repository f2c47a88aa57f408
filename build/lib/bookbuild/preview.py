"""``bookbuild preview``: the book in a real reading system, in the browser.

A book directory is built when its EPUB is missing or older than a source (the
chapter cache keeps that quick), served on 127.0.0.1 in foliate-js (or
epub.js), and rebuilt on every save as ``watch`` does; the page reloads at the
same place. An EPUB file is served as it is, and reloaded when it changes.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from .build import BuildOptions, build_book
from .config import load_config
from .errors import BookbuildError, display_path
from .outcome import BookOutcome
from .reader import ReaderServer, Shelf
from .watch import newest_source, watch

PROFILE_SUFFIX = {"epub": ".epub", "kindle-epub": ".kindle.epub", "kobo": ".kepub.epub"}


@dataclass(frozen=True)
class PreviewOptions:
    engine: str = "foliate"
    port: int = 0  # 0: any free port
    open_browser: bool = True
    format: str = "epub"  # which EPUB of a book directory to show
    check: bool = False  # preview is for looking; `build` checks
    theme: str | None = None  # another built-in theme than book.yaml's, built into dist/theme-NAME


def book_file(target: Path, options: PreviewOptions, echo: Callable[[str], None]) -> Path:
    """The EPUB to show: ``target`` itself, or the book directory's, built if needed."""
    if target.is_file():
        if target.suffix.lower() != ".epub":
            raise BookbuildError("preview shows an EPUB file or a book directory", target)
        return target
    if not target.is_dir():
        raise BookbuildError("no such book directory or EPUB file", target)
    config = load_config(target)
    out_dir = _out_dir(target, options)
    path = out_dir / f"{config.slug}{PROFILE_SUFFIX[options.format]}"
    if not path.is_file() or path.stat().st_mtime < newest_source(target, out_dir):
        build_book(target, _build_options(options, out_dir))  # bad input: the CLI's one line, exit 2
        echo(f"Built {display_path(path)}")
    return path


def _out_dir(target: Path, options: PreviewOptions) -> Path:
    return target / "dist" / (f"theme-{options.theme}" if options.theme else "")


def _build_options(options: PreviewOptions, out_dir: Path) -> BuildOptions:
    return BuildOptions(check=options.check, formats=(options.format,), theme=options.theme,
                        out_dir=out_dir)


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
    path = book_file(target, options, echo)
    shelf = Shelf({"book.epub": path})
    with ReaderServer(shelf, options.port, "book.epub", options.engine) as server:
        url = server.origin + "/"
        echo(f"Previewing {display_path(path)} at {url} (Ctrl-C stops)")
        if options.open_browser:
            _open(url, echo)
        if target.is_dir():
            def built(outcome: BookOutcome) -> None:
                if outcome.report is not None:
                    shelf.publish("book.epub", path)

            watch(target, _build_options(options, _out_dir(target, options)), echo, stop, built, first=False)
        else:  # its folder, since a rewritten file is often a new one renamed into place
            same = path.resolve()
            for _ in watchfiles.watch(path.parent, stop_event=stop, debounce=300, rust_timeout=500,
                                      watch_filter=lambda _c, p: Path(p).resolve() == same):
                shelf.publish("book.epub", path)
                echo(f"{path} changed: reloading")
