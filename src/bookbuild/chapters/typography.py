"""The markup a theme styles, made from Pandoc's HTML: scene breaks become a
centred ornament, verse lines blocks of their own, Quarto's callouts asides;
a ``<style>`` in a chapter (invalid in an XHTML body) is refused with its line.

Pandoc writes a scene break (``***``, ``* * *``, any thematic break) as
``<hr/>`` and a line block as one ``div.line-block`` with ``<br/>`` between
lines, which cannot take a hanging indent. Both are rewritten here, after the
notes are collected, so nothing a note or link needs moves.
"""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from ..safety import active
from ..source.manuscript import Chapter
from ..xhtml import E, h, remove

#: The ornament as text, not generated content: Kindle and Kobo drop ::before
#: on many devices. Asterisks are in every font a reader ships.
ORNAMENT = "*\u00a0*\u00a0*"


def style_problems(container: etree._Element, chapter: Chapter) -> list[Problem]:
    """A ``<style>`` element in a chapter's body fails EPUBCheck (RSC-005):
    the book's own styles belong in its stylesheet, ``css:`` in book.yaml."""
    if next(container.iter(h("style")), None) is None:
        return []
    return [Problem("a <style> element in a chapter is not valid in an EPUB: move its "
                    "rules to the book's stylesheet (css: in book.yaml)",
                    chapter.source, active.first_line(chapter.text, "<style"),
                    code="raw-html-invalid")]


def scene_breaks(container: etree._Element) -> None:
    """Every ``<hr/>`` as a centred ornament that screen readers announce as a
    separator (its role), not as three asterisks."""
    for hr in list(container.iter(h("hr"))):
        div = E("div", {"class": "scene-break", "role": "separator"}, ORNAMENT)
        div.tail = hr.tail
        hr.getparent().replace(hr, div)


def verse(container: etree._Element) -> None:
    """Each line of a line block as its own ``p.line`` (a hanging indent needs a
    block per line); an empty line, a stanza break, as an empty ``p.stanza-break``.
    The poet's indents stay the no-break spaces Pandoc made of them."""
    for block in list(container.iter(h("div"))):
        if "line-block" not in (block.get("class") or "").split():
            continue
        lines: list[list] = [[block.text or ""]]
        for child in list(block):
            block.remove(child)
            tail, child.tail = child.tail or "", None
            if child.tag == h("br"):
                lines.append([tail.lstrip("\n")])
            else:
                lines[-1] += [child, tail]
        block.text = None
        for pieces in lines:
            text, rest = pieces[0], pieces[1:]
            if not rest and not text.strip():
                block.append(E("p", {"class": "stanza-break"}))
                continue
            line = E("p", {"class": "line"}, text.rstrip("\n") if not rest else text)
            for k in range(0, len(rest), 2):
                element, tail = rest[k], rest[k + 1]
                element.tail = tail.rstrip("\n") if k == len(rest) - 2 else tail
                line.append(element)
            block.append(line)
            line.tail = "\n"


def callouts(container: etree._Element) -> None:
    """Quarto's callouts (a ``div.callout`` the worker's Lua made) as ``<aside>``,
    their title a paragraph the theme sets like a heading (a real heading would
    enter the contents); a ``div.pagebreak`` is for print only, and goes."""
    for div in list(container.iter(h("div"))):
        classes = (div.get("class") or "").split()
        if "callout" in classes:
            div.tag = h("aside")
            title = div.find(h("div"))
            if title is not None and title.get("class") == "callout-title":
                title.tag = h("p")
        elif classes == ["pagebreak"] and len(div) == 0 and not (div.text or "").strip():
            remove(div)
