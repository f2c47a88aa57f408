"""f. Cold checked builds of generated 10-, 200- and 1,000-chapter books (fresh
`bookbuild build` process, no cache, no EPUBCheck service running) against
Pandoc plus EPUBCheck by hand (`pandoc *.md -o book.epub` and
`java -jar epubcheck.jar book.epub`), wall time and CPU. Targets: <= 0.8 at
1,000 chapters, <= 1 at every size."""

import sys
import tempfile
from pathlib import Path
from statistics import median

from common import (cold_build, generated_book, machine, pandoc_and_epubcheck,
                    peak_child_rss_mb, report, service_env, stop_services)

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
SIZES = [int(s) for s in sys.argv[2].split(",")] if len(sys.argv) > 2 else [10, 200, 1000]


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    folder = work / "run"
    env = service_env(folder)
    for size in SIZES:
        book = generated_book(work / f"b{size}", chapters=size, notes_per_chapter=5,
                              paragraphs=75)
        chapters = sorted(str(p) for p in (book / "manuscript").glob("*.md"))
        mb = sum(Path(c).stat().st_size for c in chapters) / 1e6
        ours, theirs = [], []
        for _ in range(REPEATS):  # interleaved, so both see the same noise
            ours.append(cold_build(book, folder, env))
            theirs.append(pandoc_and_epubcheck(chapters, work / "hand.epub", "Ledger"))
        target = 0.8 if size >= 1000 else 1.0
        print(f"{size} chapters, {mb:.1f} MB:")
        report(f"f. cold checked build, {size} chapters, wall", median(w for w, _ in ours),
               median(w for w, _ in theirs), target)
        report(f"   cold checked build, {size} chapters, CPU", median(c for _, c in ours),
               median(c for _, c in theirs), target)
    stop_services(env)
    print(f"peak resident memory of any process: {peak_child_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
