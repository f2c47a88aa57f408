"""c. A generated 100-chapter, 2,000-note book (about 3.6 MB of Markdown):
rebuild after editing one chapter against its cold build, in one process, so
both pay the same start-up. Target <= 0.1. Printed with and without EPUBCheck."""

import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import generated_book, machine, report

from bookbuild import BuildOptions, build_book

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def main() -> None:
    print(machine())
    book = generated_book(Path(tempfile.mkdtemp()) / "big")
    size = sum(p.stat().st_size for p in (book / "manuscript").glob("*.md"))
    print(f"generated: 100 chapters, 2,000 notes, {size / 1e6:.1f} MB of Markdown")
    chapter = book / "manuscript" / "050.md"
    original = chapter.read_text(encoding="utf-8")
    for check in (False, True):
        colds, warms = [], []
        for r in range(REPEATS):
            start = time.perf_counter()
            build_book(book, BuildOptions(check=check, cache=False))
            colds.append(time.perf_counter() - start)
            build_book(book, BuildOptions(check=check))  # fill the cache
            chapter.write_text(original + f"\nAn edit, number {r}.\n", encoding="utf-8")
            start = time.perf_counter()
            build_book(book, BuildOptions(check=check))
            warms.append(time.perf_counter() - start)
        label = "with EPUBCheck" if check else "conversion only"
        report(f"c. rebuild after editing one chapter vs cold build ({label})",
               median(warms), median(colds), 0.1)


if __name__ == "__main__":
    main()
