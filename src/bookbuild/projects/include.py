"""Quarto's ``{{< include file.qmd >}}`` resolved before Pandoc, inside the book only.

Quarto pastes the included file's text in place of a shortcode that stands
alone on its line, before it runs any code, so the included text's chunks are
chunks and its relative links resolve from the including chapter. Includes
nest. A path is relative to the file holding the shortcode, and one beginning
with ``/`` to the project's root (Quarto's guide, "Includes"). Here every
path must also stay in the book (links followed): a path or a link leading
out of it, a file that is missing or not a regular file, a cycle, or nesting
deeper than :data:`DEPTH` is an error at the shortcode's file and line.

As with knitr's chunks, one question goes to Pandoc: a shortcode line that
Pandoc reads inside a code block (a Quarto page showing the syntax) is text,
never an include. The merged text keeps, for each of its lines, the file and
line it came from (:class:`Included`), so every problem found later is
reported where the author wrote it (``Manuscript.place``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError, ManuscriptError
from ..pandoc import read_markdown
from ..pandoc.ast import elements
from ..safety import files as bookfiles
from ..safety import limits

#: The shortcode alone on its line; the path bare or quoted.
INCLUDE = re.compile(r"""^[ \t]*\{\{<\s*include\s+(?:"([^"]+)"|'([^']+)'|(\S+))\s*>\}\}[ \t]*$""")
#: Includes within includes, at most.
DEPTH = 8
#: The merged text of one chapter, at most (a file included many times over).
CHARACTERS = 20_000_000
_PROBE = "bookbuildinclude"

Origin = tuple[Path, int]


@dataclass(frozen=True)
class Included:
    """A chapter's text with its includes pasted in, and where each of its lines
    was written (empty: the chapter's own lines, nothing was included)."""

    text: str
    origins: tuple[Origin, ...] = ()


def _shortcodes(text: str, lines: list[str], file: Path, reader: str) -> dict[int, str]:
    """The lines (0-based) holding an include Pandoc would read as text of the
    chapter, not inside code, with the path each names."""
    found = {i: next(g for g in m.groups() if g) for i, line in enumerate(lines)
             if (m := INCLUDE.match(line))}
    if not found:
        return {}
    token = _PROBE
    while token in text:
        token += "x"
    probe = list(lines)
    for i in found:
        probe[i] = lines[i][:len(lines[i]) - len(lines[i].lstrip())] + f"{token}{i}"
    doc = read_markdown("\n".join(probe), file, reader).doc
    seen = {el["c"] for el in elements(doc["blocks"]) if el["t"] == "Str"}
    return {i: path for i, path in found.items() if f"{token}{i}" in seen}


def read_included(helper: str, path: Path, file: Path, root: Path,
                  line: int) -> tuple[Path, str]:
    """The file an include (Quarto's shortcode, mdBook's helper) names, inside
    the book and held to a chapter's limits, and its text; or an error at the
    ``helper`` in ``file``."""
    try:
        target = bookfiles.inside(path, root, "included file")
        text = bookfiles.read_text(target, root)
    except BookbuildError as exc:
        problem = exc.problems[0]
        raise ManuscriptError(f"{helper}: {problem.message}", file, line,
                              code=problem.code) from None
    limits.check_text(text, target)
    return target, text


def includes(text: str, file: Path, root: Path, reader: str,
             within: tuple[Path, ...] = ()) -> Included:
    """``text`` (of ``file``) with every include resolved, recursively."""
    lines = text.split("\n")
    found = _shortcodes(text, lines, file, reader)
    if not found:
        return Included(text)
    out: list[str] = []
    origins: list[Origin] = []
    size = 0
    stack = (*within, file.resolve())
    for i, line in enumerate(lines):
        if i not in found:
            out.append(line)
            origins.append((file, i + 1))
            size += len(line) + 1
            continue
        name = found[i]
        path = root / name.lstrip("/") if name.startswith("/") else file.parent / name
        target, inner_text = read_included(f"{{{{< include {name} >}}}}", path, file, root, i + 1)
        if target in stack:
            chain = " -> ".join(p.name for p in (*stack[stack.index(target):], target))
            raise ManuscriptError(f"{{{{< include {found[i]} >}}}} includes itself ({chain})",
                                  file, i + 1, code="include-invalid")
        if len(stack) > DEPTH:
            raise ManuscriptError(f"{{{{< include {found[i]} >}}}}: includes nest more than "
                                  f"{DEPTH} deep", file, i + 1, code="include-invalid")
        limits.check_yaml_blocks(inner_text, target)
        inner = includes(inner_text, target, root, reader, stack)
        inner_lines = inner.text.split("\n")
        inner_origins = list(inner.origins) or [(target, n + 1) for n in range(len(inner_lines))]
        if inner_lines[-1] == "" and len(inner_lines) > 1:  # the file's last newline ends the line
            inner_lines, inner_origins = inner_lines[:-1], inner_origins[:-1]
        out += inner_lines
        origins += inner_origins
        size += len(inner.text)
        if size > CHARACTERS:
            raise ManuscriptError(f"{{{{< include {found[i]} >}}}}: the chapter grows past "
                                  f"{CHARACTERS:,} characters with its includes", file, i + 1,
                                  code="include-invalid")
    return Included("\n".join(out), tuple(origins))
