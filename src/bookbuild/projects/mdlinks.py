"""mdBook's ``{{#include}}`` helpers resolved before Pandoc, inside the book only.

mdBook's ``links`` preprocessor (``builtin_preprocessors/links.rs`` in
github.com/rust-lang/mdBook, its guide's "Including files") rewrites a
chapter's text before its Markdown parser sees it, with its own pattern, so
wherever it matches, in a code block too (where books mostly use it)::

    \\{\\{#.*\\}\\}  |  \\{\\{\\s*#([a-zA-Z0-9_]+)\\s+([^}]+)\\}\\}

``{{#include path}}`` is the file's text; ``path:10`` its line 10,
``path:2:5`` lines 2 to 5, ``path:3:`` from line 3, ``path::5`` to line 5,
``path:name`` the lines between ``ANCHOR: name`` and ``ANCHOR_END: name``
(other anchor lines left out). ``{{#rustdoc_include}}`` is the whole file,
the lines outside the range or anchor behind ``# ``, which mdBook hides in
Rust code as the book does (:func:`.mdbook.code_blocks`). ``{{#playground
file.rs attrs}}`` is the file in a Rust code block. ``{{#title ...}}`` goes
(it names the web page). ``\\{{#...}}`` is the text without its backslash. The
included text's lines after its first carry the text before the helper on
its line (a list item's indent), and helpers in it resolve from its folder,
at most 10 deep, as in mdBook. A path is relative to the chapter's folder;
here it must also stay in the book, and a file that cannot be read is an
error at the helper's line (mdBook would print the helper as text). Every
line the helpers wrote carries the helper's file and line (:class:`Included`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ManuscriptError
from .include import CHARACTERS, Included, Origin, read_included

LINK = re.compile(r"\\\{\{#.*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}")
_ANCHOR_START = re.compile(r"ANCHOR:\s*([\w-]+)")
_ANCHOR_END = re.compile(r"ANCHOR_END:\s*([\w-]+)")
#: Helpers within helpers, at most (mdBook's ``MAX_LINK_NESTED_DEPTH``).
DEPTH = 10
_FILES = ("include", "rustdoc_include", "playground", "playpen")


def _lines(text: str) -> list[str]:
    """Rust's ``str::lines``: no empty line after a final newline."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _selection(spec: str | None) -> tuple[int | None, int | None] | str:
    """mdBook's ``parse_range_or_anchor``: a 0-based range (start, end) of
    lines, either bound open, or an anchor's name."""
    parts = (spec or "").split(":", 2)
    first = parts[0]
    if re.fullmatch(r"[0-9]+", first):
        start = max(int(first) - 1, 0)
    elif first:
        return first
    else:
        start = None
    if len(parts) < 2:
        return (start, start + 1) if start is not None else (None, None)
    end = int(parts[1]) if re.fullmatch(r"[0-9]+", parts[1]) else None
    return start, end


def _anchored(lines: list[str], anchor: str, hide_rest: bool) -> list[str]:
    """The lines between the anchor's marks; with ``hide_rest``, the others
    behind ``# `` (rustdoc_include). Anchor lines themselves are left out."""
    out, inside = [], False
    for line in lines:
        start, end = _ANCHOR_START.search(line), _ANCHOR_END.search(line)
        if inside:
            if end:
                if end.group(1) == anchor:
                    if not hide_rest:
                        break
                    inside = False
            elif not start:
                out.append(line)
        elif start:
            inside = inside or start.group(1) == anchor
        elif hide_rest and not end:
            out.append("# " + line)
    return out


def _taken(text: str, selection: tuple[int | None, int | None] | str, hide_rest: bool) -> str:
    lines = _lines(text)
    if isinstance(selection, str):
        return "\n".join(_anchored(lines, selection, hide_rest))
    start, end = selection
    start = start or 0
    if hide_rest:
        return "\n".join(line if start <= k and (end is None or k < end) else "# " + line
                         for k, line in enumerate(lines))
    return "\n".join(lines[start:end])


def _content(kind: str, argument: str, file: Path, root: Path, line: int) -> tuple[str, Path]:
    """What a helper stands for, and the file whose folder its own helpers start from."""
    name, *props = argument.split()
    path, _, spec = name.partition(":")
    target, text = read_included(f"{{{{#{kind} {name}}}}}", file.parent / path, file, root, line)
    if kind in ("playground", "playpen"):
        fence = "rust," + ",".join(props) if props else "rust"
        return f"```{fence}\n{text if text.endswith(chr(10)) else text + chr(10)}```\n", target
    return _taken(text, _selection(spec or None), kind == "rustdoc_include"), target


def includes(text: str, file: Path, root: Path, depth: int = 0) -> Included:
    """``text`` (of ``file``) with every helper resolved, recursively, and
    the file and line each line of the result was written at."""
    if "{{" not in text:
        return Included(text)
    out: list[str] = []
    origins: list[Origin] = [(file, 1)]
    at = size = 0

    def append(piece: str, origin) -> None:
        nonlocal size
        out.append(piece)
        size += len(piece)
        origins.extend(origin(k) for k in range(piece.count("\n")))

    def line_so_far() -> str:
        """The text before the helper on its line (mdBook's ``prefix``)."""
        tail = []
        for piece in reversed(out):
            _, newline, rest = piece.rpartition("\n")
            tail.append(rest)
            if newline:
                break
        return "".join(reversed(tail))

    counted = [0, 1]  # (position, its line): positions only grow, each newline counted once

    def line_of(position: int) -> int:
        counted[1] += text.count("\n", counted[0], position)
        counted[0] = position
        return counted[1]

    def own(start: int):
        first = line_of(start)
        return lambda k: (file, first + k + 1)

    for found in LINK.finditer(text):
        kind = found.group(1)
        if kind is None or kind in _FILES or kind == "title":
            before = own(at)
            line = line_of(found.start())
            append(text[at:found.start()], before)
            if kind is None:  # escaped: the helper as text
                append(found.group(0)[1:], lambda k: (file, line))
            elif kind != "title":
                if depth >= DEPTH:
                    raise ManuscriptError(f"{{{{#{kind}}}}}: helpers nest more than {DEPTH} "
                                          "deep", file, line, code="include-invalid")
                content, target = _content(kind, found.group(2), file, root, line)
                content = includes(content, target, root, depth + 1).text
                prefix = line_so_far()
                append(("\n" + prefix).join(_lines(content)), lambda k: (file, line))
            at = found.end()
            if size > CHARACTERS:
                raise ManuscriptError(f"the chapter grows past {CHARACTERS:,} characters with "
                                      "its includes", file, line, code="include-invalid")
    if not out:
        return Included(text)
    append(text[at:], own(at))
    return Included("".join(out), tuple(origins))
