"""Small, fast helpers over Pandoc's JSON AST (plain dicts and lists).

Elements are dicts with ``"t"`` (type) and usually ``"c"`` (content); where
they sit inside ``"c"`` differs per type, so the walkers here look into every
list and dict and treat every dict with a ``"t"`` as an element. That keeps
them correct for every element type Pandoc has or adds, in document order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Element = dict[str, Any]

#: Elements whose content is skipped by :func:`elements` when asked: note
#: bodies belong to their note, an image's description is not running text.
NOTE = "Note"
IMAGE = "Image"


def is_element(node: Any) -> bool:
    return isinstance(node, dict) and "t" in node


def elements(node: Any, skip: frozenset[str] = frozenset()) -> Iterator[Element]:
    """Every element under ``node`` in document order; the content of elements
    whose type is in ``skip`` is not entered (the element itself is yielded).
    Iterative (no recursion limit) and with plain ``type`` tests: every note
    check walks whole chapters, 100,000 notes included."""
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        current = pop()
        kind = type(current)
        if kind is dict:
            t = current.get("t")
            if t is not None:
                yield current
                content = current.get("c")
                if t not in skip and content is not None and type(content) in (list, dict):
                    push(content)
            else:
                extend(reversed([v for v in current.values() if type(v) in (list, dict)]))
        elif kind is list:
            extend(reversed([v for v in current if type(v) in (list, dict)]))


def sequences(node: Any) -> Iterator[list]:
    """Every list under ``node`` (blocks, inlines, an element's fields), each
    before the lists in it, which are read after the caller's turn: a caller
    may insert into or delete from the list it is given."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.append(current.get("c"))
        elif isinstance(current, list):
            yield current
            stack.extend(current)


def attr(element: Element) -> tuple[str, list[str], list[list[str]]] | None:
    """The ``(id, classes, key-values)`` of an element that has attributes."""
    content = element.get("c")
    t = element["t"]
    if t in ("Header",):
        return content[1]
    if t in ("Div", "Span", "Code", "CodeBlock", "Link", "Image", "Figure", "Table"):
        return content[0]
    return None


def identifier(element: Element) -> str:
    a = attr(element)
    return a[0] if a else ""


def stringify(node: Any) -> str:
    """Plain text of inlines, as Pandoc's ``stringify`` gives it (notes left out)."""
    parts: list[str] = []
    for el in elements(node, skip=frozenset({NOTE})):
        t = el["t"]
        if t == "Str":
            parts.append(el["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t in ("Code", "Math"):
            parts.append(el["c"][1])
    return "".join(parts)


def rewrite(node: Any, change: Callable[[Element], list[Element] | None],
            skip: frozenset[str] = frozenset()) -> None:
    """Replace elements in place: ``change`` returns the elements to put in one's
    place (not entered again), or None to keep it and look inside."""
    if isinstance(node, list):
        i = 0
        while i < len(node):
            item = node[i]
            if is_element(item):
                replacement = change(item)
                if replacement is not None:
                    node[i:i + 1] = replacement
                    i += len(replacement)
                    continue
                if item["t"] not in skip and "c" in item:
                    rewrite(item["c"], change, skip)
            elif isinstance(item, (list, dict)):
                rewrite(item, change, skip)
            i += 1
    elif isinstance(node, dict):
        if is_element(node):
            if node["t"] not in skip and "c" in node:
                rewrite(node["c"], change, skip)
        else:
            for value in node.values():
                rewrite(value, change, skip)


def span(classes: list[str], attributes: dict[str, str], content: list | None = None) -> Element:
    return {"t": "Span", "c": [["", classes, [[k, v] for k, v in attributes.items()]],
                               content or []]}


def div(classes: list[str], attributes: dict[str, str], blocks: list) -> Element:
    return {"t": "Div", "c": [["", classes, [[k, v] for k, v in attributes.items()]], blocks]}


def text(value: str) -> Element:
    return {"t": "Str", "c": value}


@dataclass
class Survey:
    """What the reading of a chapter needs from its AST, found in one pass."""

    notes: list[Element] = field(default_factory=list)  # references, in reading order
    nested_note: bool = False  # a note inside a note
    lost_images: list[Element] = field(default_factory=list)  # notes in a plain image's description
    headers: list[Element] = field(default_factory=list)  # outside notes
    bracketed: list[Element] = field(default_factory=list)  # blocks whose text holds "["
    all_notes: list[Element] = field(default_factory=list)  # every Note, nested ones too
    label_text: bool = False  # text like [^x] left anywhere
    label_text_in_notes: list[str] = field(default_factory=list)  # such text inside notes
    #: Every element of a type in KEPT, in document order, notes' included: what
    #: the other surveys of a reading look at (crossrefs, foreign), so that
    #: they need no walk of their own.
    kept: list[Element] = field(default_factory=list)
    shortcode_text: bool = False  # text starting "{{<" (Quarto's shortcodes) anywhere


#: The element types :attr:`Survey.kept` holds: citations and what can carry a
#: cross-reference label (crossrefs: a Span, an equation; a Div, bookdown's environment), code,
#: math (knitr's inline code in it) and the blocks that may hold only code (foreign).
KEPT = frozenset({"Cite", "Figure", "Image", "Table", "Header", "Span", "Div", "CodeBlock",
                  "Code", "Math", "Para", "Plain"})
_TEXT_BLOCKS = frozenset({"Para", "Plain", "Header"})


def survey(blocks: list, label: re.Pattern[str]) -> Survey:
    """One walk over the blocks: references are the notes outside another note
    and outside an image's description (a figure's caption holds that note);
    ``label`` finds text that looks like a note reference."""
    found = Survey()
    # (node, inside a note, the image whose description we are in, in a figure, text block)
    stack: list[tuple[Any, bool, Element | None, bool, Element | None]] = [
        (blocks, False, None, False, None)]
    while stack:
        node, in_note, image, figure, block = stack.pop()
        kind = type(node)
        if kind is list:
            stack.extend((child, in_note, image, figure, block) for child in reversed(node)
                         if type(child) is dict or type(child) is list)
            continue
        t = node.get("t")
        if t is None:  # not an element: a citation, say
            stack.extend((value, in_note, image, figure, block) for value in reversed(node.values())
                         if type(value) is dict or type(value) is list)
            continue
        if t == "Str":
            text = node["c"]
            if text.startswith("{{<"):
                found.shortcode_text = True
            if "[" in text:
                if block is not None and not in_note and (not found.bracketed
                                                          or found.bracketed[-1] is not block):
                    found.bracketed.append(block)
                if "[^" in text:
                    labels = [m.group(1) for m in label.finditer(text)]
                    found.label_text = found.label_text or bool(labels)
                    if in_note:
                        found.label_text_in_notes += labels
            continue
        if t in KEPT:
            found.kept.append(node)
        if t == NOTE:
            found.all_notes.append(node)
            if in_note:
                found.nested_note = True
            elif image is None:
                found.notes.append(node)
            elif not figure and (not found.lost_images or found.lost_images[-1] is not image):
                found.lost_images.append(image)
            in_note = True
        elif t == IMAGE:
            image = node
        elif t == "Figure":
            figure = True
        elif t in _TEXT_BLOCKS:
            block = node
            if t == "Header" and not in_note:
                found.headers.append(node)
        content = node.get("c")
        if type(content) is list or type(content) is dict:
            stack.append((content, in_note, image, figure, block))
    return found
