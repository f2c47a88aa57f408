"""``bookbuild new``: a minimal book that builds at once.

Three keys in book.yaml, two chapters that show the two kinds of note, and a
README line saying how to build it: the smallest thing that teaches the
layout of a book directory. Or, ``--from``, the book.yaml of a bookdown,
Quarto, mdBook or GitBook project (see :mod:`bookbuild.projects`). Written through a temporary directory moved into
place (as ``bookbuild import`` writes), so a refused or interrupted run
leaves nothing half-written.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML

from .config import CONFIG_NAME, load_config
from .errors import BookbuildError, display_path
from .importer import write_directory
from .output.artifacts import write_atomic
from .projects import find as find_project

CHAPTERS = {
    "manuscript/01-beginning.md": """\
# The Beginning

Write the first chapter here, in Markdown. A note is a label in brackets,[^1]
and its text goes anywhere in the same file.

[^1]: Like this one. Every note links to its reference and back.
""",
    "manuscript/02-going-on.md": """\
# Going On

Each chapter is a file in `manuscript/`, read in the order of their names. A
short note can also be written in place.^[Like this one.]
""",
}
README = ("Build this book with `bookbuild build` in this folder: the EPUB and its cover "
          "go into `dist/`.\n")


def book_yaml(data: dict, comment: str) -> str:
    """book.yaml as written by bookbuild: a comment line, then the keys in order."""
    out = io.StringIO()
    out.write(f"# {comment}\n")
    yaml = YAML()
    yaml.width = 100
    yaml.dump(data, out)
    return out.getvalue()


def new_book(book_dir: Path, title: str | None = None, author: str = "Your Name",
             language: str = "en") -> Path:
    """Write the minimal book into ``book_dir``, which must not exist or be empty."""
    if book_dir.is_dir() and any(book_dir.iterdir()):
        raise BookbuildError("already exists and is not empty: name a new directory", book_dir, code="target-exists")
    name = book_dir.resolve().name.replace("-", " ").replace("_", " ").strip()
    data = {"title": title or name.title() or "My Book", "language": language, "author": author}
    files = {"book.yaml": book_yaml(data, "Written by `bookbuild new`; every key is in the "
                                          "README of bookbuild."),
             **CHAPTERS, "README.md": README}
    write_directory(book_dir, files, force=False)
    return book_dir


def book_yaml_for(project_dir: Path) -> Path:
    """Write ``project_dir/book.yaml`` saying what its bookdown, Quarto, mdBook or
    GitBook project says, once the schema has accepted it; from then on bookbuild reads that."""
    root = project_dir.resolve()
    target = root / CONFIG_NAME
    if target.exists():
        raise BookbuildError("already exists: bookbuild reads it, not the "
                             "project", target, code="target-exists")
    project = find_project(root) if root.is_dir() else None
    if project is None:
        raise BookbuildError("holds no bookdown (_bookdown.yml), Quarto book (_quarto.yml), "
                             "mdBook (book.toml) or GitBook (SUMMARY.md) project", project_dir,
                             code="file-not-found")
    load_config(root)  # every problem reported now, against the project's file
    text = book_yaml(project.data, f"Written by `bookbuild new --from` from "
                                   f"{display_path(project.file.relative_to(root))}; "
                                   "bookbuild reads this file from now on.")
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target
