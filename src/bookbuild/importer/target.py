"""Whether ``bookbuild import`` may write a book directory, replacing what is there.

``--force`` replaces a directory, so it must never reach one holding anything
but an earlier import: not the working directory or one above it, not the
home directory or the file system's root, not a link, and not a directory
with files bookbuild did not write. An earlier import is recognised by its
``book.yaml`` and ``import-report.md``; beside them only its ``manuscript/``
of Markdown files and what a build adds (``dist/``) may be there.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BookbuildError

#: What an import writes, and what a build of it adds.
WRITTEN = frozenset({"book.yaml", "import-report.md", "manuscript", "dist"})
SIGNATURE = ("book.yaml", "import-report.md")


def check_target(book_dir: Path, force: bool) -> None:
    """Raise unless ``book_dir`` is absent, empty, or (with ``force``) an earlier import."""
    if book_dir.is_symlink():
        raise BookbuildError("is a link: name the directory itself", book_dir, code="target-unsafe")
    if not book_dir.exists():
        return
    if not book_dir.is_dir():
        raise BookbuildError("is a file, not a directory", book_dir, code="target-unsafe")
    entries = sorted(p.name for p in book_dir.iterdir())
    if not entries:
        return
    if not force:
        raise BookbuildError("already exists and is not empty (use --force to replace it)",
                             book_dir, code="target-exists")
    resolved = book_dir.resolve()
    protected = {Path.cwd().resolve(), Path.home().resolve(), Path(resolved.anchor)}
    if any(resolved == p or resolved in p.parents for p in protected):
        raise BookbuildError("is the working directory, the home directory or one above them: "
                             "--force never replaces it; import into a new directory", book_dir, code="target-unsafe")
    missing = [name for name in SIGNATURE if not (book_dir / name).is_file()]
    unexpected = [name for name in entries if name not in WRITTEN]
    manuscript = book_dir / "manuscript"
    if manuscript.is_dir():
        unexpected += [f"manuscript/{p.name}" for p in sorted(manuscript.iterdir())
                       if p.suffix != ".md" or not p.is_file() or p.is_symlink()]
    if missing or unexpected:
        why = f"has no {' or '.join(missing)}" if missing else \
            f"holds files bookbuild did not write ({', '.join(unexpected[:3])})"
        raise BookbuildError(f"{why}: --force replaces only an earlier import; "
                             "import into a new directory", book_dir, code="target-unsafe")
