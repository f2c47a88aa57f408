"""a. The sample book, cold: `bookbuild build` with its checks, against what a
user would run by hand for the same files: plain pandoc to EPUB, plus
`java -jar epubcheck.jar` once per EPUB file bookbuild produced. Target <= 0.6."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from statistics import median

from common import BOOKBUILD, EPUBCHECK, PANDOC, PROJECT, machine, report, run

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # bookbuild's cache, emptied per cold run
    book = work / "book"
    shutil.copytree(PROJECT, book, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", "tests", "bench", "src"))
    probe = subprocess.run([*BOOKBUILD, "build", str(book), "--json", "--no-check"],
                           capture_output=True, text=True)
    epubs = [a for a in json.loads(probe.stdout)["artifacts"] if a["path"].endswith(".epub")]
    chapters = sorted(str(p) for p in (book / "manuscript").glob("*.md"))

    def ours() -> float:
        shutil.rmtree(book / "dist", ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)  # XDG_CACHE_HOME, set below
        return run([*BOOKBUILD, "build", str(book)])

    def by_hand() -> float:
        out = work / "hand.epub"
        took = run([PANDOC, *chapters, "-o", str(out), "--metadata=title:Sample",
                    "--metadata=lang:en-GB", f"--resource-path={book}:{book / 'manuscript'}"])
        for _ in epubs:  # once per EPUB file bookbuild produced
            took += run([*EPUBCHECK, str(out)])
        return took

    print(f"bookbuild writes {len(epubs)} EPUB files: {', '.join(a['format'] for a in epubs)}")
    mine, theirs = [], []
    for _ in range(REPEATS):  # interleaved, so both see the same noise
        mine.append(ours())
        theirs.append(by_hand())
    report("a. sample book, cold build with checks", median(mine), median(theirs), 0.6)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
