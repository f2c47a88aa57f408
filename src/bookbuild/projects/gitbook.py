"""A GitBook (the legacy toolchain's layout): ``SUMMARY.md`` and ``README.md``.

``book.json``, when there, holds the title, ``author``, ``language``,
``description`` and ``root`` (the folder of the book's files). SUMMARY.md is
the reading order, read by Pandoc as CommonMark: every link in its lists is a
chapter (a nested one follows its parent as a chapter of its own; a link to a
place in a file already listed adds nothing), a heading after its first
``# Summary`` is a part page, and a rule only separates. The title is
book.json's, else the first heading of README.md. The chapters are
GitHub-flavoured Markdown (``markdown: gfm``), as GitBook renders them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..pandoc import read_markdown
from ..pandoc.ast import stringify
from ..safety import limits
from ..safety.files import read_text
from . import DEFAULT_LANGUAGE, Project, people
from .mdbook import DIALECT, SUMMARY, links

FILE = "book.json"


def _markdown(path: Path, root: Path) -> list:
    text = read_text(path, root)
    limits.check_text(text, path)  # held to a chapter's limits, as Pandoc reads it so
    return read_markdown(text, path, "commonmark").doc["blocks"]


def _chapters(blocks: list, folder: str) -> list[Any]:
    entries: list[Any] = []
    for k, block in enumerate(blocks):
        if block["t"] == "Header":
            if k:  # the first heading is SUMMARY.md's own title
                entries.append({"part": stringify(block["c"][2]).strip()})
            continue
        for path in links(block, folder):
            if path not in entries:
                entries.append(path)
    return entries


def read(root: Path) -> Project | None:
    file = root / FILE
    settings: dict[str, Any] = {}
    if file.is_file():
        try:
            loaded = json.loads(read_text(file, root))
        except (ValueError, RecursionError) as exc:
            raise ConfigError(f"not JSON: {exc}", file, code="json-invalid") from None
        settings = loaded if isinstance(loaded, dict) else {}
    folder = str(settings.get("root") or "").strip("/")
    summary = root / folder / SUMMARY
    if not summary.is_file():
        return None
    title = settings.get("title")
    readme = root / folder / "README.md"
    if not title and readme.is_file():
        title = next((stringify(b["c"][2]).strip() for b in _markdown(readme, root)
                      if b["t"] == "Header"), None)
    data: dict[str, Any] = {"title": title,
                            "language": settings.get("language") or DEFAULT_LANGUAGE,
                            "markdown": DIALECT,
                            "chapters": _chapters(_markdown(summary, root), folder)}
    contributors = people(settings.get("author") or [])
    if contributors:
        data["contributors"] = contributors
    if isinstance(settings.get("description"), str) and settings["description"].strip():
        data["description"] = settings["description"].strip()
    return Project("gitbook", file if file.is_file() else summary,
                   {k: v for k, v in data.items() if v is not None})
