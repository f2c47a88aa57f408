"""A bookdown project: ``_bookdown.yml`` and ``index.Rmd``'s YAML block.

The reading order is ``rmd_files`` (a list, or one list per output format,
of which the EPUB's, then HTML's, is taken), else every ``.Rmd`` file by name
with ``index.Rmd`` first and files starting with ``_`` left out, as bookdown
itself orders them; the file bookdown merges the chapters into,
``<book_filename>.Rmd`` (``_main.Rmd`` by default), is never a chapter.
"""

from __future__ import annotations

from pathlib import Path

from ..safety.yamlfile import plain, read_yaml
from . import Project, book_keys, front_matter

FILE = "_bookdown.yml"
INDEX = "index.Rmd"
MERGED = "_main"  # bookdown's default book_filename


def _order(settings: dict, root: Path) -> list[str]:
    merged = f"{settings.get('book_filename') or MERGED}.Rmd"
    listed = settings.get("rmd_files")
    if isinstance(listed, dict):
        listed = listed.get("epub") or listed.get("html") or next(iter(listed.values()), None)
    if isinstance(listed, list):
        return [str(name) for name in listed if str(name) != merged]
    names = sorted(p.name for p in root.glob("*.Rmd")
                   if not p.name.startswith("_") and p.name != merged)
    return sorted(names, key=lambda name: name != INDEX)


def read(root: Path) -> Project | None:
    file = root / FILE
    if not file.is_file():
        return None
    settings = plain(read_yaml(file, root)) if file.stat().st_size else {}
    order = _order(settings if isinstance(settings, dict) else {}, root)
    meta = front_matter(root / (INDEX if INDEX in order or not order else order[0]), root)
    data = book_keys(meta, root)
    if isinstance(settings, dict) and isinstance(settings.get("book_filename"), str):
        data["slug"] = settings["book_filename"]
    data["chapters"] = order
    return Project("bookdown", file, data)
