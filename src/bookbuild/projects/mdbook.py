"""An mdBook project: ``book.toml`` and ``src/SUMMARY.md``.

``[book]`` in book.toml holds the title, ``authors``, ``language``,
``description`` and ``src`` (the chapters' folder, ``src`` by default).
SUMMARY.md is the reading order, read here as mdBook reads it (CommonMark, so
by Pandoc's ``commonmark`` reader): a first ``# Summary`` heading is its
title; a link in a paragraph is a prefix or suffix chapter; a link in a list
item is a chapter, its nested items chapters after it (each a chapter of
its own here: a book's chapters do not nest); a later level-1 heading is a
part title, a page of its own here; a link with no target is a draft
chapter mdBook shows without a page, left out; a rule only separates. The
chapters are read as mdBook's parser (pulldown-cmark) reads them: GitHub's
Markdown with heading attributes, ``# Options {#options}`` (``markdown:
gfm+attributes``). Their code blocks are shown as mdBook shows them
(:func:`code_blocks`). Of the preprocessors book.toml names, bookbuild runs
mdBook's own ``links`` (``projects.mdlinks``; ``index`` only names HTML
pages); another is a program of the book's, which it never runs: one
warning names them, since what they rewrite (``<Listing>``) shows as written.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import ConfigError, Problem
from ..pandoc import read_markdown
from ..pandoc.ast import elements, stringify
from ..safety import limits
from ..safety.files import read_text
from . import DEFAULT_LANGUAGE, Project, people

FILE = "book.toml"
SUMMARY = "SUMMARY.md"
DIALECT = "gfm+attributes"
#: mdBook's built-in preprocessors, which an EPUB needs no more of.
_BUILT_IN = frozenset({"links", "index"})


#: A Rust line mdBook hides (``hide_lines_rust`` in its ``html/hide_lines.rs``):
#: ``#`` then nothing or a space; ``##`` shows as ``#``, ``#[derive]`` as it is.
_BORING_RUST = re.compile(r"^(\s*)#(.?)(.*)$")


def _shown_rust(line: str) -> str | None:
    found = _BORING_RUST.match(line)
    if found is None or found.group(2) not in ("", " ", "#"):
        return line
    return None if found.group(2) != "#" else found.group(1) + "#" + found.group(3)


def code_blocks(blocks: list) -> None:
    """Code blocks as mdBook renders them (its ``html/tree.rs`` and
    ``hide_lines.rs``): the info string split at spaces and commas, so
    ```` ```rust,ignore ```` is Rust (Pandoc's ``gfm`` keeps ``rust,ignore`` as
    one class), and the lines mdBook hides until a reader asks for them (an
    e-book cannot ask) left out: Rust's ``# `` lines (rustdoc's), or in any
    language those starting with the block's own ``hidelines=PREFIX``."""
    for el in elements(blocks):
        if el["t"] != "CodeBlock" or not el["c"][0][1]:
            continue
        attr = el["c"][0]
        classes = [c for cls in attr[1] for c in cls.split(",") if c]
        prefix = next((c.removeprefix("hidelines=") for c in classes
                       if c.startswith("hidelines=")), None) or None
        attr[1] = [c for c in classes if not c.startswith("hidelines=")]  # mdBook's, no class
        lines = el["c"][1].split("\n")
        if attr[1] and attr[1][0] == "rust":
            shown = [_shown_rust(line) for line in lines]
        elif prefix is not None:
            shown = [None if line.lstrip().startswith(prefix) else line for line in lines]
        else:
            continue
        el["c"][1] = "\n".join(line for line in shown if line is not None)


def _chapters(blocks: list, src: str) -> list[Any]:
    """The reading order SUMMARY.md's blocks give, book.yaml's way: prefix
    chapters are front matter and suffix chapters back matter (mdBook numbers
    neither), so no part holds them."""
    entries: list[Any] = []
    numbered = False
    for k, block in enumerate(blocks):
        if block["t"] == "Header" and block["c"][0] == 1:
            if k:  # the first heading is SUMMARY.md's own title
                entries.append({"part": stringify(block["c"][2]).strip()})
            continue
        listed = block["t"] in ("BulletList", "OrderedList")
        numbered = numbered or listed
        kind = "chapter" if listed else "backmatter" if numbered else "frontmatter"
        for path in links(block, src):
            entries.append(path if kind == "chapter" else {"file": path, "type": kind})
    return entries


def links(block: dict, folder: str) -> list[str]:
    """The files a block of a SUMMARY.md links to, in order, as paths from the
    book's directory: a link with no target (a draft) names none, and a link
    to a place in a file (``a.md#part``) names that file."""
    found = []
    for link in elements(block):
        target = unquote(link["c"][2][0].split("#")[0].strip()) if link["t"] == "Link" else ""
        if target:
            found.append(f"{folder}/{target}" if folder else target)
    return found


def read(root: Path) -> Project | None:
    file = root / FILE
    if not file.is_file():
        return None
    toml = read_text(file, root)
    try:
        settings = tomllib.loads(toml)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not TOML: {exc}", file, code="toml-invalid") from None
    except RecursionError:  # arrays or tables nested past any book's need
        raise ConfigError("not TOML a book needs: nested too deep", file,
                          code="toml-invalid") from None
    book = settings.get("book") if isinstance(settings.get("book"), dict) else {}
    src = str(book.get("src") or "src").strip("/")
    summary = root / src / SUMMARY
    if not summary.is_file():
        return None
    text = read_text(summary, root)
    limits.check_text(text, summary)  # held to a chapter's limits, as Pandoc reads it so
    blocks = read_markdown(text, summary, "commonmark").doc["blocks"]
    data: dict[str, Any] = {"title": book.get("title"),
                            "language": book.get("language") or DEFAULT_LANGUAGE,
                            "markdown": DIALECT, "chapters": _chapters(blocks, src)}
    contributors = people(book.get("authors") or [])
    if contributors:
        data["contributors"] = contributors
    if isinstance(book.get("description"), str) and book["description"].strip():
        data["description"] = book["description"].strip()
    return Project("mdbook", file, {k: v for k, v in data.items() if v is not None},
                   warnings=_not_run(settings, toml, file))


def _not_run(settings: dict, toml: str, file: Path) -> tuple[Problem, ...]:
    """One warning naming the book's own preprocessors, at the first one's
    table in ``toml``, book.toml's text as read for ``settings``."""
    tables = settings.get("preprocessor") if isinstance(settings.get("preprocessor"), dict) else {}
    names = [str(name) for name in tables if name not in _BUILT_IN]
    if not names:
        return ()
    line = next((i + 1 for i, text in enumerate(toml.split("\n"))
                 if text.strip().startswith(f"[preprocessor.{names[0]}")), None)
    return (Problem(f"book.toml's preprocessor{'s' if len(names) > 1 else ''} "
                    f"{', '.join(names)} {'are programs' if len(names) > 1 else 'is a program'} "
                    "of the book's, which bookbuild does not run: what "
                    f"{'they rewrite' if len(names) > 1 else 'it rewrites'} shows as written",
                    file, line, code="mdbook-preprocessor"),)
