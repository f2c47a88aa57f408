"""d. Peak memory of the 100-chapter, 2,000-note build, checks included, as a
fresh `bookbuild build` process (its JVM included) and its largest Pandoc.
Target < 1 GB."""

import tempfile
from pathlib import Path

from common import BOOKBUILD, generated_book, machine, peak_child_rss_mb, run


def main() -> None:
    print(machine())
    book = generated_book(Path(tempfile.mkdtemp()) / "big")
    took = run([*BOOKBUILD, "build", str(book), "--no-cache"])
    peak = peak_child_rss_mb()
    verdict = "meets" if peak < 1024 else "MISSES"
    print(f"d. peak resident memory of the largest process: {peak:.0f} MB "
          f"({verdict} target < 1024 MB); build took {took:.1f} s")


if __name__ == "__main__":
    main()
