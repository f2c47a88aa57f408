r"""Cross-references with Quarto's syntax: ``{#fig-x}`` on a figure, ``{#tbl-x}``
on a table's caption, ``{#sec-x}`` on a heading, ``{#eq-x}`` after display
math (the worker's Lua puts it in a Span), and ``@fig-x`` to refer to one;
and with bookdown's: ``(\#fig:x)``/``(\#tab:x)`` opening a caption, ``(\#eq:x)``
in display math (the worker's Lua puts it in a Span too), any
heading's id, and ``\@ref(x)`` to refer to one, which shows the bare number
("2.1", "3") as bookdown prints it (the worker's Lua reads the labels and makes
each ``\@ref(x)`` a citation of ``ref(x)``).

Pandoc has no cross-references of its own: it reads ``@fig-x`` as a citation
(a ``Cite`` element), so everything here works on Pandoc's AST. Numbers follow
Quarto's books: figures and tables are numbered within their chapter (Figure
2.3 is the third labelled figure of chapter 2; chapters are the reading order's
``type: chapter`` entries, appendices are lettered, other front and back matter
numbers on its own: Figure 3; a chapter whose heading is unnumbered, ``{-}``,
has no number, as in both tools); only labelled figures and tables are numbered.
A section reference to a chapter's own heading reads "Chapter 2"; a reference
to any other section shows the heading's text, since bookbuild does not number
sections. In a bookdown book (:func:`bookdowns`), its theorem environments
(``::: {.exercise #sum}``, or the chunk ``{exercise, sum}`` knitr's step makes
one) are numbered as bookdown numbers them, per chapter and kind, labelled or
not ("Exercise 2.1", its ``name`` after it), their label the kind's prefix
(``exr:sum``); its proof environments open with their name alone. The names
are the book's words. The references become links to ``#label``, which
:mod:`bookbuild.epub.links` settles across chapters, and captions start with
their number.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..lang.words import label as numbered
from ..lang.words import name as named
from ..pandoc import Parsed
from ..pandoc.ast import Element, Survey, elements, identifier, rewrite, stringify, text
from ..pandoc.locate import locate
from ..projects.knitr import BOOKDOWN_ENVIRONMENTS, THEOREM_LABELS
from ..source.manuscript import Chapter

#: Label prefixes and the elements that carry them.
KINDS = {"fig": ("Figure", "Image"), "tbl": ("Table",), "sec": ("Header",), "eq": ("Span",)}
#: bookdown's label types (``fig:x``) and the kind each is.
_BOOKDOWN = {"fig": "fig", "tab": "tbl", "eq": "eq"}
#: What a bookdown reference to no label shows, as bookdown prints it.
UNKNOWN = "??"


def is_crossref(key: str) -> bool:
    prefix, dash, rest = key.partition("-")
    return prefix in KINDS and bool(dash and rest) or is_bookdown_ref(key)


def is_bookdown_ref(key: str) -> bool:
    return key.startswith("ref(") and key.endswith(")")


def label_of(key: str) -> str:
    """The label a cross-reference key names: ``ref(x)`` names ``x``."""
    return key[4:-1] if is_bookdown_ref(key) else key


def _kind(name: str) -> str | None:
    """fig, tbl, sec or eq for a Quarto label, fig, tbl or eq for a bookdown one."""
    if is_crossref(name):
        return name.partition("-")[0]
    prefix, colon, rest = name.partition(":")
    return _BOOKDOWN.get(prefix) if colon and rest else None


@dataclass(frozen=True)
class Label:
    """A label a chapter defines, in document order."""

    kind: str  # fig, tbl, sec, env (bookdown's), or heading: any other heading's id (for \@ref)
    id: str  # "" for an environment with no label (numbered all the same) or a proof
    title: str  # a section's heading text; an environment's name (exercise)
    chapter_heading: bool = False  # sec, heading: the chapter's own (first) heading
    unnumbered: bool = False  # a heading marked {-}


@dataclass(frozen=True)
class Target:
    """What a reference to a label shows, and a caption's number."""

    id: str
    kind: str
    text: str  # "Figure 2.3", "Chapter 2", or a section's heading text
    number: str  # "2.3" ("" for an unnumbered section: the text is its title)


_LABELLED = frozenset({"Figure", "Image", "Table", "Header", "Span", "Div"})


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
            kind = _kind(name) if name else None
            if t == "Header":
                if name:
                    found.append(Label("sec" if kind == "sec" else "heading", name,
                                       stringify(el["c"][2]), first_heading,
                                       "unnumbered" in el["c"][1][1]))
                first_heading = False
            elif t == "Div" and (env := environment(el)):
                prefix = THEOREM_LABELS.get(env)
                found.append(Label("env", f"{prefix}:{name}" if prefix and name else "", env))
            elif kind in ("fig", "tbl", "eq") and t in KINDS[kind]:
                found.append(Label(kind, name, ""))
    return tuple(keys), tuple(found)


def environment(div: Element) -> str | None:
    """The bookdown environment a Div is (its first class that names one)."""
    return next((c for c in div["c"][0][1] if c in BOOKDOWN_ENVIRONMENTS), None)


def chapter_numbers(chapters: Sequence[Chapter],
                    chapter_labels: Sequence[tuple[Label, ...]] = ()) -> list[str]:
    """Each chapter's number in references: chapters 1, 2..., appendices A, B...,
    other matter and chapters whose heading is unnumbered none."""
    counts = {"chapter": 0, "appendix": 0}
    numbers = []
    for i, chapter in enumerate(chapters):
        own = chapter_labels[i] if i < len(chapter_labels) else ()
        if chapter.type in counts and not any(l.chapter_heading and l.unnumbered for l in own):
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
_WORD = {"fig": "figure", "tbl": "table", "eq": "equation"}


def _numbered(chapters: Sequence[Chapter], chapter_labels: Sequence[tuple[Label, ...]],
              language: str, names: Mapping[str, str]) -> list[list[tuple[Label, Target]]]:
    """Per chapter, each label but a plain heading's with what it shows, in
    the book's own ``names`` (bookdown's ``language: label:``) or its language's words."""
    result = []
    for chapter, number, found in zip(chapters, chapter_numbers(chapters, chapter_labels),
                                      chapter_labels):
        counts: dict[str, int] = {}
        own = []
        for label in found:
            if label.kind in ("sec", "heading"):
                if label.chapter_heading and number:
                    kind = "chapter" if chapter.type == "chapter" else "appendix"
                    target = Target(label.id, "sec", numbered(language, kind, number, names),
                                    number)
                else:
                    target = Target(label.id, "sec", label.title, "")
            elif label.kind == "env" and label.title not in THEOREM_LABELS:  # a proof
                target = Target(label.id, "env", named(language, label.title, names), "")
            else:
                counted = THEOREM_LABELS[label.title] if label.kind == "env" else label.kind
                counts[counted] = counts.get(counted, 0) + 1
                n = f"{number}.{counts[counted]}" if number else str(counts[counted])
                key = label.title if label.kind == "env" else _WORD[label.kind]
                target = Target(label.id, label.kind, numbered(language, key, n, names), n)
            own.append((label, target))
        result.append(own)
    return result


def numbers(chapters: Sequence[Chapter], chapter_labels: Sequence[tuple[Label, ...]],
            language: str, names: Mapping[str, str]
            ) -> tuple[dict[str, Target], list[tuple[str, ...]]]:
    """Every label of the book with its number and text (the first of a label
    defined twice: :func:`problems` reports the second), and per chapter what
    each bookdown environment opens with, in order ("Exercise 2.1", "Proof"),
    labelled or not: one numbering for both."""
    table: dict[str, Target] = {}
    openings = []
    for own in _numbered(chapters, chapter_labels, language, names):
        for label, target in own:
            if label.id:
                table.setdefault(label.id, target)
        openings.append(tuple(target.text for label, target in own if label.kind == "env"))
    return table, openings


def bookdowns(project: str | None, chapters: Sequence[Chapter],
              chapter_labels: Sequence[tuple[Label, ...]],
              chapter_cites: Sequence[tuple[str, ...]]) -> bool:
    r"""Whether the book is bookdown's, whose Divs of its environments' classes
    are numbered: elsewhere ``::: example`` is the author's styling, as Pandoc
    and Quarto show it. A bookdown project is; another project is not; a book
    of its own (book.yaml) is when a chapter shows bookdown's syntax: it is R
    Markdown (an ``.Rmd``, or a knitr chunk in a chapter that is not Quarto's
    ``.qmd``), or it holds a ``\@ref()`` or a ``(\#fig:x)``, ``(\#tab:x)`` or
    ``(\#eq:x)`` label (a flattened bookdown book)."""
    if project is not None:
        return project == "bookdown"
    return any(chapter.source.suffix.lower() == ".rmd"
               or chapter.knitr and chapter.source.suffix.lower() != ".qmd"
               for chapter in chapters) \
        or any(is_bookdown_ref(key) for keys in chapter_cites for key in keys) \
        or any(label.id.partition(":")[0] in _BOOKDOWN
               for own in chapter_labels for label in own if label.kind in ("fig", "tbl", "eq"))


def problems(chapters: Sequence[Chapter], chapter_labels: Sequence[tuple[Label, ...]],
             chapter_cites: Sequence[tuple[str, ...]], table: dict[str, Target],
             quarto: bool = False) -> list[Problem]:
    """A label defined twice in the book, and a reference to no label, each with
    its line. In a Quarto project the latter is a warning: Quarto warns and
    shows ``?@label`` (a figure made by a chunk that never ran has none)."""
    found: list[Problem] = []
    seen: set[str] = set()
    for chapter, own, keys in zip(chapters, chapter_labels, chapter_cites):
        for label in own:
            if label.kind == "heading" or not label.id:  # epub.links settles a heading's id
                continue
            if label.id in seen:
                found.append(Problem(f"cross-reference label #{label.id} is defined twice in the "
                                     "book", chapter.source,
                                     locate(chapter.text,
                                            lambda p, i=label.id: _defines_twice(p, i, own),
                                            "#" + label.id), code="crossref-duplicate"))
            seen.add(label.id)
        for key in keys:
            if is_crossref(key) and not is_bookdown_ref(key) and key not in table:
                found.append(Problem(f"unknown cross-reference @{key}: no figure, table or "
                                     "section has that label" + (f"; shown as ?@{key}, as "
                                                                 "Quarto does" if quarto else ""),
                                     chapter.source,
                                     locate(chapter.text,
                                            lambda p, k=key: k in cited(p.doc["blocks"]),
                                            "@" + key),
                                     code="crossref-unresolved" if quarto else "crossref-unknown"))
    return found


def unknown_refs(chapters: Sequence[Chapter], chapter_cites: Sequence[tuple[str, ...]],
                 table: dict[str, Target]) -> list[Problem]:
    r"""Each label that ``\@ref()`` names and nothing defines, once, at its first
    reference's line: a warning, as bookdown gives one and prints "??". A
    figure or table of a chunk that never ran (bookdown's ``fig:label`` or
    ``tab:label`` of the chunk ``label``) has no label: those are one warning
    for the book, at the first."""
    unrun = {f"{prefix}:{label}" for chapter in chapters for label in chapter.unrun
             for prefix in _BOOKDOWN if prefix != "eq"}
    found: dict[str, Chapter] = {}
    for chapter, keys in zip(chapters, chapter_cites):
        for key in keys:
            if is_bookdown_ref(key) and label_of(key) not in table:
                found.setdefault(key, chapter)

    def line(key: str, chapter: Chapter) -> int | None:
        return locate(chapter.text, lambda p: key in cited(p.doc["blocks"]), "@" + key)
    of_chunks = [(key, chapter) for key, chapter in found.items() if label_of(key) in unrun]
    problems = [Problem(f"\\@ref({label_of(key)}) names no figure, table or heading of the "
                        f"book: the book shows {UNKNOWN}", chapter.source, line(key, chapter),
                        code="bookdown-ref-unknown")
                for key, chapter in found.items() if label_of(key) not in unrun]
    if of_chunks:
        key, chapter = of_chunks[0]
        n = len(of_chunks)
        problems.append(Problem(
            f"{n} \\@ref() name{'s' if n == 1 else ''} the figure{'s' if n > 1 else ''} or "
            f"table{'s' if n > 1 else ''} of code chunks that never ran (the first here, "
            f"\\@ref({label_of(key)})): the book shows {UNKNOWN}; run knitr first",
            chapter.source, line(key, chapter), code="bookdown-ref-unknown"))
    return problems


def _defines_twice(parsed: Parsed, name: str, own: tuple[Label, ...]) -> bool:
    """The chapter so far defines ``name`` as often as the whole chapter or, if
    the first definition was in another chapter, at all."""
    wanted = sum(1 for label in own if label.id == name)
    return sum(1 for label in labels(parsed.doc["blocks"]) if label.id == name) >= wanted


def apply(blocks: list, table: dict[str, Target], opening: Sequence[str] | None = None) -> None:
    """Number the captions of labelled figures and tables and labelled
    equations, open each bookdown environment with its ``opening`` (one each,
    in order: :func:`numbers`; None in a book that is not bookdown's, whose
    Divs of those classes stay as written), and turn each reference to a label
    into a link showing its text, in place. An environment more or fewer than
    its openings is a bug: the survey that counted them read the same AST."""
    divs = []
    for el in elements(blocks):
        target = table.get(identifier(el))
        if el["t"] == "Div" and opening is not None and (env := environment(el)):
            divs.append((el, env))
        elif target is not None and el["t"] in ("Figure", "Table") and target.kind != "sec":
            _lead(el["c"][1][1], "Plain", ["caption-number"], [text(target.text + ":")],
                  [text(target.text)])
        elif target is not None and el["t"] == "Span" and target.kind == "eq":
            el["c"][1].append({"t": "Span", "c": [["", ["equation-number"], []],
                                                  [text(f"({target.number})")]]})
    if opening is not None and len(divs) != len(opening):
        raise RuntimeError(f"{len(divs)} bookdown environments in the chapter and "
                           f"{len(opening)} openings for them: its reading and its "
                           "conversion disagree")
    for (div, env), words in zip(divs, opening or ()):
        _open_environment(div, env, words)

    def change(el: Element) -> list[Element] | None:
        """A citation of labels becomes links; works cited beside them stay a
        citation of their own, for citeproc."""
        if el["t"] != "Cite" or not any(is_crossref(c["citationId"]) for c in el["c"][0]):
            return None
        out: list[Element] = []
        works = [c for c in el["c"][0] if not is_crossref(c["citationId"])]
        for i, citation in enumerate(c for c in el["c"][0] if is_crossref(c["citationId"])):
            target = table.get(label_of(citation["citationId"]))
            if i:
                out += [text(","), {"t": "Space"}]
            out += citation["citationPrefix"] + ([{"t": "Space"}] if citation["citationPrefix"] else [])
            if target is None:  # to no label, where a warning said so: as the toolchain shows it
                key = citation["citationId"]
                out.append({"t": "Strong", "c": [text(UNKNOWN if is_bookdown_ref(key)
                                                      else "?@" + key)]})
            else:
                shown = target.number if citation["citationMode"]["t"] == "SuppressAuthor" \
                    and target.number else target.text
                out.append({"t": "Link", "c": [["", ["xref"], []], [text(shown)],
                                              ["#" + target.id, ""]]})
            out += citation["citationSuffix"]
        if works:
            out += [{"t": "Space"}, {"t": "Cite", "c": [works, el["c"][1]]}]
        return out

    rewrite(blocks, change)


def _open_environment(div: Element, env: str, opening: str) -> None:
    """As bookdown's Lua filter writes an environment in HTML: a theorem's
    number and ``name`` in bold (its label the Div's id, ``exr:sum``), a
    proof's name in italics and a full stop, at the start of its first
    paragraph (or in one of its own)."""
    (ident, classes, attributes), content = div["c"]
    name = next((v for k, v in attributes if k == "name"), None)
    div["c"][0][2] = [[k, v] for k, v in attributes if k != "name"]
    after = f" ({name})" if name else ""
    if env in THEOREM_LABELS:
        if ident:
            div["c"][0][0] = f"{THEOREM_LABELS[env]}:{ident}"
        label = [{"t": "Strong", "c": _words(opening + after)}]
    else:
        label = [{"t": "Emph", "c": _words(opening)}, *_words(after + ".")]
    _lead(content, "Para", [env], label)


def _words(s: str) -> list[Element]:
    """``s`` as Pandoc's inlines: words and spaces (a no-break space stays in its word)."""
    out: list[Element] = []
    for i, piece in enumerate(s.split(" ")):
        out += ([{"t": "Space"}] if i else []) + ([text(piece)] if piece else [])
    return out


def _lead(blocks: list, block: str, classes: list[str], before: list[Element],
          alone: list[Element] | None = None) -> None:
    """A Span of ``classes`` holding ``before`` and a space at the start of the
    first of ``blocks`` when it is text, else holding ``alone`` (``before``
    when not given) in a ``block`` of its own ahead of them: a caption's
    ``Figure 2.3:`` (its number alone), an environment's ``Exercise 2.1``."""
    if blocks and blocks[0]["t"] in ("Plain", "Para") and blocks[0]["c"]:
        blocks[0]["c"][:0] = [{"t": "Span", "c": [["", classes, []], before]}, {"t": "Space"}]
    else:
        blocks.insert(0, {"t": block, "c": [{"t": "Span", "c": [["", classes, []],
                                                                alone or before]}]})
