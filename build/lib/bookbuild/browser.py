"""Headless Chromium for screenshots and the reader tests, driven by Playwright.

The system's Chromium is used (Debian: ``apt-get install chromium``); Playwright
never downloads a browser of its own. The flags keep a closed network quiet
(no background, update, sync or QUIC connections) and allow running as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

from .errors import ToolMissingError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--hide-scrollbars", "--font-render-hinting=none")
INSTALL_CHROMIUM = ("Chromium is needed for screenshots (Debian/Ubuntu: apt-get install "
                    "--no-install-recommends chromium), or set BOOKBUILD_CHROMIUM to a Chrome binary")
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
def chromium() -> Iterator[object]:
    """A headless Chromium (a Playwright ``Browser``) with a fresh profile, closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ToolMissingError(INSTALL_PLAYWRIGHT) from None
    executable = chromium_path()
    with sync_playwright() as playwright:
        # Playwright gives each launch a new temporary --user-data-dir.
        browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()
