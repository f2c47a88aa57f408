"""Headless Chromium for screenshots and the reader tests, driven by Playwright.

The system's Chromium is used (Debian: ``apt-get install chromium``); Playwright
never downloads a browser of its own. The flags keep a closed network quiet
(no background, update, sync or QUIC connections).

Chromium keeps its sandbox (Playwright would turn it off unless asked), since
the pages show a book someone else wrote. Chromium refuses the sandbox to
root, so as root, and only then, it runs with ``--no-sandbox`` and the caller
is told why in one line; as an ordinary user the sandbox starts where
unprivileged user namespaces are allowed (Debian's default).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import BookbuildError, ToolMissingError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--hide-scrollbars", "--font-render-hinting=none")
INSTALL_CHROMIUM = ("Chromium is needed for screenshots (Debian/Ubuntu: apt-get install "
                    "--no-install-recommends chromium), or set BOOKBUILD_CHROMIUM to a Chrome binary")
UNSANDBOXED = ("Chromium runs without its sandbox, which it refuses to root: run as an "
               "ordinary user to keep it (the book's scripts are still kept from running)")
INSTALL_PLAYWRIGHT = "Playwright is needed for screenshots: pip install 'bookbuild[preview]'"


def chromium_path() -> str:
    """``BOOKBUILD_CHROMIUM``, else the first Chromium or Chrome on the PATH."""
    configured = os.environ.get("BOOKBUILD_CHROMIUM")
    found = configured if configured and os.access(configured, os.X_OK) else None
    found = found or next((p for p in map(shutil.which, CANDIDATES) if p), None)
    if found is None:
        raise ToolMissingError(INSTALL_CHROMIUM)
    return found


@contextlib.contextmanager
def chromium(warn: Callable[[str], None] | None = None) -> Iterator[object]:
    """A headless Chromium (a Playwright ``Browser``) with a fresh profile, closed
    on exit; sandboxed unless this runs as root (``warn`` hears why not)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise ToolMissingError(INSTALL_PLAYWRIGHT) from None
    executable = chromium_path()
    sandboxed = os.geteuid() != 0
    if not sandboxed and warn is not None:
        warn(UNSANDBOXED)
    with sync_playwright() as playwright:
        # Playwright gives each launch a new temporary --user-data-dir.
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, chromium_sandbox=sandboxed,
                args=list(FLAGS) + ([] if sandboxed else ["--no-sandbox"]))
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            why = ", with its sandbox, which needs unprivileged user namespaces" if sandboxed else ""
            raise BookbuildError(f"Chromium did not start{why} ({first})",
                                 Path(executable), code="tool-failed") from None
        try:
            yield browser
        finally:
            browser.close()
