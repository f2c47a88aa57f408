"""b. A 20-book catalog: one `bookbuild build --catalog` against a shell loop of
plain pandoc + `java -jar epubcheck.jar` per book. Target <= 0.15."""

import os
import shutil
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import BOOKBUILD, EPUBCHECK, PANDOC, PROJECT, machine, report, run

BOOKS = 20
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # bookbuild's cache, emptied per cold run
    names = []
    for i in range(BOOKS):  # the sample book under 20 titles, one EPUB each
        book = work / f"book{i:02d}"
        shutil.copytree(PROJECT / "manuscript", book / "manuscript")
        shutil.copytree(PROJECT / "assets", book / "assets")
        config = (PROJECT / "book.yaml").read_text(encoding="utf-8")
        config = config.replace("title: Notes from the Margin", f"title: Notes, Volume {i + 1}")
        config = config.replace("formats: [all]", "formats: [epub]")
        (book / "book.yaml").write_text(config, encoding="utf-8")
        names.append(book.name)
    (work / "catalog.txt").write_text("\n".join(names) + "\n")

    def ours() -> float:
        for name in names:
            shutil.rmtree(work / name / "dist", ignore_errors=True)
            shutil.rmtree(work / "cache", ignore_errors=True)  # XDG_CACHE_HOME, set below
        return run([*BOOKBUILD, "build", "--catalog", str(work / "catalog.txt")])

    def shell_loop() -> float:
        took = 0.0
        for name in names:
            book = work / name
            chapters = sorted(str(p) for p in (book / "manuscript").glob("*.md"))
            out = work / f"{name}.epub"
            took += run([PANDOC, *chapters, "-o", str(out), f"--metadata=title:{name}",
                         "--metadata=lang:en-GB", f"--resource-path={book}:{book / 'manuscript'}"])
            took += run([*EPUBCHECK, str(out)])
        return took

    mine, theirs = [], []
    for _ in range(REPEATS):
        mine.append(ours())
        theirs.append(shell_loop())
    report(f"b. {BOOKS}-book catalog with checks", median(mine), median(theirs), 0.15)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
