"""A Quarto book: ``_quarto.yml`` with ``project: {type: book}``.

``book:`` holds the metadata and the reading order: ``chapters`` (a file, or
``{part: TITLE-OR-FILE, chapters: [...]}``) then ``appendices``; ``lang`` is
at the top level. A part given as a title becomes a part page made from that
title; a part given as a file is that file, typed ``part``. The project's
``execute:`` options (``eval: false``...) are every chunk's defaults, and its
``freeze: true`` has frozen results used however old (``freeze.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..safety.yamlfile import plain, read_yaml
from . import Project, book_keys, missing_bibliography
from .knitr import OPTIONS

FILE = "_quarto.yml"
_MARKDOWN = (".qmd", ".md", ".Rmd")


def _entries(items: Any, root: Path, kind: str = "chapter") -> list[Any]:
    entries: list[Any] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            entries.append(item if kind == "chapter" else {"file": item, "type": kind})
        elif isinstance(item, dict) and "part" in item:
            part = str(item["part"])
            entries.append({"file": part, "type": "part"} if part.endswith(_MARKDOWN)
                           and (root / part).is_file() else {"part": part})
            entries += _entries(item.get("chapters"), root, kind)
        elif isinstance(item, dict) and "file" in item:
            entries.append(item["file"] if kind == "chapter" else {"file": item["file"],
                                                                  "type": kind})
    return entries


def _author_meta(formats: Any) -> str | None:
    """A book whose ``book:`` names no author may still name one for its pages'
    metadata (``format: {epub or html: {author-meta: ...}}``, as R for Data
    Science does): taken as written, one name."""
    for name in ("epub", "html"):
        options = formats.get(name) if isinstance(formats, dict) else None
        if isinstance(options, dict) and isinstance(options.get("author-meta"), str):
            return options["author-meta"]
    return None


def read(root: Path) -> Project | None:
    file = root / FILE
    if not file.is_file():
        return None
    settings = plain(read_yaml(file, root))
    project = settings.get("project") if isinstance(settings, dict) else None
    book = settings.get("book") if isinstance(settings, dict) else None
    if not isinstance(project, dict) or project.get("type") != "book" or not isinstance(book, dict):
        return None
    meta = {**book, **{k: settings.get(k) for k in ("lang", "bibliography", "csl")}}
    if not meta.get("author"):
        meta["author"] = _author_meta(settings.get("format"))
    data = book_keys(meta, root)
    data["chapters"] = _entries(book.get("chapters"), root) + \
        _entries(book.get("appendices"), root, "appendix")
    execute = settings.get("execute")
    execute = execute if isinstance(execute, dict) else {}
    options = tuple((name, value) for name, value in execute.items()
                    if name in OPTIONS and isinstance(value, bool))
    missing = missing_bibliography(meta, root, file)
    return Project("quarto", file, data, tuple(sorted(options)), missing,
                   freeze=execute.get("freeze") is True, bibliography_incomplete=bool(missing))
