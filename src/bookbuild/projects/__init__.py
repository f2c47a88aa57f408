"""Book projects of other tools, read as book.yaml would say them.

A bookdown project (``_bookdown.yml`` and the YAML block of ``index.Rmd``) or
a Quarto book (``_quarto.yml`` with ``project: {type: book}``), or an mdBook
(``book.toml`` and ``src/SUMMARY.md``) or a GitBook (``SUMMARY.md``, perhaps
``book.json``), their chapters GitHub-flavoured, already says
what a book.yaml says: title, authors, language, the reading order and its
parts. :func:`book_data` turns it into the mapping a book.yaml would hold, so
the one schema checks it as it checks book.yaml (``load_config`` reads it when
there is no book.yaml; ``bookbuild new --from`` writes it out). The chapters'
own syntax that only knitr or Quarto can run is reported by ``foreign``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..pandoc import read_markdown
from ..pandoc.ast import stringify
from ..safety.files import read_text

#: dc:date's shapes; anything else (``"`r Sys.Date()`"``) is left out.
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
#: Pandoc's own default language, as Quarto's and bookdown's.
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Project:
    kind: str  # "bookdown", "quarto", "mdbook" or "gitbook"
    file: Path  # _bookdown.yml, _quarto.yml, book.toml, book.json or SUMMARY.md: problems' file
    data: dict[str, Any]  # book.yaml's keys, paths relative to the project
    #: The project's chunk options (Quarto's ``execute:``) among knitr.OPTIONS, as (name, value).
    execute: tuple[tuple[str, bool], ...] = ()
    warnings: tuple[Problem, ...] = ()  # what of the project the book is built without
    freeze: bool = False  # Quarto's ``execute: freeze: true``: frozen results however old
    knitted: str | None = None  # bookdown's output folder, holding chapters it knitted
    labels: tuple[tuple[str, str], ...] = ()  # its own labels (word key, text with {n})
    #: A bibliography file it names is missing: a cited key not found may be in it.
    bibliography_incomplete: bool = False


def find(root: Path) -> Project | None:
    """The project in ``root``, if it holds one bookbuild can read."""
    from . import bookdown, gitbook, mdbook, quarto

    for reader in (quarto, bookdown, mdbook, gitbook):
        project = reader.read(root)
        if project is not None:
            return project
    return None


def plain_meta(value: dict) -> Any:
    """A Pandoc metadata value as plain data: text, lists, mappings, booleans."""
    t, c = value["t"], value.get("c")
    if t == "MetaMap":
        return {k: plain_meta(v) for k, v in c.items()}
    if t == "MetaList":
        return [plain_meta(v) for v in c]
    if t == "MetaBool":
        return c
    if t == "MetaString":
        return c
    return stringify(c).strip()  # MetaInlines, MetaBlocks


def front_matter(path: Path, root: Path) -> dict[str, Any]:
    """The YAML block of a Markdown file (index.Rmd), as Pandoc reads it; read
    as a chapter is (a regular file in the project, UTF-8, no control characters)."""
    if not path.is_file():
        return {}
    doc = read_markdown(read_text(path, root), path).doc
    return {k: plain_meta(v) for k, v in doc.get("meta", {}).items()}


def people(authors: Any) -> list[dict[str, str]]:
    """``author:`` as written by bookdown or Quarto: a name, a list of names,
    or a list of mappings with ``name`` (Quarto's ``{name: {literal: ...}}`` too)."""
    found = []
    for author in authors if isinstance(authors, list) else [authors]:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, dict):
            name = name.get("literal") or " ".join(
                str(name[k]) for k in ("given", "family") if name.get(k))
        if isinstance(name, str) and name.strip():
            found.append({"name": name.strip(), "role": "author"})
    return found


def missing_bibliography(meta: dict[str, Any], root: Path, where: Path) -> tuple[Problem, ...]:
    """A bibliography file the project names but does not hold: the project's
    own code writes it when the book is knitted (bookdown's ``packages.bib``,
    from ``knitr::write_bib``), which bookbuild never runs. The book is built
    with the others, and says so."""
    names = meta.get("bibliography")
    names = [names] if isinstance(names, str) else names if isinstance(names, list) else []
    return tuple(Problem(f"bibliography file {name} is not in the project (the book's own code "
                         "makes it when knitted?); the book is built without it, and works "
                         "cited only there show as their keys", where,
                         code="bibliography-missing")
                 for name in names if isinstance(name, str) and not (root / name).is_file())


def book_keys(meta: dict[str, Any], root: Path) -> dict[str, Any]:
    """The book.yaml keys that bookdown's and Quarto's metadata share."""
    data: dict[str, Any] = {"title": meta.get("title"),
                            "language": meta.get("lang") or DEFAULT_LANGUAGE}
    if meta.get("subtitle"):
        data["subtitle"] = meta["subtitle"]
    contributors = people(meta.get("author") or [])
    if contributors:
        data["contributors"] = contributors
    if isinstance(meta.get("date"), str) and _DATE.fullmatch(meta["date"].strip()):
        data["date"] = meta["date"].strip()
    for theirs, ours in (("description", "description"), ("publisher", "publisher"),
                         ("rights", "rights")):
        if isinstance(meta.get(theirs), str) and meta[theirs].strip():
            data[ours] = meta[theirs].strip()
    cover = meta.get("cover-image")
    if isinstance(cover, str) and (root / cover).is_file():
        data["cover"] = cover
    # citeproc's own keys, as both tools hand them to Pandoc for an EPUB
    # (bookdown's biblio-style names a BibTeX style, for LaTeX only).
    names = meta.get("bibliography")
    names = [names] if isinstance(names, str) else names if isinstance(names, list) else []
    present = [n for n in names if not isinstance(n, str) or (root / n).is_file()]
    if present:  # one missing is missing_bibliography's to say
        data["bibliography"] = present
    if isinstance(meta.get("csl"), str) and meta["csl"].strip():
        data["csl"] = meta["csl"].strip()
    return {k: v for k, v in data.items() if v is not None}
