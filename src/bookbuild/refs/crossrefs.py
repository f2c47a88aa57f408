"""Cross-references with Quarto's syntax: ``{#fig-x}`` on a figure, ``{#tbl-x}``
on a table's caption, ``{#sec-x}`` on a heading, and ``@fig-x`` to refer to one.

Pandoc has no cross-references of its own: it reads ``@fig-x`` as a citation
(a ``Cite`` element), so everything here works on Pandoc's AST. Numbers follow
Quarto's books: figures and tables are numbered within their chapter (Figure
2.3 is the third labelled figure of chapter 2; chapters are the reading order's
``type: chapter`` entries, appendices are lettered, other front and back matter
numbers on its own: Figure 3); only labelled figures and tables are numbered.
A section reference to a chapter's own heading reads "Chapter 2"; a reference
to any other section shows the heading's text, since bookbuild does not number
sections. The references become links to ``#label``, which :mod:`bookbuild.epub.links`
settles across chapters, and captions start with their number.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..lang.words import word
from ..pandoc import Parsed
from ..pandoc.ast import Element, Survey, elements, identifier, rewrite, stringify, text
from ..pandoc.locate import locate
from ..source.manuscript import Chapter

#: Label prefixes and the elements that carry them.
KINDS = {"fig": ("Figure", "Image"), "tbl": ("Table",), "sec": ("Header",)}
_NBSP = "\u00a0"


def is_crossref(key: str) -> bool:
    prefix, dash, rest = key.partition("-")
    return prefix in KINDS and bool(dash and rest)


@dataclass(frozen=True)
class Label:
    """A label a chapter defines, in document order."""

    kind: str  # fig, tbl or sec
    id: str
    title: str  # a section's heading text
    chapter_heading: bool = False  # sec: the chapter's own (first) heading


@dataclass(frozen=True)
class Target:
    """What a reference to a label shows, and a caption's number."""

    id: str
    kind: str
    text: str  # "Figure 2.3", "Chapter 2", or a section's heading text
    number: str  # "2.3" ("" for an unnumbered section: the text is its title)


_LABELLED = frozenset({"Figure", "Image", "Table", "Header"})


def labels(blocks: list) -> tuple[Label, ...]:
    """The labels of a chapter's AST, in order."""
    return survey(blocks)[1]


def cited(blocks: list) -> tuple[str, ...]:
    """Every key cited (``@x``, ``[@x]``) in the AST, once each, in order."""
    return survey(blocks)[0]


def survey(blocks: list, kept: Survey | None = None) -> tuple[tuple[str, ...], tuple[Label, ...]]:
    """The keys cited and the labels defined, in one walk (every chapter's
    reading has it), or from the elements a survey of the same AST kept."""
    keys: dict[str, None] = {}
    found = []
    first_heading = True
    for el in elements(blocks) if kept is None else kept.kept:
        t = el["t"]
        if t == "Cite":
            keys.update((c["citationId"], None) for c in el["c"][0])
        elif t in _LABELLED:
            name = identifier(el)
            kind = name.partition("-")[0] if name and is_crossref(name) else None
            if t == "Header":
                if kind == "sec":
                    found.append(Label("sec", name, stringify(el["c"][2]), first_heading))
                first_heading = False
            elif kind in ("fig", "tbl") and t in KINDS[kind]:
                found.append(Label(kind, name, ""))
    return tuple(keys), tuple(found)


def chapter_numbers(chapters: Sequence[Chapter]) -> list[str]:
    """Each chapter's number in references: chapters 1, 2..., appendices A, B...,
    other matter none."""
    counts = {"chapter": 0, "appendix": 0}
    numbers = []
    for chapter in chapters:
        if chapter.type in counts:
            counts[chapter.type] += 1
            n = counts[chapter.type]
            numbers.append(str(n) if chapter.type == "chapter" else _letters(n))
        else:
            numbers.append("")
    return numbers


def _letters(n: int) -> str:
    result = ""
    while n:
        n, r = divmod(n - 1, 26)
        result = string.ascii_uppercase[r] + result
    return result


#: The words table's name for each kind of label.
_WORD = {"fig": "figure", "tbl": "table"}


def targets(chapters: Sequence[Chapter], chapter_labels: Sequence[tuple[Label, ...]],
            language: str) -> dict[str, Target]:
    """Every label of the book with its number and text (the first of a label
    defined twice: :func:`problems` reports the second)."""
    table: dict[str, Target] = {}
    for chapter, number, found in zip(chapters, chapter_numbers(chapters), chapter_labels):
        counts = {"fig": 0, "tbl": 0}
        for label in found:
            if label.kind == "sec":
                if label.chapter_heading and number:
                    kind = "chapter" if chapter.type == "chapter" else "appendix"
                    text = word(language, kind, n=number).replace(f" {number}", _NBSP + number)
                    target = Target(label.id, "sec", text, number)
                else:
                    target = Target(label.id, "sec", label.title, "")
            else:
                counts[label.kind] += 1
                n = f"{number}.{counts[label.kind]}" if number else str(counts[label.kind])
                target = Target(label.id, label.kind,
                                f"{word(language, _WORD[label.kind])}{_NBSP}{n}", n)
            table.setdefault(label.id, target)
    return table


def problems(chapters: Sequence[Chapter], chapter_labels: Sequence[tuple[Label, ...]],
             chapter_cites: Sequence[tuple[str, ...]], table: dict[str, Target]) -> list[Problem]:
    """A label defined twice in the book, and a reference to no label, each with its line."""
    found: list[Problem] = []
    seen: set[str] = set()
    for chapter, own, keys in zip(chapters, chapter_labels, chapter_cites):
        for label in own:
            if label.id in seen:
                found.append(Problem(f"cross-reference label #{label.id} is defined twice in the "
                                     "book", chapter.source,
                                     locate(chapter.text,
                                            lambda p, i=label.id: _defines_twice(p, i, own),
                                            "#" + label.id), code="crossref-duplicate"))
            seen.add(label.id)
        for key in keys:
            if is_crossref(key) and key not in table:
                found.append(Problem(f"unknown cross-reference @{key}: no figure, table or "
                                     "section has that label", chapter.source,
                                     locate(chapter.text,
                                            lambda p, k=key: k in cited(p.doc["blocks"]),
                                            "@" + key), code="crossref-unknown"))
    return found


def _defines_twice(parsed: Parsed, name: str, own: tuple[Label, ...]) -> bool:
    """The chapter so far defines ``name`` as often as the whole chapter or, if
    the first definition was in another chapter, at all."""
    wanted = sum(1 for label in own if label.id == name)
    return sum(1 for label in labels(parsed.doc["blocks"]) if label.id == name) >= wanted


def apply(blocks: list, table: dict[str, Target]) -> None:
    """Number the captions of labelled figures and tables, and turn each
    reference to a label into a link showing its text, in place."""
    for el in elements(blocks):
        target = table.get(identifier(el))
        if target is not None and el["t"] in ("Figure", "Table") and target.kind != "sec":
            _number_caption(el["c"][1], target.text)
    def change(el: Element) -> list[Element] | None:
        """A citation of labels becomes links; works cited beside them stay a
        citation of their own, for citeproc."""
        if el["t"] != "Cite" or not any(is_crossref(c["citationId"]) for c in el["c"][0]):
            return None
        out: list[Element] = []
        works = [c for c in el["c"][0] if not is_crossref(c["citationId"])]
        for i, citation in enumerate(c for c in el["c"][0] if is_crossref(c["citationId"])):
            target = table[citation["citationId"]]
            shown = target.number if citation["citationMode"]["t"] == "SuppressAuthor" \
                and target.number else target.text
            if i:
                out += [text(","), {"t": "Space"}]
            out += citation["citationPrefix"] + ([{"t": "Space"}] if citation["citationPrefix"] else [])
            out.append({"t": "Link", "c": [["", ["xref"], []], [text(shown)],
                                          ["#" + target.id, ""]]})
            out += citation["citationSuffix"]
        if works:
            out += [{"t": "Space"}, {"t": "Cite", "c": [works, el["c"][1]]}]
        return out

    rewrite(blocks, change)


def _number_caption(caption: list, label: str) -> None:
    """``Figure 2.3: `` before the caption's text (or the number alone)."""
    blocks = caption[1]
    if blocks and blocks[0]["t"] in ("Plain", "Para") and blocks[0]["c"]:
        blocks[0]["c"][:0] = [{"t": "Span", "c": [["", ["caption-number"], []],
                                                   [text(label + ":")]]}, {"t": "Space"}]
    else:
        blocks.insert(0, {"t": "Plain", "c": [{"t": "Span", "c": [["", ["caption-number"], []],
                                                                  [text(label)]]}]})
