"""A chapter's Typst markup, from the same Pandoc AST as its XHTML.

Pandoc's Typst writer does the writing; this module only adapts the AST for
paper before it: each note becomes a Typst footnote where it is referenced (a
note referenced twice is one footnote, the second reference pointing at the
first), quotation marks are the characters the EPUB shows, links inside the
book become their text (a page has no links to follow, and labels would
collide across chapters), images point at their cleaned copies, and the
display styles (epigraph, letter, verse, bibliography), whose classes Pandoc's
writer drops, and a chapter's opening paragraph (its first line styled) are
wrapped in the design's own functions. Typst code
from the book, raw Typst and the ``typst:`` attributes Pandoc's writer turns
into code (``{typst:text:fill=red}``), is dropped unless whoever builds
trusts it (``--trust typst``): it could read files. Even then, a package
import (``@preview/...``) is an error: it would download code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import ManuscriptError
from ..notes.markup import NOTE_SEPARATOR, side_by_side
from ..notes.source import LABEL
from ..pandoc import write_typst
from ..pandoc.ast import attr, elements, rewrite, survey, text
from ..safety import active
from ..source.manuscript import Chapter

#: Pandoc's HTML writer's marks for Quoted elements the book's language left alone.
ENGLISH_QUOTES = ("\u201c", "\u201d", "\u2018", "\u2019")
#: Pandoc's Typst writer turns attributes of this prefix into Typst code.
TYPST_ATTRIBUTE = "typst:"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: The display styles the design sets (``bb-display`` in data/print.typ), by the
#: fenced div's class, as the themes' CSS sets the same divs in the EPUB.
DISPLAY = ("epigraph", "attribution", "letter", "signature", "dedication", "csl-bib-body")
_WITH_IDS = frozenset({"Header", "Div", "Span", "Code", "CodeBlock", "Link", "Image", "Figure",
                       "Table"})


@dataclass(frozen=True)
class Paper:
    """A chapter's Typst and the footnote labels each of its keep marks names,
    in order: a setting can open a page before these paragraphs only, so a
    footnote named by none (in a quotation, a display) gains nothing from
    another setting. Kept as data, never read back from the Typst, where a
    look-alike in the book's code would be taken for one."""

    typst: str
    keep_marks: tuple[frozenset[str], ...]


def note_label(chapter_name: str, k: int) -> str:
    return f"bb-{chapter_name}-note-{k}"


def chapter_typst(doc: dict, refs: tuple[int, ...], chapter_name: str,
                  image_path: Callable[[str], str], trusted: bool, chapter: Chapter) -> Paper:
    """Typst for ``doc`` (changed in place), whose notes are referenced as
    ``refs`` says (the note index of each reference, in order); Typst code
    of the book's kept only when ``trusted``."""

    def change(el: dict) -> list | None:
        t = el["t"]
        if t == "Quoted":
            inner = el["c"][1]
            rewrite(inner, change)
            double = el["c"][0]["t"] == "DoubleQuote"
            opening, closing = ENGLISH_QUOTES[:2] if double else ENGLISH_QUOTES[2:]
            return [text(opening), *inner, text(closing)]
        if t == "Link" and not _URL.match(el["c"][2][0]):
            inner = el["c"][1]
            rewrite(inner, change)
            return inner
        if t == "Div" and attr(el)[1] == ["pagebreak"] and not el["c"][1]:
            return [_raw_block("#pagebreak(weak: true)")]  # Quarto's
        if t == "Div" and (kind := next((c for c in attr(el)[1] if c in DISPLAY), None)):
            rewrite(el["c"][1], change)
            attr(el)[0] = ""
            # a bibliography hangs when its style says so (citeproc's class), as in the EPUB
            hanging = "true" if "hanging-indent" in attr(el)[1] else "false"
            return [_raw_block(f'#bb-display("{kind}", hanging: {hanging})['), el,
                    _raw_block("]")]
        if t == "LineBlock":
            rewrite(el["c"], change)
            return [_raw_block("#bb-verse["),
                    *({"t": "Para", "c": line} if line else _raw_block("#bb-stanza-break()")
                      for line in el["c"]),
                    _raw_block("]")]
        if t in ("RawInline", "RawBlock") and el["c"][0] == "typst":
            if not trusted:
                return []
            _no_package(el["c"][1], chapter)
        if t in _WITH_IDS:
            attr(el)[0] = ""
        if t == "Image":
            el["c"][2][0] = image_path(el["c"][2][0])
        return None

    opening = _opening(doc["blocks"]) if chapter.type == "chapter" else None
    rewrite(doc["blocks"], change)
    for kvs in _attribute_lists(doc["blocks"]):
        typst = [kv for kv in kvs if kv[0].startswith(TYPST_ATTRIBUTE)]
        for kv in typst:
            if trusted:
                _no_package(kv[1], chapter)
            else:
                kvs.remove(kv)
    marks = _keep_with_notes(doc["blocks"], _notes(doc, refs, chapter_name))
    if opening is not None:  # found before the displays were wrapped, where it still is
        # wrapped after its keep-with-note mark went before it: the mark stays outside
        para, epigraph = opening
        at = next(k for k, el in enumerate(doc["blocks"]) if el is para)
        doc["blocks"][at:at + 1] = [
            _raw_block(f"#bb-opening(after-epigraph: {str(epigraph).lower()})["), para,
            _raw_block("]")]
    return Paper(write_typst(doc, chapter.source), marks)


def _no_package(code: str, chapter: Chapter) -> None:
    if active.typst_loads_beyond_files(code):
        raise ManuscriptError("Typst code imports or includes something other than a file named "
                              'by a plain string (#import "file.typ"), or uses eval: packages '
                              "(@namespace/name) are never downloaded", chapter.source,
                              chapter.line_of(active.needle_of(code, "")), code="typst-package")


def _attribute_lists(node: object) -> Iterator[list]:
    """The key-value lists of every Attr in the AST (``[id, [classes], [[k, v]...]]``),
    wherever it sits: elements, table rows and cells alike."""
    if isinstance(node, dict):
        yield from _attribute_lists(node.get("c"))
    elif isinstance(node, list):
        if (len(node) == 3 and isinstance(node[0], str) and isinstance(node[1], list)
                and isinstance(node[2], list)
                and all(isinstance(kv, list) and len(kv) == 2 and isinstance(kv[0], str)
                        for kv in node[2])):
            yield node[2]
            return
        for item in node:
            yield from _attribute_lists(item)


def _notes(doc: dict, refs: tuple[int, ...], chapter_name: str) -> dict[int, str]:
    """The first reference to a note keeps Pandoc's Note (a footnote in Typst)
    and gets a label; later ones point at it; a raised comma follows one that
    another follows (``notes.markup.side_by_side``, as in the EPUB). Returns
    each footnote's label by the ``id`` of its element."""
    references = survey(doc["blocks"], LABEL).notes
    if len(references) != len(refs):
        raise AssertionError(f"{len(references)} note references for print, {len(refs)} read")
    followed = side_by_side(doc["blocks"], references)
    first: set[int] = set()
    footnotes: dict[int, str] = {}
    for k, note in zip(refs, references):
        label = note_label(chapter_name, k)
        then = f"#super[{NOTE_SEPARATOR}]" if id(note) in followed else ""
        if k in first:
            note.clear()
            note.update(_raw(f"#footnote(<{label}>){then}"))
        else:
            first.add(k)
            body = {"t": "Note", "c": note["c"]}
            note.clear()
            note.update({"t": "Span", "c": [["", ["bb-footnote"], []],
                                            [body, _raw(f"<{label}>{then}")]]})
            footnotes[id(note)] = label
    return footnotes


def _keep_with_notes(blocks: list, footnotes: dict[int, str]) -> tuple[frozenset[str], ...]:
    """Mark each paragraph (or heading) of the chapter itself, and each list
    item's first paragraph, that holds footnotes, naming their labels: where
    a setting left one of them off its reference's page (widow and orphan
    rules moved the paragraph whole after its note was placed), or a line of
    it alone to keep one there, the design's mark opens a page before it on a
    later setting (``print.edition``).
    Paragraphs inside a container (quotation, display, ``#block``) get none:
    Typst refuses a page break there; nor does an item's later paragraph: a
    break under its marker would end the list. The page opens before the
    sections' headings right above the paragraph, past what prints nothing (a
    heading never ends a page alone); a chapter's title opens its own page.
    Returns the labels each mark names, in the chapter's order."""
    marks: list[tuple[int, tuple[str, ...]]] = []
    named: list[frozenset[str]] = []
    for i, block in enumerate(blocks):
        if block["t"] in ("Para", "Plain", "Header"):
            if labels := _labels(block, footnotes):
                at = k = i
                while k and (_unprinted(blocks[k - 1]) or blocks[k - 1]["t"] == "Header"
                             and blocks[k - 1]["c"][0] > 1):
                    k -= 1
                    at = k if blocks[k]["t"] == "Header" else at
                marks.append((at, labels))
                named.append(frozenset(labels))
        elif block["t"] in ("BulletList", "OrderedList"):
            _keep_items_with_notes(block, footnotes, named)
    for at, labels in reversed(marks):
        blocks.insert(at, _raw_block(f"#bb-keep-with-note({_arguments(labels)})"))
    return tuple(named)


def _unprinted(block: dict) -> bool:
    """A block print shows nothing of: raw markup of another format (an
    author's ``\\index{}``), or a paragraph of only that."""
    if block["t"] == "RawBlock":
        return block["c"][0] != "typst"
    return block["t"] in ("Para", "Plain") and all(
        el["t"] in ("Space", "SoftBreak") or el["t"] == "RawInline" and el["c"][0] != "typst"
        for el in block["c"])


def _keep_items_with_notes(lst: dict, footnotes: dict[int, str],
                           named: list[frozenset[str]]) -> None:
    """The items of ``lst``, and of the lists in them, as ``_keep_with_notes``
    says; the labels of each mark are added to ``named``."""
    for item in lst["c"] if lst["t"] == "BulletList" else lst["c"][1]:
        if item and item[0]["t"] in ("Para", "Plain") \
                and (labels := _labels(item[0], footnotes)):
            # ";" ends the call: the item's text goes on as text whatever its first character
            item[0]["c"].insert(0, _raw(f"#bb-keep-item-with-note({_arguments(labels)});"))
            named.append(frozenset(labels))
        for block in item:
            if block["t"] in ("BulletList", "OrderedList"):
                _keep_items_with_notes(block, footnotes, named)


def _labels(block: dict, footnotes: dict[int, str]) -> tuple[str, ...]:
    """The labels of the footnotes in ``block``, in order."""
    return tuple(footnotes[id(el)] for el in elements(block) if id(el) in footnotes)


def _arguments(labels: tuple[str, ...]) -> str:
    """``labels`` as the arguments of a Typst call."""
    return ", ".join(f"<{label}>" for label in labels)


def _opening(blocks: list) -> tuple[dict, bool] | None:
    """The chapter's opening paragraph, the first after its title or after an
    epigraph under it (as the themes' ``h1 + p::first-line`` find it in the
    EPUB), and whether an epigraph stands before it; the design's
    ``bb-opening`` sets its first line as the theme does."""
    at = next((k for k, el in enumerate(blocks) if el["t"] == "Header" and el["c"][0] == 1), None)
    if at is None or at + 1 >= len(blocks):
        return None
    at += 1
    epigraph = blocks[at]["t"] == "Div" and "epigraph" in attr(blocks[at])[1]
    at += epigraph
    return (blocks[at], epigraph) if at < len(blocks) and blocks[at]["t"] == "Para" else None


def _raw_block(code: str) -> dict:
    return {"t": "RawBlock", "c": ["typst", code]}


def _raw(code: str) -> dict:
    return {"t": "RawInline", "c": ["typst", code]}
