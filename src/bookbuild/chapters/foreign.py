"""Syntax of other tools that cannot work in an EPUB, found in Pandoc's AST.

bookdown and Quarto run code chunks (```` ```{r} ````) and inline code
(`` `r x` ``, in math too) through knitr or Jupyter, and expand shortcodes (``{{< video
x.mp4 >}}``), before Pandoc ever sees the text; bookbuild runs none of them.
What Pandoc makes of them is plain to see in its AST: a chunk is a code block
whose class is ``{r}`` (or, where Pandoc does not take ``{r}`` as attributes,
a paragraph that is one ``Code`` beginning ``{r``), inline code is a ``Code``
beginning ``r ``, and a shortcode is a ``Str`` beginning ``{{<``. (In an
``.Rmd``, a ``.qmd``, a bookdown or Quarto project's file or any chapter in
Pandoc Markdown, chunks are made plain code first and counted there: see ``projects.knitr``; in a ``.qmd`` or a Quarto project's
file, includes are resolved first: see ``projects.include``.) Each kind is
reported once for the whole book with its count and the file and line of the
first, so nothing is printed as text without the author knowing where.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import Problem, display_path
from ..pandoc import Parsed, locate
from ..pandoc.ast import Survey, elements
from ..projects.knitr import INLINE
from ..source.manuscript import Chapter

_ENGINE = re.compile(r"\{([A-Za-z][\w-]*)[\s,}]")
_LANGUAGES = {"r": "R", "python": "Python", "julia": "Julia", "ojs": "Observable JS",
              "bash": "Bash", "sql": "SQL", "mermaid": "Mermaid", "dot": "Graphviz"}
#: A kind is (what, name): ("chunk", "R"), ("inline", "R"), ("shortcode", "include").
Kind = tuple[str, str]
#: What a survey finds of a kind: (what, name, count, line of the first or None).
Found = tuple[str, str, int, int | None]
#: What the source line of a kind's first element holds, to narrow :func:`locate`.
_NEEDLES = {"chunk": "{", "inline": "`r", "shortcode": "{{<"}


def _chunk(text: str) -> str | None:
    found = _ENGINE.match(text)
    return _LANGUAGES.get(found.group(1).lower(), found.group(1)) if found else None


def survey(blocks: list, kept: Survey | None = None,
           never_ran: tuple[tuple[str, int, int], ...] = ()) -> tuple[Found, ...]:
    """How many of each kind the AST holds, as (what, name, count, line),
    sorted, with the chunks the chapter's knitr step counted (``never_ran``:
    per engine, those whose results a reader would miss, and the line of the
    first; they are plain code in the AST). What only the AST shows has no
    line here (see :func:`placed`). With a notes survey of the same AST that
    met no shortcode text, only the code and the blocks it kept are looked
    at: nothing else can count."""
    found: Counter[Kind] = Counter()
    lines: dict[Kind, int] = {}
    for engine, n, line in never_ran:
        kind = ("chunk", _LANGUAGES.get(engine.lower(), engine))
        found[kind] += n
        lines[kind] = min(line, lines.get(kind, line))
    shortcodes = kept is None or kept.shortcode_text
    for el in elements(blocks) if shortcodes else kept.kept:
        t = el["t"]
        if t == "CodeBlock" and el["c"][0][1] and (lang := _chunk(el["c"][0][1][0] + " ")):
            found["chunk", lang] += 1
        elif t in ("Para", "Plain") and len(el["c"]) == 1 and el["c"][0]["t"] == "Code" \
                and (lang := _chunk(el["c"][0]["c"][1])):
            found["chunk", lang] += 1
        elif t == "Code" and el["c"][1].startswith("r ") and not el["c"][0][1]:
            found["inline", "R"] += 1
        elif t == "Math" and "`r" in el["c"][1]:  # knitr reads the TeX too: no code there
            found["inline", "R"] += len(INLINE.findall(el["c"][1]))
        for run in _runs(el) if shortcodes else ():
            for i, item in enumerate(run):
                if item.get("t") == "Str" and item["c"].startswith("{{<"):
                    found["shortcode", _shortcode_name(run, i)] += 1
    return tuple(sorted((what, name, n, lines.get((what, name))) for (what, name), n in found.items()))


def placed(found: tuple[Found, ...], text: str, reader: Callable[[str], Parsed],
           kinds: frozenset[Kind] | None = None) -> tuple[Found, ...]:
    """``found`` with the line of each kind's first element (of ``kinds``, else
    every kind) that the AST alone showed: the first line at which Pandoc's
    reading of the chapter holds it."""
    def line(what: str, name: str) -> int | None:
        return locate.locate(text, lambda parsed: any(
            (w, n) == (what, name) for w, n, *_ in survey(parsed.doc["blocks"])),
            _NEEDLES[what], reader)
    return tuple((what, name, n, line(what, name) if at is None and (
                      kinds is None or (what, name) in kinds) else at)
                 for what, name, n, at in found)


def first_placed(chapters: Iterable[tuple[Chapter, tuple[Found, ...]]]
                 ) -> list[tuple[Found, ...]]:
    """Each chapter's survey (in reading order), the kinds the book holds
    first there placed (:func:`placed`): a warning names only the first of
    each, so only its chapter is read again, a few times. A line once found
    stays found: it depends on the chapter's text and dialect alone, as its
    reading does (the build keeps it with the cached reading)."""
    seen: set[Kind] = set()
    result = []
    for chapter, found in chapters:
        first = frozenset((what, name) for what, name, *_ in found) - seen
        seen |= first
        result.append(placed(found, chapter.text, chapter.parse, first) if first else found)
    return result


def _runs(el: dict) -> list[list]:
    """The lists of elements directly in ``el`` (a Para's inlines, a Header's...)."""
    content = el.get("c")
    if not isinstance(content, list):
        return []
    candidates = [content, *(c for c in content if isinstance(c, list))]
    return [run for run in candidates if run and all(isinstance(i, dict) and "t" in i for i in run)]


def _shortcode_name(run: list, at: int) -> str:
    """The word after ``{{<``: in the same Str (``{{<include``) or the next one."""
    rest = run[at]["c"][3:].strip()
    if rest:
        return rest.split()[0]
    following = [item for item in run[at + 1:at + 3] if item.get("t") == "Str"]
    return following[0]["c"] if following else "?"


_WHAT = {
    "chunk": ("{n} {name} code chunk{s} never ran{where}: the book shows {it} as code, "
              "not {its} results; run knitr or Quarto first, or remove {it}"),
    "inline": ("{n} inline {name} expression{s} never ran{where}: the book shows "
               "{it} as code; write the value instead"),
    "shortcode": ("{n} Quarto shortcode{s} ({name}) cannot work in an EPUB{where}: "
                  "the book shows {it} as text; write the Markdown instead"),
}


#: The code of each kind's warning.
_CODES = {"chunk": "knitr-chunk", "inline": "knitr-inline", "shortcode": "quarto-shortcode"}


def warnings(chapters: Iterable[tuple[Path, tuple[Found, ...]]]) -> tuple[Problem, ...]:
    """One warning per kind for the whole book (R chunks, Python chunks, inline R,
    shortcodes), from each chapter's (file, survey), in reading order: at the
    file and line of the first, naming the first files in its text when
    several chapters hold that kind."""
    counts: Counter[Kind] = Counter()
    names: dict[Kind, Counter[str]] = {}
    files: dict[Kind, list[Path]] = {}
    first: dict[Kind, tuple[Path, int | None]] = {}
    for file, found in chapters:
        for what, name, n, line in sorted(found, key=lambda f: f[3] or 0):
            kind = (what, "") if what == "shortcode" else (what, name)
            counts[kind] += n
            names.setdefault(kind, Counter())[name] += n
            first.setdefault(kind, (file, line))
            if file not in files.setdefault(kind, []):
                files[kind].append(file)
    lines = []
    for (what, name), n in sorted(counts.items()):
        held, at = files[what, name], first[what, name]
        # by path, never basename: part1/intro.md and part2/intro.md are two chapters
        where = "" if len(held) == 1 else \
            f" ({', '.join(display_path(f) for f in held[:3])}{', ...' if len(held) > 3 else ''}" \
            "; the first here)"
        if what == "shortcode":
            name = ", ".join(f"{{{{< {k} >}}}} {m}" for k, m in sorted(names[what, name].items()))
        lines.append(Problem(_WHAT[what].format(n=n, name=name, s="" if n == 1 else "s",
                                                where=where, it="it" if n == 1 else "them",
                                                its="its" if n == 1 else "their"),
                             *at, code=_CODES[what]))
    return tuple(lines)
