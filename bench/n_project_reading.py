"""n. Reading a project (issue 24): the chapters of a real bookdown project
(Advanced R, from ../shared) read as bookbuild reads them there (the project
files, knitr's chunk step, the dialect) against the same chapters as plain
Markdown in a book.yaml book: the text Pandoc reads in the end (chunks made
fences), so both books read alike and only the project's own steps differ.
Both by the same warm Pandoc workers, with no cache. Target <= 1.2."""

import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import PROJECT, machine, report

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
SHARED = Path(os.environ.get("BOOKBUILD_SHARED", PROJECT.parent / "shared"))
PROJECT_BOOK = SHARED / "corpus" / "advr-bookdown"


def read_seconds(book: Path) -> float:
    """Seconds to load the book's config and manuscript and read every chapter."""
    from bookbuild.build import read_all
    from bookbuild.config import load_config
    from bookbuild.source.manuscript import load_manuscript

    start = time.perf_counter()
    read_all(load_manuscript(load_config(book)), None, os.cpu_count() or 1)
    return time.perf_counter() - start


def plain_copy(project: Path, work: Path) -> Path:
    """The project's chapters, in its order and as Pandoc reads them, as .md
    files of a book.yaml book."""
    from bookbuild.config import load_config
    from bookbuild.source.manuscript import load_manuscript

    chapters = [c for c in load_manuscript(load_config(project)).chapters
                if c.source.suffix == ".Rmd"]
    book = work / "plain"
    (book / "manuscript").mkdir(parents=True)
    names = []
    for n, chapter in enumerate(chapters, start=1):
        name = f"{n:03d}.md"
        (book / "manuscript" / name).write_text(chapter.text, encoding="utf-8")
        names.append(f"  - manuscript/{name}")
    (book / "book.yaml").write_text("title: Plain\nlanguage: en\nauthor: A\nformats: [epub]\n"
                                    "chapters:\n" + "\n".join(names) + "\n", encoding="utf-8")
    return book


def main() -> None:
    from bookbuild.runtime import Runtime

    print(machine())
    if not PROJECT_BOOK.is_dir():
        sys.exit(f"{PROJECT_BOOK} is absent: set BOOKBUILD_SHARED to the shared folder")
    plain = plain_copy(PROJECT_BOOK, Path(tempfile.mkdtemp()))
    runtime = Runtime.from_environment()
    with runtime.active():
        read_seconds(plain)  # workers started and warm
        projects, plains = [], []
        for _ in range(REPEATS):
            projects.append(read_seconds(PROJECT_BOOK))
            plains.append(read_seconds(plain))
    runtime.close()
    print(f"{PROJECT_BOOK.name}: {len(list((plain / 'manuscript').iterdir()))} chapters")
    report("n. reading a bookdown project vs the same chapters as plain Markdown",
           median(projects), median(plains), 1.2)


if __name__ == "__main__":
    main()
