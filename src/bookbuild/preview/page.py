"""Drive bookbuild's reader page (data/reader/) in a Playwright page, as a reader
would: real mouse clicks at an element's place on screen, real key presses.

The page exposes ``window.bb`` (data/reader/harness.js): where an element is and
whether a reader sees it, the reader's own contents and page lists, the pop-up.
Screenshots and the reader tests both drive the page through this class.
"""

from __future__ import annotations


class ReaderPage:
    def __init__(self, page, url: str, timeout_ms: int = 6000):
        self.page = page
        self.timeout = timeout_ms
        page.goto(url)
        page.wait_for_function("() => window.bb && (bb.ready || bb.error)", timeout=20000)
        error = page.evaluate("bb.error")
        if error is not None:
            raise RuntimeError(f"the reading system could not open the book: {error}")

    def js(self, expression: str, *args):
        return self.page.evaluate(expression, list(args))

    def shown(self, doc: str, id: str = "", selector: str | None = None,
              sized: bool = True) -> dict:
        """Wait until the element is on screen for the reader; its measurement.
        Fails with the last measurement when it never is. ``sized=False`` for
        markers that have no size of their own (an empty page-break span)."""
        try:
            handle = self.page.wait_for_function(
                """([p, i, s, sized]) => { const m = bb.measure(p, i, s)
                     return m.found && m.inView && m.onTop && m.visible
                         && (!sized || m.line.height > 0) ? m : false }""",
                arg=[doc, id, selector, sized], timeout=self.timeout, polling=50)
            return handle.json_value()
        except Exception:
            last = self.js("([p, i, s]) => bb.measure(p, i, s)", doc, id, selector)
            where = self.js("() => bb.shown()")
            raise AssertionError(f"{doc}#{id} {selector or ''} not shown; reader shows {where}; "
                                 f"measured {last}") from None

    def go(self, doc: str, id: str = "") -> dict:
        """Turn to the page with the element (by zip path and id) and measure it."""
        self.js("([p, i]) => bb.goTo(p, i)", doc, id)
        return self.shown(doc, id)

    def click(self, m: dict) -> None:
        self.page.mouse.click(m["click"]["x"], m["click"]["y"])

    def popup(self) -> dict:
        """Wait until the pop-up shows a note with its first line painted."""
        return self.page.wait_for_function(
            "() => { const p = bb.popup(); return p.shown && p.text && p.firstLine?.inView ? p : false }",
            timeout=self.timeout).json_value()
