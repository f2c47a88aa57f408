"""o. The print edition of a 400-page book: `bookbuild build -f pdf` of a
generated book (invented paragraphs, a footnote every few of them), each
build a fresh process with its print check, first without the cache (every
chapter converted) then with it (an author's rebuild: Typst and the check
again). Target: under 30 s, the issue's (25) for a 400-page book.

    python bench/o_print_book.py [REPEATS] [CHAPTERS]

40 chapters of the generated book (40 paragraphs, 10 notes each) make 405 pages
at the default trim.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import BOOKBUILD, generated_book, machine, measure, service_env

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
CHAPTERS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
#: The issue's target for a 400-page book's PDF, in seconds.
TARGET = 30.0


def main() -> None:
    print(machine())
    work = Path(tempfile.mkdtemp())
    book = generated_book(work / "book", chapters=CHAPTERS, notes_per_chapter=10, paragraphs=40)
    env = service_env(work / "run")
    build = [*BOOKBUILD, "build", str(book), "-f", "pdf", "-o", str(work / "out")]
    cold = [measure([*build, "--no-cache"], env=env) for _ in range(REPEATS)]
    warm = [measure(build, env=env) for _ in range(REPEATS)]
    result = subprocess.run([*build, "--json"], env=env, capture_output=True, text=True)
    pdf = json.loads(result.stdout)["artifacts"][0]
    print(f"generated: {CHAPTERS} chapters, {CHAPTERS * 10} notes; the PDF: {pdf['pages']} pages, "
          f"print check {'passed' if pdf['check']['passed'] else 'FAILED'}")
    for name, runs in (("no cache", cold), ("cached chapters", warm)):
        wall, cpu = median(w for w, _ in runs), median(c for _, c in runs)
        verdict = "meets" if wall <= TARGET else "MISSES"
        print(f"o. {name}: {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"({verdict} target <= {TARGET:.0f} s for a 400-page book)")


if __name__ == "__main__":
    main()
