"""l. The author's loop on a 300-chapter book (issue 23, "one checker"): after
editing one chapter, a checked rebuild in a fresh `bookbuild build` process
(cache and the user's checker warm) against the book's cold checked build (no
cache, no checker running). Target <= 0.1.

Then, in this process and through the same checker, what the scoped check
buys: the rebuilt EPUB checked whole against the same EPUB checked with its
scope (only what changed since the last pass), after a one-chapter edit."""

import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import (BOOKBUILD, cold_build, machine, measure, rebuild_bench, report,
                    stop_services)

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
CHAPTERS = int(sys.argv[2]) if len(sys.argv) > 2 else 300


def scoped_against_whole(book: Path, env: dict) -> tuple[float, float]:
    """Median seconds of a whole-book check and of a scoped check of the EPUB
    rebuilt after a one-chapter edit, both through the warm checker."""
    import os

    os.environ.update(env)
    from bookbuild import BuildOptions, build_book
    from bookbuild.cache.files import user_cache_dir
    from bookbuild.checks.checker import epubcheck
    from bookbuild.checks.scoped import Scope
    from bookbuild.checks.service import Client

    chapter = book / "manuscript" / f"{CHAPTERS // 3:03d}.md"
    original = chapter.read_text(encoding="utf-8")
    wholes, scopeds = [], []
    out = book.parent / "scoped-out"
    using = Client(keep=True)
    for r in range(REPEATS):
        built = build_book(book, BuildOptions(out_dir=out, check=True, service=True))
        # where the build recorded its pass: the book and format, in the user's cache
        scope = Scope(f"{built.artifact('epub').path.resolve()}|epub", user_cache_dir() / "checks")
        chapter.write_text(original + f"\nA scoped edit, number {r}.\n", encoding="utf-8")
        epub = build_book(book, BuildOptions(out_dir=out, check=False)).artifact("epub").path
        start = time.perf_counter()
        whole = epubcheck(epub, using)
        wholes.append(time.perf_counter() - start)
        start = time.perf_counter()
        scoped = epubcheck(epub, using, scope)
        scopeds.append(time.perf_counter() - start)
        assert whole.passed and scoped.passed and scoped.scope != "whole book", scoped.scope
    chapter.write_text(original, encoding="utf-8")
    return median(scopeds), median(wholes)


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    book, folder, env, chapter, original = rebuild_bench(work, CHAPTERS)
    colds, warms = [], []
    for r in range(REPEATS):
        colds.append(cold_build(book, folder, env))
        chapter.write_text(original + f"\nAn edit, number {r}.\n", encoding="utf-8")
        measure([*BOOKBUILD, "build", str(book)], folder, env=env)  # the first edit after a cold build
        chapter.write_text(original + f"\nAnother edit, number {r}.\n", encoding="utf-8")
        warms.append(measure([*BOOKBUILD, "build", str(book)], folder, env=env))
    chapter.write_text(original, encoding="utf-8")
    report("l. one-chapter checked rebuild vs cold checked build, wall",
           median(w for w, _ in warms), median(w for w, _ in colds), 0.1)
    report("   the same, CPU (the checker's counted)", median(c for _, c in warms),
           median(c for _, c in colds), 0.1)
    scoped, whole = scoped_against_whole(book, env)
    print(f"   the rebuilt EPUB's check through the warm checker: scoped {scoped:.2f} s, "
          f"whole book {whole:.2f} s (ratio {scoped / whole:.3f})")
    stop_services(env)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
